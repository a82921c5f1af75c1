"""The Google Classroom dry run: which classes a roster import would create, skip, and who fails."""

from __future__ import annotations

from dataclasses import dataclass, field

from datasync_tui.rules.base import expand
from datasync_tui.rules.catalog import RANK
from datasync_tui.rules.runner import HITS
from datasync_tui.store import sqlite

# Why a user's email cannot be matched to a Google account, by the rule that says so.
EMAIL_RULES: dict[str, str] = {
    "email-invalid": "email not valid",
    "email-duplicate": "email shared with another user",
    "email-outside-domain": "email outside the district's domains",
}
NO_EMAIL = "no email"
NOT_A_USER = "not among the users"
USABLE = "no teacher with a usable email"  # a class skipped: none of its teachers can own it

_BAD_EMAIL = f"""
CREATE TEMP TABLE IF NOT EXISTS bad_email (sourcedId TEXT PRIMARY KEY, reason TEXT)
    WITHOUT ROWID;
DELETE FROM temp.bad_email;
INSERT OR IGNORE INTO temp.bad_email
    SELECT u.sourcedId, '{NO_EMAIL}' FROM users u WHERE BLANK(u.email);
INSERT OR IGNORE INTO temp.bad_email
    SELECT u.sourcedId, '{EMAIL_RULES["email-invalid"]}' FROM users u
    WHERE NOT BLANK(u.email) AND NOT ds_email_ok(u.email);
"""  # invalid emails read here: the rule's hits say it once when every email is a username

_CLASS_FATE = f"""
CREATE TEMP TABLE IF NOT EXISTS class_fate (sourcedId TEXT PRIMARY KEY, reason TEXT)
    WITHOUT ROWID;
DELETE FROM temp.class_fate;
INSERT OR IGNORE INTO temp.class_fate
SELECT c.sourcedId, CASE
    WHEN NOT EXISTS (SELECT 1 FROM enrollments e
                     WHERE e.classSourcedId = c.sourcedId AND e.role = 'teacher' AND ENROLLED(e))
        THEN 'no active teacher'
    WHEN NOT EXISTS (SELECT 1 FROM enrollments e JOIN users u ON u.sourcedId = e.userSourcedId
                     WHERE e.classSourcedId = c.sourcedId AND e.role = 'teacher' AND ENROLLED(e)
                       AND ACTIVE(u) AND u.enabledUser IS NOT 0
                       AND u.sourcedId NOT IN (SELECT sourcedId FROM temp.bad_email))
        THEN '{USABLE}'
    WHEN BLANK(c.title) THEN 'blank title'
    WHEN length(c.title) > 750 THEN 'title over 750 characters'
    END
FROM classes c WHERE ACTIVE(c);
"""

# Users (or missing users) with an active student or teacher enrollment in a class created.
_FAILING = """
SELECT x.reason, count(*) FROM (
    SELECT sourcedId AS user, reason FROM temp.bad_email
    UNION
    SELECT value, :not_a_user FROM temp.rule_hits WHERE rank = :unknown_user_rank
) x
WHERE EXISTS (SELECT 1 FROM enrollments e JOIN temp.class_fate f ON f.sourcedId = e.classSourcedId
              WHERE e.userSourcedId = x.user AND f.reason IS NULL
                AND e.role IN ('student', 'teacher') AND ENROLLED(e))
GROUP BY x.reason
"""


@dataclass(frozen=True)
class Classroom:
    """What a Classroom roster import would do: classes created, skipped (why), users failing."""

    classes_created: int = 0
    classes_skipped: int = 0
    users_failing: int = 0
    skipped_because: dict[str, int] = field(default_factory=dict)
    failing_because: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict[str, int]:
        """The three figures of `validate --json`."""
        return {
            "classes_created": self.classes_created,
            "classes_skipped": self.classes_skipped,
            "users_failing": self.users_failing,
        }

    @classmethod
    def from_json(cls, doc: dict[str, object]) -> Classroom:
        """Read back what to_stored() wrote."""
        return cls(**doc)  # type: ignore[arg-type]

    def to_stored(self) -> dict[str, object]:
        """Every figure and reason, as stored with the sync."""
        return {
            **self.as_json(),
            "skipped_because": self.skipped_because,
            "failing_because": self.failing_because,
        }


def dry_run(conn: sqlite.Connection, today: str) -> Classroom:
    """Simulate the roster import over the store and the hits of the last evaluate()."""
    own_txn = not conn.in_transaction
    if own_txn:
        conn.execute("BEGIN")
    try:
        _script(conn, _BAD_EMAIL, {})
        ranks = [RANK[rule] for rule in EMAIL_RULES]
        conn.execute(
            "INSERT OR IGNORE INTO temp.bad_email SELECT sourcedId, CASE rank "
            + "WHEN ? THEN ? " * len(ranks)
            + f"END FROM {HITS} WHERE rank IN ({', '.join('?' * len(ranks))}) "
            "AND topic = 'users' ORDER BY rank",
            [x for pair in zip(ranks, EMAIL_RULES.values(), strict=True) for x in pair] + ranks,
        )
        _script(conn, _CLASS_FATE, {"today": today})
        fates = dict(
            conn.execute(
                "SELECT coalesce(reason, ''), count(*) FROM temp.class_fate GROUP BY 1"
            ).fetchall()
        )
        params = {
            "today": today,
            "not_a_user": NOT_A_USER,
            "unknown_user_rank": RANK["enrollment-unknown-user"],
        }
        # No class created: nobody can fail to be added to one (and nothing need be read).
        failing = dict(conn.execute(expand(_FAILING), params).fetchall()) if "" in fates else {}
    finally:
        if own_txn:
            conn.execute("COMMIT")
    created = fates.pop("", 0)
    return Classroom(
        classes_created=created,
        classes_skipped=sum(fates.values()),
        users_failing=sum(failing.values()),
        skipped_because=dict(sorted(fates.items(), key=lambda kv: -kv[1])),
        failing_because=dict(sorted(failing.items(), key=lambda kv: -kv[1])),
    )


def _script(conn: sqlite.Connection, script: str, params: dict[str, object]) -> None:
    """Run ;-separated statements (macros expanded) inside the caller's transaction."""
    for statement in expand(script).split(";"):
        if statement.strip():
            conn.execute(statement, params)
