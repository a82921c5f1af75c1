"""Each rule over records it must flag and near misses it must not: precision matters too."""

from __future__ import annotations

from pathlib import Path

import pytest

from datasync_tui.rules import RULES
from tests.helpers.rules_store import Store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """A clean little district in a real store."""
    return Store(tmp_path / "datasync.db")


def test_clean_district_breaks_no_rule(store: Store) -> None:
    assert store.hits() == set()


def test_class_without_teacher(store: Store) -> None:
    for k in ("k2", "k3", "k4", "k5", "k6", "k7", "k8"):
        store.klass(k)
        store.enroll(k, "stu1")
    # flagged: students only; the teacher's enrollment ended; inactive; only an aide
    store.enroll("k3", "tch1", "teacher", endDate="2026-10-01")
    store.enroll("k4", "tch1", "teacher", status="inactive")
    store.enroll("k8", "tch1", "aide")
    # near misses: ends today; begins next month; the class itself is inactive
    store.enroll("k5", "tch1", "teacher", endDate="2026-11-28")
    store.enroll("k6", "tch1", "teacher", beginDate="2026-12-15")
    store.conn.execute("UPDATE classes SET status = 'inactive' WHERE sourcedId = 'k7'")
    assert store.flagged("class-without-teacher") == {"k2", "k3", "k4", "k8"}


def test_user_without_email(store: Store) -> None:
    store.user("stu3", email=None)
    store.user("tch2", "teacher", email="   ")
    # near misses: staff and family without email, a disabled or inactive student
    store.user("adm2", "administrator", email=None)
    store.user("par2", "guardian", email="")
    store.user("stu4", email=None, enabledUser=0)
    store.user("stu5", email=None, status="inactive")
    assert store.flagged("user-without-email") == {"stu3", "tch2"}


def test_email_invalid(store: Store) -> None:
    bad = {
        "b1": "john.smith.lincoln.org",
        "b2": "john@@lincoln.org",
        "b3": "john smith@lincoln.org",
        "b4": "john@lincoln",
        "b5": "john..smith@lincoln.org",
        "b6": ".john@lincoln.org",
        "b7": "john@lincoln..org",
        "b8": "john@-lincoln.org",
        "b9": "john@lincoln.org,",
        "b10": "mailto:john@lincoln.org",
    }
    good = {
        "g1": "o'brien@lincoln.org",
        "g2": "first+tag@lincoln.org",
        "g3": "élodie.müller@lincoln.org",
        "g4": "j_s-x@sub.lincoln.org",
        "g5": "UPPER@LINCOLN.ORG",
        "g6": "a@xn--bcher-kva.de",
    }
    for sid, email in (bad | good).items():
        store.user(sid, email=email)
    store.user("blank", email="")  # a blank one is user-without-email's, not this rule's
    assert store.flagged("email-invalid") == set(bad)


def test_email_duplicate_is_case_insensitive_one_issue_per_user(store: Store) -> None:
    store.user("d1", email="Dup@lincoln.org")
    store.user("d2", "teacher", email="dup@LINCOLN.org")
    for sid in ("t1", "t2", "t3"):
        store.user(sid, email="three@lincoln.org")
    # near misses: same name, other domain; two blanks; parents sharing the family address;
    # a student and a guardian with the same address (the guardian is not rostered)
    store.user("n1", email="same@lincoln.org")
    store.user("n2", email="same@lincoln.net")
    store.user("n3", email=None)
    store.user("n4", email=None)
    store.user("p1", "parent", email="home@gmail.com")
    store.user("p2", "guardian", email="home@gmail.com")
    store.user("n5", email="kid@students.lincoln.org")
    store.user("p3", "guardian", email="KID@students.lincoln.org")
    hits = store.hits("email-duplicate")
    assert {sid for _, sid, _ in hits} == {"d1", "d2", "t1", "t2", "t3"}
    assert len(hits) == 5


def test_email_outside_domain(store: Store) -> None:
    store.user("o1", "teacher", email="destiny72@gmail.com")
    store.user("o2", email="x@lincoln.org.evil.com")
    store.user("o3", email="x@notlincoln.org")
    # near misses: a subdomain, letter case, a parent's own address, an invalid address
    store.user("i1", email="x@students.lincoln.org")
    store.user("i2", "teacher", email="X@LINCOLN.ORG")
    store.user("i3", "parent", email="mom@gmail.com")
    store.user("i4", email="x.gmail.com")
    store.user("i5", email="y@deep.sub.lincoln.org")
    assert store.flagged("email-outside-domain") == {"o1", "o2", "o3"}
    both = store.flagged("email-outside-domain", domains="lincoln.org, gmail.com")
    assert both == {"o2", "o3"}


