"""The sync engine: connector → staging → deletion check → one-transaction apply → SyncRun."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import peewee as pw

from connectors.base import Connector, ConnectorError, SyncState
from connectors.registry import resolve
from datasync_tui import clock
from datasync_tui.paths import DataDir
from datasync_tui.store import config
from datasync_tui.store.db import connect
from datasync_tui.store.faults import fault_message, short_of_space
from datasync_tui.store.models import Meta, SyncRun
from datasync_tui.sync.apply import apply_topics, finish_apply
from datasync_tui.sync.changelog import KEEP_SYNCS, log_loaded, log_staged, prune
from datasync_tui.sync.counts import Progress, TopicChanges
from datasync_tui.sync.direct import live_is_empty, load_direct, unload_direct
from datasync_tui.sync.findings import record_findings
from datasync_tui.sync.hold import over_threshold
from datasync_tui.sync.lock import BusyError, FileLock
from datasync_tui.sync.rekey import find_rekeys
from datasync_tui.sync.staging import (
    HELD_REMOVED,
    REMOVED,
    drop_held,
    drop_staging,
    held_table,
    held_topics,
    keep_held,
    stage_stream,
    stage_table,
)
from datasync_tui.sync.window import withhold_removals

__all__ = ["BusyError", "SyncError", "SyncResult", "apply_held", "discard_held", "run_sync"]

STAGED_RUN_KEY = "staged_run"


class SyncError(Exception):
    """A sync cannot start (nothing connected, a held run that can no longer be applied)."""


@dataclass
class SyncResult:
    """How a sync ended and what it changed."""

    run_id: int
    status: str  # succeeded | failed | held
    changes: dict[str, dict[str, int]] = field(default_factory=dict)
    error: str | None = None
    held_because: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    duplicates: int = 0


def now_iso() -> str:
    """The current UTC time as ISO 8601 with a Z."""
    return clock.iso_z()


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
) -> SyncResult:
    """Run one sync of the saved source; the last good data stays whatever happens."""
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
            )
            result = (
                _result(run, {}, [])
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
        result = _fail(db, run, changes, exc, connector)
    except BaseException as exc:  # KeyboardInterrupt, SystemExit: record, then let it go on
        _fail(db, run, changes, exc, connector)
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
    _log_changes(raw, run.id, changes)
    held = [] if force or window or _first_sync(conn) else over_threshold(conn.settings, changes)
    if held:
        keep_held(raw, [t for t, c in changes.items() if not c.direct])
        for topic in [t for t, c in changes.items() if c.direct]:
            unload_direct(raw, topic, held_table(topic))
        return _hold(run, changes, held, warnings)
    staged = {t: stage_table(t) for t, c in changes.items() if c.changed and not c.direct}
    removed = REMOVED if any(c.removed for c in changes.values()) else None
    apply_topics(raw, run.id, staged, removed)
    changed = {t for t, c in changes.items() if c.changed}
    finish_apply(db, run.id, changed)
    prune(raw, int(conn.settings.get("keep_syncs") or KEEP_SYNCS))
    _run_rules(db, run.id, conn.settings, unchanged=not changed)
    _finish(run, "succeeded", changes, warnings)
    return _result(run, changes, warnings)


def _log_changes(raw: Any, run_id: int, changes: dict[str, TopicChanges]) -> None:
    """Write the run's record-level change log (before it applies or is held), re-keys found."""
    removed = REMOVED if any(c.removed for c in changes.values()) else None
    for topic, c in changes.items():
        if c.direct:
            log_loaded(raw, run_id, topic)
        elif c.changed:
            log_staged(raw, run_id, topic, stage_table(topic), removed if c.removed else None)
    find_rekeys(raw, run_id, changes)


def _run_rules(
    db: pw.Database, run_id: int, settings: dict[str, str] | None, unchanged: bool = False
) -> None:
    """Run the validation rules over what the run applied (imported here: the rules and their
    email grammar are not needed to read the store, so the TUI starts without them)."""
    from datasync_tui.rules import after_sync

    after_sync(db, run_id, settings, unchanged=unchanged)


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


def _counts(changes: dict[str, TopicChanges]) -> str:
    """The per-topic figures as stored JSON."""
    return json.dumps({t: c.as_counts() for t, c in changes.items()})


