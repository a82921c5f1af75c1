"""The Classroom dry run's outcome as rows: courses to create, their members, who and what is out.

Everything is read in one snapshot: the email rules and the dry run run first (as `validate`
runs them), then set-based queries read the dry run's temp tables (temp.class_fate: a class
and why it is skipped, NULL when it is created; temp.bad_email: a user and why their email
cannot be matched).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from datasync_tui.fix.files import FixUsageError
from datasync_tui.paths import DataDir
from datasync_tui.rules.base import expand
from datasync_tui.rules.catalog import BY_ID, RANK
from datasync_tui.rules.classroom import NO_EMAIL, NOT_A_USER, USABLE, Classroom, dry_run
from datasync_tui.rules.runner import HITS, Evaluation, evaluate, last_applied_run
from datasync_tui.store import config, sqlite

# The rules the dry run reads, and those the email proposals read (no others need run here).
DRY_RUN_RULES = (
    "email-invalid",
    "email-duplicate",
    "email-outside-domain",
    "enrollment-unknown-user",
)
EMAIL_RULES = ("user-without-email", "email-invalid")

# The rule behind each reason the dry run gives.
REASON_RULES: dict[str, str] = {
    "no active teacher": "class-without-teacher",
    USABLE: "user-without-email, email-invalid, email-duplicate, email-outside-domain",
    "blank title": "class-without-title",
    "title over 750 characters": "class-title-too-long",
    NO_EMAIL: "user-without-email",
    "email not valid": "email-invalid",
    "email shared with another user": "email-duplicate",
    "email outside the district's domains": "email-outside-domain",
    NOT_A_USER: "enrollment-unknown-user",
}

# Users Classroom can add (active, enabled, email usable), once per snapshot.
_OK_USERS = """
CREATE TEMP TABLE IF NOT EXISTS ok_user (sourcedId TEXT PRIMARY KEY, email TEXT) WITHOUT ROWID;
DELETE FROM temp.ok_user;
INSERT INTO temp.ok_user
    SELECT u.sourcedId, trim(u.email) FROM users u
    WHERE ACTIVE(u) AND u.enabledUser IS NOT 0
      AND u.sourcedId NOT IN (SELECT sourcedId FROM temp.bad_email)
"""

# The owner of each class created: its primary teacher (by sourcedId when several), else the
# first of its teachers, always one whose email is usable (the email comes from the row that
# holds the min(), as SQLite documents for a bare column beside min()).
_CREATED = """
SELECT c.sourcedId, c.title, c.classCode, c.location, o.email FROM (
    SELECT e.classSourcedId AS class,
           min((e."primary" IS NOT 1) || char(31) || e.userSourcedId), o.email AS email
    FROM temp.class_fate f
    JOIN enrollments e ON e.classSourcedId = f.sourcedId AND e.role = 'teacher'
    JOIN temp.ok_user o ON o.sourcedId = e.userSourcedId
    WHERE f.reason IS NULL AND ENROLLED(e)
    GROUP BY e.classSourcedId) o
JOIN classes c ON c.sourcedId = o.class
ORDER BY c.sourcedId
"""

# One row per class created and role: the members' emails, comma-separated (no usable address
# has a comma), in the enrollments' order; a user enrolled twice is listed twice.
_MEMBERS = """
SELECT e.classSourcedId, e.role, group_concat(o.email)
FROM temp.class_fate f
JOIN enrollments e ON e.classSourcedId = f.sourcedId AND e.role IN ('teacher', 'student')
JOIN temp.ok_user o ON o.sourcedId = e.userSourcedId
WHERE f.reason IS NULL AND ENROLLED(e)
GROUP BY e.classSourcedId, e.role
"""

# A class skipped for want of a usable teacher names its teachers and why each cannot own it
# (the first few; the count of the rest follows).
TEACHERS_NAMED = 5
_SKIPPED = f"""
SELECT f.sourcedId, c.title, f.reason, CASE WHEN f.reason = '{USABLE}' THEN (
    SELECT json_group_array(json_array(t.user, t.why)) FROM (
        SELECT e.userSourcedId AS user, coalesce(
            (SELECT b.reason FROM temp.bad_email b WHERE b.sourcedId = e.userSourcedId),
            CASE WHEN u.sourcedId IS NULL THEN :not_a_user
                 WHEN u.enabledUser IS 0 THEN 'disabled in the SIS (enabledUser false)'
                 ELSE 'not active in the SIS (status ' || u.status || ')' END) AS why
        FROM enrollments e LEFT JOIN users u ON u.sourcedId = e.userSourcedId
        WHERE e.classSourcedId = f.sourcedId AND e.role = 'teacher' AND ENROLLED(e)
        GROUP BY e.userSourcedId ORDER BY e.userSourcedId
    ) t) END