def test_email_outside_domain_is_skipped_without_domains(store: Store) -> None:
    store.user("o1", "teacher", email="destiny72@gmail.com")
    assert store.flagged("email-outside-domain", domains=None) == set()
    assert store.flagged("email-outside-domain", domains=" , ") == set()


def test_class_without_title(store: Store) -> None:
    store.klass("k2", title=None)
    store.klass("k3", title="   ")
    store.klass("k4", title="X")
    store.klass("k5", title="", status="inactive")
    assert store.flagged("class-without-title") == {"k2", "k3"}


def test_class_title_too_long(store: Store) -> None:
    store.klass("k2", title="A" * 751)
    store.klass("k3", title="A" * 750)
    store.klass("k4", title="é" * 750)  # 1,500 bytes, 750 characters: inside the limit
    assert store.flagged("class-title-too-long") == {"k2"}


def test_class_over_member_limit(store: Store) -> None:
    for k in ("big", "full", "ended"):
        store.klass(k)
        store.enroll(k, "tch1", "teacher")
    for i in range(1000):
        store.enroll("big", f"ghost{i}")  # 1,001 members
        if i < 999:
            store.enroll("full", f"ghost{i}")  # 1,000 members: the limit, not over it
        store.enroll("ended", f"ghost{i}", endDate="2026-09-01" if i < 2 else None)
    assert store.flagged("class-over-member-limit") == {"big"}


def test_enrollment_unknown_user(store: Store) -> None:
    bad = {
        store.enroll("k1", "ghost"),
        store.enroll("k1", "STU1"),  # sourcedIds are case-sensitive
        store.enroll("k1", ""),
        store.enroll("k1", None),
    }
    store.user("gone", enabledUser=0)
    store.enroll("k1", "gone")  # disabled, but there
    assert store.flagged("enrollment-unknown-user") == bad


def test_enrollment_unknown_class(store: Store) -> None:
    bad = {store.enroll("old-k9", "stu1"), store.enroll("", "stu1")}
    store.klass("k2", status="inactive")
    store.enroll("k2", "stu1")
    assert store.flagged("enrollment-unknown-class") == bad


def test_class_unknown_school(store: Store) -> None:
    store.klass("k2", schoolSourcedId="s9")
    store.klass("k3", schoolSourcedId="")
    store.klass("k4", schoolSourcedId="d1")  # an org that exists, if not a school
    assert store.flagged("class-unknown-school") == {"k2", "k3"}


def test_class_unknown_course(store: Store) -> None:
    store.klass("k2", courseSourcedId="c1-2026")
    store.klass("k3", courseSourcedId=None)
    store.add("courses", "c2", title="Geometry")
    store.klass("k4", courseSourcedId="c2")
    assert store.flagged("class-unknown-course") == {"k2", "k3"}


def test_class_unknown_term(store: Store) -> None:
    store.klass("k2", termSourcedIds=["t1", "t9"])
    store.klass("k3", termSourcedIds=[])
    store.klass("k4", termSourcedIds=["t1", "y1"])
    hits = store.hits("class-unknown-term")
    assert {sid for _, sid, _ in hits} == {"k2", "k3"}
    values = {
        i[0]: i[1]
        for i in store.conn.execute("SELECT sourcedId, value FROM temp.rule_hits").fetchall()
    }
    assert values == {"k2": "t9", "k3": ""}


def test_user_unknown_org(store: Store) -> None:
    store.user("u1", orgSourcedIds=["s1", "s9"])
    store.add("users", "u2", role=None, givenName="B", familyName="C", email="u2@lincoln.org")
    store.add(
        "roles", "r-u2", userSourcedId="u2", role="teacher", roleType="primary", orgSourcedId="s8"
    )
    store.user("u3", orgSourcedIds=["s1", "d1"])
    store.user("u4", orgSourcedIds=[])
    assert store.flagged("user-unknown-org") == {"u1", "u2"}


