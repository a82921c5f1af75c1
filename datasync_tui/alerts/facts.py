"""What the alerts read from the store (read-only sqlite3, so any thread or process may ask)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from datasync_tui.paths import DataDir
from datasync_tui.store import sqlite

# The engine's hold reason: "users: would remove 412 of 1,084 (38.0% > 10%)".
HOLD_REASON = re.compile(
    r"^(?P<topic>\w+): would remove (?P<removed>[\d,]+) of (?P<live>[\d,]+) "
    r"\((?P<pct>[\d.]+)% > (?P<limit>[\d.]+)%\)"
)


@contextmanager
def reading(data_dir: DataDir) -> Iterator[sqlite.Connection | None]:
    """A connection that only reads the store (None when there is none yet)."""
    if not data_dir.database.exists():
        yield None
        return
    conn = sqlite.connect(f"file:{data_dir.database}?mode=ro", uri=True, timeout=5)
    try:
        yield conn
    finally:
        conn.close()


@dataclass(frozen=True)
class HeldTopic:
    """One topic over the deletion limit: what it would remove of how many."""

    topic: str
    removed: int
    live: int
    pct: float
    limit: float
    roles: dict[str, tuple[int, int]] = field(default_factory=dict)  # role → (removed, live)


def held_topics(conn: sqlite.Connection | None, reasons: list[str]) -> list[HeldTopic]:
    """The held topics read from the engine's reasons, users split by role when the store can."""
    found = []
    for reason in reasons:
        m = HOLD_REASON.match(reason)
        if m is None:
            continue
        roles = _removed_roles(conn) if m["topic"] == "users" and conn is not None else {}
        found.append(
            HeldTopic(
                m["topic"],
                int(m["removed"].replace(",", "")),
                int(m["live"].replace(",", "")),
                float(m["pct"]),
                float(m["limit"]),
                roles,
            )
        )
    return sorted(found, key=lambda t: (t.topic != "users", -t.pct))


def _removed_roles(conn: sqlite.Connection) -> dict[str, tuple[int, int]]:
    """The held users' primary roles: (would be removed, live) per role."""
    try:
        removed = dict(
            conn.execute(
                "SELECT coalesce(u.primary_role, 'unknown'), count(*) FROM held_removed r "
                "JOIN users u ON u.sourcedId = r.sourcedId WHERE r.topic = 'users' GROUP BY 1"
            ).fetchall()
        )
    except sqlite.Error:  # no staged data to look at: the topic's figures alone
        return {}
    live = totals(conn).get("users_by_role", {})
    return {role: (n, int(live.get(role, n))) for role, n in removed.items()}


def totals(conn: sqlite.Connection) -> dict[str, Any]:
    """The figures the last apply stored (counts, users_by_role, orgs_by_type)."""
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'totals'").fetchone()
        return json.loads(row[0]) if row and row[0] else {}
    except (sqlite.Error, ValueError):
        return {}


def new_errors(conn: sqlite.Connection | None, run_id: int) -> list[tuple[str, int, int]]:
    """Error rules with issues new at this sync: (rule, new, open), most new first; none when
    there is no earlier evaluation to compare with."""
    if conn is None:
        return []
    try:
        earlier = conn.execute(
            "SELECT 1 FROM validation_runs WHERE run_id < ? LIMIT 1", (run_id,)
        ).fetchone()
        if earlier is None:
            return []
        rows = conn.execute(
            "SELECT rule, new, count FROM validation_results WHERE run_id = ? "
            "AND severity = 'error' AND new > 0 ORDER BY new DESC, rule",
            (run_id,),
        ).fetchall()
    except sqlite.Error:
        return []
    return [(str(rule), int(new), int(count)) for rule, new, count in rows]


def run_row(conn: sqlite.Connection | None, run_id: int | None) -> dict[str, Any] | None:
    """A sync run's status, error, times and counts, or None."""
    if conn is None or run_id is None:
        return None
    try:
        row = conn.execute(
            "SELECT status, error, started_at, finished_at, counts FROM sync_runs WHERE id = ?",
            (run_id,),
        ).fetchone()
    except sqlite.Error:
        return None
    if row is None:
        return None
    return {
        "status": row[0],
        "error": row[1],
        "started_at": row[2],
        "finished_at": row[3],
        "counts": json.loads(row[4] or "{}"),
    }


def last_success_at(conn: sqlite.Connection | None) -> str | None:
    """When the last successful sync finished."""
    if conn is None:
        return None
    try:
        row = conn.execute(
            "SELECT max(finished_at) FROM sync_runs WHERE status = 'succeeded'"
        ).fetchone()
    except sqlite.Error:
        return None
    return row[0] if row else None
