"""What the Dashboard shows, computed without Textual: the facts, the tiles, the next run."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from connectors.registry import METHODS, vendors
from datasync_tui.clock import parse_iso
from datasync_tui.options import Options
from datasync_tui.paths import DataDir
from datasync_tui.status import collect, next_daily_run
from datasync_tui.status import is_stale as status_is_stale
from datasync_tui.store import config
from datasync_tui.store.db import connect
from datasync_tui.store.models import SyncRun
from datasync_tui.sync import held_run_id
from datasync_tui.viewmodels.format import display_path
from datasync_tui.viewmodels.trends import tile_trends, tile_values

# The dashboard's tiles: (id, label, topic whose change it shows, how its count is read).
TILE_SPECS: tuple[tuple[str, str, str], ...] = (
    ("students", "Students", "users"),
    ("teachers", "Teachers", "users"),
    ("staff", "Admins & staff", "users"),
    ("schools", "Schools", "orgs"),
    ("terms", "Terms", "academicSessions"),
    ("courses", "Courses", "courses"),
    ("classes", "Classes", "classes"),
    ("enrollments", "Enrollments", "enrollments"),
    ("demographics", "Demographics", "demographics"),
)


@dataclass(frozen=True)
class Tile:
    """One dashboard tile: its count and the change of its topic at the last applied sync."""

    id: str
    label: str
    topic: str
    count: int
    added: int | None = None
    removed: int | None = None
    net: bool = False  # a part of a topic (a role, a kind of org): only the net change is known
    trend: tuple[int, ...] = ()  # the count after each of the last syncs, oldest first


@dataclass(frozen=True)
class HeldRun:
    """A sync held at the deletion threshold, waiting for Apply or Discard."""

    run_id: int
    started_at: str
    reasons: list[str]
    removed: dict[str, int]


@dataclass(frozen=True)
class Facts:
    """Everything the dashboard shows, read in one go off the UI thread."""

    status: dict[str, Any]
    connection: config.Connection | None
    changes: dict[str, dict[str, int]] = field(default_factory=dict)
    held: HeldRun | None = None
    findings: int = 0
    previous_totals: dict[str, Any] | None = None  # status figures after the sync before
    trends: dict[str, tuple[int, ...]] = field(default_factory=dict)  # by tile, oldest first


def load_facts(data_dir: DataDir) -> Facts:
    """The status document plus the last applied changes, a held run and the findings count."""
    status = collect(data_dir)
    conn = config.load(data_dir)
    db = connect(data_dir.database)
    try:
        last = _last_applied()
        changes = json.loads(last.counts) if last else {}
        findings = duplicate_sourcedids(last.id) if last else 0
        held = _held(held_run_id(db))
        before = _last_applied(before=last.id) if last else None
        trends = tile_trends(db.connection())
    finally:
        db.close()
    previous = json.loads(before.totals) if before and before.totals else None
    if last and before is None:  # the first sync: everything came in with it
        previous = {"counts": {}, "orgs_by_type": {}, "users_by_role": {}}
    return Facts(status, conn, changes, held, findings, previous, trends)


def duplicate_sourcedids(run_id: int) -> int:
    """The `duplicate-sourcedid` rule's figure at a run: the very number the Validations page
    shows (one per sourcedId sent more than once in a topic, not one per repeated row)."""
    row = SyncRun._meta.database.execute_sql(
        "SELECT count FROM validation_results WHERE run_id = ? AND rule = ?",
        (run_id, "duplicate-sourcedid"),
    ).fetchone()
    return row[0] if row is not None else 0


def _last_applied(before: int | None = None) -> SyncRun | None:
    """The newest succeeded sync run (older than run `before` when given)."""
    query = SyncRun.select().where(SyncRun.status == "succeeded")
    if before is not None:
        query = query.where(SyncRun.id < before)
    return query.order_by(SyncRun.id.desc()).first()


def _held(run_id: int | None) -> HeldRun | None:
    """The held run's reasons and removals (the caller holds the database open)."""
    run = SyncRun.get_or_none(SyncRun.id == run_id) if run_id else None
    if run is None or run.status != "held":
        return None
    reasons = [r.strip() for r in (run.error or "").removeprefix("held:").split(";") if r.strip()]
    removed = {t: c.get("removed", 0) for t, c in json.loads(run.counts).items()}
    return HeldRun(run.id, run.started_at, reasons, {t: n for t, n in removed.items() if n})


def tiles(facts: Facts) -> list[Tile]:
    """The nine dashboard tiles, counts from the same figures as `status --json`."""
    values = tile_values(facts.status)
    before = tile_values(facts.previous_totals) if facts.previous_totals is not None else None
    out = []
    for tile_id, label, topic in TILE_SPECS:
        change = facts.changes.get(topic)
        trend = facts.trends.get(tile_id, ())
        if tile_id in PART_TILES:
            if before is None or not change:
                out.append(Tile(tile_id, label, topic, values[tile_id], net=True, trend=trend))
                continue
            diff = values[tile_id] - before[tile_id]
            out.append(
                Tile(
                    tile_id, label, topic, values[tile_id], max(diff, 0), max(-diff, 0), True, trend
                )
            )
            continue
        added = change["added"] if change else None
        removed = change["removed"] if change else None
        out.append(Tile(tile_id, label, topic, values[tile_id], added, removed, trend=trend))
    return out


# Tiles that count part of a topic: their change is the difference of the stored totals.
PART_TILES = ("students", "teachers", "staff", "schools")


def change_text(tile: Tile) -> str:
    """'+12 −3' at the last sync, 'no change', or '' before any sync: one wording for every tile.

    A tile that counts part of a topic (a role, schools) knows only the difference of its
    counts, shown the same way: +9 −0 when it grew by 9.
    """
    if tile.added is None or tile.removed is None:
        return ""
    if tile.added == 0 and tile.removed == 0:
        return "no change"
    return f"+{tile.added:,} −{tile.removed:,}"


def next_run(facts: Facts, now: datetime) -> datetime | None:
    """The next scheduled run: the daemon's word when it runs, else the next sync_at after now."""
    if facts.connection is None:
        return None
    if facts.status["daemon"]["running"] and facts.status.get("next_run_at"):
        return parse_iso(facts.status["next_run_at"])
    return next_daily_run(Options.of(facts.connection.settings).sync_at, now)


def is_stale(facts: Facts, now: datetime) -> bool:
    """No successful sync within stale_after_hours (judged at now)."""
    return status_is_stale(facts.connection, facts.status["last_success_at"], now)


def source_label(conn: config.Connection | None) -> str:
    """'PowerSchool SIS · OneRoster CSV · district.zip', or 'No source connected'."""
    if conn is None:
        return "No source connected"
    parts = []
    vendor = vendors().get(conn.vendor) if conn.vendor else None
    if vendor:
        parts.append(vendor.label)
    method = METHODS.get(conn.method)
    parts.append(method.label if method else conn.method)
    where = conn.settings.get("path") or conn.settings.get("base_url")
    if where:
        parts.append(display_path(where))
    return " · ".join(parts)
