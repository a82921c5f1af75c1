"""The Textual app: the only package that imports textual."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datasync_tui.paths import DataDir


def run(data_dir: DataDir, *, sync_on_start: bool = False) -> int:
    """Run the full-screen app on data_dir until the admin quits; return the exit status."""
    from datasync_tui.ui.app import DataSyncApp
    from datasync_tui.ui.context import Context

    app = DataSyncApp(Context(data_dir), sync_on_start=sync_on_start)
    code = app.run()
    return code or 0
