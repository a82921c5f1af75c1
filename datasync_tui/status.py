"""What `status` reports: counts per topic, sync times, the daemon and staleness."""

from __future__ import annotations

import datetime as dt
import json
from datetime import datetime, timedelta
from typing import Any

from datasync_tui import adds_only, alerts, clock, pause
from datasync_tui.localtime import local_zone, next_daily
from datasync_tui.options import Options
from datasync_tui.paths import DataDir
from datasync_tui.store import config
from datasync_tui.store.db import connect
from datasync_tui.store.models import SyncRun
from datasync_tui.store.read import empty_totals, stored_totals
from datasync_tui.sync.lock import holder_pid
from datasync_tui.sync.window import last_withheld


def next_daily_run(sync_at: dt.time, now: datetime | None = None) -> datetime:
    """The next local HH:MM after now, in UTC, by the zone's daylight-saving rules."""
    return next_daily(sync_at, local_zone(), now or clock.now())


def _daemon_state(data_dir: DataDir) -> dict[str, Any]:
    """Whether a daemon holds this data dir, and what its heartbeat says."""
    pid = holder_pid(data_dir.daemon_lock)
    beat: dict[str, Any] = {}
    if pid is not None and data_dir.heartbeat.exists():
        try:
            beat = json.loads(data_dir.heartbeat.read_text("utf-8"))
        except (OSError, ValueError):
            beat = {}
    return {"running": pid is not None, "pid": pid if pid and pid > 0 else None, "beat": beat}


def _attempt(run: SyncRun | None, data_dir: DataDir) -> dict[str, Any] | None:
    """The last attempt as status reports it; a running run whose process died is failed."""
    if run is None:
        return None
    status, error, finished = run.status, run.error, run.finished_at
    if status == "running" and holder_pid(data_dir.sync_lock) is None:
        status, error = "failed", "interrupted: the sync process ended before finishing"
    if status not in ("succeeded", "failed", "held", "running"):
        status = "failed"
    return {"status": status, "started_at": run.started_at, "finished_at": finished, "error": error}


Stored = tuple[dict[str, Any], SyncRun | None, dict[str, Any] | None, dict[str, Any] | None]


def _stored(data_dir: DataDir) -> Stored:
    """The stored totals, the last good run, the last attempt and what the last adds-only sync
    held back (none before a first sync: reading never creates the database)."""
    if not data_dir.database.exists():
        return empty_totals(), None, None, None
    db = connect(data_dir.database)
    try:
        success = (
            SyncRun.select()
            .where(SyncRun.status == "succeeded")
            .order_by(SyncRun.finished_at.desc())
            .first()
        )
        last = SyncRun.select().order_by(SyncRun.id.desc()).first()
        return stored_totals(db.connection()), success, _attempt(last, data_dir), last_withheld(db)
    finally:
        db.close()


def collect(data_dir: DataDir) -> dict[str, Any]:
    """The status document (ARCHITECTURE.md `status --json`)."""
    conn = config.load(data_dir)
    totals, success, last_attempt, withheld = _stored(data_dir)
    window = _window(conn, withheld)
    daemon = _daemon_state(data_dir)
    next_run = None
    if conn is not None:
        next_run = daemon["beat"].get("next_run_at") or clock.iso_z(
            next_daily_run(Options.of(conn.settings).sync_at)
        )
    last_success_at = success.finished_at if success else None
    return {
        "connection": {"method": conn.method, "vendor": conn.vendor} if conn else None,
        "counts": totals["counts"],
        "orgs_by_type": totals["orgs_by_type"],
        "users_by_role": totals["users_by_role"],
        "last_success_at": last_success_at,
        "last_attempt": last_attempt,
        "next_run_at": next_run,
        "daemon": {"running": daemon["running"], "pid": daemon["pid"]},
        "stale": is_stale(conn, last_success_at),
        "paused": held.as_status() if (held := pause.paused(data_dir)) else None,
        "window": window,
        "alerts": alerts.status_doc(data_dir),
    }


def _window(
    conn: config.Connection | None, withheld: dict[str, Any] | None
) -> dict[str, Any] | None:
    """The adds-only window in force, with what its last sync held back; None without one."""
    until = adds_only.active_until(conn.settings if conn else None)
    if until is None:
        return None
    held = withheld if withheld and withheld.get("until") == until else None
    return {
        "adds_only_until": until,
        "held_run": held.get("run_id") if held else None,
        "held_removals": held.get("removed", {}) if held else {},
    }


def is_stale(
    conn: config.Connection | None, last_success_at: str | None, now: datetime | None = None
) -> bool:
    """True when a connected source has had no successful sync for stale_after_hours."""
    if conn is None:
        return False
    hours = Options.of(conn.settings).stale_after_hours
    since = clock.parse_iso(last_success_at) or clock.parse_iso(conn.connected_at)
    return since is not None and (now or clock.now()) - since > timedelta(hours=hours)
