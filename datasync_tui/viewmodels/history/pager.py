"""A sync's changes at any position, for a virtual table: keyset pages on the log's ids.

The first rows are read from the start of the run's log, the last ones walking it backwards,
the rows after or before a known position from its id. Jumps far into it (a scrollbar drag)
start from a checkpoint: the id of every STEP-th change, gathered once in the background by hops
along the log, which also counts the changes exactly. Nothing is read that is not shown, so a
first sync of a million enrollments opens as fast as a sync of ten records.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from datasync_tui.history import CHANGE_COLUMNS, Change, RunSummary, added_rows, change_of, where
from datasync_tui.store import sqlite
from datasync_tui.sync.changelog import LOG, bounds
from datasync_tui.topics import SCREEN_LABELS
from datasync_tui.viewmodels.explore import Row
from datasync_tui.viewmodels.explore.topics import Column
from datasync_tui.viewmodels.history.text import KIND_LABELS, change_detail

STEP = 512  # changes between two checkpoints
KNOWN_MAX = 20_000  # positions whose ids are kept to page on from them

COLUMNS: tuple[Column, ...] = (
    Column("topic", "Topic", "topic", 12),
    Column("change", "Change", "change", 8),
    Column("sourcedId", "sourcedId", "sourcedId", 20),
    Column("detail", "What changed", "", 160),
)


def _cells(c: Change, live: dict[str, object] | None) -> tuple[str, ...]:
    """A change's cells: topic, kind, sourcedId, what changed."""
    topic = SCREEN_LABELS.get(c.topic, c.topic)
    return (topic, KIND_LABELS[c.change], c.sourcedId, change_detail(c, live))


def _cells(c: Change, live: dict[str, Any] | None) -> tuple[str, ...]:
    """A change's cells: topic, kind, sourcedId, what changed."""
    topic = SCREEN_LABELS.get(c.topic, c.topic)
    return (topic, KIND_LABELS[c.change], c.sourcedId, change_detail(c, live))


def fitted_columns(first: list[Row]) -> tuple[Column, ...]:
    """The columns, "What changed" as wide as the longest of the first rows needs (farther
    rows that are longer end in …), so no scrollbar shows when nothing is cut."""
    width = max([len(COLUMNS[-1].label), *(len(r.cells[-1]) for r in first)])
    return (*COLUMNS[:-1], replace(COLUMNS[-1], width=min(width, COLUMNS[-1].width)))


class ChangePager:
    """The changes of one run (one topic and one kind, or every one); `rows(start, count)`."""

    def __init__(
        self,
        conn: sqlite.Connection,
        run: RunSummary,
        topic: str | None = None,
        kind: str | None = None,
    ) -> None:
        self.conn = conn
        self.run = run
        self.topic, self.kind = topic, kind
        self.total = run.count(topic, kind) if run.has_log else 0  # made exact by the walk
        self.checkpoints: list[int] | None = None
        self._known: dict[int, int] = {}  # position → change id
        self._changes: dict[int, Change] = {}  # change id → change, for the rows last read
        self._lock = threading.Lock()
        self._where, self._params = where(run.id, topic, kind)
        self._first, self._last = bounds(conn, run.id)  # the run's changes: ids first..last

    def _read(
        self,
        conn: sqlite.Connection,
        after: int | None,
        forward: bool,
        count: int,
        *,
        offset: int = 0,
        inclusive: bool = False,
        columns: str = CHANGE_COLUMNS,
    ) -> list[tuple[object, ...]]:
        """Up to count log rows from the id after (exclusive unless inclusive), skipping offset."""
        sql = f"SELECT {columns} FROM {LOG} WHERE {self._where}"
        params = list(self._params)
        # One bound on each side (the key's, else the run's own), so SQLite reads no further.
        if after is None:
            after, inclusive = (self._first if forward else self._last), True
        sql += f" AND id {'>' if forward else '<'}{'=' if inclusive else ''} ?"
        sql += f" AND id {'<=' if forward else '>='} {self._last if forward else self._first}"
        params.append(after)
        sql += (
            f" ORDER BY id {'ASC' if forward else 'DESC'} LIMIT {int(count)} OFFSET {int(offset)}"
        )
        return conn.execute(sql, params).fetchall()

    def rows(self, start: int, count: int) -> list[Row]:
        """The rows at positions start .. start+count-1 (fewer at the end)."""
        with self._lock:
            start = max(0, start)
            end = min(start + count, self.total)
            if end <= start:
                return []
            changes = [change_of(r) for r in self._locate(start, end)]
            if len(self._known) > KNOWN_MAX:
                self._known.clear()
                self._changes.clear()
            for i, c in enumerate(changes):
                self._known[start + i] = c.id
                self._changes[c.id] = c
            live = added_rows(self.conn, self.run, changes)
            return [Row(c.id, _cells(c, live.get(c.id))) for c in changes]

    def _locate(self, start: int, end: int) -> list[tuple[object, ...]]:
        """The log rows of positions start .. end-1, read from the nearest known place."""
        count, conn = end - start, self.conn
        if start == 0:
            return self._read(conn, None, True, count)
        if end >= self.total:
            return self._read(conn, None, False, count)[::-1]
        if start - 1 in self._known:
            return self._read(conn, self._known[start - 1], True, count)
        if end in self._known:
            return self._read(conn, self._known[end], False, count)[::-1]
        if self.checkpoints:
            i = min(start // STEP, len(self.checkpoints) - 1)
            skip = start - i * STEP
            return self._read(conn, self.checkpoints[i], True, count, offset=skip, inclusive=True)
        return self._read(conn, None, True, count, offset=start)  # until checkpoints arrive

    def change(self, change_id: int) -> Change | None:
        """A change read for the rows on screen (None once it scrolled far away)."""
        with self._lock:
            return self._changes.get(change_id)

    def gather_checkpoints(
        self, conn: sqlite.Connection, stop: Callable[[], bool] = lambda: False
    ) -> bool:
        """Walk the run's log once (own connection): every STEP-th id, and the exact count.

        Returns False when stopped before the end.
        """
        first = self._read(conn, None, True, 1, columns="id")
        points = [int(r[0]) for r in first]  # type: ignore[call-overload]
        while points and not stop():
            hop = self._read(conn, points[-1], True, 1, offset=STEP - 1, columns="id")
            if not hop:
                break
            points.append(int(hop[0][0]))  # type: ignore[call-overload]
        if stop():
            return False
        tail = 0
        if points:
            tail = len(self._read(conn, points[-1], True, STEP, inclusive=True, columns="id"))
        total = (len(points) - 1) * STEP + tail if points else 0
        with self._lock:
            self.checkpoints = points
            if total != self.total:
                self._known.clear()
            self.total = total
        return True

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()
