"""Rules about users: emails, names, orgs, enrollment of students, teachers and disabled users."""

from __future__ import annotations

from datasync_tui.rules.base import ERROR, WARNING, Rule

# Family members are not rostered in Classroom: personal or shared addresses are normal for them.
NOT_FAMILY = "coalesce(u.primary_role, '') NOT IN ('parent', 'guardian', 'relative')"
# Students and teachers are nearly every user: `+` keeps SQLite from reaching them through the
# primary_role index (a random read per user) when one pass over users is three times cheaper.
ROSTERED = "+u.primary_role IN ('student', 'teacher') AND ACTIVE(u) AND u.enabledUser IS NOT 0"

USER_WITHOUT_EMAIL = Rule(
    id="user-without-email",
    title="Students and teachers without an email",
    severity=ERROR,
    topic="users",
    sql=f"""
        SELECT u.sourcedId, 'email' AS field, u.email AS value,
               u.primary_role || ' ' || NAME(u) AS detail
        FROM users u WHERE {ROSTERED} AND BLANK(u.email)""",
    message="{detail} has no email; Classroom matches people by their Google email",
    hint="enter the user's Google Workspace email address in the SIS",
)

# A format with no email column (SDS classic) fills the email with the username: every email
# is then a username. That is said once (sourcedId '') with the fix, not once per user.
USERNAMES_AS_EMAILS = (
    "%d users have their username where the email belongs (e.g. ''%s''): these files carry no "
    "email. Fix: add the district''s domain to the usernames (a mapping file with "
    'email = { template = "{Username}@your-domain" }) or map an email column '
    "(Plain CSV''s Column choices, e.g. Student.csv:users.email=Email), then sync again"
)

EMAIL_INVALID = Rule(
    id="email-invalid",
    title="Emails that are not valid addresses",
    severity=ERROR,
    topic="users",
    sql=f"""
        WITH shape AS MATERIALIZED (
            SELECT count(*) AS n, min(email) AS example,
                   sum(instr(email, '@') = 0 AND lower(email) = lower(username)) AS named
            FROM users WHERE NOT BLANK(email)),
        bad AS MATERIALIZED (
            SELECT u.sourcedId, u.email FROM users u
            WHERE NOT ds_email_ok(u.email) AND NOT BLANK(u.email))
        SELECT b.sourcedId, 'email' AS field, b.email AS value,
               '''' || b.email || ''' is not a valid email address' AS detail
        FROM bad b, shape s WHERE NOT (s.n > 1 AND s.named = s.n)
        UNION ALL
        SELECT '', 'email', s.example, printf('{USERNAMES_AS_EMAILS}', s.n, s.example)
        FROM shape s WHERE s.n > 1 AND s.named = s.n""",
    message="{detail}",
    hint="correct the email in the SIS (one address, name@domain, no spaces or typos)",
)


EMAIL_DUPLICATE = Rule(
    id="email-duplicate",
    title="Emails shared by several users",
    severity=ERROR,
    topic="users",
    # Candidates come off the lower(email) index alone; family members are left out after.
    sql=f"""
        WITH dup AS MATERIALIZED (
            SELECT lower(email) AS email FROM users WHERE lower(email) > ''
            GROUP BY lower(email) HAVING count(*) > 1),
        shared AS MATERIALIZED (
            SELECT u.sourcedId, u.email, dup.email AS lowered FROM dup
            JOIN users u ON lower(u.email) = dup.email
            WHERE NOT BLANK(u.email) AND {NOT_FAMILY})
        SELECT s.sourcedId, 'email' AS field, s.email AS value, n.n AS detail
        FROM shared s
        JOIN (SELECT lowered, count(*) AS n FROM shared GROUP BY lowered HAVING count(*) > 1) n
          ON n.lowered = s.lowered""",
    message="'{value}' is the email of {detail} users (letter case ignored)",
    hint="give each person their own email in the SIS; merge the records if they are one person",
)

EMAIL_OUTSIDE_DOMAIN = Rule(
    id="email-outside-domain",
    title="Emails outside the district's domains",
    severity=ERROR,
    topic="users",
    sql=f"""
        SELECT u.sourcedId, 'email' AS field, u.email AS value
        FROM users u
        WHERE NOT ds_email_inside(u.email) AND NOT BLANK(u.email) AND {NOT_FAMILY}
          AND ds_email_ok(u.email)""",
    message="'{value}' is outside the district's email domains",
    hint="use the person's Google Workspace address in the SIS, or add its domain to "
    "email_domains if it belongs to the district",
    needs_domains=True,
)

