"""Loading the largest topic in a second process gives the very store an in-process load gives."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from connectors.base import SyncState
from datasync_tui.paths import DataDir
from datasync_tui.store import sqlite
from datasync_tui.store.db import connect
from datasync_tui.store.models import TABLES
from datasync_tui.sync import run_sync, side_load
from datasync_tui.sync.rows import NULL_CELL
from datasync_tui.sync.side_load import SideLoad, stage_path
from tests.bundles import district, write_bundle
from tests.test_sync_engine import connect_bundle

TOPIC_TABLES = sorted(set(TABLES.values()))


def dump(dd: DataDir) -> dict[str, list[tuple]]:
    """Every topic table's rows with their rowids, and the findings of the sync."""
    with sqlite.connect(dd.database) as db:
        out = {
            t: db.execute(f'SELECT rowid, * FROM "{t}" ORDER BY rowid').fetchall()
            for t in TOPIC_TABLES
        }
        out["findings"] = db.execute(
            "SELECT topic, sourcedId, message FROM sync_findings ORDER BY id"
        ).fetchall()
        out["validation"] = db.execute(
            "SELECT rule, severity, count, new, resolved, skipped FROM validation_results "
            "ORDER BY rule"
        ).fetchall()
        out["issues"] = db.execute(
            "SELECT rank, rule, topic, sourcedId, field, value, message, is_new "
            "FROM validation_issues ORDER BY id"
        ).fetchall()
        return out


def messy_district() -> dict[str, list[list[str]]]:
    """A district whose enrollments repeat a sourcedId and carry odd values, with issues for
    rules that read enrollments and for rules that do not."""
    rows = district(students=60, classes=7)
    rows["users"][4][12] = ""  # user-without-email
    rows["enrollments"] = [e for e in rows["enrollments"] if e[3] != "k6" or e[6] != "teacher"]
    first = rows["enrollments"][3]
    rows["enrollments"].append([first[0], "", "", "k3", "s1", "stu9", "student", "", "", ""])
    rows["enrollments"][5][1:3] = ["Active", "2026-09-01 08:00:00"]
    rows["enrollments"][6][7:10] = ["TRUE", "2026-08-15", "2027-06-10T00:00:00Z"]
    return rows


def test_side_load_gives_the_same_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, counted_side_loads: list[str]
) -> None:
    monkeypatch.delenv("DATASYNC_SIDE_LOAD_MIN_BYTES", raising=False)
    bundle = write_bundle(tmp_path / "b.zip", messy_district())
    here = connect_bundle(tmp_path / "here", bundle)
    in_process = run_sync(here)
    assert in_process.status == "succeeded"
    assert counted_side_loads == []  # a small bundle loads in one process

    import datasync_tui.rules as rules

    early: list[object] = []
    original = rules.before_sync_ends
    monkeypatch.setattr(
        rules, "before_sync_ends", lambda *a: early.append(original(*a)) or early[-1]
    )
    monkeypatch.setenv("DATASYNC_SIDE_LOAD_MIN_BYTES", "1")
    aside = connect_bundle(tmp_path / "aside", bundle)
    result = run_sync(aside)
    assert result.status == "succeeded", result.error
    assert counted_side_loads == ["enrollments"]
    assert result.duplicates == 1
    assert result.changes == in_process.changes  # the same figures, topics in the same order
    assert list(result.changes) == list(in_process.changes)
    # The rules that do not read enrollments ran while they loaded aside.
    assert len(early) == 1 and isinstance(early[0], rules.Evaluation)
    assert "user-without-email" in early[0].counts
    assert "class-without-teacher" not in early[0].counts
    stored = dump(aside)
    assert stored == dump(here)
    found = {rule for rule, _, count, *_ in stored["validation"] if count}
    assert {"user-without-email", "class-without-teacher", "duplicate-sourcedid"} <= found
    assert not list(aside.root.glob("side-*"))


def test_a_bad_row_read_aside_fails_the_sync_and_keeps_the_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, counted_side_loads: list[str]
) -> None:
    monkeypatch.setenv("DATASYNC_SIDE_LOAD_MIN_BYTES", "1")
    rows = district(students=30)
    dd = connect_bundle(tmp_path / "home", write_bundle(tmp_path / "good", rows))
    assert run_sync(dd).status == "succeeded"
    before = dump(dd)
    # Loading aside needs an empty enrollments table: a fresh store reads the broken bundle
    # (a short row at line 9).
    broken = district(students=30)
    broken["enrollments"][7] = broken["enrollments"][7][:4]
    fresh = connect_bundle(tmp_path / "fresh", write_bundle(tmp_path / "bad", broken))
    result = run_sync(fresh)
    assert result.status == "failed"
    assert result.error == "enrollments.csv:9: the row has 4 fields but the header has 10"
    assert counted_side_loads == ["enrollments", "enrollments"]
    assert all(rows == [] for rows in dump(fresh).values())  # nothing applied
    assert not list(fresh.root.glob("side-*"))
    assert dump(dd) == before


