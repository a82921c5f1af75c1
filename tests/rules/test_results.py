"""Results kept with each sync: counts, new and resolved by (rule, sourcedId, field), paging."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from datasync_tui import rules
from datasync_tui.paths import DataDir
from datasync_tui.rules import (
    issues_page,
    iter_stored,
    key_of,
    latest,
    reevaluate,
    resolved_issues,
    set_email_domains,
    stored_count,
    summaries,
)
from datasync_tui.store import config, sqlite
from datasync_tui.store.db import connect
from datasync_tui.sync import apply_held, run_sync
from datasync_tui.sync.lock import FileLock
from tests.helpers.bundles import district, write_bundle

EMAIL = 12  # users.csv column of the email


def sync_rows(tmp_path: Path, dd: DataDir, rows: dict, name: str) -> int:
    """Write rows as a bundle, point the connection at it, sync; the run id."""
    bundle = write_bundle(tmp_path / name, rows)
    point_at(dd, bundle)
    result = run_sync(dd)
    assert result.status == "succeeded", result.error
    return result.run_id


def point_at(dd: DataDir, bundle: Path) -> None:
    """Save the connection (the same one, once made) with its path set to the bundle."""
    conn = config.load(dd) or config.Connection("oneroster-csv", None, {})
    settings = {"email_domains": "lincoln.org", **conn.settings, "path": str(bundle)}
    config.save(dd, replace(conn, settings=settings))


def user_row(rows: dict, sid: str) -> list[str]:
    """The users.csv row of a user."""
    return next(r for r in rows["users"] if r[0] == sid)


def figures(db: sqlite.Connection) -> dict[str, tuple[int, int, int]]:
    """(count, new, resolved) of every rule with something to say."""
    return {s.id: (s.count, s.new, s.resolved) for s in summaries(db) if s.count or s.resolved}


@pytest.fixture
def dd(data_dir: Path) -> DataDir:
    """The test's data dir."""
    return DataDir(data_dir)


def test_new_and_resolved_between_consecutive_syncs(tmp_path: Path, dd: DataDir) -> None:
    rows = district(students=6, classes=2)
    user_row(rows, "stu0")[EMAIL] = ""
    rows["enrollments"] = [e for e in rows["enrollments"] if e[0] != "e0"]  # k0's teacher
    first = sync_rows(tmp_path, dd, rows, "one")

    rows = district(students=6, classes=2)
    user_row(rows, "stu1")[EMAIL] = ""
    user_row(rows, "stu2")[EMAIL] = "stu2.lincoln.org"
    rows["enrollments"] = [e for e in rows["enrollments"] if e[0] != "e0"]
    second = sync_rows(tmp_path, dd, rows, "two")

    db = connect(dd.database)
    stored = latest(db)
    assert stored is not None and (stored.run_id, stored.previous_run_id) == (second, first)
    assert figures(db) == {
        "class-without-teacher": (1, 0, 0),
        "user-without-email": (1, 1, 1),
        "email-invalid": (1, 1, 0),
    }
    [now] = issues_page(db, "user-without-email")
    assert (now.sourcedId, now.field, now.is_new) == ("stu1", "email", True)
    assert [i.sourcedId for i in resolved_issues(db, "user-without-email")] == ["stu0"]
    [kept] = issues_page(db, "class-without-teacher")
    assert (kept.sourcedId, kept.is_new) == ("k0", False)
    assert kept.hint.startswith("give the class a teacher enrollment")

    third = sync_rows(tmp_path, dd, rows, "three")
    assert figures(db)["user-without-email"] == (1, 0, 0)
    runs = {r for (r,) in db.connection().execute("SELECT run_id FROM validation_issues")}
    assert runs == {second, third}  # issue lists of the last two syncs only
    trend = {s.id: s.trend for s in summaries(db)}
    assert trend["user-without-email"] == (1, 1, 1)
    assert trend["email-invalid"] == (0, 1, 1)
    db.close()


def test_identity_is_rule_sourcedid_field(tmp_path: Path, dd: DataDir) -> None:
    rows = district(students=3, classes=1)
    user_row(rows, "stu0")[EMAIL] = "bad.address"
    sync_rows(tmp_path, dd, rows, "one")
    user_row(rows, "stu0")[EMAIL] = "still bad"  # another value, the same issue
    sync_rows(tmp_path, dd, rows, "two")
    db = connect(dd.database)
    assert figures(db) == {"email-invalid": (1, 0, 0)}
    [issue] = issues_page(db, "email-invalid")
    assert issue.value == "still bad"
    db.close()


