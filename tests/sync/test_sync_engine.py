"""The sync engine over real bundles and a real SQLite store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from datasync_tui.status import collect
from datasync_tui.store import sqlite
from datasync_tui.sync import BusyError, SyncError, apply_held, discard_held, run_sync
from datasync_tui.sync.lock import FileLock
from tests.helpers.bundles import district, write_bundle
from tests.helpers.sync import connect_bundle, rows_of


def test_first_sync_loads_every_topic(tmp_path: Path, data_dir: Path) -> None:
    dd = connect_bundle(data_dir, write_bundle(tmp_path / "b.zip"))
    result = run_sync(dd)
    assert result.status == "succeeded", result.error
    doc = collect(dd)
    assert doc["counts"] == {
        "orgs": 2,
        "academicSessions": 2,
        "courses": 1,
        "classes": 4,
        "users": 21,
        "enrollments": 84,
        "demographics": 20,
    }
    assert doc["users_by_role"] == {"student": 20, "teacher": 1}
    assert doc["orgs_by_type"] == {"district": 1, "school": 1}
    assert result.changes["enrollments"] == {
        "added": 84,
        "updated": 0,
        "removed": 0,
        "rekeyed": 0,
        "unchanged": 0,
    }
    assert rows_of(dd, "SELECT teacher_count, student_count FROM classes WHERE sourcedId='k0'") == [
        (1, 20)
    ]
    # Lists are stored as JSON, booleans as integers, roles derived from users.csv.
    assert rows_of(dd, "SELECT termSourcedIds FROM classes WHERE sourcedId='k1'") == [('["t1"]',)]
    assert rows_of(dd, "SELECT enabledUser FROM users WHERE sourcedId='tch1'") == [(1,)]
    assert rows_of(dd, "SELECT orgSourcedId, role FROM roles WHERE userSourcedId='tch1'") == [
        ("s1", "teacher")
    ]


def test_passwords_are_never_stored(tmp_path: Path, data_dir: Path) -> None:
    dd = connect_bundle(data_dir, write_bundle(tmp_path / "b"))
    assert run_sync(dd).status == "succeeded"
    with sqlite.connect(dd.database) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    blob = dd.database.read_bytes()
    assert b"secret-pw" not in blob
    assert rows_of(dd, "SELECT count(*) FROM users WHERE extras LIKE '%password%'") == [(0,)]


def test_unchanged_resync_writes_nothing(tmp_path: Path, data_dir: Path) -> None:
    dd = connect_bundle(data_dir, write_bundle(tmp_path / "b"))
    run_sync(dd)
    second = run_sync(dd)
    assert second.status == "succeeded"
    for topic, counts in second.changes.items():
        assert counts["added"] == counts["updated"] == counts["removed"] == 0, topic
    assert second.changes["enrollments"]["unchanged"] == 84


def test_changed_row_is_updated_and_missing_rows_leave(tmp_path: Path, data_dir: Path) -> None:
    rows = district(students=40)
    bundle = write_bundle(tmp_path / "b", rows)
    dd = connect_bundle(data_dir, bundle)
    run_sync(dd)
    rows["users"][1][12] = "new.address@students.lincoln.org"
    removed = rows["enrollments"].pop()  # 1 of 164 enrollments: under the 10% threshold
    write_bundle(bundle, rows)
    result = run_sync(dd)
    assert result.status == "succeeded"
    assert result.changes["users"]["updated"] == 1
    assert result.changes["enrollments"]["removed"] == 1
    assert rows_of(dd, "SELECT email FROM users WHERE sourcedId='stu0'") == [
        ("new.address@students.lincoln.org",)
    ]
    assert rows_of(dd, "SELECT topic, sourcedId FROM sync_changes WHERE change = 'removed'") == [
        ("enrollments", removed[0])
    ]


def test_mass_removal_is_held_then_forced(tmp_path: Path, data_dir: Path) -> None:
    rows = district()
    bundle = write_bundle(tmp_path / "b", rows)
    dd = connect_bundle(data_dir, bundle)
    run_sync(dd)
    rows["enrollments"] = rows["enrollments"][:40]
    write_bundle(bundle, rows)
    held = run_sync(dd)
    assert held.status == "held"
    assert "enrollments: would remove 44 of 84" in held.held_because[0]
    assert collect(dd)["counts"]["enrollments"] == 84  # nothing applied
    assert collect(dd)["last_attempt"]["status"] == "held"
    forced = run_sync(dd, force=True)
    assert forced.status == "succeeded"
    assert collect(dd)["counts"]["enrollments"] == 40


def test_held_run_can_be_applied_or_discarded(tmp_path: Path, data_dir: Path) -> None:
    rows = district()
    bundle = write_bundle(tmp_path / "b", rows)
    dd = connect_bundle(data_dir, bundle)
    run_sync(dd)
    rows["users"] = rows["users"][:5]
    write_bundle(bundle, rows)
    held = run_sync(dd)
    assert held.status == "held"
    discard_held(dd, held.run_id)
    with pytest.raises(SyncError):
        apply_held(dd, held.run_id)
    assert collect(dd)["counts"]["users"] == 21
    held_again = run_sync(dd)
    applied = apply_held(dd, held_again.run_id)
    assert applied.status == "succeeded"
    assert collect(dd)["counts"]["users"] == 5


def test_first_sync_of_a_new_connection_is_never_held(tmp_path: Path, data_dir: Path) -> None:
    rows = district()
    dd = connect_bundle(data_dir, write_bundle(tmp_path / "a", rows))
    run_sync(dd)
    rows["enrollments"] = rows["enrollments"][:10]
    connect_bundle(data_dir, write_bundle(tmp_path / "b", rows))  # a new connection
    assert run_sync(dd).status == "succeeded"
    assert collect(dd)["counts"]["enrollments"] == 10


def test_duplicate_sourcedid_keeps_the_first(tmp_path: Path, data_dir: Path) -> None:
    rows = district()
    first = rows["enrollments"][3]
    rows["enrollments"].append([first[0], "", "", "k3", "s1", "stu9", "student", "", "", ""])
    dd = connect_bundle(data_dir, write_bundle(tmp_path / "b", rows))
    result = run_sync(dd)
    assert result.status == "succeeded"
    assert result.duplicates == 1
    assert rows_of(dd, f"SELECT classSourcedId FROM enrollments WHERE sourcedId='{first[0]}'") == [
        (first[3],)
    ]
    findings = rows_of(dd, "SELECT rule, topic, sourcedId FROM sync_findings")
    assert findings == [("duplicate-sourcedid", "enrollments", first[0])]
    # The duplicate again on an unchanged re-sync: still one finding, the first still kept.
    again = run_sync(dd)
    assert again.duplicates == 1
    assert rows_of(dd, f"SELECT classSourcedId FROM enrollments WHERE sourcedId='{first[0]}'") == [
        (first[3],)
    ]


def test_failure_keeps_the_last_good_data(tmp_path: Path, data_dir: Path) -> None:
    rows = district()
    bundle = write_bundle(tmp_path / "b", rows)
    dd = connect_bundle(data_dir, bundle)
    run_sync(dd)
    rows["users"][2][8] = "Changed"
    write_bundle(bundle, rows)
    enrollments = (bundle / "enrollments.csv").read_text()
    (bundle / "enrollments.csv").write_text(enrollments + 'e999,,,"k1,s1\n')  # unterminated
    result = run_sync(dd)
    assert result.status == "failed"
    assert "enrollments.csv" in (result.error or "")
    assert rows_of(dd, "SELECT givenName FROM users WHERE sourcedId='stu1'") == [("Ann1",)]
    attempt = collect(dd)["last_attempt"]
    assert attempt["status"] == "failed" and "enrollments.csv" in attempt["error"]
    assert collect(dd)["last_success_at"] is not None


def test_delta_applies_upserts_and_tobedeleted(tmp_path: Path, data_dir: Path) -> None:
    dd = connect_bundle(data_dir, write_bundle(tmp_path / "full"))
    run_sync(dd)
    delta = {
        "users": [
            [
                "stu0",
                "tobedeleted",
                "2026-11-01T10:00:00Z",
                "true",
                "s1",
                "student",
                "stu0",
                "",
                "Ann0",
                "Smith",
                "",
                "S0",
                "",
                "",
                "",
                "",
                "09",
                "",
            ],
            [
                "new1",
                "active",
                "2026-11-01",
                "true",
                "s1",
                "student",
                "new1",
                "",
                "Nia",
                "Ode",
                "",
                "N1",
                "nia@students.lincoln.org",
                "",
                "",
                "",
                "09",
                "",
            ],
        ],
        "orgs": [],
        "classes": [],
        "enrollments": [],
    }
    connect_bundle(data_dir, write_bundle(tmp_path / "delta", delta, mode="delta"))
    result = run_sync(dd, force=True)
    assert result.status == "succeeded", result.error
    assert result.changes["users"] == {
        "added": 1,
        "updated": 0,
        "removed": 1,
        "rekeyed": 0,
        "unchanged": 0,
    }
    assert collect(dd)["counts"]["users"] == 21  # 21 - 1 + 1; nothing else left
    assert collect(dd)["counts"]["enrollments"] == 84  # delta: missing rows stay


def test_second_writer_is_refused(tmp_path: Path, data_dir: Path) -> None:
    dd = connect_bundle(data_dir, write_bundle(tmp_path / "b"))
    with FileLock(dd.sync_lock), pytest.raises(BusyError):
        run_sync(dd)


def test_sync_run_records_counts(tmp_path: Path, data_dir: Path) -> None:
    dd = connect_bundle(data_dir, write_bundle(tmp_path / "b"))
    run_sync(dd)
    (counts,) = rows_of(dd, "SELECT counts FROM sync_runs")[0]
    assert json.loads(counts)["classes"]["added"] == 4


def test_held_run_keeps_a_topic_that_was_empty_before(tmp_path: Path, data_dir: Path) -> None:
    rows = district()
    demographics = rows.pop("demographics")
    bundle = write_bundle(tmp_path / "b", rows)
    dd = connect_bundle(data_dir, bundle)
    run_sync(dd)
    rows["demographics"] = demographics  # new topic: loaded straight into its empty table …
    rows["enrollments"] = rows["enrollments"][:20]  # … while another topic is held
    write_bundle(bundle, rows)
    held = run_sync(dd)
    assert held.status == "held"
    assert collect(dd)["counts"]["demographics"] == 0
    assert rows_of(dd, "SELECT count(*) FROM demographics") == [(0,)]
    applied = apply_held(dd, held.run_id)
    assert applied.status == "succeeded"
    assert collect(dd)["counts"]["demographics"] == 20
    assert collect(dd)["counts"]["enrollments"] == 20


def test_a_failed_sync_keeps_an_earlier_held_run(tmp_path: Path, data_dir: Path) -> None:
    rows = district()
    bundle = write_bundle(tmp_path / "b", rows)
    dd = connect_bundle(data_dir, bundle)
    run_sync(dd)
    rows["enrollments"] = rows["enrollments"][:20]
    write_bundle(bundle, rows)
    held = run_sync(dd)
    (bundle / "orgs.csv").write_bytes(b"sourcedId,status\n\xff\n")
    assert run_sync(dd).status == "failed"
    assert apply_held(dd, held.run_id).status == "succeeded"
    assert collect(dd)["counts"]["enrollments"] == 20


def test_a_retired_index_is_dropped_when_the_store_opens(tmp_path: Path, data_dir: Path) -> None:
    from datasync_tui.store.db import connect

    dd = connect_bundle(data_dir, write_bundle(tmp_path / "b.zip"))
    assert run_sync(dd).status == "succeeded"
    with sqlite.connect(dd.database) as db:  # as a store of an older version has it
        db.execute("CREATE INDEX users_primary_role ON users (primary_role)")
    connect(dd.database).close()
    names = {r[0] for r in rows_of(dd, "SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "users_primary_role" not in names and "users_role_name" in names


@pytest.mark.parametrize("mode", ["bulk", "delta"])
def test_a_tobedeleted_record_is_removed_once(tmp_path: Path, data_dir: Path, mode: str) -> None:
    rows = district(students=40)
    bundle = write_bundle(tmp_path / "b", rows)
    dd = connect_bundle(data_dir, bundle)
    run_sync(dd)
    rows["users"][3][1] = "tobedeleted"  # stu2: still sent, marked deleted
    if mode == "delta":
        rows = {"users": [rows["users"][3]]}
    connect_bundle(data_dir, write_bundle(tmp_path / mode, rows, mode=mode))
    result = run_sync(dd, force=True)
    assert result.status == "succeeded", result.error
    assert result.changes["users"]["removed"] == 1
    assert result.changes["roles"]["removed"] == 1
    assert rows_of(
        dd, "SELECT topic, sourcedId FROM sync_changes WHERE change = 'removed' ORDER BY topic"
    ) == [
        ("roles", "stu2:s1:student"),
        ("users", "stu2"),
    ]
