"""Why the Classroom dry run creates no class (or skips many), and what would change that."""

from __future__ import annotations

from datasync_tui.rules.classroom import USABLE, Classroom
from datasync_tui.store import sqlite

TRUE = "('1', 'true', 'TRUE', 'True', 1)"


def _usernames_as_emails(conn: sqlite.Connection) -> str | None:
    """An example when every user's email is a username (a format without emails), else None."""
    row = conn.execute(
        "SELECT count(*), min(email), sum(instr(email, '@') = 0 AND "
        "lower(email) = lower(username)) FROM users WHERE trim(coalesce(email, '')) <> ''"
    ).fetchone()
    n, example, named = row if row else (0, None, 0)
    return example if n and n > 1 and named == n else None


def _no_primary_teacher(conn: sqlite.Connection) -> bool:
    """True when teachers are enrolled and not one enrollment is marked primary."""
    row = conn.execute(
        "SELECT EXISTS (SELECT 1 FROM enrollments WHERE role = 'teacher'), "
        f"EXISTS (SELECT 1 FROM enrollments WHERE role = 'teacher' AND \"primary\" IN {TRUE})"
    ).fetchone()
    return bool(row and row[0] and not row[1])


def classroom_advice(conn: sqlite.Connection, dry: Classroom) -> list[str]:
    """Sentences that explain the dry run's skipped classes and how to get them created."""
    lines: list[str] = []
    skipped = dry.skipped_because
    if dry.classes_created == 0 and dry.classes_skipped:
        why, n = max(skipped.items(), key=lambda kv: kv[1])
        lines.append(f"No class would be created: {n:,} of {dry.classes_skipped:,} have {why}.")
    example = _usernames_as_emails(conn) if skipped.get(USABLE) else None
    if example:
        lines.append(
            f"Teachers' emails are usernames (e.g. '{example}'): the files carry no email. "
            "Give users addresses (the email rule's fix) and the classes are created."
        )
    if dry.classes_skipped + dry.classes_created and _no_primary_teacher(conn):
        lines.append(
            "No teacher is marked primary (no such flag in these files): map enrollments.primary "
            "(SDS classic: TeacherRoster.csv:enrollments.primary=const:true in Column choices)."
        )
    return lines
