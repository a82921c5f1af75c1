"""The adds-only window: removals held back, additions and updates applied, until the date."""

from __future__ import annotations

from pathlib import Path

from datasync_tui.adds_only import RemovalHold, active_until, removal_decision
from datasync_tui.status import collect
from datasync_tui.store import sqlite
from datasync_tui.sync import run_sync
from tests.helpers.alerts import connect
from tests.helpers.bundles import district, write_bundle

WINDOW = {"adds_only_until": "2026-12-20"}


def test_the_decision_is_a_pure_rule() -> None:
    assert removal_decision({"users": 3, "enrollments": 0}, WINDOW, "2026-12-20") == RemovalHold(
        True,
        "adds-only window until 2026-12-20: 3 removal(s) held (users 3); "
        "additions and updates applied",
    )
    assert removal_decision({"users": 3}, WINDOW, "2026-12-21") == RemovalHold(False)  # over
    assert removal_decision({"users": 0}, WINDOW, "2026-12-01") == RemovalHold(False)  # nothing
    assert removal_decision({"users": 3}, {}, "2026-12-01") == RemovalHold(False)  # no window
    assert active_until(WINDOW, "2026-11-28") == "2026-12-20"
    assert active_until({"adds_only_until": ""}, "2026-11-28") is None


def ids(data_dir: Path, table: str) -> set[str]:
    """The sourcedIds in a live table."""
    with sqlite.connect(data_dir / "datasync.db") as db:
        return {r[0] for r in db.execute(f"SELECT sourcedId FROM {table}")}


def test_a_window_holds_removals_and_applies_the_rest(tmp_path: Path, data_dir: Path) -> None:
    bundle = write_bundle(tmp_path / "b")
    dd = connect(data_dir, bundle, **WINDOW)  # the tests' today is 2026-11-28
    assert run_sync(dd).status == "succeeded"
    rows = district(students=10)  # ten students (and their enrollments) leave: 50%
    rows["users"].append(
        [*rows["users"][1][:12], "new@students.lincoln.org", *rows["users"][1][13:]]
    )
    rows["users"][-1][0] = "stu-new"
    rows["users"][1][9] = "Smythe"  # an update
    write_bundle(bundle, rows)
    result = run_sync(dd)
    assert result.status == "succeeded"  # not held: nothing is removed
    assert result.changes["users"] == {
        "added": 1,
        "updated": 1,
        "removed": 0,
        "rekeyed": 0,
        "unchanged": 10,
    }
    assert result.changes["enrollments"]["removed"] == 0
    assert result.warnings == [
        "adds-only window until 2026-12-20: 70 removal(s) held (users 10, roles 10, "
        "enrollments 40, demographics 10); additions and updates applied"
    ]
    users = ids(data_dir, "users")
    assert "stu-new" in users and "stu15" in users  # added, and the leaver kept
    with sqlite.connect(data_dir / "datasync.db") as db:
        assert db.execute("SELECT familyName FROM users WHERE sourcedId='stu0'").fetchone() == (
            "Smythe",
        )
    window = collect(dd)["window"]
    assert window["adds_only_until"] == "2026-12-20" and window["held_run"] == result.run_id
    assert window["held_removals"]["users"] == 10
    assert window["held_removals"]["enrollments"] == 40


def test_after_the_window_removals_apply_again(tmp_path: Path, data_dir: Path) -> None:
    bundle = write_bundle(tmp_path / "b")
    dd = connect(data_dir, bundle, adds_only_until="2026-11-27")  # ended yesterday
    assert run_sync(dd).status == "succeeded"
    write_bundle(bundle, district(students=19))
    result = run_sync(dd)
    assert result.status == "succeeded" and result.changes["users"]["removed"] == 1
    assert "stu19" not in ids(data_dir, "users")
    assert collect(dd)["window"] is None


def test_force_applies_removals_even_in_a_window(tmp_path: Path, data_dir: Path) -> None:
    bundle = write_bundle(tmp_path / "b")
    dd = connect(data_dir, bundle, **WINDOW)
    run_sync(dd)
    write_bundle(bundle, district(students=19))
    result = run_sync(dd, force=True)
    assert result.status == "succeeded" and result.changes["users"]["removed"] == 1
    assert "stu19" not in ids(data_dir, "users")
