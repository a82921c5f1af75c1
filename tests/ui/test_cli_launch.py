"""`datasync-tui` with no command and `--demo` open the TUI on a terminal."""

from __future__ import annotations

from pathlib import Path

import pytest

from datasync_tui import cli
from datasync_tui.paths import DataDir
from datasync_tui.store import config


def test_no_command_on_a_terminal_opens_the_tui(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[DataDir, bool]] = []
    monkeypatch.setattr(cli, "_on_terminal", lambda: True)
    monkeypatch.setattr(
        "datasync_tui.ui.run", lambda d, sync_on_start=False: seen.append((d, sync_on_start)) or 0
    )
    assert cli.main(["--data-dir", str(tmp_path / "home")]) == 0
    assert seen == [(DataDir((tmp_path / "home").resolve()), False)]


def test_demo_opens_the_tui_on_a_throwaway_dir_then_removes_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[Path] = []

    def fake_run(data_dir: DataDir, sync_on_start: bool = False, demo: bool = False) -> int:
        assert sync_on_start and demo  # the app is told: it says the data dir is thrown away
        conn = config.load(data_dir)
        assert conn is not None and Path(conn.settings["path"]).is_file()
        seen.append(data_dir.root)
        return 0

    monkeypatch.setattr(cli, "_on_terminal", lambda: True)
    monkeypatch.setattr("datasync_tui.ui.run", fake_run)
    assert cli.main(["--demo"]) == 0
    assert len(seen) == 1 and not seen[0].exists()
