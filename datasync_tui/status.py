"""What `status` reports: counts per topic, sync times, the daemon and staleness."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from connectors.canonical import COUNTED_TOPICS
from datasync_tui.paths import DataDir
from datasync_tui.store import config
from datasync_tui.store.db import connect
from datasync_tui.store.models import TABLES, SyncRun
from datasync_tui.sync.lock import holder_pid

ISO = "%Y-%m-%dT%H:%M:%SZ"


def parse_iso(text: str | None) -> datetime | None:
    """Read a stored UTC timestamp."""
    return datetime.strptime(text, ISO).replace(tzinfo=UTC) if text else None


def next_daily_run(sync_at: str, now: datetime | None = None) -> datetime:
    """The next local HH:MM after now, in UTC."""
    local_now = (now or datetime.now(UTC)).astimezone()
    hour, minute = (int(x) for x in sync_at.split(":"))
    candidate = local_now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if candidate <= local_now:
        candidate = (candidate + timedelta(days=1)).replace(hour=hour, minute=minute)
    return candidate.astimezone(UTC)


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


def collect(data_dir: DataDir) -> dict[str, Any]:
    """The status document (ARCHITECTURE.md `status --json`)."""
    conn = config.load(data_dir)
    db = connect(data_dir.database)
    try:
        counts = {
            topic: db.execute_sql(
                f"SELECT count(*) FROM \"{TABLES[topic]}\" WHERE status IS NOT 'tobedeleted'"
            ).fetchone()[0]
            for topic in COUNTED_TOPICS
        }
        orgs_by_type = dict(
            db.execute_sql(
                "SELECT coalesce(type, 'unknown'), count(*) FROM orgs "
                "WHERE status IS NOT 'tobedeleted' GROUP BY 1 ORDER BY 2 DESC, 1"
            ).fetchall()
        )
        users_by_role = dict(
            db.execute_sql(
                "SELECT coalesce(primary_role, 'unknown'), count(*) FROM users "
                "WHERE status IS NOT 'tobedeleted' GROUP BY 1 ORDER BY 2 DESC, 1"
            ).fetchall()
        )
        success = (
            SyncRun.select()
            .where(SyncRun.status == "succeeded")
            .order_by(SyncRun.finished_at.desc())
            .first()
        )
        last = SyncRun.select().order_by(SyncRun.id.desc()).first()
        last_attempt = _attempt(last, data_dir)
    finally:
        db.close()
    daemon = _daemon_state(data_dir)
    next_run = None
    if conn is not None:
        next_run = daemon["beat"].get("next_run_at") or next_daily_run(
            conn.settings.get("sync_at") or "02:00"
        ).strftime(ISO)
    last_success_at = success.finished_at if success else None
    return {
        "connection": {"method": conn.method, "vendor": conn.vendor} if conn else None,
        "counts": counts,
        "orgs_by_type": orgs_by_type,
        "users_by_role": users_by_role,
        "last_success_at": last_success_at,
        "last_attempt": last_attempt,
        "next_run_at": next_run,
        "daemon": {"running": daemon["running"], "pid": daemon["pid"]},
        "stale": is_stale(conn, last_success_at),
    }


def is_stale(conn: config.Connection | None, last_success_at: str | None) -> bool:
    """True when a connected source has had no successful sync for stale_after_hours."""
    if conn is None:
        return False
    hours = float(conn.settings.get("stale_after_hours") or 36)
    since = parse_iso(last_success_at) or parse_iso(conn.connected_at)
    return since is not None and datetime.now(UTC) - since > timedelta(hours=hours)
