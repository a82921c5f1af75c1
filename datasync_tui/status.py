"""What `status` reports: counts per topic, sync times, the daemon and staleness."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from connectors.canonical import COUNTED_TOPICS
from datasync_tui.localtime import local_zone, next_daily, parse_hhmm
from datasync_tui.paths import DataDir
from datasync_tui.store import config
from datasync_tui.store.db import connect
from datasync_tui.store.models import Meta, SyncRun
from datasync_tui.sync.apply import TOTALS_KEY
from datasync_tui.sync.lock import holder_pid

ISO = "%Y-%m-%dT%H:%M:%SZ"


def parse_iso(text: str | None) -> datetime | None:
    """Read a stored UTC timestamp."""
    return datetime.strptime(text, ISO).replace(tzinfo=UTC) if text else None


def next_daily_run(sync_at: str, now: datetime | None = None) -> datetime:
    """The next local HH:MM after now, in UTC, by the zone's daylight-saving rules."""
    return next_daily(parse_hhmm(sync_at), local_zone(), now or datetime.now(UTC))


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


def empty_totals() -> dict[str, Any]:
    """The figures before any sync: every count 0."""
    return {"counts": dict.fromkeys(COUNTED_TOPICS, 0), "orgs_by_type": {}, "users_by_role": {}}


def stored_totals() -> dict[str, Any]:
    """The figures stored by the last apply (records marked tobedeleted are never kept)."""
    row = Meta.get_or_none(Meta.key == TOTALS_KEY)
    if row and row.value:
        return json.loads(row.value)
    return empty_totals()


def _stored(data_dir: DataDir) -> tuple[dict[str, Any], SyncRun | None, dict[str, Any] | None]:
    """The stored totals, the last good run and the last attempt (none before a first sync:
    reading never creates the database)."""
    if not data_dir.database.exists():
        return empty_totals(), None, None
    db = connect(data_dir.database)
    try:
        success = (
            SyncRun.select()
            .where(SyncRun.status == "succeeded")
            .order_by(SyncRun.finished_at.desc())
            .first()
        )
        last = SyncRun.select().order_by(SyncRun.id.desc()).first()
        return stored_totals(), success, _attempt(last, data_dir)
    finally:
        db.close()


def collect(data_dir: DataDir) -> dict[str, Any]:
    """The status document (ARCHITECTURE.md `status --json`)."""
    conn = config.load(data_dir)
    totals, success, last_attempt = _stored(data_dir)
    daemon = _daemon_state(data_dir)
    next_run = None
    if conn is not None:
        next_run = daemon["beat"].get("next_run_at") or next_daily_run(
            conn.settings.get("sync_at") or "02:00"
        ).strftime(ISO)
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
    }


def is_stale(
    conn: config.Connection | None, last_success_at: str | None, now: datetime | None = None
) -> bool:
    """True when a connected source has had no successful sync for stale_after_hours."""
    if conn is None:
        return False
    hours = float(conn.settings.get("stale_after_hours") or 36)
    since = parse_iso(last_success_at) or parse_iso(conn.connected_at)
    return since is not None and (now or datetime.now(UTC)) - since > timedelta(hours=hours)
