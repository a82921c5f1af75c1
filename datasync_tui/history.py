"""The sync history and each sync's record-level changes, read in SQL without Textual.

`runs` lists the syncs newest first with their figures; `checked_run` vets a RUN (unknown,
pruned); `iter_changes` and `iter_change_json` stream a run's change log in the order it was
written, optionally one topic or one kind, in keyset batches. Every function takes an open
connection (a read-only one, or the store's own), so the CLI and the TUI's workers share them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from connectors.canonical import TOPIC_ORDER
from datasync_tui.store import sqlite
from datasync_tui.store.models import TABLES
from datasync_tui.sync.changelog import KEPT_FROM_KEY, LOG, bounds
from datasync_tui.sync.runs import STAGED_RUN_KEY

KINDS: tuple[str, ...] = ("added", "updated", "removed", "rekeyed")
BATCH = 2000
# One change as the `changes --json` document lists it, built by SQLite.
CHANGE_JSON = (
    "json_object('topic', topic, 'sourcedId', sourcedId, 'change', change, "
    "'fields', json(fields), 'previous_sourcedId', previous_sourcedId)"
)
_RUN_COLUMNS = (
    "r.id, r.started_at, r.finished_at, r.status, r.error, r.started_by, r.rollback_to, "
    "r.undone_by, r.counts, (SELECT sum(v.count) FROM validation_results v WHERE v.run_id = r.id)"
)


class HistoryError(Exception):
    """A sync that cannot be shown (unknown, or its changes pruned): one line saying why."""


@dataclass(frozen=True)
class RunSummary:
    """One sync of the history: when, how it ended, who started it, what it changed."""

    id: int
    started_at: str
    finished_at: str | None
    status: str
    error: str | None
    started_by: str | None
    rollback_to: int | None  # a rollback: the sync whose state it restored
    undone_by: int | None  # the rollback that undid this sync
    changes: dict[str, dict[str, int]]  # topic → {added, updated, removed, rekeyed}
    issues: int | None  # open validation issues after it (None: the rules did not run)
    pruned: bool = False  # its change log is older than the history kept
    held: bool = False  # its staged data waits for Apply or Discard

    def as_json(self) -> dict[str, Any]:
        """The run as `history --json` lists it."""
        return {
            "id": self.id,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "status": self.status,
            "changes": self.changes,
            "issues": self.issues,
        }

    def count(self, topic: str | None = None, kind: str | None = None) -> int:
        """How many changes of a topic and a kind (None: every one)."""
        return sum(
            n
            for t, figures in self.changes.items()
            if topic in (None, t)
            for k, n in figures.items()
            if kind in (None, k)
        )

    @property
    def has_log(self) -> bool:
        """True when its record-level changes can be read (applied or held, not pruned)."""
        return self.status in ("succeeded", "held") and not self.pruned

    def note(self) -> str:
        """'rolled back to #3', 'undone by #9', 'held: …', the reason it failed, or ''."""
        parts = []
        if self.rollback_to is not None:
            parts.append(f"rolled back to #{self.rollback_to}")
        if self.undone_by is not None:
            parts.append(f"undone by #{self.undone_by}")
        if self.status == "held" and self.held:
            parts.append("held: waiting for Apply or Discard")
        elif self.status == "held":
            parts.append("discarded" if "discarded" in (self.error or "") else "held, not applied")
        if self.status == "failed" and self.error:
            parts.append(self.error)
        return "; ".join(parts)


def _figures(counts_json: str | None) -> dict[str, dict[str, int]]:
    """A run's stored counts as {topic: {added, updated, removed, rekeyed}}, topics in order."""
    try:
        stored = json.loads(counts_json or "{}")
    except ValueError:
        stored = {}
    ordered = [t for t in TOPIC_ORDER if t in stored] + [t for t in stored if t not in TOPIC_ORDER]
    return {t: {k: int(stored[t].get(k) or 0) for k in KINDS} for t in ordered}