def test_user_without_name(store: Store) -> None:
    store.user("n1", givenName="  ")
    store.user("n2", familyName=None)
    store.user("n3", givenName="", familyName="")
    store.user("ok1", givenName="Al", familyName="Li")
    store.user("ok2", givenName=None, status="inactive")
    hits = store.hits("user-without-name")
    assert hits == {
        ("user-without-name", "n1", "givenName"),
        ("user-without-name", "n2", "familyName"),
        ("user-without-name", "n3", "givenName"),
        ("user-without-name", "n3", "familyName"),
    }


def test_duplicate_sourcedid_comes_from_the_sync_findings(store: Store) -> None:
    for run in (1, 2):
        store.conn.execute(
            "INSERT INTO sync_runs (id, started_at, status, forced, counts, warnings) "
            "VALUES (?, '2026-11-28T02:00:00Z', 'succeeded', 0, '{}', '[]')",
            (run,),
        )
    finding = (
        "INSERT INTO sync_findings (run_id, rule, topic, sourcedId, field, value, message) "
        "VALUES (?, 'duplicate-sourcedid', ?, ?, 'sourcedId', ?, 'seen again')"
    )
    store.conn.execute(finding, (1, "users", "old-dup", "old-dup"))  # an earlier sync's
    store.conn.execute(finding, (2, "enrollments", "e-dup", "e-dup"))
    store.conn.execute(finding, (2, "enrollments", "e-dup", "e-dup"))  # a third copy
    store.conn.execute(finding, (2, "users", "u-dup", "u-dup"))
    assert store.flagged("duplicate-sourcedid") == {"e-dup", "u-dup"}  # the last sync by default
    assert store.flagged("duplicate-sourcedid", run_id=1) == {"old-dup"}
    messages = [m for (m,) in store.conn.execute("SELECT message FROM temp.rule_hits")]
    assert messages == ["the source sent this sourcedId 2 times in one sync; the first was kept"]


def test_session_dates_invalid(store: Store) -> None:
    store.add("academicSessions", "bad1", type="term", startDate="2027-01-10", endDate="2026-12-20")
    store.add("academicSessions", "bad2", type="term", startDate="2026-02-30", endDate="2026-06-01")
    store.add("academicSessions", "bad3", type="term", startDate="2026-08-01", endDate="next fall")
    store.add("academicSessions", "ok1", type="term", startDate="2026-12-01", endDate="2026-12-01")
    store.add("academicSessions", "ok2", type="term", startDate="2026-02-28", endDate=None)
    hits = store.hits("session-dates-invalid")
    assert hits == {
        ("session-dates-invalid", "bad1", "endDate"),
        ("session-dates-invalid", "bad2", "startDate"),
        ("session-dates-invalid", "bad3", "endDate"),
    }


def test_class_without_students(store: Store) -> None:
    for k in ("k2", "k3", "k4", "k5"):
        store.klass(k)
        store.enroll(k, "tch1", "teacher")
    store.enroll("k3", "stu1", endDate="2026-11-01")  # dropped
    store.enroll("k4", "stu1", beginDate="2027-01-19")  # starts next term: a near miss
    store.conn.execute("UPDATE classes SET status = 'inactive' WHERE sourcedId = 'k5'")
    assert store.flagged("class-without-students") == {"k2", "k3"}


def test_class_without_primary_teacher(store: Store) -> None:
    for k in ("k2", "k3", "k4", "k5", "k6", "k7"):
        store.klass(k)
        store.enroll(k, "stu1")
    store.enroll("k2", "tch1", "teacher", primary=0)
    store.enroll("k3", "tch1", "teacher", primary=None)
    store.user("tch2", "teacher")
    store.enroll("k4", "tch1", "teacher", primary=0)
    store.enroll("k4", "tch2", "teacher", primary=0)
    store.enroll("k5", "tch1", "teacher", primary=1, endDate="2026-10-01")  # primary has left
    store.enroll("k5", "tch2", "teacher", primary=0)
    # near misses: a primary and a co-teacher; no teacher at all (another rule's)
    store.enroll("k6", "tch1", "teacher", primary=1)
    store.enroll("k6", "tch2", "teacher", primary=0)
    assert store.flagged("class-without-primary-teacher") == {"k2", "k3", "k4", "k5"}


