"""The daily digest: counts and their change since yesterday, open issues by rule with new and
resolved, the Classroom dry run, the last and next sync."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

from datasync_tui import clock
from datasync_tui.alerts.event import Event
from datasync_tui.alerts.facts import totals
from datasync_tui.alerts.messages import footer
from datasync_tui.store import sqlite


def _figures(doc: Mapping[str, Any]) -> dict[str, int]:
    """The dashboard's figures from stored totals."""
    roles, counts = doc.get("users_by_role", {}), doc.get("counts", {})
    return {
        "Students": int(roles.get("student", 0)),
        "Teachers": int(roles.get("teacher", 0)),
        "Other staff": sum(int(n) for r, n in roles.items() if r not in ("student", "teacher")),
        "Schools": int(doc.get("orgs_by_type", {}).get("school", 0)),
        "Terms": int(counts.get("academicSessions", 0)),
        "Courses": int(counts.get("courses", 0)),
        "Classes": int(counts.get("classes", 0)),
        "Enrollments": int(counts.get("enrollments", 0)),
    }


def _yesterday(conn: sqlite.Connection, since: str) -> dict[str, Any] | None:
    """The figures as they stood `since` (the last sync applied by then)."""
    row = conn.execute(
        "SELECT totals FROM sync_runs WHERE status = 'succeeded' AND totals IS NOT NULL "
        "AND finished_at <= ? ORDER BY finished_at DESC, id DESC LIMIT 1",
        (since,),
    ).fetchone()
    return json.loads(row[0]) if row else None


def _rules(conn: sqlite.Connection, since: str) -> list[tuple[str, str, int, int, int]]:
    """(rule, severity, open, new, resolved) at the latest results; new and resolved summed
    over the syncs of the last day."""
    latest = conn.execute("SELECT max(run_id) FROM validation_runs").fetchone()[0]
    if latest is None:
        return []
    rows = conn.execute(
        "SELECT r.rule, r.severity, r.count, "
        "(SELECT coalesce(sum(d.new), 0) FROM validation_results d JOIN sync_runs s "
        " ON s.id = d.run_id WHERE d.rule = r.rule AND s.finished_at > :since), "
        "(SELECT coalesce(sum(d.resolved), 0) FROM validation_results d JOIN sync_runs s "
        " ON s.id = d.run_id WHERE d.rule = r.rule AND s.finished_at > :since) "
        "FROM validation_results r WHERE r.run_id = :run",
        {"since": since, "run": latest},
    ).fetchall()
    found = [(str(a), str(b), int(c), int(d), int(e)) for a, b, c, d, e in rows if c or d or e]
    return sorted(found, key=lambda r: (r[1] != "error", -r[2], r[0]))


def _classroom(conn: sqlite.Connection) -> dict[str, int] | None:
    """The Classroom dry run figures of the latest results."""
    row = conn.execute(
        "SELECT classroom FROM validation_runs ORDER BY run_id DESC LIMIT 1"
    ).fetchone()
    return json.loads(row[0]) if row and row[0] else None


def _last_run(conn: sqlite.Connection) -> tuple[int, str, str | None] | None:
    """The last sync: id, status, finished."""
    row = conn.execute(
        "SELECT id, status, coalesce(finished_at, started_at) FROM sync_runs "
        "WHERE status != 'running' ORDER BY id DESC LIMIT 1"
    ).fetchone()
    return (int(row[0]), str(row[1]), row[2]) if row else None


def _local(text: str | None, zone: tzinfo | None) -> str:
    """A stored UTC stamp on the admin's clock."""
    if not text:
        return "-"
    moment = datetime.strptime(text, clock.ISO_Z).replace(tzinfo=UTC)
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")


def _delta(now: int, before: int | None) -> str:
    """`(+12)`, `(-2)`, `(=)`; nothing without yesterday's figure."""
    if before is None:
        return ""
    diff = now - before
    return " (=)" if diff == 0 else f" ({diff:+,})"


def digest_event(
    conn: sqlite.Connection | None,
    *,
    now: datetime,
    zone: tzinfo | None,
    next_run: str,
    notes: list[str],
    where: str,
    host: str,
) -> Event:
    """The digest as of `now`: `next_run` and `notes` (paused, a window) come from the caller."""
    since = (now - timedelta(hours=24)).strftime(clock.ISO_Z)
    current = totals(conn) if conn is not None else {}
    before = _yesterday(conn, since) if conn is not None else None
    figures, earlier = _figures(current), _figures(before) if before else None
    rules = _rules(conn, since) if conn is not None else []
    dry = _classroom(conn) if conn is not None else None
    last = _last_run(conn) if conn is not None else None
    day = now.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")
    lines = [f"DataSync daily digest, {day}.", ""]
    if last:
        lines.append(f"Last sync: #{last[0]} {last[1]} {_local(last[2], zone)}")
    else:
        lines.append("Last sync: none yet")
    lines.append(f"Next sync: {next_run}")
    lines += notes
    label = "Counts (change since yesterday):" if earlier else "Counts (none from yesterday):"
    lines += ["", label]
    for name, n in figures.items():
        lines.append(f"- {name}: {n:,}{_delta(n, earlier[name] if earlier else None)}")
    errors = sum(r[2] for r in rules if r[1] == "error")
    new_errors = sum(r[3] for r in rules if r[1] == "error")
    lines += ["", "Open issues by rule (new / resolved in the last day):"]
    for rule, severity, count, new, resolved in rules:
        lines.append(f"- {rule} ({severity}): {count:,} open, +{new:,} new, -{resolved:,} resolved")
    if not rules:
        lines.append("- none")
    if dry:
        lines += [
            "",
            "Google Classroom dry run:",
            f"- {dry.get('classes_created', 0):,} classes created, "
            f"{dry.get('classes_skipped', 0):,} skipped",
            f"- {dry.get('users_failing', 0):,} users would fail",
        ]
    lines += ["", "Details: datasync-tui status; datasync-tui validate", "", footer(where, host)]
    subject = f"daily digest: {figures['Students']:,} students, {errors:,} open errors" + (
        f" ({new_errors:,} new)" if new_errors else ""
    )
    detail = {
        "counts": figures,
        "counts_yesterday": earlier,
        "issues": {r[0]: {"open": r[2], "new": r[3], "resolved": r[4]} for r in rules},
        "classroom": {k: v for k, v in (dry or {}).items() if not k.endswith("_because")},
        "next_run": next_run,
    }
    return Event("digest", subject, "\n".join(lines), detail)
