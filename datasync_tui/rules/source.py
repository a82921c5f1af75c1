"""Rules about the source data itself: broken references, duplicates, dates and vocabulary."""

from __future__ import annotations

from datasync_tui.rules.base import ERROR, WARNING, Rule

# OneRoster 1.1 and 1.2 value lists (either version's value is accepted; `ext:` extends them),
# the most common values first: a row stops at its first match.
USER_ROLES = (
    "student teacher administrator aide counselor districtAdministrator guardian parent "
    "principal proctor relative siteAdministrator systemAdministrator"
)
VOCABULARY: dict[tuple[str, str], tuple[str, ...]] = {
    ("users", "role"): tuple(USER_ROLES.split()),
    ("roles", "role"): tuple(USER_ROLES.split()),
    ("roles", "roleType"): ("primary", "secondary"),
    ("enrollments", "role"): ("student", "teacher", "administrator", "proctor"),
    ("orgs", "type"): ("school", "district", "department", "local", "national", "state"),
    ("academicSessions", "type"): ("gradingPeriod", "semester", "schoolYear", "term"),
    ("classes", "classType"): ("scheduled", "homeroom"),
}


def _outside(topic: str, column: str, alias: str) -> str:
    """SQL: the column holds a value off the list of (topic, column), not blank, not ext:.

    Plain comparisons, most common value first, come before anything else: over a million
    enrollments they cost half what NOT IN does, and they rule out nearly every row.
    """
    ref = f'{alias}."{column}"'
    listed = " AND ".join(f"{ref} <> '{v}'" for v in VOCABULARY[(topic, column)])
    return f"{listed} AND NOT BLANK({ref}) AND {ref} NOT LIKE 'ext:%'"


ENROLLMENT_UNKNOWN_USER = Rule(
    id="enrollment-unknown-user",
    title="Enrollments of users that do not exist",
    severity=ERROR,
    topic="enrollments",
    # Distinct user ids come off the index (no table scan); only missing users' rows are read.
    sql="""
        WITH ids AS MATERIALIZED (SELECT DISTINCT userSourcedId AS id FROM enrollments)
        SELECT e.sourcedId, 'userSourcedId' AS field, e.userSourcedId AS value
        FROM ids JOIN enrollments e ON e.userSourcedId = ids.id
        WHERE ids.id NOT IN (SELECT sourcedId FROM users)
        UNION ALL
        SELECT e.sourcedId, 'userSourcedId', NULL FROM enrollments e
        WHERE e.userSourcedId IS NULL""",
    message="names user '{value}', who is not among the users",
    hint="send the user from the SIS, or remove the enrollment of someone who left",
)

ENROLLMENT_UNKNOWN_CLASS = Rule(
    id="enrollment-unknown-class",
    title="Enrollments in classes that do not exist",
    severity=ERROR,
    topic="enrollments",
    sql="""
        WITH ids AS MATERIALIZED (SELECT DISTINCT classSourcedId AS id FROM enrollments)
        SELECT e.sourcedId, 'classSourcedId' AS field, e.classSourcedId AS value
        FROM ids JOIN enrollments e ON e.classSourcedId = ids.id
        WHERE ids.id NOT IN (SELECT sourcedId FROM classes)
        UNION ALL
        SELECT e.sourcedId, 'classSourcedId', NULL FROM enrollments e
        WHERE e.classSourcedId IS NULL""",
    message="names class '{value}', which is not among the classes",
    hint="send the section from the SIS, or remove enrollments in sections that were deleted",
)

DUPLICATE_SOURCEDID = Rule(
    id="duplicate-sourcedid",
    title="sourcedIds sent twice",
    severity=ERROR,
    topic="*",
    sql="""
        SELECT f.topic, f.sourcedId, 'sourcedId' AS field, f.sourcedId AS value,
               coalesce(max(f.times), count(*) + 1) AS detail
        FROM sync_findings f
        WHERE f.run_id = :run_id AND f.rule = 'duplicate-sourcedid'
        GROUP BY f.topic, f.sourcedId""",
    message="the source sent this sourcedId {detail} times in one sync; the first was kept",
    hint="remove the repeated rows from the SIS export: each record needs its own sourcedId",
    # The sync keeps the first repeats of each topic as examples and counts them all.
    total_sql="""
        SELECT coalesce(sum(t.value), 0) FROM sync_runs r,
               json_each(r.finding_totals, '$."duplicate-sourcedid"') t
        WHERE r.id = :run_id AND json_valid(r.finding_totals)""",
)

SESSION_DATES_INVALID = Rule(
    id="session-dates-invalid",
    title="Academic sessions with wrong dates",
    severity=ERROR,
    topic="academicSessions",
    sql="""
        SELECT s.sourcedId, 'startDate' AS field, s.startDate AS value,
               'the start date is not a readable date' AS detail
        FROM academic_sessions s
        WHERE NOT BLANK(s.startDate) AND NOT READABLE(s.startDate)
        UNION ALL
        SELECT s.sourcedId, 'endDate', s.endDate, 'the end date is not a readable date'
        FROM academic_sessions s
        WHERE NOT BLANK(s.endDate) AND NOT READABLE(s.endDate)
        UNION ALL
        SELECT s.sourcedId, 'endDate', s.endDate, 'it ends before it starts (' || s.startDate || ')'
        FROM academic_sessions s
        WHERE READABLE(s.startDate) AND READABLE(s.endDate)
          AND s.endDate < s.startDate""",
    message="{value}: {detail}",
    hint="correct the session's start and end dates in the SIS (YYYY-MM-DD, start before end)",
)

VALUE_NOT_IN_VOCABULARY = Rule(
    id="value-not-in-vocabulary",
    title="Roles and types outside OneRoster's lists",
    severity=WARNING,
    topic="*",
    sql=f"""
        SELECT 'users' AS topic, u.sourcedId, 'role' AS field, u.role AS value
        FROM users u WHERE {_outside("users", "role", "u")}
        UNION
        SELECT 'users', r.userSourcedId, 'role', r.role
        FROM roles r WHERE {_outside("roles", "role", "r")}
          AND +r.userSourcedId IN (SELECT sourcedId FROM users)
        UNION
        SELECT 'users', r.userSourcedId, 'roleType', r.roleType
        FROM roles r WHERE {_outside("roles", "roleType", "r")}
          AND +r.userSourcedId IN (SELECT sourcedId FROM users)
        UNION ALL
        SELECT 'enrollments', e.sourcedId, 'role', e.role
        FROM enrollments e WHERE {_outside("enrollments", "role", "e")}
        UNION ALL
        SELECT 'orgs', o.sourcedId, 'type', o.type
        FROM orgs o WHERE {_outside("orgs", "type", "o")}
        UNION ALL
        SELECT 'academicSessions', s.sourcedId, 'type', s.type
        FROM academic_sessions s WHERE {_outside("academicSessions", "type", "s")}
        UNION ALL
        SELECT 'classes', c.sourcedId, 'classType', c.classType
        FROM classes c WHERE {_outside("classes", "classType", "c")}""",
    message="'{value}' is not a value OneRoster allows here",
    hint="map the value to one of OneRoster's (for example teacher, student, administrator, "
    "aide), or prefix a local value with ext:",
)
