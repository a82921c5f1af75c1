"""The History page (h): the syncs, a sync's changes with filters, a record opened in Explore and
back, Rollback and Pause with their confirmations, and the held sync's Review (w)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Input, OptionList, Static

from datasync_tui import pause
from datasync_tui.paths import DataDir
from datasync_tui.sync import run_sync
from datasync_tui.ui.dashboard.screen import DashboardScreen
from datasync_tui.ui.explore.record import RecordScreen
from datasync_tui.ui.explore.screen import ExploreScreen
from datasync_tui.ui.history import HistoryScreen
from datasync_tui.ui.history.dialogs import ChoiceDialog, ConfirmRollback, PauseDialog
from datasync_tui.ui.history.run_table import RunTable
from datasync_tui.ui.widgets.footer import PageFooter
from datasync_tui.ui.widgets.virtual_table import VirtualTable
from tests.helpers.app import AppFactory, connect_and_sync, fix_run_times, no_blink, settle
from tests.helpers.bundles import district, write_bundle
from tests.helpers.sync import changed_district, snapshot

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.fixture
def changed(home: DataDir, work: Path) -> DataDir:
    """Two syncs: the clean district, then edits, an addition, a removal and a re-keyed student."""
    rows = district()
    bundle = write_bundle(work / "district.zip", rows)
    connect_and_sync(home, bundle)
    changed_district(rows, 1)
    write_bundle(bundle, rows)
    assert run_sync(home, force=True).status == "succeeded"
    fix_run_times(home)
    return home


@pytest.fixture
def held(changed: DataDir, work: Path) -> DataDir:
    """A third sync that would remove most students: held."""
    rows = district()
    changed_district(rows, 1)
    del rows["users"][5:18]
    write_bundle(work / "district.zip", rows)
    assert run_sync(changed).status == "held"
    fix_run_times(changed)
    return changed


def changes_table(pilot: Pilot[object]) -> VirtualTable:
    """The History page's changes table."""
    return pilot.app.screen.query_one("#history-changes", VirtualTable)


def title(pilot: Pilot[object]) -> str:
    """The line above the changes."""
    return str(pilot.app.screen.query_one("#history-title", Static).render())


async def choose(pilot: Pilot[object], key: str, option: str) -> None:
    """Open a filter (t or k) and pick the option whose id is given."""
    await pilot.press(key)
    await settle(pilot)
    assert isinstance(pilot.app.screen, ChoiceDialog)
    options = pilot.app.screen.query_one(OptionList)
    options.highlighted = options.get_option_index(option)
    await pilot.press("enter")
    await settle(pilot)


