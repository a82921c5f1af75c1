"""The wizard's form refuses what `connect --set` refuses, by the options' own declarations."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Collapsible, Input, Static

from datasync_tui.paths import DataDir
from datasync_tui.ui.setup.screen import SetupScreen
from tests.helpers.app import AppFactory, settle
from tests.helpers.setup import note


async def test_a_negative_removal_threshold_stops_the_form(
    make_app: AppFactory, home: DataDir, bundle: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SetupScreen)
        await pilot.press(*"csv", "enter", *bundle.name)
        screen.query_one("#opt-max_removal_pct", Input).value = "-1"
        screen.query_one("#opt-notify_url", Input).value = "http://"
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert screen.step == "options"
        assert "Fix the 2 field(s)" in note(app)
        assert not screen.query_one("#options-more", Collapsible).collapsed
        shown = str(screen.query_one("#problem-max_removal_pct", Static).render())
        assert shown == "✗ max_removal_pct must be between 0 and 100 (got '-1')"
        shown = str(screen.query_one("#problem-notify_url", Static).render())
        assert shown.startswith("✗ notify_url must be a URL with a host")
        screen.query_one("#opt-max_removal_pct", Input).value = "25"
        screen.query_one("#opt-notify_url", Input).value = ""
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert screen.step == "check"
        assert not home.config.exists()
