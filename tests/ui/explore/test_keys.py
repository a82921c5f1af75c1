"""Explore's keys through Pilot: sort, reverse, the filter form, PageDown and End, and the hook
that opens one record (Validations' Enter)."""

from __future__ import annotations

from textual.widgets import Select

from datasync_tui.paths import DataDir
from datasync_tui.ui.explore.filters import FilterScreen
from datasync_tui.ui.explore.record import RecordScreen
from datasync_tui.ui.explore.screen import ExploreScreen
from datasync_tui.ui.widgets.virtual_table import VirtualTable
from datasync_tui.viewmodels.explore import View, open_view, reader
from tests.helpers.app import AppFactory, settle


def on_screen(table: VirtualTable) -> list[tuple[str, ...]]:
    """The rows drawn on screen, top to bottom (every one must have arrived)."""
    end = min(table.total, table.top + table.page_rows)
    return [table.cache[i].cells for i in range(table.top, end)]


def every_row(data: DataDir, view: View) -> list[tuple[str, ...]]:
    """The view's rows in order, read apart from the UI."""
    pager = open_view(reader(data.database), view)
    try:
        return [r.cells for r in pager.rows(0, pager.total)]
    finally:
        pager.close()


async def test_pagedown_and_end_show_the_right_rows(make_app: AppFactory, synced: DataDir) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.explore("enrollments")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ExploreScreen) and screen.view is not None
        expected = every_row(synced, screen.view)
        table = screen.query_one(VirtualTable)
        table.focus()
        assert table.total == len(expected) == 84
        page = table.page_rows
        assert on_screen(table) == expected[:page]
        await pilot.press("pagedown")
        await settle(pilot)
        assert table.top == page - 1 and table.cursor_row == page - 1
        assert on_screen(table) == expected[page - 1 : 2 * page - 1]
        await pilot.press("end")
        await settle(pilot)
        assert table.cursor_row == 83
        assert on_screen(table) == expected[-page:]
        await pilot.press("pageup")
        await settle(pilot)
        assert on_screen(table) == expected[table.top : table.top + page]
        assert table.cursor_row == 83 - (page - 1)
        await pilot.press("home")
        await settle(pilot)
        assert table.cursor_row == 0 and on_screen(table) == expected[:page]


async def test_sort_keys_cycle_the_indexed_sorts(make_app: AppFactory, synced: DataDir) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.explore("users")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ExploreScreen) and screen.view is not None
        table = screen.query_one(VirtualTable)
        table.focus()
        assert screen.view.sort is None or screen.view.spec.sort(screen.view.sort).id == "name"
        await pilot.press("s")
        await settle(pilot)
        assert screen.view.sort == "sourcedId"
        ids = [r[0] for r in on_screen(table)]
        assert ids == sorted(ids) and len(ids) == table.total == 21
        await pilot.press("S")
        await settle(pilot)
        assert screen.view.descending
        assert [r[0] for r in on_screen(table)] == sorted(ids, reverse=True)
        await pilot.press("s")  # email, still descending
        await settle(pilot)
        assert screen.view.sort == "email"
        emails = [r[4].lower() for r in on_screen(table)]
        assert emails == sorted(emails, reverse=True)
        await pilot.press("s")  # back to the first: name
        await settle(pilot)
        assert screen.view.sort == "name"
        detail = str(screen.query_one("#explore-detail").render())
        assert "sorted by name ↓" in detail


async def test_filter_form_narrows_and_esc_clears(make_app: AppFactory, synced: DataDir) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.explore("users")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ExploreScreen)
        table = screen.query_one(VirtualTable)
        table.focus()
        await pilot.press("f")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FilterScreen)
        form.query_one("#filter-role", Select).value = "teacher"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen and screen.view is not None
        assert screen.view.filters.role == "teacher"
        rows = on_screen(table)
        assert table.total == len(rows) == 1 and rows[0][1] == "teacher"
        assert "role teacher" in str(screen.query_one("#explore-detail").render())
        await pilot.press("f")
        await settle(pilot)
        await pilot.press("escape")  # the form cancelled: the filter stays
        await settle(pilot)
        assert screen.view.filters.role == "teacher"
        await pilot.press("escape")  # on the page: clear
        await settle(pilot)
        assert not screen.view.filters.active() and table.total == 21


async def test_open_on_one_record(make_app: AppFactory, synced: DataDir) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("e")  # from Explore itself: Esc stays on Explore
        await settle(pilot)
        app.explore("students", "stu3")
        await settle(pilot)
        assert isinstance(app.screen, RecordScreen)
        assert app.screen.record is not None and app.screen.record.sourced_id == "stu3"
        await pilot.press("escape")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ExploreScreen) and screen.view is not None
        assert screen.view.search == "stu3"
        table = screen.query_one(VirtualTable)
        assert on_screen(table)[table.cursor_row][0] == "stu3"


async def test_enter_in_the_filter_form_applies_and_opens_nothing(
    make_app: AppFactory, synced: DataDir
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.explore("users")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ExploreScreen)
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, FilterScreen)
        app.screen.query_one("#filter-domain").focus()
        await pilot.press(*"lincoln.org", "enter")
        await settle(pilot)
        assert app.screen is screen  # not a record of the old table
        assert screen.view is not None and screen.view.filters.domain == "lincoln.org"
        assert screen.pager is not None and screen.pager.total == 1
        await pilot.press("f")
        await settle(pilot)
        app.screen.query_one("#filter-role", Select).value = "teacher"
        app.screen.query_one("#filter-role").focus()
        await pilot.press("tab")  # off the Select, onto the next field
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen and screen.view.filters.role == "teacher"
