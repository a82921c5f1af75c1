"""Paging a 10k-row topic shows every row exactly once, in order, both ways, on every sort."""

from __future__ import annotations

from pathlib import Path

import pytest

from datasync_tui.paths import DataDir
from datasync_tui.store import sqlite
from datasync_tui.viewmodels.explore import View, open_view, reader
from datasync_tui.viewmodels.explore.pager import STEP
from datasync_tui.viewmodels.explore.topics import SPECS
from tests.helpers.app import connect_and_sync
from tests.helpers.bundles import district, write_bundle


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of 10,000 students (and their teachers, classes and enrollments)."""
    root = tmp_path_factory.mktemp("big")
    data = DataDir(root / "data")
    connect_and_sync(data, write_bundle(root / "big.zip", district(students=10_000, classes=8)))
    return data.database


def truth(conn: sqlite.Connection, view: View) -> list[int]:
    """Every rowid of the view in its order, read in one plain query."""
    sort = view.spec.sort(view.sort)
    way = "DESC" if view.descending else "ASC"
    order = ", ".join(f"{k} {way}" for k in sort.keys)
    return [r for (r,) in conn.execute(f"SELECT rowid FROM {view.spec.table} ORDER BY {order}")]


@pytest.mark.parametrize("sort", [s.id for s in SPECS["users"].sorts])
@pytest.mark.parametrize("descending", [False, True])
def test_every_row_once_in_order_both_ways(big: Path, sort: str, descending: bool) -> None:
    conn = reader(big)
    view = View("users", sort=sort, descending=descending)
    expected = truth(conn, view)
    assert len(expected) >= 10_000
    page = 37
    forward = open_view(conn, view)
    assert forward.total == len(expected) and not forward.materialized
    seen = []
    for start in range(0, forward.total, page):
        seen += [r.rowid for r in forward.rows(start, page)]
    assert seen == expected
    backward = open_view(conn, view)
    seen = []
    for end in range(backward.total, 0, -page):
        seen = [r.rowid for r in backward.rows(max(0, end - page), min(page, end))] + seen
    assert seen == expected


def test_jumps_anywhere_from_checkpoints(big: Path) -> None:
    conn = reader(big)
    view = View("users")
    expected = truth(conn, view)
    pager = open_view(conn, view)
    assert pager.gather_checkpoints(reader(big))
    assert pager.total == len(expected) and len(pager.checkpoints or []) > 10
    for start in (1, STEP - 1, STEP, STEP + 1, 5_000, len(expected) // 2 + 7, len(expected) - 3):
        assert [r.rowid for r in pager.rows(start, 20)] == expected[start : start + 20]


def test_pages_use_an_index(big: Path) -> None:
    conn = reader(big)
    for topic, spec in SPECS.items():
        for sort in spec.sorts:
            if sort.expr is None:
                continue
            plan = " ".join(
                str(r[-1])
                for r in conn.execute(
                    f"EXPLAIN QUERY PLAN SELECT rowid FROM {spec.table} "
                    f"ORDER BY {', '.join(sort.keys)} LIMIT 40"
                )
            )
            assert "USING" in plan and "TEMP B-TREE" not in plan, (topic, sort.id, plan)
