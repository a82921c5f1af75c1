"""The 24 rules in ARCHITECTURE.md's order: errors first, then warnings."""

from __future__ import annotations

from datasync_tui.rules import classes, people, source
from datasync_tui.rules.base import Rule

RULES: tuple[Rule, ...] = (
    classes.CLASS_WITHOUT_TEACHER,
    people.USER_WITHOUT_EMAIL,
    people.EMAIL_INVALID,
    people.EMAIL_DUPLICATE,
    people.EMAIL_OUTSIDE_DOMAIN,
    classes.CLASS_WITHOUT_TITLE,
    classes.CLASS_TITLE_TOO_LONG,
    classes.CLASS_OVER_MEMBER_LIMIT,
    source.ENROLLMENT_UNKNOWN_USER,
    source.ENROLLMENT_UNKNOWN_CLASS,
    classes.CLASS_UNKNOWN_SCHOOL,
    classes.CLASS_UNKNOWN_COURSE,
    classes.CLASS_UNKNOWN_TERM,
    people.USER_UNKNOWN_ORG,
    people.USER_WITHOUT_NAME,
    source.DUPLICATE_SOURCEDID,
    source.SESSION_DATES_INVALID,
    classes.CLASS_WITHOUT_STUDENTS,
    classes.CLASS_WITHOUT_PRIMARY_TEACHER,
    people.STUDENT_WITHOUT_ENROLLMENTS,
    people.TEACHER_WITHOUT_CLASSES,
    classes.CLASS_TERM_ENDED,
    people.DISABLED_USER_ENROLLED,
    source.VALUE_NOT_IN_VOCABULARY,
)

BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}
RANK: dict[str, int] = {rule.id: i for i, rule in enumerate(RULES)}
