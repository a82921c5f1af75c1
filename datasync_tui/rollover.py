"""The rollover preview: when the source's next term starts within 14 days, what changes then.

Classes ending (every term of theirs over before the new term starts), classes starting (a term
that starts that day), and active students with no class in session on that day: computed in
SQL over the store, so it stays quick at a million enrollments.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from datasync_tui.store import sqlite

LOOKAHEAD_DAYS = 14

TERMS = "CASE WHEN json_valid(c.termSourcedIds) THEN c.termSourcedIds ELSE '[]' END"
ACTIVE = "coalesce({0}.status, '') IN ('', 'active')"

_NEXT_START = """
SELECT min(startDate) FROM academic_sessions s
WHERE {active} AND s.startDate > :today AND s.startDate <= :horizon
  AND date(s.startDate, '+0 days') IS s.startDate
""".format(active=ACTIVE.format("s"))

_FIGURES = f"""
WITH class_span AS MATERIALIZED (
    SELECT c.sourcedId AS cid, min(s.startDate) AS first_start, max(s.endDate) AS last_end,
           max(s.startDate = :start) AS starts_then,
           max(s.startDate <= :start AND s.endDate >= :start) AS in_session
    FROM classes c, json_each({TERMS}) t
    JOIN academic_sessions s ON s.sourcedId = t.value
    WHERE {ACTIVE.format("c")}
    GROUP BY c.sourcedId
),
live AS MATERIALIZED (SELECT cid FROM class_span WHERE in_session)
SELECT
    (SELECT count(*) FROM class_span WHERE last_end >= :today AND last_end < :start),
    (SELECT count(*) FROM class_span WHERE starts_then),
    (SELECT count(*) FROM users u
     WHERE u.primary_role = 'student' AND {ACTIVE.format("u")}
       AND NOT EXISTS (
           SELECT 1 FROM enrollments e JOIN live l ON l.cid = e.classSourcedId
           WHERE e.userSourcedId = u.sourcedId AND {ACTIVE.format("e")}
             AND (coalesce(e.beginDate, '') = '' OR e.beginDate <= :start)
             AND (coalesce(e.endDate, '') = '' OR e.endDate >= :start)))
"""


@dataclass(frozen=True)
class RolloverPreview:
    """What the next term's start changes."""

    starts_on: str  # YYYY-MM-DD
    sessions: tuple[str, ...]  # the titles of what starts then (terms, semesters, the year)
    classes_ending: int
    classes_starting: int
    students_without_class: int

    def lines(self) -> list[str]:
        """The preview as the dashboard shows it."""
        what = ", ".join(self.sessions) or "a new term"
        return [
            f"Rollover: {what} starts {self.starts_on}.",
            f"  Classes ending before it: {self.classes_ending:,} · "
            f"starting with it: {self.classes_starting:,}",
            f"  Active students with no class in it yet: {self.students_without_class:,}",
        ]


def preview(
    conn: sqlite.Connection, today: str, days: int = LOOKAHEAD_DAYS
) -> RolloverPreview | None:
    """The preview when a term starts after today and within `days`, else None."""
    horizon = (date.fromisoformat(today) + timedelta(days=days)).isoformat()
    try:
        start = conn.execute(_NEXT_START, {"today": today, "horizon": horizon}).fetchone()[0]
        if start is None:
            return None
        titles = conn.execute(
            "SELECT coalesce(title, sourcedId) FROM academic_sessions s "
            f"WHERE {ACTIVE.format('s')} AND s.startDate = ? ORDER BY s.endDate DESC, title",
            (start,),
        ).fetchall()
        ending, starting, alone = conn.execute(
            _FIGURES, {"today": today, "start": start}
        ).fetchone()
    except sqlite.OperationalError:  # no store yet, or one without these tables
        return None
    return RolloverPreview(
        start, tuple(str(t[0]) for t in titles), int(ending), int(starting), int(alone)
    )
