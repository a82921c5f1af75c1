"""The wizard's Confirm saves as a writer: while a sync runs, nothing is saved and it says why."""

from __future__ import annotations

import os
from pathlib import Path

from datasync_tui.paths import DataDir
from datasync_tui.sync.lock import FileLock
from datasync_tui.ui.setup.screen import SetupScreen
from tests.helpers.app import AppFactory, settle
from tests.helpers.setup import note


async def test_confirm_while_a_sync_runs_saves_nothing(
    make_app: AppFactory, home: DataDir, bundle: Path
) -> None:
    home.ensure()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SetupScreen)
        await pilot.press(*"csv", "enter", *bundle.name, "enter")
        await settle(pilot)
        await pilot.press("ctrl+n")
        assert screen.step == "confirm"
        with FileLock(home.sync_lock):  # the lock a sync in another process holds
            await pilot.press("ctrl+n")
            await settle(pilot)
            assert screen.step == "confirm" and not screen.saved
            assert not home.config.exists()
            assert note(app) == (
                f"Not saved: another sync is running in this data dir (pid {os.getpid()}); "
                "try again when it ends"
            )
        await pilot.press("ctrl+n")  # the sync ended: Confirm saves and syncs
        await settle(pilot)
        assert home.config.exists()
