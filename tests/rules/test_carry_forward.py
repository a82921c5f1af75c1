"""A re-sync that changed nothing carries the rules' results forward, unless anything differs."""

from __future__ import annotations

from pathlib import Path

import pytest

from datasync_tui.paths import DataDir
from datasync_tui.store import config, sqlite
from datasync_tui.sync import run_sync
from tests.helpers.bundles import district, write_bundle


def connected(tmp_path: Path, **settings: str) -> DataDir:
    """A data dir connected to a bundle with issues (a user without email, a duplicate)."""
    rows = district(students=30)
    rows["users"][3][12] = ""
    rows["enrollments"].append(list(rows["enrollments"][2]))
    dd = DataDir(tmp_path / "home")
    bundle = write_bundle(tmp_path / "b", rows)
    config.save(dd, config.Connection("oneroster-csv", None, {"path": str(bundle), **settings}))
    return dd


def results(dd: DataDir, run_id: int) -> tuple[list[tuple], list[tuple], float]:
    """A run's per-rule figures, its issues, and how long its evaluation took."""
    with sqlite.connect(dd.database) as db:
        figures = db.execute(
            "SELECT rule, count, new, resolved, skipped FROM validation_results "
            "WHERE run_id = ? ORDER BY rule",
            (run_id,),
        ).fetchall()
        issues = db.execute(
            "SELECT rule, topic, sourcedId, field, value, message, is_new "
            "FROM validation_issues WHERE run_id = ? ORDER BY id",
            (run_id,),
        ).fetchall()
        seconds = db.execute(
            "SELECT seconds FROM validation_runs WHERE run_id = ?", (run_id,)
        ).fetchone()[0]
    return figures, issues, seconds


def test_an_unchanged_resync_carries_the_results_forward(tmp_path: Path) -> None:
    dd = connected(tmp_path)
    first = run_sync(dd)
    again = run_sync(dd)
    assert again.status == "succeeded" and not any(
        c["added"] or c["updated"] or c["removed"] for c in again.changes.values()
    )
    figures, issues, seconds = results(dd, first.run_id)
    carried, carried_issues, carried_seconds = results(dd, again.run_id)
    assert {f[0] for f in figures if f[1]} >= {"user-without-email", "duplicate-sourcedid"}
    assert carried == [(rule, count, 0, 0, skipped) for rule, count, _, _, skipped in figures]
    assert carried_issues == [(*i[:-1], 0) for i in issues]
    assert seconds > 0 and carried_seconds == 0  # copied, not evaluated


def evaluated_again(dd: DataDir) -> bool:
    """Sync again; True when the rules were evaluated (not carried forward)."""
    result = run_sync(dd)
    assert result.status == "succeeded"
    return results(dd, result.run_id)[2] > 0


def test_another_day_evaluates_again(tmp_path: Path) -> None:
    dd = connected(tmp_path)
    run_sync(dd)
    with sqlite.connect(dd.database) as db:
        db.execute("UPDATE validation_runs SET today = '2000-01-01'")
    assert evaluated_again(dd)


def test_other_email_domains_evaluate_again(tmp_path: Path) -> None:
    dd = connected(tmp_path)
    run_sync(dd)
    conn = config.load(dd)
    assert conn is not None
    conn.settings["email_domains"] = "lincoln.org"
    config.save(dd, conn)
    assert evaluated_again(dd)


def test_other_rules_evaluate_again(tmp_path: Path) -> None:
    dd = connected(tmp_path)
    run_sync(dd)
    with sqlite.connect(dd.database) as db:
        db.execute("UPDATE meta SET value = 'older rules' WHERE key = 'rules_code'")
    assert evaluated_again(dd)


@pytest.mark.parametrize("change", ["data", "nothing"])
def test_changed_data_evaluates_again(tmp_path: Path, change: str) -> None:
    dd = connected(tmp_path)
    run_sync(dd)
    if change == "data":
        rows = district(students=31)
        bundle = write_bundle(tmp_path / "b2", rows)
        conn = config.load(dd)
        assert conn is not None
        conn.settings["path"] = str(bundle)
        config.save(dd, conn)
    assert evaluated_again(dd) is (change == "data")
