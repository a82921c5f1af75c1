"""What Explore's filter form offers: the stored roles and the schools (small reads)."""

from __future__ import annotations

from datasync_tui.store import sqlite
from datasync_tui.viewmodels.explore.topics import STAFF


def filter_choices(conn: sqlite.Connection, topic: str) -> tuple[list[str], list[tuple[str, str]]]:
    """The roles a filter of topic can take and the schools as (name, sourcedId)."""
    if topic == "users":
        sql = "SELECT DISTINCT primary_role FROM users WHERE primary_role IS NOT NULL ORDER BY 1"
    else:
        sql = "SELECT DISTINCT role FROM enrollments WHERE role IS NOT NULL ORDER BY 1"
    roles = [r for (r,) in conn.execute(sql)]
    if topic == "users":
        roles.append(STAFF)
    schools = conn.execute(
        "SELECT name, sourcedId FROM orgs ORDER BY type = 'district', name"
    ).fetchall()
    return roles, [(n or s, s) for n, s in schools]
