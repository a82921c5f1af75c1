"""Rollback: the store as it was after a kept sync, by undoing the later syncs' change logs.

Newest first, each applied sync's log is undone in SQL (additions deleted, updated fields set
back, removed rows put back, re-keys reversed), in one transaction under the writer lock, and
recorded as a run of its own whose log is the inverse. A rollback run stands for the state it
restored: walking back, the syncs it undid are skipped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import peewee as pw

from connectors.canonical import TOPIC_ORDER
from datasync_tui import pause
from datasync_tui.errors import UsageError
from datasync_tui.paths import DataDir
from datasync_tui.store import config, sqlite
from datasync_tui.store.db import connect
from datasync_tui.store.models import TABLES, Meta, SyncRun, columns
from datasync_tui.sync.apply import finish_apply
from datasync_tui.sync.changelog import KEPT_FROM_KEY, LOG, last_id, of_run, span
from datasync_tui.sync.counts import TopicChanges
from datasync_tui.sync.lock import FileLock
from datasync_tui.sync.runs import STAGED_RUN_KEY, SyncResult, finish, now_iso, result_of, run_rules
from datasync_tui.sync.staging import drop_held


class RollbackError(UsageError):
    """The sync asked for cannot be rolled back to (unknown, not applied, or its later logs
    were pruned)."""


@dataclass(frozen=True)
class Plan:
    """What a rollback to `target` undoes: these applied syncs, newest first."""

    target: int
    undo: tuple[int, ...]


def rollback(data_dir: DataDir, target: int, started_by: str = "command line") -> SyncResult:
    """Make the store what it was after sync `target`, in one transaction under the writer lock,
    recorded as a run; then pause scheduled syncs (the source still holds what was undone)."""
    saved = config.load(data_dir)
    with FileLock(data_dir.sync_lock):
        db = connect(data_dir.database)
        try:
            steps = plan(target)
            with db.atomic("IMMEDIATE"):
                run = SyncRun.create(
                    started_at=now_iso(),
                    status="running",
                    method=saved.method if saved else None,
                    connection_id=saved.connection_id if saved else None,
                    started_by=started_by,
                    rollback_to=target,
                )
                raw = db.connection()
                drop_held(raw)  # a held sync no longer applies on top of this
                Meta.replace(key=STAGED_RUN_KEY, value=None).execute()
                before = last_id(raw)
                changes = undo(raw, run.id, steps.undo)
                run.changes_first, run.changes_last = span(raw, before)
                mark_undone(db, run.id, steps.undo)
                finish_apply(db, run.id, set(changes))
                run_rules(db, run.id, saved.settings if saved else None)
                finish(run, "succeeded", changes, [])
            result = result_of(run, changes, [])
        finally:
            db.close()
    pause.pause(data_dir, reason=f"rolled back to sync #{target}")
    return result


def plan(target: int) -> Plan:
    """The syncs to undo to get back to the state after sync `target`, or RollbackError."""
    run = SyncRun.get_or_none(SyncRun.id == target)
    if run is None:
        raise RollbackError(f"there is no sync #{target}; `datasync-tui history` lists them")
    if run.status != "succeeded" or run.undone_by is not None:
        why = f"undone by #{run.undone_by}" if run.undone_by else f"it was {run.status}"
        raise RollbackError(f"sync #{target} was never applied as it stands ({why})")
    later = (
        SyncRun.select(SyncRun.id, SyncRun.rollback_to)
        .where(
            (SyncRun.id > target) & (SyncRun.status == "succeeded") & SyncRun.undone_by.is_null()
        )
        .order_by(SyncRun.id.desc())
    )
    undo = tuple(r.id for r in later if r.rollback_to is None)
    kept = Meta.get_or_none(Meta.key == KEPT_FROM_KEY)
    if undo and kept and kept.value and min(undo) < int(kept.value):
        raise RollbackError(
            f"sync #{target} is older than the history kept (keep_syncs): the changes of "
            f"#{min(undo)} were pruned"
        )
    return Plan(target, undo)


def undo(
    conn: sqlite.Connection, rollback_id: int, runs: tuple[int, ...]
) -> dict[str, TopicChanges]:
    """Undo the runs' logs (newest first), logging the inverse under rollback_id; the figures."""
    changes = {t: TopicChanges(topic=t, mode="bulk") for t in TOPIC_ORDER}
    for run_id in runs:
        for topic in reversed(TOPIC_ORDER):
            _undo_topic(conn, rollback_id, run_id, topic, changes[topic])
    return {t: c for t, c in changes.items() if c.changed}


