"""The sync engine: connector → staging → deletion check → one-transaction apply → SyncRun."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import Any

import peewee as pw

from connectors.base import Connector, ConnectorError, SyncState
from connectors.registry import resolve
from datasync_tui.options import Options
from datasync_tui.paths import DataDir
from datasync_tui.store import config
from datasync_tui.store.db import connect
from datasync_tui.store.faults import short_of_space
from datasync_tui.store.models import Meta, SyncRun
from datasync_tui.sync.apply import apply_topics, finish_apply
from datasync_tui.sync.changelog import last_id, log_loaded, log_staged, prune, span
from datasync_tui.sync.counts import Progress, TopicChanges
from datasync_tui.sync.direct import live_is_empty, load_direct, unload_direct
from datasync_tui.sync.findings import record_findings
from datasync_tui.sync.held import apply_held, discard_held
from datasync_tui.sync.hold import over_threshold
from datasync_tui.sync.lock import BusyError, FileLock
from datasync_tui.sync.rekey import find_rekeys
from datasync_tui.sync.runs import (
    STAGED_RUN_KEY,
    SyncError,
    SyncResult,
    fail,
    finish,
    held_run_id,
    hold,
    now_iso,
    result_of,
    run_rules,
)
from datasync_tui.sync.staging import (
    REMOVED,
    drop_held,
    drop_staging,
    held_table,
    keep_held,
    stage_stream,
    stage_table,
)
from datasync_tui.sync.window import withhold_removals

__all__ = [
    "BusyError",
    "SyncError",
    "SyncResult",
    "apply_held",
    "discard_held",
    "held_run_id",
    "run_sync",
]


def make_connector(conn: config.Connection) -> Connector:
    """Build the saved source's connector."""
    method, _ = resolve(conn.vendor or conn.method, conn.method)
    return method.load()(conn.all_settings())


def run_sync(
    data_dir: DataDir,
    *,
    force: bool = False,
    progress: Progress | None = None,
    connector_factory: Callable[[config.Connection], Connector] = make_connector,
    started_by: str = "command line",
) -> SyncResult:
    """Run one sync of the saved source; the last good data stays whatever happens.

    `started_by` says who or what started it, for the history (command line, daemon, TUI).
    """
    conn = config.load(data_dir)
    if conn is None:
        raise SyncError("no source connected yet; run `datasync-tui connect` first")
    with FileLock(data_dir.sync_lock):
        db = connect(data_dir.database)
        try:
            _close_interrupted_runs()
            # On a nearly full disk the run is recorded as failed at once: once it is full,
            # not even the failure could be written.
            short = short_of_space(data_dir.root)
            run = SyncRun.create(
                started_at=now_iso(),
                status="failed" if short else "running",
                finished_at=now_iso() if short else None,
                error=short,
                method=conn.method,
                connection_id=conn.connection_id,
                forced=force,
                pid=os.getpid(),
                started_by=started_by,
            )
            result = (
                result_of(run, {}, [])
                if short
                else _sync(db, run, conn, force, progress, connector_factory)
            )
        finally:
            db.close()
    _announce(data_dir, result)
    return result


def _announce(data_dir: DataDir, result: SyncResult) -> None:
    """Alert the admin of what this outcome changes (email, notify_url); a few seconds at most,
    never raising: a send failure is logged and shown by `status` (imported here, as below)."""
    try:
        from datasync_tui.alerts import after_sync

        after_sync(data_dir, result)
    except Exception as exc:  # the sync's result stands whatever the alerts do
        # A channel that fails is recorded by the alerts themselves (alerts.log, `status`); what
        # keeps them from starting (a full disk, say) is the sync's own line already.
        logging.getLogger(__name__).debug("alerts after sync #%s: %s", result.run_id, exc)


def _close_interrupted_runs() -> None:
    """Runs still marked running while we hold the lock died mid-way: record that."""
    SyncRun.update(
        status="failed",
        finished_at=now_iso(),
        error="interrupted: the sync process ended before finishing (previous data kept)",
    ).where(SyncRun.status == "running").execute()


