"""A held sync decided by the admin: applied (only if no newer sync ran since) or discarded."""

from __future__ import annotations

import json
from typing import Any

from datasync_tui.paths import DataDir
from datasync_tui.store import config
from datasync_tui.store.db import connect
from datasync_tui.store.models import Meta, SyncRun
from datasync_tui.sync.apply import apply_topics, finish_apply
from datasync_tui.sync.lock import FileLock
from datasync_tui.sync.runs import (
    STAGED_RUN_KEY,
    SyncError,
    SyncResult,
    held_run_id,
    now_iso,
    run_rules,
)
from datasync_tui.sync.staging import HELD_REMOVED, drop_held, held_table, held_topics


def _removed_topics(raw: Any) -> set[str]:
    """The topics a held run removes records from."""
    return {r[0] for r in raw.execute(f"SELECT DISTINCT topic FROM {HELD_REMOVED}")}


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
                run_rules(db, run.id, getattr(config.load(data_dir), "settings", None))
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