def _undo_topic(
    conn: sqlite.Connection, rollback_id: int, run_id: int, topic: str, c: TopicChanges
) -> None:
    """Undo one run's changes to one topic."""
    live, cols = f'"{TABLES[topic]}"', columns(topic)
    mine = f"{of_run(run_id, 'x')} AND x.topic = '{topic}'"
    as_json = "json_object(" + ", ".join(f"'{col}', l.\"{col}\"" for col in cols) + ")"
    # The inverse, logged first (while the rows are as the run left them).
    c.removed += _log(
        conn,
        f"SELECT {rollback_id}, '{topic}', l.sourcedId, 'removed', NULL, NULL, {as_json} "
        f"FROM {LOG} x JOIN {live} l ON l.sourcedId = x.sourcedId "
        f"WHERE {mine} AND x.change = 'added'",
    )
    c.added += _log(
        conn,
        f"SELECT {rollback_id}, '{topic}', x.sourcedId, 'added', NULL, NULL, NULL FROM {LOG} x "
        f"WHERE {mine} AND x.change = 'removed'",
    )
    c.updated += _log(
        conn,
        f"SELECT {rollback_id}, '{topic}', x.sourcedId, 'updated', NULL, "
        "(SELECT json_group_object(f.key, json_array(json_extract(f.value, '$[1]'), "
        "json_extract(f.value, '$[0]'))) FROM json_each(x.fields) f), NULL "
        f"FROM {LOG} x WHERE {mine} AND x.change = 'updated'",
    )
    c.rekeyed += _log(
        conn,
        f"SELECT {rollback_id}, '{topic}', x.previous_sourcedId, 'rekeyed', x.sourcedId, NULL, "
        f"{as_json} FROM {LOG} x JOIN {live} l ON l.sourcedId = x.sourcedId "
        f"WHERE {mine} AND x.change = 'rekeyed'",
    )
    # Then the undoing: what the run added (or re-keyed to) goes …
    conn.execute(
        f"DELETE FROM {live} WHERE sourcedId IN (SELECT x.sourcedId FROM {LOG} x "
        f"WHERE {mine} AND x.change IN ('added', 'rekeyed'))"
    )
    # … updated fields get their values back …
    for col in cols:
        if col == "sourcedId":
            continue
        path = "$." + json.dumps(col)
        conn.execute(
            f"UPDATE {live} SET \"{col}\" = json_extract(x.fields, '{path}[0]') FROM {LOG} x "
            f"WHERE {mine} AND x.change = 'updated' AND x.sourcedId = {live}.sourcedId "
            f"AND json_type(x.fields, '{path}') IS NOT NULL"
        )
    # … and what it removed (or re-keyed from) comes back as it was.
    col_list = ", ".join(f'"{col}"' for col in cols)
    values = ", ".join(f"json_extract(x.row, '$.{json.dumps(col)}')" for col in cols)
    conn.execute(
        f"INSERT INTO {live} ({col_list}) SELECT {values} FROM {LOG} x "
        f"WHERE {mine} AND x.change IN ('removed', 'rekeyed') ORDER BY x.id"
    )


def _log(conn: sqlite.Connection, select: str) -> int:
    """Insert the selected inverse changes into the log; how many."""
    return conn.execute(
        f"INSERT INTO {LOG} (run_id, topic, sourcedId, change, previous_sourcedId, fields, row) "
        f"{select}"
    ).rowcount


def mark_undone(db: pw.Database, rollback_id: int, runs: tuple[int, ...]) -> None:
    """Note on each undone sync which rollback undid it."""
    if runs:
        SyncRun.update(undone_by=rollback_id).where(SyncRun.id.in_(runs)).execute()
