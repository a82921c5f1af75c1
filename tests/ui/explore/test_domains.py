"""The email-domain breakdown (m): exact counts of any width, outsiders flagged whole, and each
row's drill-down listing exactly the users that row counts."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from datasync_tui.paths import DataDir
from datasync_tui.store import config, sqlite
from datasync_tui.ui.explore.domains import DomainsScreen
from datasync_tui.ui.explore.screen import ExploreScreen
from datasync_tui.viewmodels.explore import Filters, View, domain_summary, open_view, reader
from datasync_tui.viewmodels.explore.topics import NO_EMAIL
from tests.helpers.app import SIZES, AppFactory, no_blink, settle

BIG = 12_345  # a 5-digit count
ODD_EMAILS = ["ann", "bob", "carl", "dee@", "Eve@Students.Lincoln.ORG", " fay@lincoln.org "]


def add_users(data_dir: DataDir) -> None:
    """Many students in one domain, teachers outside the district, emails without an @."""
    conn = sqlite.connect(data_dir.database)
    rows = [(f"big{i}", f"s{i}@big.lincoln.org", "student") for i in range(BIG)]
    rows += [(f"gm{i}", f"t{i}@gmail.com", "teacher") for i in range(42)]
    rows += [(f"odd{i}", email, "student") for i, email in enumerate(ODD_EMAILS)]
    with conn:
        conn.executemany(
            "INSERT INTO users (sourcedId, email, role, primary_role, status) "
            "VALUES (?, ?, ?, ?, 'active')",
            [(sid, email, role, role) for sid, email, role in rows],
        )
    conn.close()
    saved = config.load(data_dir)
    assert saved is not None
    saved.settings["email_domains"] = "lincoln.org"
    config.save(data_dir, saved)


@pytest.fixture
def many(synced: DataDir) -> DataDir:
    """The synced district with 12,401 more users of every kind of email."""
    add_users(synced)
    return synced


def users_listed(data_dir: DataDir, domain: str) -> int:
    """How many users Explore lists for a domain row."""
    pager = open_view(reader(data_dir.database), View("users", filters=Filters(domain=domain)))
    try:
        return pager.total
    finally:
        pager.close()


def test_every_row_lists_exactly_the_users_it_counts(many: DataDir) -> None:
    summary = domain_summary(reader(many.database), "lincoln.org")
    rows = {r.domain: r.total for r in summary.rows}
    assert rows["(no @)"] == 3 and rows["big.lincoln.org"] == BIG and rows["gmail.com"] == 42
    assert "" in rows  # "dee@": nothing after the @
    rows[NO_EMAIL] = summary.no_email_total
    for domain, total in rows.items():
        assert users_listed(many, domain) == total, domain


@pytest.mark.parametrize("size", SIZES)
def test_breakdown_counts_are_whole(
    snap_compare, make_app: AppFactory, many: DataDir, size: tuple[int, int]
) -> None:
    async def run(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        no_blink(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_cells_hold_every_digit_and_the_flag(
    make_app: AppFactory, many: DataDir, size: tuple[int, int]
) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DomainsScreen)
        table = screen.query_one(DataTable)
        pad = 2 * table.cell_padding
        widths = [c.get_render_width(table) - pad for c in table.columns.values()]
        for row in range(table.row_count):
            for cell, width in zip(table.get_row_at(row), widths, strict=True):
                assert len(str(cell)) <= width, (cell, width)
        cells = {
            table.get_row_at(r)[0].strip(): table.get_row_at(r) for r in range(table.row_count)
        }
        assert cells["big.lincoln.org"][1].strip() == "12,345"
        assert cells["gmail.com"][2].strip() == "42" and cells["gmail.com"][-1] == "← outside"
        assert cells["lincoln.org"][2].strip() == "1"
        assert table.size.width <= size[0]
        assert sum(widths) + pad * len(widths) <= table.size.width


async def test_enter_on_no_at_lists_those_users(make_app: AppFactory, many: DataDir) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        keys = [table.coordinate_to_cell_key((r, 0)).row_key.value for r in range(table.row_count)]
        table.move_cursor(row=keys.index("(no @)"))
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ExploreScreen) and screen.pager is not None
        assert screen.pager.total == 3
        assert {r.cells[0] for r in screen.pager.rows(0, 3)} == {"odd0", "odd1", "odd2"}
