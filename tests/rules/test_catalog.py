"""The rule catalog: ARCHITECTURE.md's ids and severities exactly, each declaration complete."""

from __future__ import annotations

import re

from datasync_tui.rules import RULES
from datasync_tui.rules.base import SEVERITIES, expand
from tests.helpers.cli import samples_dir

# ARCHITECTURE.md's table, in its order (public: scripts and the acceptance checks rely on it).
EXPECTED = [
    ("class-without-teacher", "error"),
    ("user-without-email", "error"),
    ("email-invalid", "error"),
    ("email-duplicate", "error"),
    ("email-outside-domain", "error"),
    ("class-without-title", "error"),
    ("class-title-too-long", "error"),
    ("class-over-member-limit", "error"),
    ("enrollment-unknown-user", "error"),
    ("enrollment-unknown-class", "error"),
    ("class-unknown-school", "error"),
    ("class-unknown-course", "error"),
    ("class-unknown-term", "error"),
    ("user-unknown-org", "error"),
    ("user-without-name", "error"),
    ("duplicate-sourcedid", "error"),
    ("session-dates-invalid", "error"),
    ("class-without-students", "warning"),
    ("class-without-primary-teacher", "warning"),
    ("student-without-enrollments", "warning"),
    ("teacher-without-classes", "warning"),
    ("class-term-ended", "warning"),
    ("disabled-user-enrolled", "warning"),
    ("value-not-in-vocabulary", "warning"),
]


def test_ids_and_severities_are_architectures() -> None:
    assert [(r.id, r.severity) for r in RULES] == EXPECTED


def test_architecture_table_when_present() -> None:
    doc = samples_dir().parent / "ARCHITECTURE.md"
    if not doc.is_file():
        return
    rows = re.findall(r"^\| `([a-z-]+)` \| (error|warning) \|", doc.read_text("utf-8"), re.M)
    assert rows == EXPECTED


def test_each_declaration_is_complete() -> None:
    for rule in RULES:
        assert rule.severity in SEVERITIES
        assert rule.title and rule.message and rule.hint, rule.id
        assert rule.topic in {"*", "users", "classes", "enrollments", "academicSessions"}
        sql = expand(rule.sql)
        assert not re.search(r"\b(ACTIVE|ENROLLED|BLANK|NAME|READABLE)\(", sql), rule.id
        assert len(rule.sql.splitlines()) < 40, f"{rule.id}: keep a rule small"
