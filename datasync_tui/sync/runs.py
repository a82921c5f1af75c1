"""A sync run's record: how it ended (succeeded, held, failed), its figures, its rules."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import peewee as pw

from connectors.base import Connector
from datasync_tui import clock
from datasync_tui.errors import DataSyncError
from datasync_tui.store.faults import fault_message
from datasync_tui.store.models import Meta, SyncRun
from datasync_tui.sync.counts import TopicChanges

STAGED_RUN_KEY = "staged_run"


class SyncError(DataSyncError):
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


def run_rules(
    db: pw.Database, run_id: int, settings: dict[str, str] | None, unchanged: bool = False
) -> None:
    """Run the validation rules over what the run applied (imported here: the rules and their
    email grammar are not needed to read the store, so the TUI starts without them)."""
    from datasync_tui.rules import after_sync

    after_sync(db, run_id, settings, unchanged=unchanged)


def counts_json(changes: dict[str, TopicChanges]) -> str:
    """The per-topic figures as stored JSON."""
    return json.dumps({t: c.as_counts() for t, c in changes.items()}, separators=(",", ":"))


def finish(
    run: SyncRun, status: str, changes: dict[str, TopicChanges], warnings: list[str], **extra: Any
) -> None:
    """Close the run with its outcome."""
    run.status = status
    run.finished_at = now_iso()
    run.counts = counts_json(changes)
    run.warnings = json.dumps(warnings)
    for key, value in extra.items():
        setattr(run, key, value)
    run.save()


def hold(
    run: SyncRun, changes: dict[str, TopicChanges], reasons: list[str], warnings: list[str]
) -> SyncResult:
    """Keep the staged data under the run and apply nothing."""
    finish(run, "held", changes, warnings, error="held: " + "; ".join(reasons))
    Meta.replace(key=STAGED_RUN_KEY, value=str(run.id)).execute()
    result = result_of(run, changes, warnings)
    result.held_because = reasons
    return result


def fail(
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
    run.changes_first = run.changes_last = None  # its change log was rolled back with it
    finish(run, "failed", changes, warnings, error=message)
    result = result_of(run, changes, warnings)
    result.error = message
    return result


def result_of(run: SyncRun, changes: dict[str, TopicChanges], warnings: list[str]) -> SyncResult:
    """The public summary of a run."""
    return SyncResult(
        run_id=run.id,
        status=run.status,
        changes={t: c.as_counts() for t, c in changes.items()},
        error=run.error,
        warnings=warnings,
        duplicates=sum(c.repeated_rows for c in changes.values()),
    )


def held_run_id(db: pw.Database) -> int | None:
    """The run whose staged data waits for the admin, if any."""
    row = Meta.get_or_none(Meta.key == STAGED_RUN_KEY)
    return int(row.value) if row and row.value else None
