"""What the History page shows and does, without Textual: the syncs, a sync's changes, where a
changed record opens in Explore, and what a rollback would undo.

Reads open their own read-only connection (a worker reads while another process writes); the
rollback preview opens the store as the engine does, so the caller holds the app's store lock.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from datasync_tui import history, pause
from datasync_tui.history import Change, RunSummary
from datasync_tui.paths import DataDir
from datasync_tui.store import config, sqlite
from datasync_tui.store.db import connect
from datasync_tui.store.models import TABLES
from datasync_tui.topics import SCREEN_LABELS
from datasync_tui.viewmodels.history.pager import ChangePager
from datasync_tui.viewmodels.history.text import KIND_LABELS
from datasync_tui.viewmodels.validations import EXPLORE_TOPICS, reading


@dataclass(frozen=True)
class HistoryOverview:
    """The History page's figures: every sync, newest first, and the pause in force."""

    connected: bool
    runs: list[RunSummary] = field(default_factory=list)
    paused: pause.Pause | None = None

    def run(self, run_id: int | None) -> RunSummary | None:
        """The listed sync with that number."""
        return next((r for r in self.runs if r.id == run_id), None)


def load_overview(data_dir: DataDir) -> HistoryOverview:
    """Every sync and the pause (nothing when no store is there yet)."""
    try:
        connected = config.load(data_dir) is not None
    except config.ConfigError:
        connected = False
    with reading(data_dir) as conn:
        runs = history.runs(conn) if conn is not None and _has_history(conn) else []
    return HistoryOverview(connected, runs, pause.paused(data_dir))


def _has_history(conn: sqlite.Connection) -> bool:
    """True when the store has the sync history's tables."""
    row = conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE name IN ('sync_runs', 'sync_changes', 'meta')"
    ).fetchone()
    return bool(row and row[0] == 3)


def open_changes(
    data_dir: DataDir, run_id: int, topic: str | None = None, kind: str | None = None
) -> ChangePager | None:
    """A pager over a sync's changes on a connection of its own (None: no such sync)."""
    conn = sqlite.reader(data_dir.database)
    found = history.run(conn, run_id)
    if found is None:
        conn.close()
        return None
    return ChangePager(conn, found, topic, kind)


def topic_choices(run: RunSummary, kind: str | None) -> list[tuple[str | None, str]]:
    """The topics to narrow a sync's changes to (within the kind shown), with their counts."""
    shown = [(t, run.count(t, kind)) for t in run.changes]
    every = (None, f"Every topic ({run.count(None, kind):,})")
    return [every] + [(t, f"{SCREEN_LABELS.get(t, t)} ({n:,})") for t, n in shown if n]


def kind_choices(run: RunSummary, topic: str | None) -> list[tuple[str | None, str]]:
    """The kinds of change to narrow to (within the topic shown), with their counts."""
    shown = [(k, run.count(topic, k)) for k in history.KINDS]
    every = (None, f"Every kind ({run.count(topic, None):,})")
    return [every] + [(k, f"{KIND_LABELS[k]} ({n:,})") for k, n in shown if n]


@dataclass(frozen=True)
class Target:
    """Where Explore shows a changed record, or why it cannot (the record is not in the store)."""

    entry: str | None = None  # Explore's topic entry
    sourced_id: str | None = None
    reason: str | None = None


def explore_target(data_dir: DataDir, run: RunSummary, change: Change) -> Target:
    """The Explore entry and sourcedId of a changed record (a role opens its user), or why it
    is not in the store (removed, or held and not applied)."""
    sid, topic = change.sourcedId, change.topic
    row = None
    with reading(data_dir) as conn:
        if conn is not None and topic in TABLES:
            column = "userSourcedId" if topic == "roles" else "sourcedId"
            row = conn.execute(
                f'SELECT {column} FROM "{TABLES[topic]}" WHERE sourcedId = ?', (sid,)
            ).fetchone()
    if row is not None:
        entry = "users" if topic in ("users", "roles") else EXPLORE_TOPICS.get(topic, "users")
        return Target(entry, row[0])
    if change.change == "removed":
        return Target(reason=f"{sid} was removed by sync #{run.id}: it is not in the store now")
    if run.held:
        return Target(reason=f"{sid} is not in the store: sync #{run.id} is held, not applied")
    return Target(reason=f"{sid} is no longer in the store (a later sync or a rollback)")


@dataclass(frozen=True)
class RollbackPreview:
    """What a rollback to `target` would do: the syncs it undoes, the held sync it discards."""

    target: int
    run: RunSummary | None = None
    undone: list[RunSummary] = field(default_factory=list)
    held: int | None = None
    error: str | None = None  # why it cannot be done (unknown, never applied, pruned)


def rollback_preview(data_dir: DataDir, target: int) -> RollbackPreview:
    """Plan a rollback to target as the engine will (the caller holds the store lock)."""
    from datasync_tui.sync.rollback import RollbackError, plan

    db = connect(data_dir.database)
    try:
        try:
            steps = plan(target)
        except RollbackError as exc:
            return RollbackPreview(target, error=str(exc))
        conn = db.connection()
        undone = [r for r in (history.run(conn, i) for i in steps.undo) if r is not None]
        return RollbackPreview(target, history.run(conn, target), undone, history.held_run(conn))
    finally:
        db.close()
