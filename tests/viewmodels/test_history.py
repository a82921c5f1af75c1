"""The history's reads without Textual: the change pager at any position, filters and counts,
where a changed record opens in Explore, and what a rollback would undo."""

from __future__ import annotations

from pathlib import Path

import pytest

from datasync_tui import history
from datasync_tui.paths import DataDir
from datasync_tui.store import sqlite
from datasync_tui.sync import run_sync
from datasync_tui.viewmodels.history.pager import STEP, ChangePager, fitted_columns
from datasync_tui.viewmodels.history.view import (
    explore_target,
    kind_choices,
    load_overview,
    rollback_preview,
    topic_choices,
)
from tests.helpers.bundles import district, write_bundle
from tests.helpers.sync import connect_bundle, held_sync, two_syncs


def ids(pager: ChangePager, start: int, count: int) -> list[int]:
    """The change ids the pager gives for those positions."""
    return [row.rowid for row in pager.rows(start, count)]


@pytest.fixture
def big(tmp_path: Path, data_dir: Path) -> DataDir:
    """One first sync of about 2,900 records: several checkpoints' worth of changes."""
    dd = connect_bundle(data_dir, write_bundle(tmp_path / "b", district(students=600, classes=8)))
    assert run_sync(dd).status == "succeeded"
    return dd


NARROWED = [
    (None, None),
    ("enrollments", None),
    (None, "added"),
    ("demographics", "added"),
    ("users", "updated"),
]


@pytest.mark.parametrize(("topic", "kind"), NARROWED)
def test_the_pager_gives_every_position_as_the_log_has_it(
    big: DataDir, topic: str | None, kind: str | None
) -> None:
    conn = sqlite.reader(big.database)
    run = history.run(conn, 1)
    assert run is not None
    expected = [c.id for c in history.iter_changes(conn, 1, topic, kind)]
    pager = ChangePager(conn, run, topic, kind)
    assert pager.total == len(expected)  # the run's figures are the log's
    if not expected:
        assert pager.rows(0, 10) == []
        return
    n = len(expected)
    probes = [0, n - 7, n // 2, STEP - 3, n // 3, 1]
    for start in probes:  # before the checkpoints: from either end, from known ids, by offset
        assert ids(pager, start, 9) == expected[max(start, 0) : start + 9], start
    assert pager.gather_checkpoints(sqlite.reader(big.database))
    assert pager.total == n and len(pager.checkpoints or []) == (n + STEP - 1) // STEP
    fresh = ChangePager(conn, run, topic, kind)
    fresh.gather_checkpoints(sqlite.reader(big.database))
    for start in [n - 1, n // 2 + 1, STEP, 2 * STEP - 1]:  # from the checkpoints
        assert ids(fresh, start, 5) == expected[start : start + 5], start
    assert ids(fresh, n, 5) == []


def test_rows_say_what_changed_and_the_columns_fit_them(tmp_path: Path, data_dir: Path) -> None:
    dd, _, _ = two_syncs(tmp_path, data_dir)
    conn = sqlite.reader(dd.database)
    run = history.run(conn, 2)
    assert run is not None
    pager = ChangePager(conn, run, "users")
    rows = pager.rows(0, 10)
    assert [r.cells[:3] for r in rows] == [
        ("Users", "re-keyed", "stu3-r1"),
        ("Users", "added", "n1"),
        ("Users", "updated", "stu0"),
        ("Users", "updated", "stu1"),
        ("Users", "updated", "stu5"),
    ]
    assert rows[1].cells[3] == "Nia Smith · n1@x.org"  # an added record, from the store
    columns = fitted_columns(rows)
    assert columns[-1].width == max(len(r.cells[3]) for r in rows)
    change = pager.change(rows[0].rowid)
    assert change is not None and change.previous_sourcedId == "stu3"
    assert change.row is not None and change.row["sourcedId"] == "stu3"


def test_filters_list_only_what_the_sync_changed(tmp_path: Path, data_dir: Path) -> None:
    dd, _, _ = two_syncs(tmp_path, data_dir)
    run = load_overview(dd).run(2)
    assert run is not None
    assert topic_choices(run, None) == [
        (None, "Every topic (14)"),
        ("classes", "Classes (1)"),
        ("users", "Users (5)"),
        ("roles", "Roles (3)"),
        ("enrollments", "Enrollments (5)"),
    ]
    assert kind_choices(run, "users") == [
        (None, "Every kind (5)"),
        ("added", "added (1)"),
        ("updated", "updated (3)"),
        ("rekeyed", "re-keyed (1)"),
    ]
    assert topic_choices(run, "removed") == [
        (None, "Every topic (2)"),
        ("roles", "Roles (1)"),
        ("enrollments", "Enrollments (1)"),
    ]


def test_a_changed_record_opens_where_explore_lists_it(tmp_path: Path, data_dir: Path) -> None:
    dd, rows, bundle = two_syncs(tmp_path, data_dir)
    conn = sqlite.reader(dd.database)
    run = history.run(conn, 2)
    assert run is not None
    found = {(c.topic, c.sourcedId): c for c in history.iter_changes(conn, 2)}
    user = explore_target(dd, run, found[("users", "stu3-r1")])
    assert (user.entry, user.sourced_id) == ("users", "stu3-r1")
    role = explore_target(dd, run, found[("roles", "n1:s1:student")])
    assert (role.entry, role.sourced_id) == ("users", "n1")  # a role opens its user
    klass = explore_target(dd, run, found[("classes", "k0")])
    assert (klass.entry, klass.sourced_id) == ("classes", "k0")
    gone = next(c for c in found.values() if c.topic == "enrollments" and c.change == "removed")
    said = explore_target(dd, run, gone)
    assert said.entry is None and said.reason == (
        f"{gone.sourcedId} was removed by sync #2: it is not in the store now"
    )
    held = held_sync(dd, rows, bundle)
    held_run = history.run(conn, held)
    assert held_run is not None and held_run.held
    removal = next(history.iter_changes(conn, held, "users"))
    still = explore_target(dd, held_run, removal)  # held: the record is still in the store
    assert (still.entry, still.sourced_id) == ("users", removal.sourcedId)


def test_the_rollback_preview_says_what_it_undoes(tmp_path: Path, data_dir: Path) -> None:
    dd, rows, bundle = two_syncs(tmp_path, data_dir)
    held = held_sync(dd, rows, bundle)
    preview = rollback_preview(dd, 1)
    assert preview.error is None and preview.held == held
    assert [r.id for r in preview.undone] == [2] and preview.run is not None
    assert rollback_preview(dd, 2).undone == []  # the state now: nothing to undo
    assert rollback_preview(dd, held).error == f"sync #{held} was never applied as it stands " + (
        "(it was held)"
    )
    assert "there is no sync #9" in (rollback_preview(dd, 9).error or "")


def test_pruned_syncs_are_said_as_such(tmp_path: Path, data_dir: Path) -> None:
    rows = district()
    bundle = write_bundle(tmp_path / "b", rows)
    dd = connect_bundle(data_dir, bundle, keep_syncs="2")
    for k in range(4):
        rows["users"][1][8] = f"Ann{k}"
        write_bundle(bundle, rows)
        run_sync(dd)
    runs = load_overview(dd).runs
    assert [(r.id, r.pruned, r.has_log) for r in runs] == [
        (4, False, True),
        (3, False, True),
        (2, True, False),
        (1, True, False),
    ]
    conn = sqlite.reader(dd.database)
    with pytest.raises(history.HistoryError, match="were pruned"):
        history.checked_run(conn, 1)