async def test_h_lists_the_syncs_and_the_newest_ones_changes(
    make_app: AppFactory, changed: DataDir
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert dict(app.page_keys(app.screen))["h"] == "History"
        await pilot.press("h")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        runs = screen.query_one(RunTable)
        assert runs.run_ids == [2, 1] and app.focused is runs
        assert [str(c) for c in runs.get_row_at(0)][:3] == ["#2", "2026-11-28 01:59", "succeeded"]
        assert changes_table(pilot).total == 13  # users 4, roles 3, a class, enrollments 5
        assert title(pilot).startswith("Sync #2 · 13 changes · topic: every (t) · kind: every (k)")
        await pilot.press("down")  # the first sync: every record added
        await settle(pilot)
        assert changes_table(pilot).total == 2 + 2 + 1 + 4 + 21 + 21 + 84 + 20
        assert changes_table(pilot).cache[0].cells == ("Orgs", "added", "d1", "Lincoln USD")


async def test_enter_filters_and_a_record_opened_in_explore_comes_back(
    make_app: AppFactory, changed: DataDir
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("h", "enter")
        await settle(pilot)
        table = changes_table(pilot)
        assert app.focused is table
        await choose(pilot, "t", "users")
        assert table.total == 4 and "topic: Users (t)" in title(pilot)
        assert [r.cells[:3] for r in table.cache.values()] == [
            ("Users", "re-keyed", "stu3-r1"),
            ("Users", "added", "n1"),
            ("Users", "updated", "stu0"),
            ("Users", "updated", "stu1"),
        ]
        assert table.cache[0].cells[3].startswith("was stu3 · Ann3 Smith")
        assert table.cache[2].cells[3] == 'givenName "Ann0" → "Ann-1"'
        await choose(pilot, "k", "added")
        assert table.total == 1 and "kind: added (k)" in title(pilot)
        assert app.focused is table
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RecordScreen) and app.screen.sourced_id == "n1"
        assert isinstance(app.screen_stack[-2], ExploreScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        assert changes_table(pilot).total == 1  # the filters are kept
        await choose(pilot, "k", "")  # every kind again
        assert table.total == 4


async def test_a_removed_record_is_said_not_in_the_store(
    make_app: AppFactory, changed: DataDir
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("h", "enter")
        await settle(pilot)
        await choose(pilot, "t", "enrollments")
        await choose(pilot, "k", "removed")
        assert changes_table(pilot).total == 1
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        said = [n.message for n in app._notifications]
        assert any("was removed by sync #2: it is not in the store now" in m for m in said), said


async def test_rollback_asks_cancel_keeps_confirm_rolls_back_and_pauses(
    make_app: AppFactory, changed: DataDir
) -> None:
    app = make_app()
    before = snapshot(changed)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("h", "down")  # the first sync
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ConfirmRollback)
        what = str(dialog.query_one("#history-rollback-what", Static).render())
        assert what.startswith("Rolling back to sync #1 (2026-11-28 01:59) undoes 1 sync:")
        assert "#2 " in what and "users +1 ~2 ⇄1" in what
        assert "Scheduled syncs are then paused" in what and "p on this page" in what
        assert app.focused is dialog.query_one("#history-rollback-no", Button)
        await pilot.press("escape")  # Cancel
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        assert snapshot(changed) == before and pause.paused(changed) is None
        await pilot.press("b")
        await settle(pilot)
        await pilot.click("#history-rollback-yes")
        await settle(pilot)
        runs = app.screen.query_one(RunTable)
        assert runs.run_ids == [3, 2, 1] and runs.highlighted_run == 3
        assert [str(c) for c in runs.get_row_at(0)][2] == "rolled back to #1"
        assert [str(c) for c in runs.get_row_at(1)][2] == "undone by #3"
        assert pause.paused(changed) is not None
        summary = str(app.screen.query_one("#history-summary", Static).render())
        assert (
            "Scheduled syncs PAUSED until resumed (rolled back to sync #1) — p resumes" in summary
        )
        said = [n.message for n in app._notifications]
        assert any(m.startswith("The store is what it was after sync #1") for m in said), said
        await pilot.press("down", "b")  # sync #2 was undone: nothing to roll back to
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
    assert snapshot(changed) != before


async def test_pause_until_a_day_then_resume(make_app: AppFactory, changed: DataDir) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("h", "p")
        await settle(pilot)
        assert isinstance(app.screen, PauseDialog)
        field = app.screen.query_one(Input)
        assert app.focused is field
        await pilot.press(*"2026-13-01", "enter")
        await settle(pilot)
        problem = str(app.screen.query_one("#history-pause-problem", Static).render())
        assert "expected a date as YYYY-MM-DD" in problem
        field.value = "2099-12-31"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        found = pause.paused(changed)
        assert found is not None and found.until == "2099-12-31"
        summary = str(app.screen.query_one("#history-summary", Static).render())
        assert "PAUSED until 2099-12-31 (inclusive)" in summary
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, PauseDialog)
        assert "Resume scheduled syncs?" in str(app.screen.query_one(".dialog-title").render())
        await pilot.click("#history-resume-yes")
        await settle(pilot)
        assert pause.paused(changed) is None
        summary = str(app.screen.query_one("#history-summary", Static).render())
        assert "PAUSED" not in summary


async def test_review_shows_what_apply_would_change_and_esc_comes_back(
    make_app: AppFactory, held: DataDir
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert "Review (w)" in str(app.screen.query_one("#held-review", Button).label)
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        table = changes_table(pilot)
        assert app.focused is table
        assert title(pilot).startswith("Held sync #3: what Apply would change · 26 changes")
        assert {r.cells[:2] for r in table.cache.values()} == {
            ("Users", "removed"),
            ("Roles", "removed"),
        }
        assert table.cache[0].cells[2:] == ("stu4", "Ann4 Smith · ann4.smith@students.lincoln.org")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_history_footer_fits(
    make_app: AppFactory, changed: DataDir, size: tuple[int, int]
) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        keys = list(app.screen.query_one(PageFooter).query("FooterKey"))
        shown = [k.description for k in keys]  # type: ignore[attr-defined]
        assert sum(k.region.width + 1 for k in keys) <= size[0]
        assert {"Topic", "Kind", "Roll back…", "Pause/resume", "Keys", "Quit"} <= set(shown)
        keys_listed = dict(app.page_keys(app.screen))
        assert keys_listed["b"] == "Roll back…" and keys_listed["m"] == "Email domains"


def steps(*keys: str):  # type: ignore[no-untyped-def]
    """A run_before that presses keys, waiting for the workers after each, cursors still."""

    async def run(pilot: Pilot[object]) -> None:
        await settle(pilot)
        for key in keys:
            if key.startswith("choose:"):
                _, which, option = key.split(":")
                await choose(pilot, which, option)
            else:
                await pilot.press(key)
            await settle(pilot)
        no_blink(pilot)

    return run


@pytest.mark.parametrize("size", SIZES)
def test_history_snapshot(
    snap_compare, make_app: AppFactory, changed: DataDir, size: tuple[int, int]
) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=steps("h"))


@pytest.mark.parametrize("size", SIZES)
def test_history_changes_snapshot(
    snap_compare, make_app: AppFactory, changed: DataDir, size: tuple[int, int]
) -> None:
    keys = ("h", "enter", "choose:t:users")
    assert snap_compare(make_app(), terminal_size=size, run_before=steps(*keys))


async def test_the_palette_finds_the_history_and_its_actions(
    make_app: AppFactory, changed: DataDir
) -> None:
    from tests.helpers.app import palette_hits

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for name in ("history", "roll back", "pause/resume"):
            hits = await palette_hits(pilot, name)
            assert any(name in hit.lower() for hit in hits), (name, hits)
            await pilot.press("escape")
            await settle(pilot)
        await palette_hits(pilot, "history")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