def _meta(conn: sqlite.Connection, key: str) -> str | None:
    """A value of the meta table (None when absent)."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row and row[0] else None


def kept_from(conn: sqlite.Connection) -> int | None:
    """The oldest sync whose changes are still whole (None: nothing was ever pruned)."""
    value = _meta(conn, KEPT_FROM_KEY)
    return int(value) if value and value.isdigit() else None


def held_run(conn: sqlite.Connection) -> int | None:
    """The sync whose staged data waits for the admin, if any."""
    value = _meta(conn, STAGED_RUN_KEY)
    return int(value) if value and value.isdigit() else None


def _summary(row: tuple[Any, ...], kept: int | None, held: int | None) -> RunSummary:
    """A RunSummary from a row of _RUN_COLUMNS."""
    run_id, started, finished, status, error, by, to, undone, counts, issues = row
    applied = status in ("succeeded", "held")
    return RunSummary(
        id=run_id,
        started_at=started,
        finished_at=finished,
        status=status,
        error=error,
        started_by=by,
        rollback_to=to,
        undone_by=undone,
        changes=_figures(counts),
        issues=int(issues) if issues is not None else None,
        pruned=applied and kept is not None and run_id < kept,
        held=held == run_id,
    )


def runs(conn: sqlite.Connection, limit: int | None = None) -> list[RunSummary]:
    """Every sync, newest first (the last `limit` when given)."""
    kept, held = kept_from(conn), held_run(conn)
    sql = f"SELECT {_RUN_COLUMNS} FROM sync_runs r ORDER BY r.id DESC"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return [_summary(row, kept, held) for row in conn.execute(sql)]


def run(conn: sqlite.Connection, run_id: int) -> RunSummary | None:
    """One sync, or None when there is no such sync."""
    row = conn.execute(f"SELECT {_RUN_COLUMNS} FROM sync_runs r WHERE r.id = ?", (run_id,))
    found = row.fetchone()
    return _summary(found, kept_from(conn), held_run(conn)) if found else None


def default_run(conn: sqlite.Connection) -> int | None:
    """The sync `changes` shows by default: the held one if there is one, else the last applied."""
    held = held_run(conn)
    if held is not None:
        return held
    row = conn.execute("SELECT max(id) FROM sync_runs WHERE status = 'succeeded'").fetchone()
    return row[0] if row else None


def parse_run(text: str) -> int:
    """A RUN as typed ('12' or '#12'), or HistoryError."""
    value = text.strip().removeprefix("#")
    if not value.isdigit():
        raise HistoryError(f"RUN {text!r}: expected a sync number such as 12 (see `history`)")
    return int(value)


def checked_run(conn: sqlite.Connection, run_id: int) -> RunSummary:
    """The sync whose changes are asked for, or HistoryError (unknown, or its changes pruned)."""
    found = run(conn, run_id)
    if found is None:
        raise HistoryError(f"there is no sync #{run_id}; `datasync-tui history` lists them")
    if found.pruned:
        oldest = kept_from(conn)
        raise HistoryError(
            f"the changes of sync #{run_id} were pruned: only the last keep_syncs syncs' "
            f"changes are kept (from #{oldest} on)"
        )
    return found


def check_topic(topic: str | None) -> str | None:
    """A topic as asked for (None: every one), or HistoryError naming the topics."""
    if topic is None or topic in TOPIC_ORDER:
        return topic
    raise HistoryError(f"--topic {topic!r}: not a topic; one of {', '.join(TOPIC_ORDER)}")


def where(run_id: int, topic: str | None, kind: str | None) -> tuple[str, list[object]]:
    """The WHERE clause (and its parameters) of a run's changes, one topic and kind or all."""
    where, params = ["run_id = ?"], [run_id]
    if topic is not None:
        where.append("topic = ?")
        params.append(topic)
    if kind is not None:
        where.append("change = ?")
        params.append(kind)
    return " AND ".join(where), params


@dataclass(frozen=True)
class Change:
    """One record a sync added, updated, removed or re-keyed."""

    id: int
    topic: str
    sourcedId: str
    change: str
    previous_sourcedId: str | None
    fields: dict[str, list[Any]] | None  # updated: {name: [before, after]}
    row: dict[str, Any] | None  # removed, rekeyed: the record as it was

    def as_json(self) -> dict[str, Any]:
        """The change as `changes --json` lists it."""
        return {
            "topic": self.topic,
            "sourcedId": self.sourcedId,
            "change": self.change,
            "fields": self.fields,
            "previous_sourcedId": self.previous_sourcedId,
        }


def change_of(row: tuple[Any, ...]) -> Change:
    """A Change from a log row (id, topic, sourcedId, change, previous, fields, row)."""
    cid, topic, sid, kind, previous, fields, old = row
    return Change(
        cid, topic, sid, kind, previous, json.loads(fields) if fields else None,
        json.loads(old) if old else None,
    )  # fmt: skip


CHANGE_COLUMNS = "id, topic, sourcedId, change, previous_sourcedId, fields, row"


def iter_changes(
    conn: sqlite.Connection,
    run_id: int,
    topic: str | None = None,
    kind: str | None = None,
    batch: int = BATCH,
) -> Iterator[Change]:
    """A run's changes in log order, read in keyset batches (never all at once)."""
    cond, params = where(run_id, topic, kind)
    first, last = bounds(conn, run_id)
    sql = (
        f"SELECT {CHANGE_COLUMNS} FROM {LOG} WHERE {cond} AND id > ? AND id <= {last} "
        f"ORDER BY id LIMIT {batch}"
    )
    after = first - 1
    while rows := conn.execute(sql, [*params, after]).fetchall():
        yield from map(change_of, rows)
        after = rows[-1][0]


def iter_change_json(
    conn: sqlite.Connection,
    run_id: int,
    topic: str | None = None,
    kind: str | None = None,
    batch: int = BATCH,
) -> Iterator[str]:
    """A run's changes as JSON objects (text made by SQLite), in log order, in batches."""
    cond, params = where(run_id, topic, kind)
    first, last = bounds(conn, run_id)
    sql = (
        f"SELECT id, {CHANGE_JSON} FROM {LOG} WHERE {cond} AND id > ? AND id <= {last} "
        f"ORDER BY id LIMIT {batch}"
    )
    after = first - 1
    while rows := conn.execute(sql, [*params, after]).fetchall():
        for _, text in rows:
            yield text
        after = rows[-1][0]


def added_rows(
    conn: sqlite.Connection, run: RunSummary, changes: list[Change]
) -> dict[int, dict[str, Any]]:
    """The records the added changes name (change id → row): from the store, or from a held
    sync's staged data (a row since removed or rolled back is simply not found)."""
    wanted: dict[str, dict[str, int]] = {}
    for c in changes:
        if c.change == "added" and c.topic in TABLES:
            wanted.setdefault(c.topic, {})[c.sourcedId] = c.id
    found: dict[int, dict[str, Any]] = {}
    for topic, ids in wanted.items():
        table = f'main."held_{TABLES[topic]}"' if run.held else f'"{TABLES[topic]}"'
        marks = ", ".join("?" * len(ids))
        try:
            cursor = conn.execute(f"SELECT * FROM {table} WHERE sourcedId IN ({marks})", list(ids))
        except sqlite.OperationalError:  # no held table (an older store, a sync since)
            continue
        names = [d[0] for d in cursor.description]
        for values in cursor:
            row = dict(zip(names, values, strict=True))
            found[ids[row["sourcedId"]]] = row
    return found
