"""Figures over the last syncs, for the dashboard's sparklines: each tile's count, open issues.

Both read what the store already keeps per sync run: `sync_runs.totals` (the status figures
written when a sync applies) and `validation_results` (each rule's count at each sync).
"""

from __future__ import annotations

import json
from typing import Any

from datasync_tui.store import sqlite

POINTS = 12  # syncs shown in a sparkline


def tile_values(totals: dict[str, Any]) -> dict[str, int]:
    """The dashboard's tile figures from a totals document (as `status` counts them)."""
    counts = totals.get("counts", {})
    roles = totals.get("users_by_role", {})
    return {
        "students": roles.get("student", 0),
        "teachers": roles.get("teacher", 0),
        "staff": sum(n for r, n in roles.items() if r not in ("student", "teacher")),
        "schools": totals.get("orgs_by_type", {}).get("school", 0),
        "terms": counts.get("academicSessions", 0),
        "courses": counts.get("courses", 0),
        "classes": counts.get("classes", 0),
        "enrollments": counts.get("enrollments", 0),
        "demographics": counts.get("demographics", 0),
    }


def tile_trends(conn: sqlite.Connection, points: int = POINTS) -> dict[str, tuple[int, ...]]:
    """Each tile's count after each of the last applied syncs, oldest first."""
    rows = conn.execute(
        "SELECT totals FROM sync_runs WHERE status = 'succeeded' AND totals IS NOT NULL "
        "ORDER BY id DESC LIMIT ?",
        (points,),
    ).fetchall()
    series: dict[str, list[int]] = {}
    for (text,) in reversed(rows):
        try:
            values = tile_values(json.loads(text))
        except (TypeError, ValueError):
            continue
        for tile, n in values.items():
            series.setdefault(tile, []).append(n)
    return {tile: tuple(ns) for tile, ns in series.items()}


def issue_trend(conn: sqlite.Connection, points: int = POINTS) -> tuple[int, ...]:
    """Open validation issues (every severity) after each of the last evaluated syncs."""
    rows = conn.execute(
        "SELECT sum(r.count) FROM validation_results r "
        "JOIN (SELECT run_id FROM validation_runs ORDER BY run_id DESC LIMIT ?) v "
        "ON v.run_id = r.run_id GROUP BY r.run_id ORDER BY r.run_id",
        (points,),
    ).fetchall()
    return tuple(int(n or 0) for (n,) in rows)
