"""The record-level change log: what each sync changed (or a held one would), re-keys found."""

from __future__ import annotations

import json
from pathlib import Path

from datasync_tui.paths import DataDir
from datasync_tui.store import config
from datasync_tui.sync import run_sync
from tests.helpers.bundles import district, write_bundle
from tests.helpers.sync import connect_bundle, rows_of

EMAIL, GIVEN, USERNAME = 12, 8, 6


def logged(dd: DataDir, run_id: int, topic: str) -> list[tuple]:
    """The run's changes of one topic: (change, sourcedId, previous, fields)."""
    rows = rows_of(
        dd,
        "SELECT change, sourcedId, previous_sourcedId, fields FROM sync_changes "
        f"WHERE run_id = {run_id} AND topic = '{topic}' ORDER BY change, sourcedId",
    )
    return [(c, s, p, json.loads(f) if f else None) for c, s, p, f in rows]


def test_a_first_sync_logs_every_record_added(tmp_path: Path, data_dir: Path) -> None:
    dd = connect_bundle(data_dir, write_bundle(tmp_path / "b"))
    run = run_sync(dd)
    counts = dict(
        rows_of(
            dd,
            f"SELECT topic, count(*) FROM sync_changes WHERE run_id = {run.run_id} GROUP BY topic",
        )
    )
    assert counts == {
        "orgs": 2,
        "academicSessions": 2,
        "courses": 1,
        "classes": 4,
        "users": 21,
        "roles": 21,
        "enrollments": 84,
        "demographics": 20,
    }
    assert rows_of(dd, "SELECT DISTINCT change FROM sync_changes") == [("added",)]
    assert rows_of(dd, "SELECT count(*) FROM sync_changes WHERE row IS NOT NULL") == [(0,)]


def test_planted_changes_are_logged_exactly(tmp_path: Path, data_dir: Path) -> None:
    rows = district(students=40)
    bundle = write_bundle(tmp_path / "b", rows)
    dd = connect_bundle(data_dir, bundle)
    run_sync(dd)
    users = rows["users"]
    users[1][EMAIL] = "ann0@students.lincoln.org"  # stu0: a field edited
    users[1][GIVEN] = "Anne"
    users[6][0] = "stu5-2027"  # stu5: re-keyed by the SIS (same username, email, name)
    for e in rows["enrollments"]:
        if e[5] == "stu5":
            e[5] = "stu5-2027"
    rows["demographics"][5][0] = "stu5-2027"
    gone = rows["enrollments"].pop()  # one enrollment removed
    users.append(list(users[2]))  # a new student
    users[-1][0], users[-1][USERNAME], users[-1][EMAIL] = (
        "new1",
        "new1",
        "new1@students.lincoln.org",
    )
    users[-1][GIVEN], users[-1][11] = "Nia", "N1"
    rows["classes"][1][0] = "k1-2027"  # class k1 re-keyed (same code, school, term)
    for e in rows["enrollments"]:
        if e[3] == "k1":
            e[3] = "k1-2027"
    write_bundle(bundle, rows)
    result = run_sync(dd, force=True)
    assert result.status == "succeeded", result.error
    run = result.run_id
    assert logged(dd, run, "users") == [
        ("added", "new1", None, None),
        ("rekeyed", "stu5-2027", "stu5", None),
        (
            "updated",
            "stu0",
            None,
            {
                "givenName": ["Ann0", "Anne"],
                "email": ["ann0.smith@students.lincoln.org", "ann0@students.lincoln.org"],
            },
        ),
    ]
    assert logged(dd, run, "classes") == [("rekeyed", "k1-2027", "k1", None)]
    assert result.changes["users"] | {"unchanged": 0} == {
        "added": 1,
        "updated": 1,
        "removed": 0,
        "rekeyed": 1,
        "unchanged": 0,
    }
    enrollments = logged(dd, run, "enrollments")
    assert ("removed", gone[0], None, None) in enrollments
    moved = [e for e in enrollments if e[0] == "updated"]
    assert len(moved) == 41 + 4 - 1  # k1's 41 members and stu5's 4 classes (one in both)
    assert {tuple(next(iter(f.items()))[1]) for _, _, _, f in moved} >= {
        ("k1", "k1-2027"),
        ("stu5", "stu5-2027"),
    }
    (removed_row,) = rows_of(
        dd, f"SELECT row FROM sync_changes WHERE run_id = {run} AND sourcedId = '{gone[0]}'"
    )[0:1]
    assert json.loads(removed_row[0])["userSourcedId"] == gone[5]  # the whole row, to undo


def test_a_rekeying_flood_is_held_and_said(tmp_path: Path, data_dir: Path) -> None:
    rows = district(students=40)
    bundle = write_bundle(tmp_path / "b", rows)
    dd = connect_bundle(data_dir, bundle)
    run_sync(dd)
    for user in rows["users"][1:21]:  # 20 of 41 users get new ids
        old = user[0]
        user[0] = f"{old}-new"
        for e in rows["enrollments"]:
            if e[5] == old:
                e[5] = user[0]
    write_bundle(bundle, rows)
    held = run_sync(dd)
    assert held.status == "held"
    assert any(
        r.startswith("users: would re-key 20 of 41 (48.8% > 10%): the SIS changed their ids")
        for r in held.held_because
    ), held.held_because
    assert held.changes["users"]["removed"] == 0 and held.changes["users"]["rekeyed"] == 20
    assert rows_of(
        dd, f"SELECT count(*) FROM sync_changes WHERE run_id = {held.run_id} AND change = 'rekeyed'"
    ) == [(20,)]


def test_an_unchanged_sync_logs_nothing_and_grows_the_store_by_under_1_kb(
    tmp_path: Path, data_dir: Path
) -> None:
    dd = connect_bundle(data_dir, write_bundle(tmp_path / "b"))
    run_sync(dd)
    run_sync(dd)

    def size() -> int:
        from datasync_tui.store import sqlite

        with sqlite.connect(dd.database) as db:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            return db.execute(
                "SELECT (page_count - freelist_count) * page_size FROM pragma_page_count, "
                "pragma_freelist_count, pragma_page_size"
            ).fetchone()[0]

    before = size()
    again = run_sync(dd)
    assert rows_of(dd, f"SELECT count(*) FROM sync_changes WHERE run_id = {again.run_id}") == [(0,)]
    assert size() - before <= 1024


def test_only_the_last_keep_syncs_logs_are_kept(tmp_path: Path, data_dir: Path) -> None:
    rows = district()
    bundle = write_bundle(tmp_path / "b", rows)
    dd = connect_bundle(data_dir, bundle, keep_syncs="2")
    runs = []
    for k in range(4):
        rows["users"][1][GIVEN] = f"Ann{k}"
        write_bundle(bundle, rows)
        runs.append(run_sync(dd).run_id)
    kept = rows_of(dd, "SELECT DISTINCT run_id FROM sync_changes ORDER BY run_id")
    assert kept == [(runs[2],), (runs[3],)]
    assert config.load(dd) is not None