def test_keyset_pages_cover_every_issue_once(tmp_path: Path, dd: DataDir) -> None:
    rows = district(students=45, classes=1)
    for row in rows["users"]:
        row[EMAIL] = ""
    sync_rows(tmp_path, dd, rows, "one")
    db = connect(dd.database)
    seen, after = [], None
    while page := issues_page(db, "user-without-email", after=after, limit=10):
        seen += page
        after = key_of(page[-1])
    ids = [i.sourcedId for i in seen]
    assert len(ids) == 46 == stored_count(db, rule="user-without-email") and ids == sorted(ids)
    back = issues_page(db, "user-without-email", before=key_of(seen[20]), limit=5)
    assert back == seen[15:20]
    assert list(iter_stored(db, rule="user-without-email")) == seen
    db.close()


def test_reevaluate_with_other_domains_keeps_the_sync(tmp_path: Path, dd: DataDir) -> None:
    run = sync_rows(tmp_path, dd, district(students=4, classes=1), "one")
    db = connect(dd.database)
    assert figures(db) == {}
    stored = reevaluate(db, "example.org")
    assert stored is not None and stored.run_id == run and stored.email_domains == ("example.org",)
    assert figures(db) == {"email-outside-domain": (5, 5, 0)}
    reevaluate(db, "")
    skipped = {s.id for s in summaries(db) if s.skipped}
    assert skipped == {"email-outside-domain"} and figures(db) == {}
    db.close()


def test_classroom_dry_run_is_kept(tmp_path: Path, dd: DataDir) -> None:
    rows = district(students=4, classes=3)
    user_row(rows, "tch1")[EMAIL] = "mary.lee@gmail.com"
    sync_rows(tmp_path, dd, rows, "one")
    db = connect(dd.database)
    stored = latest(db)
    assert stored is not None
    assert stored.classroom.as_json() == {
        "classes_created": 0,
        "classes_skipped": 3,
        "users_failing": 0,
    }
    assert stored.classroom.skipped_because == {"no teacher with a usable email": 3}
    db.close()


def test_a_failing_rule_run_never_fails_the_sync(
    tmp_path: Path, dd: DataDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise sqlite.OperationalError("disk I/O error")

    monkeypatch.setattr(rules, "evaluate_and_store", broken)
    sync_rows(tmp_path, dd, district(students=2, classes=1), "one")
    db = connect(dd.database)
    assert latest(db) is None and summaries(db) == []
    assert db.connection().execute("SELECT count(*) FROM users").fetchone()[0] == 3
    db.close()


def test_a_held_sync_applied_later_gets_its_results(tmp_path: Path, dd: DataDir) -> None:
    rows = district(students=20, classes=2)
    sync_rows(tmp_path, dd, rows, "one")
    rows["users"] = rows["users"][:10]  # half the students leave: over the 10% threshold
    rows["enrollments"] = [e for e in rows["enrollments"] if e[5] in {r[0] for r in rows["users"]}]
    point_at(dd, write_bundle(tmp_path / "two", rows))
    held = run_sync(dd)
    assert held.status == "held"
    db = connect(dd.database)
    assert latest(db).run_id != held.run_id  # type: ignore[union-attr]
    db.close()
    assert apply_held(dd, held.run_id).status == "succeeded"
    db = connect(dd.database)
    stored = latest(db)
    assert stored is not None and stored.run_id == held.run_id
    assert figures(db) == {}
    db.close()


def test_set_email_domains_saves_and_runs_again(tmp_path: Path, dd: DataDir) -> None:
    run = sync_rows(tmp_path, dd, district(students=4, classes=1), "one")
    with FileLock(dd.sync_lock):
        stored = set_email_domains(dd, " Example.org, @other.net ")
    assert stored is not None and stored.run_id == run
    assert stored.email_domains == ("example.org", "other.net")
    saved = config.load(dd)
    assert saved is not None and saved.settings["email_domains"] == "example.org,other.net"
    db = connect(dd.database)
    assert figures(db) == {"email-outside-domain": (5, 5, 0)}
    db.close()
