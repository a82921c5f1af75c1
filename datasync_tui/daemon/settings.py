"""What the daemon reads from the data dir: the saved connection's schedule and alert settings,
and when the last good sync finished."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from datasync_tui.clock import ISO_Z as ISO
from datasync_tui.clock import parse_iso
from datasync_tui.options import Options
from datasync_tui.paths import DataDir
from datasync_tui.store import config
from datasync_tui.store.db import connect
from datasync_tui.store.models import SyncRun


def iso(moment: dt.datetime | None) -> str | None:
    """A UTC timestamp as status stores it."""
    return moment.astimezone(dt.UTC).strftime(ISO) if moment else None


@dataclass(frozen=True)
class Settings:
    """What the daemon takes from the saved connection; re-read on SIGHUP."""

    connected: bool = False
    sync_at: dt.time = dt.time(2, 0)
    stale_after: dt.timedelta = dt.timedelta(hours=36)
    notify_url: str | None = None
    digest_at: dt.time | None = None
    connected_at: dt.datetime | None = None
    secrets: tuple[str, ...] = ()


def read_settings(data_dir: DataDir) -> Settings:
    """The schedule, staleness and notify settings of the saved connection (defaults if none)."""
    conn = config.load(data_dir)
    if conn is None:
        return Settings()
    options = Options.of(conn.settings)
    if options.stale_after_hours <= 0:
        raise ValueError(
            f"stale_after_hours {options.stale_after_hours:g}: expected a positive number of hours"
        )
    return Settings(
        connected=True,
        sync_at=options.sync_at,
        stale_after=dt.timedelta(hours=options.stale_after_hours),
        notify_url=options.notify_url,
        digest_at=options.digest_at,
        connected_at=parse_iso(conn.connected_at),
        secrets=tuple(v for v in conn.secrets.values() if v),
    )


def read_last_success(data_dir: DataDir) -> dt.datetime | None:
    """When the last successful sync of this data dir finished (any process ran it)."""
    db = connect(data_dir.database)
    try:
        run = (
            SyncRun.select()
            .where(SyncRun.status == "succeeded")
            .order_by(SyncRun.finished_at.desc())
            .first()
        )
        return parse_iso(run.finished_at) if run else None
    finally:
        db.close()
