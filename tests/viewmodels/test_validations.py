"""The Validations page's core helpers, without Textual: words, paths, pages, topics, the lock."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from datasync_tui.paths import DataDir
from datasync_tui.rules import Classroom, ExportError, Issue
from datasync_tui.store import config
from datasync_tui.sync.lock import BusyError, FileLock
from datasync_tui.viewmodels import validations as vv


def issue(topic: str, sourced_id: str) -> Issue:
    """A bare issue of a topic."""
    return Issue("r", "error", topic, sourced_id, "f", None, "m", "h")


def test_words_for_counts_trend_and_the_dry_run() -> None:
    assert vv.severity_text({"error": 0, "warning": 0}) == "none"
    assert vv.severity_text({"error": 1, "warning": 1200}) == "1 error · 1,200 warnings"
    assert vv.sparkline((0, 2, 4)) == "▁▅█"
    assert vv.sparkline((0, 0)) == "▁▁"
    dry = Classroom(3, 1, 2, {"no active teacher": 1}, {"no email": 2})
    assert vv.classroom_lines(dry) == [
        "3 classes would be created",
        "1 class skipped (no active teacher: 1)",
        "2 users would fail (no email: 2)",
    ]
    found = [issue("users", "stu0"), issue("users", "stu7")]
    assert vv.resolved_text(found, 5) == "stu0 (f), stu7 (f) and 3 more"


def test_export_target_takes_csv_or_json_relative_to_the_working_dir(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()  # an export makes no folder
    assert vv.export_target(" out/a.JSON ", tmp_path) == tmp_path / "out" / "a.JSON"
    assert vv.export_target(str(tmp_path / "b.csv")) == tmp_path / "b.csv"
    for bad in ("", "notes.txt", "issues"):
        with pytest.raises(ExportError):
            vv.export_target(bad, tmp_path)
    (tmp_path / "dir.csv").mkdir()
    with pytest.raises(ExportError, match="is a folder"):
        vv.export_target("dir.csv", tmp_path)


def test_domains_problem_names_what_is_not_a_domain() -> None:
    assert vv.domains_problem("") is None
    assert vv.domains_problem("Lincoln.org, @students.lincoln.org xn--bcher-kva.example") is None
    problem = vv.domains_problem("lincoln.org, lincoln, bad_domain.org")
    assert problem is not None and "not a domain: lincoln, bad_domain.org" in problem


def test_export_to_a_folder_that_is_not_there_says_so(messy: DataDir) -> None:
    with pytest.raises(ExportError, match="/proc/no-such: no such folder"):
        vv.export(messy, Path("/proc/no-such/issues.csv"))
    with pytest.raises(ExportError, match="no such folder"):
        vv.export_target("/proc/no-such/issues.csv")


def test_default_export_is_dated_under_the_data_dirs_exports(tmp_path: Path) -> None:
    home = DataDir(tmp_path)
    path = vv.default_export(home, datetime(2026, 11, 28, 5, 0, 7))
    assert path == tmp_path / "exports" / "validation-issues-2026-11-28-050007.csv"


def test_explore_topic_of_each_kind_of_record(messy: DataDir) -> None:
    assert vv.explore_topic(messy, issue("users", "stu0")) == "students"
    assert vv.explore_topic(messy, issue("users", "tch2")) == "teachers"
    assert vv.explore_topic(messy, issue("classes", "k3")) == "classes"
    assert vv.explore_topic(messy, issue("orgs", "s1")) == "schools"
    assert vv.explore_topic(messy, issue("academicSessions", "t1")) == "terms"
    assert vv.explore_topic(messy, issue("enrollments", "e1")) == "enrollments"
    assert vv.explore_topic(messy, issue("users", "gone")) == "users"
    assert vv.record_topic(issue("academicSessions", "t1")) == "academicSessions"
    assert vv.record_topic(issue("roles", "r1")) is None


def test_pages_walk_forward_and_back_by_key(crowded: DataDir) -> None:
    ov = vv.load_overview(crowded)
    assert ov.stored is not None and ov.by_severity() == {"error": 250, "warning": 0}
    run = ov.stored.run_id
    first = vv.load_page(crowded, "user-without-email", run, limit=100)
    assert (first.offset, len(first.issues), first.at_start, first.at_end) == (0, 100, True, False)
    second = vv.load_page(crowded, "user-without-email", run, after=first.issues[-1], offset=100)
    assert second.offset == 100 and second.issues[0].sourcedId > first.issues[-1].sourcedId
    last = vv.load_page(crowded, "user-without-email", run, offset=-1)
    assert (last.offset, last.at_end) == (150, True)
    back = vv.load_page(crowded, "user-without-email", run, before=second.issues[0], offset=100)
    assert back.issues == first.issues and back.at_start


def test_nothing_to_read_before_a_store_exists(home: DataDir) -> None:
    ov = vv.load_overview(home)
    assert (ov.connected, ov.synced, ov.stored, ov.total) == (False, False, None, 0)
    assert vv.open_issues(home) is None
    with pytest.raises(ExportError, match="run a sync first"):
        vv.export(home, home.root / "x.csv")


def test_saving_domains_waits_for_no_one_and_keeps_the_connection(messy: DataDir) -> None:
    before = config.load(messy)
    assert before is not None
    with FileLock(messy.sync_lock), pytest.raises(BusyError):
        vv.save_domains(messy, "lincoln.org")
    stored = vv.save_domains(messy, "lincoln.org")
    assert stored is not None and stored.email_domains == ("lincoln.org",)
    after = config.load(messy)
    assert after is not None and after.connection_id == before.connection_id
    assert vv.open_issues(messy) == {"error": 6, "warning": 1}