USER_UNKNOWN_ORG = Rule(
    id="user-unknown-org",
    title="Users naming an org that does not exist",
    severity=ERROR,
    topic="users",
    # Users share a few org lists: each distinct list is read once, then its users are found.
    sql="""
        WITH lists AS MATERIALIZED (SELECT DISTINCT orgSourcedIds AS list FROM users),
        bad_lists AS MATERIALIZED (
            SELECT l.list, j.value AS org
            FROM lists l, json_each(CASE WHEN json_valid(l.list) THEN l.list ELSE '[]' END) j
            WHERE j.value <> '' AND j.value NOT IN (SELECT sourcedId FROM orgs)),
        bad_orgs AS MATERIALIZED (
            SELECT DISTINCT orgSourcedId AS org FROM roles
            WHERE orgSourcedId <> '' AND orgSourcedId NOT IN (SELECT sourcedId FROM orgs))
        SELECT x.user AS sourcedId, 'orgSourcedIds' AS field,
               group_concat(DISTINCT x.org) AS value
        FROM (SELECT u.sourcedId AS user, b.org FROM bad_lists b
              JOIN users u ON u.orgSourcedIds = b.list
              UNION ALL
              SELECT r.userSourcedId, r.orgSourcedId FROM bad_orgs b
              JOIN roles r ON r.orgSourcedId = b.org
              WHERE +r.userSourcedId IN (SELECT sourcedId FROM users)) x
        GROUP BY x.user""",
    message="names org {value} that is not in the orgs",
    hint="send the missing org (school) from the SIS, or correct the user's school",
)

USER_WITHOUT_NAME = Rule(
    id="user-without-name",
    title="Users without a given or family name",
    severity=ERROR,
    topic="users",
    sql="""
        SELECT u.sourcedId, 'givenName' AS field, u.givenName AS value, 'given' AS detail
        FROM users u WHERE ACTIVE(u) AND BLANK(u.givenName)
        UNION ALL
        SELECT u.sourcedId, 'familyName', u.familyName, 'family'
        FROM users u WHERE ACTIVE(u) AND BLANK(u.familyName)""",
    message="the {detail} name is blank",
    hint="fill in the person's first and last name in the SIS",
)

STUDENT_WITHOUT_ENROLLMENTS = Rule(
    id="student-without-enrollments",
    title="Active students in no class",
    severity=WARNING,
    topic="users",
    sql="""
        SELECT u.sourcedId, 'enrollments' AS field, '0' AS value, NAME(u) AS detail
        FROM users u
        WHERE +u.primary_role = 'student' AND ACTIVE(u) AND u.enabledUser IS NOT 0
          AND NOT EXISTS (SELECT 1 FROM enrollments e
                          WHERE e.userSourcedId = u.sourcedId AND ENROLLED(e))""",
    message="{detail}, an active student, is in no class",
    hint="schedule the student into their classes in the SIS (or mark them inactive)",
)

TEACHER_WITHOUT_CLASSES = Rule(
    id="teacher-without-classes",
    title="Active teachers with no class",
    severity=WARNING,
    topic="users",
    sql="""
        SELECT u.sourcedId, 'enrollments' AS field, '0' AS value, NAME(u) AS detail
        FROM users u
        WHERE u.primary_role = 'teacher' AND ACTIVE(u) AND u.enabledUser IS NOT 0
          AND NOT EXISTS (SELECT 1 FROM enrollments e
                          WHERE e.userSourcedId = u.sourcedId AND ENROLLED(e))""",
    message="{detail}, an active teacher, teaches no class",
    hint="assign the teacher to their sections in the SIS (or mark them inactive)",
)

DISABLED_USER_ENROLLED = Rule(
    id="disabled-user-enrolled",
    title="Disabled users still enrolled",
    severity=WARNING,
    topic="users",
    sql="""
        SELECT u.sourcedId, 'enabledUser' AS field, 'false' AS value, NAME(u) AS detail
        FROM users u
        WHERE u.enabledUser = 0
          AND EXISTS (SELECT 1 FROM enrollments e
                      WHERE e.userSourcedId = u.sourcedId AND ENROLLED(e))""",
    message="{detail} is disabled (enabledUser false) but still enrolled in classes",
    hint="end the user's enrollments in the SIS, or enable the user if they are back",
)