FROM temp.class_fate f
JOIN classes c ON c.sourcedId = f.sourcedId
WHERE f.reason IS NOT NULL ORDER BY f.reason, f.sourcedId
"""

# The users the dry run counts as failing: with an active place in a class created.
_FAILING = f"""
SELECT x.user, coalesce(u.primary_role, ''), x.reason, count(DISTINCT e.classSourcedId) FROM (
    SELECT sourcedId AS user, reason FROM temp.bad_email
    UNION
    SELECT value, :not_a_user FROM {HITS} WHERE rank = :unknown_user_rank
) x
CROSS JOIN enrollments e ON e.userSourcedId = x.user
JOIN temp.class_fate f ON f.sourcedId = e.classSourcedId AND f.reason IS NULL
LEFT JOIN users u ON u.sourcedId = x.user
WHERE e.role IN ('student', 'teacher') AND ENROLLED(e)
GROUP BY x.user, x.reason
ORDER BY x.reason, x.user
"""

# Users left out though their email is fine: disabled or not active in the SIS.
_LEFT_OUT = """
SELECT u.sourcedId, coalesce(u.primary_role, ''),
       CASE WHEN u.enabledUser IS 0 THEN 'disabled in the SIS (enabledUser false)'
            ELSE 'not active in the SIS (status ' || u.status || ')' END,
       count(DISTINCT e.classSourcedId)
FROM users u
CROSS JOIN enrollments e ON e.userSourcedId = u.sourcedId
JOIN temp.class_fate f ON f.sourcedId = e.classSourcedId AND f.reason IS NULL
WHERE NOT (ACTIVE(u) AND u.enabledUser IS NOT 0)
  AND u.sourcedId NOT IN (SELECT sourcedId FROM temp.bad_email)
  AND e.role IN ('teacher', 'student') AND ENROLLED(e)
GROUP BY u.sourcedId ORDER BY u.sourcedId
"""


@dataclass(frozen=True)
class Snapshot:
    """One read of the store with the email rules and the dry run done."""

    conn: sqlite.Connection
    evaluation: Evaluation
    classroom: Classroom | None  # None: the dry run was not asked for
    email_pattern: str | None

    @property
    def today(self) -> str:
        """The rules' today."""
        return self.evaluation.today

    def rows(self, sql: str) -> list[tuple]:
        """Every row of one of this module's queries (macros expanded)."""
        params = {
            "today": self.today,
            "not_a_user": NOT_A_USER,
            "unknown_user_rank": RANK["enrollment-unknown-user"],
        }
        return self.conn.execute(expand(sql), params).fetchall()

    def created(self) -> list[tuple[str, str, str | None, str | None, str]]:
        """(sourcedId, title, classCode, location, owner email) of each class created."""
        return self.rows(_CREATED)

    def members(self) -> list[tuple[str, str, str]]:
        """(class, role, emails comma-separated) per class created and role, by class."""
        return self.rows(_MEMBERS)

    def skipped(self) -> list[tuple[str, str | None, str, list[tuple[str, str]]]]:
        """(sourcedId, title, reason, [(teacher, why not usable)]) of each class skipped (the
        teachers only of a class with none usable)."""
        return [
            (sid, title, why, [(t, r) for t, r in json.loads(teachers)] if teachers else [])
            for sid, title, why, teachers in self.rows(_SKIPPED)
        ]

    def failing(self) -> list[tuple[str, str, str, int]]:
        """(user, role, reason, classes) of each user the dry run counts as failing."""
        return self.rows(_FAILING)

    def left_out(self) -> list[tuple[str, str, str, int]]:
        """(user, role, reason, classes) of users with a usable email not added all the same."""
        return self.rows(_LEFT_OUT)


@contextmanager
def snapshot(data_dir: DataDir, *, dry: bool = True) -> Iterator[Snapshot]:
    """Open the store; run the dry run's rules and the dry run (or the email rules) in one read."""
    path = data_dir.database
    if not path.is_file():
        raise FixUsageError(f"nothing synced yet in {data_dir.root}; run `datasync-tui sync` first")
    saved = config.load(data_dir)
    settings = saved.settings if saved else {}
    conn = sqlite.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    try:
        conn.execute("PRAGMA busy_timeout = 30000")
        conn.execute("PRAGMA temp_store = memory")
        conn.execute("PRAGMA cache_size = -64000")
        conn.execute("BEGIN")  # one snapshot for the rules, the dry run and every query
        if not _synced(conn):
            raise FixUsageError(
                f"nothing synced yet in {data_dir.root}; run `datasync-tui sync` first"
            )
        rules = [BY_ID[rule] for rule in (DRY_RUN_RULES if dry else EMAIL_RULES)]
        ev = evaluate(conn, email_domains=settings.get("email_domains"), rules=rules)
        classroom = dry_run(conn, ev.today) if dry else None
        if dry:
            for statement in expand(_OK_USERS).split(";"):
                if statement.strip():
                    conn.execute(statement)
        yield Snapshot(conn, ev, classroom, settings.get("email_pattern") or None)
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")  # nothing was written but temp tables
        conn.close()


def _synced(conn: sqlite.Connection) -> bool:
    """True when the store has a sync that applied data."""
    found = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sync_runs'").fetchone()
    return found is not None and last_applied_run(conn) is not None