def _finish(
    run: SyncRun, status: str, changes: dict[str, TopicChanges], warnings: list[str], **extra: Any
) -> None:
    """Close the run with its outcome."""
    run.status = status
    run.finished_at = now_iso()
    run.counts = _counts(changes)
    run.warnings = json.dumps(warnings)
    for key, value in extra.items():
        setattr(run, key, value)
    run.save()


def _hold(
    run: SyncRun, changes: dict[str, TopicChanges], reasons: list[str], warnings: list[str]
) -> SyncResult:
    """Keep the staged data under the run and apply nothing."""
    _finish(run, "held", changes, warnings, error="held: " + "; ".join(reasons))
    Meta.replace(key=STAGED_RUN_KEY, value=str(run.id)).execute()
    result = _result(run, changes, warnings)
    result.held_because = reasons
    return result


def _fail(
    db: pw.Database,
    run: SyncRun,
    changes: dict[str, TopicChanges],
    exc: BaseException,
    connector: Connector | None,
) -> SyncResult:
    """Record a failed run; its transaction is rolled back, so the previous data is untouched."""
    # A full disk or a damaged store is told as such (not as the rollback error it caused).
    message = fault_message(exc, Path(db.database)) or str(exc) or exc.__class__.__name__
    if isinstance(exc, KeyboardInterrupt):
        message = "interrupted (previous data kept)"
    warnings = list(connector.warnings) if connector else []
    _finish(run, "failed", changes, warnings, error=message)
    result = _result(run, changes, warnings)
    result.error = message
    return result


def _result(run: SyncRun, changes: dict[str, TopicChanges], warnings: list[str]) -> SyncResult:
    """The public summary of a run."""
    return SyncResult(
        run_id=run.id,
        status=run.status,
        changes={t: c.as_counts() for t, c in changes.items()},
        error=run.error,
        warnings=warnings,
        duplicates=sum(c.repeated_rows for c in changes.values()),
    )


def _removed_topics(raw: Any) -> set[str]:
    """The topics a held run removes records from."""
    return {r[0] for r in raw.execute(f"SELECT DISTINCT topic FROM {HELD_REMOVED}")}


def held_run_id(db: pw.Database) -> int | None:
    """The run whose staged data waits for the admin, if any."""
    row = Meta.get_or_none(Meta.key == STAGED_RUN_KEY)
    return int(row.value) if row and row.value else None


def apply_held(data_dir: DataDir, run_id: int) -> SyncResult:
    """Apply a held run's staged data, only if no newer sync has run since."""
    with FileLock(data_dir.sync_lock):
        db = connect(data_dir.database)
        try:
            if held_run_id(db) != run_id:
                raise SyncError(f"sync #{run_id} has no staged data to apply (a newer sync ran)")
            newer = (
                SyncRun.select()
                .where((SyncRun.id > run_id) & (SyncRun.status != "failed"))
                .exists()
            )
            if newer:
                raise SyncError(f"a newer sync ran after #{run_id}; run a new sync instead")
            run = SyncRun.get_by_id(run_id)
            with db.atomic("IMMEDIATE"):
                raw = db.connection()
                topics = {t: held_table(t) for t in held_topics(raw)}
                apply_topics(raw, run.id, topics, HELD_REMOVED)
                finish_apply(db, run.id, set(topics) | _removed_topics(raw))
                _run_rules(db, run.id, getattr(config.load(data_dir), "settings", None))
                run.status, run.finished_at, run.error = "succeeded", now_iso(), None
                run.forced = True
                run.save()
                Meta.replace(key=STAGED_RUN_KEY, value=None).execute()
                drop_held(raw)
            counts = json.loads(run.counts)
            return SyncResult(run_id=run.id, status="succeeded", changes=counts)
        finally:
            db.close()


def discard_held(data_dir: DataDir, run_id: int) -> None:
    """Throw away a held run's staged data; the current data stays as it is."""
    with FileLock(data_dir.sync_lock):
        db = connect(data_dir.database)
        try:
            if held_run_id(db) == run_id:
                with db.atomic("IMMEDIATE"):
                    drop_held(db.connection())
                    Meta.replace(key=STAGED_RUN_KEY, value=None).execute()
            run = SyncRun.get_or_none(SyncRun.id == run_id)
            if run is not None and run.status == "held" and "discarded" not in (run.error or ""):
                run.error = f"{run.error} (discarded; nothing applied)"
                run.save()
        finally:
            db.close()
