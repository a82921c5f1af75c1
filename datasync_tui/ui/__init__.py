"""The Textual app: the only package that imports textual."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datasync_tui.paths import DataDir


def run(data_dir: DataDir, *, sync_on_start: bool = False, demo: bool = False) -> int:
    """Run the full-screen app on data_dir until the admin quits; return the exit status.

    demo: data_dir is thrown away on quit (the app says so).
    """
    from datasync_tui.ui.app import DataSyncApp
    from datasync_tui.ui.context import Context

    app = DataSyncApp(Context(data_dir, demo=demo), sync_on_start=sync_on_start)
    code = app.run()
    return code or 0
