"""Explore through Pilot: the table pages, searches, filters, opens records and domains."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from datasync_tui.paths import DataDir
from datasync_tui.ui.explore.domains import DomainsScreen
from datasync_tui.ui.explore.record import RecordScreen
from datasync_tui.ui.explore.screen import ExploreScreen
from datasync_tui.ui.validations.dialogs import ExportDialog
from datasync_tui.ui.widgets.virtual_table import VirtualTable
from tests.helpers.app import AppFactory, settle


def shown(app: object) -> list[tuple[str, ...]]:
    """The rows the table holds, in position order."""
    table = app.screen.query_one(VirtualTable)  # type: ignore[attr-defined]
    return [table.cache[i].cells for i in sorted(table.cache)]


async def test_students_table_pages_and_opens_a_record(
    make_app: AppFactory, synced: DataDir
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.explore("students")
        await settle(pilot)
        assert isinstance(app.screen, ExploreScreen)
        table = app.screen.query_one(VirtualTable)
        assert table.total == 20
        rows = shown(app)
        assert len(rows) == 20 and all(r[1] == "student" for r in rows)
        table.focus()
        await pilot.press("end")
        await settle(pilot)
        assert table.cursor_row == 19
        await pilot.press("home", "enter")
        await settle(pilot)
        assert isinstance(app.screen, RecordScreen)
        record = app.screen.record
        assert record is not None and record.sourced_id == rows[0][0]
        kinds = {r.kind for r in record.related}
        assert {"School", "Class"} <= kinds
        await pilot.press("enter")  # the first related record (its school)
        await settle(pilot)
        assert isinstance(app.screen, RecordScreen) and app.screen.record is not None
        await pilot.press("escape", "escape")
        await settle(pilot)
        assert isinstance(app.screen, ExploreScreen)


async def test_search_and_domains(make_app: AppFactory, synced: DataDir) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.explore("users")
        await settle(pilot)
        screen = app.screen
        table = screen.query_one(VirtualTable)
        first = shown(app)[0]
        await pilot.press("slash", *first[0][:4])
        await settle(pilot)
        assert screen.view is not None and screen.view.search == first[0][:4]
        assert first in shown(app)
        await pilot.press("escape")
        await settle(pilot)
        table.focus()
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, DomainsScreen)
        summary = app.screen.summary
        assert summary is not None and summary.rows
        domain = summary.rows[0].domain
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ExploreScreen)
        assert app.screen.view.filters.domain == domain
        assert all(r[4].lower().endswith("@" + domain) for r in shown(app))
        assert table.total == summary.rows[0].total


async def test_export_writes_the_view(make_app: AppFactory, synced: DataDir) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.explore("teachers")
        await settle(pilot)
        app.screen.query_one(VirtualTable).focus()
        await pilot.press("x")  # asks where, like the Validations export
        await settle(pilot)
        assert isinstance(app.screen, ExportDialog)
        field = app.screen.query_one(Input)
        assert field.value.startswith("data/exports/explore-teachers-")
        assert field.value.endswith(".csv") and field.cursor_position == len(field.value)
        await pilot.press("enter")
        await settle(pilot)
        assert any("Exported 1 row to" in n.message for n in app._notifications)
    files = list(Path(synced.exports).glob("explore-teachers-*.csv"))
    assert len(files) == 1
    text = files[0].read_bytes()
    assert text.startswith(b"\xef\xbb\xbf")
    assert len(text.decode("utf-8-sig").splitlines()) == 2  # header and the one teacher
