"""The daily digest from a known history: two syncs a day apart, the second with new errors."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from datasync_tui.alerts.digest import digest_event
from datasync_tui.store import sqlite
from datasync_tui.sync import run_sync
from tests.helpers.alerts import connect
from tests.helpers.bundles import district, write_bundle


def history(tmp_path: Path, data_dir: Path) -> None:
    """Sync #1 (20 students) yesterday at 02:00; sync #2 (22 students, 2 without email,
    one class without its teacher) today at 02:00."""
    bundle = write_bundle(tmp_path / "b")
    dd = connect(data_dir, bundle)
    assert run_sync(dd).status == "succeeded"
    rows = district(students=22)
    rows["users"][1][12] = rows["users"][2][12] = ""
    rows["enrollments"] = [e for e in rows["enrollments"] if (e[3], e[5]) != ("k3", "tch1")]
    write_bundle(bundle, rows)
    assert run_sync(dd).status == "succeeded"
    with sqlite.connect(data_dir / "datasync.db") as db:
        db.execute("UPDATE sync_runs SET finished_at = '2026-11-27T02:00:41Z' WHERE id = 1")
        db.execute("UPDATE sync_runs SET finished_at = '2026-11-28T02:00:41Z' WHERE id = 2")


def test_digest_content(tmp_path: Path, data_dir: Path) -> None:
    history(tmp_path, data_dir)
    with sqlite.connect(data_dir / "datasync.db") as conn:
        event = digest_event(
            conn,
            now=datetime(2026, 11, 28, 7, 0, tzinfo=UTC),
            zone=UTC,
            next_run="2026-11-29 02:00 UTC",
            notes=["Adds-only window until 2026-12-20: removals are held."],
            where=str(data_dir),
            host="sis-box",
        )
    assert event.kind == "digest"
    assert event.subject == "daily digest: 22 students, 3 open errors (3 new)"
    body = event.body
    assert body.startswith("DataSync daily digest, 2026-11-28 07:00 UTC.\n")
    assert "Last sync: #2 succeeded 2026-11-28 02:00 UTC\n" in body
    assert "Next sync: 2026-11-29 02:00 UTC\n" in body
    assert "Adds-only window until 2026-12-20: removals are held.\n" in body
    assert (
        "Counts (change since yesterday):\n"
        "- Students: 22 (+2)\n"
        "- Teachers: 1 (=)\n"
        "- Other staff: 0 (=)\n"
        "- Schools: 1 (=)\n"
        "- Terms: 2 (=)\n"
        "- Courses: 1 (=)\n"
        "- Classes: 4 (=)\n"
        "- Enrollments: 91 (+7)\n"
    ) in body
    assert (
        "Open issues by rule (new / resolved in the last day):\n"
        "- user-without-email (error): 2 open, +2 new, -0 resolved\n"
        "- class-without-teacher (error): 1 open, +1 new, -0 resolved\n"
    ) in body
    assert "Google Classroom dry run:\n- 3 classes created, 1 skipped\n" in body
    assert "- 2 users would fail\n" in body
    assert f"Data dir: {data_dir}\nHost: sis-box\n" in body
    assert event.detail["counts_yesterday"]["Students"] == 20
    assert event.detail["issues"]["user-without-email"] == {"open": 2, "new": 2, "resolved": 0}


def test_a_day_later_nothing_is_new(tmp_path: Path, data_dir: Path) -> None:
    history(tmp_path, data_dir)
    with sqlite.connect(data_dir / "datasync.db") as conn:
        event = digest_event(
            conn,
            now=datetime(2026, 11, 29, 7, 0, tzinfo=UTC),  # no sync in the last day
            zone=UTC,
            next_run="-",
            notes=[],
            where=str(data_dir),
            host="sis-box",
        )
    assert "- Students: 22 (=)" in event.body  # yesterday's figures are today's
    assert "- user-without-email (error): 2 open, +0 new, -0 resolved" in event.body
    assert event.subject == "daily digest: 22 students, 3 open errors"
