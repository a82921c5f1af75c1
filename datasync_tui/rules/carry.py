"""Carry the rules' results forward to a sync that changed nothing, on the same day.

Evaluating every rule again over the same data, the same day, with the same settings and the
same rules gives the same issues: a re-sync that changed nothing copies them (none new, none
resolved) instead of spending seconds on it. Any difference evaluates the rules as usual.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

from datasync_tui import clock
from datasync_tui.rules.address import parse_domains
from datasync_tui.rules.classroom import Classroom
from datasync_tui.store import sqlite

CODE_KEY = "rules_code"


@cache
def code_digest() -> str:
    """A digest of the rules' own source (the rules, the dry run, the runner)."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def remember_code(conn: sqlite.Connection) -> None:
    """Note which rules produced the stored results."""
    conn.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (CODE_KEY, code_digest())
    )


def _findings(conn: sqlite.Connection, run_id: int) -> list[tuple[str, ...]]:
    """What a run saw that the rules read (duplicate sourcedIds), in a comparable form."""
    return conn.execute(
        "SELECT rule, topic, sourcedId, field, value, message FROM sync_findings "
        "WHERE run_id = ? ORDER BY rule, topic, sourcedId, message",
        (run_id,),
    ).fetchall()


def carry_forward(
    conn: sqlite.Connection, run_id: int, email_domains: str | None, today: str | None = None
) -> tuple[int, str, str, tuple[str, ...], Classroom] | None:
    """Copy the last evaluation's results to run_id when nothing can differ; None otherwise.

    The caller knows run_id changed no data. Returns (previous run, evaluated_at, today,
    domains, dry run) when it copied.
    """
    last = conn.execute(
        "SELECT run_id, today, email_domains, classroom FROM validation_runs "
        "WHERE run_id < ? ORDER BY run_id DESC LIMIT 1",
        (run_id,),
    ).fetchone()
    if last is None:
        return None
    prev, prev_today, prev_domains, classroom = last
    today = today or clock.today()
    domains = parse_domains(email_domains)
    code = conn.execute("SELECT value FROM meta WHERE key = ?", (CODE_KEY,)).fetchone()
    applied_between = conn.execute(
        "SELECT count(*) FROM sync_runs WHERE id > ? AND id < ? AND status = 'succeeded'",
        (prev, run_id),
    ).fetchone()[0]
    same = (
        prev_today == today
        and prev_domains == ",".join(domains)
        and code is not None
        and code[0] == code_digest()
        and not applied_between
        and _findings(conn, prev) == _findings(conn, run_id)
    )
    if not same:
        return None
    conn.execute("DELETE FROM validation_issues WHERE run_id = ?", (run_id,))
    conn.execute(
        "INSERT INTO validation_issues "
        "(run_id, rank, rule, severity, topic, sourcedId, field, value, message, is_new) "
        "SELECT ?, rank, rule, severity, topic, sourcedId, field, value, message, 0 "
        "FROM validation_issues WHERE run_id = ? ORDER BY id",
        (run_id, prev),
    )
    # The figures are the earlier run's (read through the view validation_results), not a copy.
    conn.execute("DELETE FROM validation_counts WHERE run_id = ?", (run_id,))
    evaluated_at = clock.iso_z()
    conn.execute(
        "INSERT OR REPLACE INTO validation_runs "
        "(id, run_id, evaluated_at, today, email_domains, classroom, seconds, results_of) VALUES ("
        "(SELECT id FROM validation_runs WHERE run_id = ?), ?, ?, ?, ?, ?, 0, "
        "(SELECT coalesce(results_of, run_id) FROM validation_runs WHERE run_id = ?))",
        (run_id, run_id, evaluated_at, today, prev_domains, classroom, prev),
    )
    conn.execute("DELETE FROM validation_issues WHERE run_id NOT IN (?, ?)", (run_id, prev))
    return prev, evaluated_at, today, domains, Classroom.from_json(json.loads(classroom))
