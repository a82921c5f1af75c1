"""The setup wizard, driven with the keyboard only: Choose → Options → Check → Confirm."""

from __future__ import annotations

import json
from pathlib import Path

from textual.widgets import Button, Input, OptionList, Static

from datasync_tui.paths import DataDir
from datasync_tui.status import collect
from datasync_tui.store import config
from datasync_tui.ui.dashboard.screen import DashboardScreen
from datasync_tui.ui.setup.choose import ChooseStep
from datasync_tui.ui.setup.screen import SetupScreen
from tests.helpers.app import AppFactory, settle
from tests.helpers.setup import note


async def test_empty_data_dir_to_dashboard_by_keyboard(
    make_app: AppFactory, home: DataDir, bundle: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SetupScreen) and screen.step == "choose"
        await pilot.press(*"csv", "enter")  # the OneRoster CSV method comes first
        assert screen.step == "options"
        assert isinstance(app.focused, Input) and app.focused.id == "opt-path"
        await pilot.press("d", "i")
        await settle(pilot)  # the completion is read off the event loop
        await pilot.press("right")  # accepts it
        assert app.focused.value == bundle.name
        await pilot.press("enter")
        assert screen.step == "check"
        await settle(pilot)
        assert screen.query_one("#wizard-next-button", Button).disabled is False
        results = str(screen.query_one("#check-results", Static).render())
        assert "✓ Enrollments" in results and "84 rows" in results
        assert "users.grades: blank in 1 row" in results
        assert not home.config.exists()  # nothing saved before Confirm
        await pilot.press("ctrl+n")
        assert screen.step == "confirm"
        assert app.focused is not None and app.focused.id == "confirm-sync-at"
        await pilot.press("end", "ctrl+u", *"06:30", "tab", *"lincoln.org")
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        saved = config.load(home)
        assert saved is not None and saved.method == "oneroster-csv"
        assert saved.settings["path"] == str(bundle.resolve())
        assert saved.settings["sync_at"] == "06:30"
        assert saved.settings["email_domains"] == "lincoln.org"
        assert collect(home)["counts"]["enrollments"] == 84
        assert app.facts is not None and app.facts.status["counts"]["users"] == 21


async def test_missing_required_file_keeps_next_disabled_and_names_it(
    make_app: AppFactory, home: DataDir, bundle_without_enrollments: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SetupScreen)
        await pilot.press(*"csv", "enter", *bundle_without_enrollments.name, "enter")
        await settle(pilot)
        assert screen.step == "check"
        assert screen.query_one("#wizard-next-button", Button).disabled is True
        assert "enrollments.csv" in note(app)
        results = str(screen.query_one("#check-results", Static).render())
        assert "✗ Enrollments" in results and "supply enrollments.csv" in results
        await pilot.press("ctrl+n")
        assert screen.step == "check"  # Next does nothing
        await pilot.press("ctrl+b")
        assert screen.step == "options"
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)
        assert not home.config.exists()


async def test_back_at_every_step_and_inline_problems(
    make_app: AppFactory, home: DataDir, bundle: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SetupScreen)
        await pilot.press(*"csv", "enter")
        await pilot.press(*"x.zip")
        problem = screen.query_one("#problem-path", Static)
        assert problem.display and "no such file or folder: x.zip" in str(problem.render())
        await pilot.press("enter")
        assert screen.step == "options"  # a problem keeps the form here
        assert "Fix the 1 field" in note(app)
        await pilot.press("ctrl+u", *bundle.name)
        assert not problem.display
        await pilot.press("ctrl+n")
        await settle(pilot)
        await pilot.press("ctrl+n")
        assert screen.step == "confirm"
        await pilot.press("end", "ctrl+u", *"25:00", "ctrl+n")
        assert "must be a time as HH:MM" in str(screen.query_one("#problem-sync-at").render())
        assert not home.config.exists()
        for expected in ("check", "options", "choose"):
            await pilot.press("ctrl+b")
            assert screen.step == expected
        assert app.focused is not None and app.focused.id == "choose-filter"
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)
        await settle(pilot)
        empty = str(app.screen.query_one("#dashboard-empty", Static).render())
        assert "No source connected yet — press c" in empty
        assert not home.config.exists()


async def test_c_reopens_the_wizard_with_the_current_values(
    make_app: AppFactory, synced: DataDir, bundle: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("c")
        screen = app.screen
        assert isinstance(screen, SetupScreen) and screen.step == "choose"
        assert screen.query_one(ChooseStep).highlighted.key == "oneroster-csv"  # type: ignore[union-attr]
        await pilot.press("enter")
        path = screen.query_one("#opt-path", Input)
        assert path.value == str(bundle.resolve())
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)
        before = json.loads(synced.config.read_text())
        assert before["settings"]["path"] == str(bundle)  # unchanged: nothing saved


async def test_coming_soon_and_filter(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SetupScreen)
        options = screen.query_one("#choose-list", OptionList)
        await pilot.press(*"skyward")
        keys = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert keys and all(k and k.startswith("skyward") for k in keys)
        await pilot.press(*"zzz")
        assert options.option_count == 0
        await pilot.press("enter")
        assert screen.step == "choose"


async def test_reopening_connection_starts_from_the_saved_source(
    make_app: AppFactory, synced: DataDir, bundle: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("c", *"sky", "escape")  # filter typed, then cancelled
        await settle(pilot)
        await pilot.press("c", "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SetupScreen) and screen.step == "options"
        assert screen.draft.method.id == "oneroster-csv" and screen.draft.vendor is None
        assert screen.query_one("#opt-path", Input).value == str(bundle)


async def test_first_sync_shows_progress_locks_the_form_and_never_flashes(
    make_app: AppFactory, home: DataDir, bundle: Path, monkeypatch
) -> None:
    shown: list[tuple[bool, bool]] = []  # (dashboard in front, no source connected)
    original = DashboardScreen.show

    def spy(self: DashboardScreen, facts) -> None:  # type: ignore[no-untyped-def]
        if facts is not None:
            shown.append((self.is_current, facts.connection is None))
        original(self, facts)

    monkeypatch.setattr(DashboardScreen, "show", spy)
    posted: list[str] = []
    app = make_app()
    async with app.run_test(
        size=(80, 24), message_hook=lambda m: posted.append(type(m).__name__)
    ) as pilot:
        await settle(pilot)
        await pilot.press(*"csv", "enter", *bundle.name, "enter")
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SetupScreen) and screen.step == "confirm"
        await pilot.press("ctrl+n")  # Connect and sync
        await pilot.pause()
        panel = screen.query_one("#confirm-sync")
        assert panel.display and panel.region.height > 0  # the progress is on screen
        assert all(field.disabled for field in screen.query("ConfirmStep Input"))
        assert not screen.query_one("#confirm-summary").display
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
    assert "SyncProgressed" in posted
    assert (True, True) not in shown, shown  # never "No source connected" in front
