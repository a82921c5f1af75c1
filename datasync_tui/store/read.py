"""Reading the store: one read-only connection factory and the queries every reader shares."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from connectors.canonical import COUNTED_TOPICS
from datasync_tui.store import sqlite

TOTALS_KEY = "totals"  # meta: the figures of the last applied sync (status, the dashboard)


def reader(path: str | Path) -> sqlite.Connection:
    """A read-only connection to the store, usable from any one thread at a time."""
    return sqlite.reader(path)


def empty_totals() -> dict[str, Any]:
    """The figures before any sync: every count 0."""
    return {"counts": dict.fromkeys(COUNTED_TOPICS, 0), "orgs_by_type": {}, "users_by_role": {}}


def stored_totals(conn: sqlite.Connection) -> dict[str, Any]:
    """The figures stored by the last applied sync (every count 0 before the first)."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (TOTALS_KEY,)).fetchone()
    return json.loads(row[0]) if row and row[0] else empty_totals()