def test_a_child_that_dies_is_reported_in_one_line(tmp_path: Path) -> None:
    dd = connect_bundle(tmp_path / "home", write_bundle(tmp_path / "b", district()))
    db = connect(dd.database)
    try:
        loader = SideLoad(db, dd, "enrollments", SyncState())
        loader.proc.kill()
        with pytest.raises(OSError, match="the enrollments loader process ended unexpectedly"):
            loader.finish(db, None)
        loader.close(db)
    finally:
        db.close()
    assert not list(dd.root.glob("side-*"))


def test_the_child_ends_when_its_parent_goes(tmp_path: Path) -> None:
    # The child blocks reading its connection (a FIFO nobody writes); the parent goes away.
    home = tmp_path / "home"
    home.mkdir()
    os.mkfifo(DataDir(home).config)
    child = subprocess.Popen(
        [sys.executable, "-m", "datasync_tui.sync.side_worker"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert child.stdin is not None and child.stdout is not None
    job = {"data_dir": str(home), "topic": "enrollments", "stage": str(tmp_path / "s.sqlite")}
    child.stdin.write(json.dumps(job).encode() + b"\n")
    child.stdin.close()
    assert child.wait(timeout=60) == 3
    assert child.stdout.read() == b""  # ended by its watchdog, not by an answer


def test_a_stale_stage_file_is_removed_by_the_next_sync(tmp_path: Path) -> None:
    dd = connect_bundle(tmp_path / "home", write_bundle(tmp_path / "b", district()))
    dd.ensure()
    stale = Path(stage_path(dd, "enrollments"))
    stale.write_bytes(b"left by a killed sync")
    assert run_sync(dd).status == "succeeded"
    assert not stale.exists()


def test_a_large_topic_of_a_bundle_is_sized_up_front(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from connectors.oneroster_csv import OneRosterCsvConnector

    monkeypatch.delenv("DATASYNC_SIDE_LOAD_MIN_BYTES", raising=False)
    bundle = write_bundle(tmp_path / "b.zip", district())
    connector = OneRosterCsvConnector({"path": str(bundle)})
    size = connector.topic_bytes("enrollments")
    assert size is not None and size > 1000
    assert connector.topic_bytes("roles") is None  # derived from users.csv in 1.1
    assert side_load.min_bytes() == side_load.MIN_BYTES


def test_nan_is_stored_as_null() -> None:
    # Rows bind NULL_CELL for None (a float binds without Python's adapter lookup).
    db = sqlite.connect(":memory:")
    db.execute("CREATE TABLE t (a TEXT, b INTEGER)")
    db.execute("INSERT INTO t VALUES (?, ?)", (NULL_CELL, NULL_CELL))
    assert db.execute("SELECT a IS NULL AND b IS NULL FROM t").fetchone() == (1,)


def test_rules_that_wait_for_a_topic_are_told_by_what_sqlite_reads(tmp_path: Path) -> None:
    from datasync_tui.rules.runner import rules_not_reading

    db = connect(tmp_path / "store.db")
    try:
        conn = db.connection()
        early = {rule.id for rule in rules_not_reading(conn, {"enrollments", "sync_findings"})}
    finally:
        db.close()
    assert {"user-without-email", "email-duplicate", "user-unknown-org"} <= early
    waiting = {"student-without-enrollments", "class-without-teacher", "duplicate-sourcedid"}
    assert not waiting & early
    # A rule reading a stored count of a class reads enrollments, from which it is computed.
    from datasync_tui.rules.catalog import RULES

    by_counts = [r for r in RULES if "student_count" in r.query() or "teacher_count" in r.query()]
    assert by_counts and all(r.id not in early for r in by_counts)


def test_primary_role_precedence_and_only_changed_users_written(tmp_path: Path) -> None:
    from datasync_tui.sync.apply import refresh_primary_roles

    db = connect(tmp_path / "store.db")
    try:
        users = [("a", "teacher"), ("b", "student"), ("c", "aide"), ("d", "guardian")]
        for sid, role in users:
            db.execute_sql(
                "INSERT INTO users (sourcedId, role, primary_role) VALUES (?, ?, ?)",
                (sid, role, role),
            )
        links = [
            ("a1", "a", "secondary", "teacher"),
            ("a2", "a", "primary", "student"),
            ("b1", "b", None, "aide"),
            ("b2", "b", "secondary", "teacher"),
            ("d1", "d", "primary", None),
        ]
        for sid, user, kind, role in links:
            db.execute_sql(
                "INSERT INTO roles (sourcedId, userSourcedId, roleType, role) VALUES (?, ?, ?, ?)",
                (sid, user, kind, role),
            )
        before = db.connection().total_changes
        refresh_primary_roles(db)
        written = db.connection().total_changes - before
        got = dict(db.execute_sql("SELECT sourcedId, primary_role FROM users").fetchall())
    finally:
        db.close()
    # A primary link wins, then a typed link before an untyped one; no link (or a link with
    # no role) leaves the user's own role.
    assert got == {"a": "student", "b": "teacher", "c": "aide", "d": "guardian"}
    assert written == 3 + 2  # the first link of a, b and d (a temp table), then a and b