def test_student_without_enrollments(store: Store) -> None:
    store.user("s3")
    store.user("s4")
    store.enroll("k1", "s4", endDate="2026-06-10")
    # near misses: disabled, inactive, enrolled from next term, a teacher with no class
    store.user("s5", enabledUser=0)
    store.user("s6", status="inactive")
    store.user("s7")
    store.enroll("k1", "s7", beginDate="2027-01-19")
    store.user("tch2", "teacher")
    assert store.flagged("student-without-enrollments") == {"s3", "s4"}


def test_teacher_without_classes(store: Store) -> None:
    store.user("t2", "teacher")
    store.user("t3", "teacher")
    store.enroll("k1", "t3", "teacher", status="inactive")
    # near misses: disabled, a co-teacher, a student with no class, an administrator
    store.user("t4", "teacher", enabledUser=0)
    store.user("t5", "teacher")
    store.enroll("k1", "t5", "teacher", primary=0)
    store.user("s3")
    store.user("adm2", "administrator")
    assert store.flagged("teacher-without-classes") == {"t2", "t3"}


def test_class_term_ended(store: Store) -> None:
    store.add("academicSessions", "sum", type="term", startDate="2026-06-22", endDate="2026-07-31")
    store.add(
        "academicSessions", "spr", type="semester", startDate="2026-01-10", endDate="2026-05-30"
    )
    store.add(
        "academicSessions", "today", type="term", startDate="2026-11-01", endDate="2026-11-28"
    )
    store.add("academicSessions", "odd", type="term", startDate="2026-01-01", endDate="soon")
    store.klass("k2", termSourcedIds=["sum"])
    store.klass("k3", termSourcedIds=["spr", "sum"])
    # near misses: one term still running, a term ending today, an unknown term, no term,
    # an unreadable end date, an inactive class
    store.klass("k4", termSourcedIds=["sum", "t1"])
    store.klass("k5", termSourcedIds=["today"])
    store.klass("k6", termSourcedIds=["sum", "t9"])
    store.klass("k7", termSourcedIds=[])
    store.klass("k8", termSourcedIds=["odd"])
    store.klass("k9", termSourcedIds=["sum"], status="inactive")
    assert store.flagged("class-term-ended") == {"k2", "k3"}


def test_disabled_user_enrolled(store: Store) -> None:
    store.user("s3", enabledUser=0)
    store.enroll("k1", "s3")
    store.user("t2", "teacher", enabledUser=0)
    store.enroll("k1", "t2", "teacher", primary=0)
    # near misses: disabled with only an ended enrollment; unknown (NULL); enabled
    store.user("s4", enabledUser=0)
    store.enroll("k1", "s4", endDate="2026-10-01")
    store.user("s5", enabledUser=None)
    store.enroll("k1", "s5")
    assert store.flagged("disabled-user-enrolled") == {"s3", "t2"}


def test_value_not_in_vocabulary(store: Store) -> None:
    store.user("staff1", "staff")
    store.add("users", "v12", givenName="A", familyName="B", email="v12@lincoln.org")
    store.add(
        "roles", "r-v12", userSourcedId="v12", role="Teacher", roleType="main", orgSourcedId="s1"
    )
    aide = store.enroll("k1", "tch1", "aide")
    store.add("orgs", "s2", name="Annex", type="campus")
    store.add(
        "academicSessions", "q1", type="quarter", startDate="2026-08-15", endDate="2026-10-15"
    )
    store.klass("k2", classType="section")
    # near misses: ext: values, OneRoster 1.2 roles, blanks
    store.user("c1", "ext:counselor")
    store.user("da1", "districtAdministrator")
    store.klass("k3", classType=None)
    store.enroll("k1", "stu1", "ext:observer")
    hits = store.hits("value-not-in-vocabulary")
    assert hits == {
        ("value-not-in-vocabulary", "staff1", "role"),
        ("value-not-in-vocabulary", "v12", "role"),
        ("value-not-in-vocabulary", "v12", "roleType"),
        ("value-not-in-vocabulary", aide, "role"),
        ("value-not-in-vocabulary", "s2", "type"),
        ("value-not-in-vocabulary", "q1", "type"),
        ("value-not-in-vocabulary", "k2", "classType"),
    }


def test_every_rule_has_a_test_here() -> None:
    names = {name for name in globals() if name.startswith("test_")}
    for rule in RULES:
        stem = "test_" + rule.id.replace("-", "_")
        assert any(name.startswith(stem) for name in names), rule.id