def _sync(
    db: pw.Database,
    run: SyncRun,
    conn: config.Connection,
    force: bool,
    progress: Progress | None,
    connector_factory: Callable[[config.Connection], Connector],
) -> SyncResult:
    """Stage and apply in one transaction (held: keep what would change); record a failure."""
    connector: Connector | None = None
    changes: dict[str, TopicChanges] = {}
    try:
        connector = connector_factory(conn)
        state = _sync_state(conn)
        with db.atomic("IMMEDIATE"):
            result = _stage_then_apply(db, run, conn, connector, state, force, progress, changes)
    except (ConnectorError, OSError, pw.DatabaseError, ValueError) as exc:
        result = fail(db, run, changes, exc, connector)
    except BaseException as exc:  # KeyboardInterrupt, SystemExit: record, then let it go on
        fail(db, run, changes, exc, connector)
        raise
    finally:
        drop_staging(db.connection())
        if connector is not None:
            connector.close()
    return result


def _stage_then_apply(
    db: pw.Database,
    run: SyncRun,
    conn: config.Connection,
    connector: Connector,
    state: SyncState,
    force: bool,
    progress: Progress | None,
    changes: dict[str, TopicChanges],
) -> SyncResult:
    """Read every topic (into an empty live table directly, else into staging), then decide."""
    raw = db.connection()
    drop_held(raw)  # an older held run's data goes (and comes back if this sync fails)
    drop_staging(raw)
    Meta.replace(key=STAGED_RUN_KEY, value=None).execute()
    for stream in connector.fetch(state):
        load = load_direct if live_is_empty(raw, stream.topic) else stage_stream
        changes[stream.topic] = load(raw, stream, progress)
    warnings = list(connector.warnings)
    warnings += [
        f"{c.topic}: {c.blank_ids:,} records have no sourcedId and were skipped"
        for c in changes.values()
        if c.blank_ids
    ]
    # An adds-only window (sync/window.py) holds every removal back and applies the rest.
    window = [] if force else withhold_removals(raw, run.id, conn.settings, changes)
    warnings += window
    run.full = all(c.mode == "bulk" for c in changes.values())
    record_findings(run, changes)
    _log_changes(raw, run, changes)
    held = [] if force or window or _first_sync(conn) else over_threshold(conn.settings, changes)
    if held:
        keep_held(raw, [t for t, c in changes.items() if not c.direct])
        for topic in [t for t, c in changes.items() if c.direct]:
            unload_direct(raw, topic, held_table(topic))
        return hold(run, changes, held, warnings)
    staged = {t: stage_table(t) for t, c in changes.items() if c.changed and not c.direct}
    removed = REMOVED if any(c.removed for c in changes.values()) else None
    apply_topics(raw, run.id, staged, removed)
    changed = {t for t, c in changes.items() if c.changed}
    finish_apply(db, run.id, changed)
    prune(raw, Options.of(conn.settings).keep_syncs)
    run_rules(db, run.id, conn.settings, unchanged=not changed)
    finish(run, "succeeded", changes, warnings)
    return result_of(run, changes, warnings)


def _log_changes(raw: Any, run: SyncRun, changes: dict[str, TopicChanges]) -> None:
    """Write the run's record-level change log (before it applies or is held), re-keys found;
    the run notes the ids of its changes."""
    run_id, before = run.id, last_id(raw)
    removed = REMOVED if any(c.removed for c in changes.values()) else None
    for topic, c in changes.items():
        if c.direct:
            log_loaded(raw, run_id, topic)
        elif c.changed:
            log_staged(raw, run_id, topic, removed if c.removed else None)
    find_rekeys(raw, run_id, changes, before)
    run.changes_first, run.changes_last = span(raw, before)


def _sync_state(conn: config.Connection) -> SyncState:
    """When this connection last synced, and last synced in full."""
    ok = (SyncRun.connection_id == conn.connection_id) & (SyncRun.status == "succeeded")
    last = SyncRun.select().where(ok).order_by(SyncRun.id.desc()).first()
    full = SyncRun.select().where(ok & SyncRun.full).order_by(SyncRun.id.desc()).first()
    return SyncState(
        last_success_started_at=last.started_at if last else None,
        last_full_started_at=full.started_at if full else None,
    )


def _first_sync(conn: config.Connection) -> bool:
    """True when this connection has never had a successful sync (it is never held)."""
    return (
        not SyncRun.select()
        .where((SyncRun.connection_id == conn.connection_id) & (SyncRun.status == "succeeded"))
        .exists()
    )
