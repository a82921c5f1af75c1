"""Rows of a view at any position, read from an index: keyset pages, never a deep scan.

A view with no search or filter is paged with keys: the first rows, the last rows (the index
walked backwards), the rows after or before a known key. Jumps far into it (a scrollbar drag)
start from a checkpoint: the key of every STEP-th row, gathered once in the background by hops of
STEP rows along the index, which also counts the rows exactly. A searched or filtered view keeps
the rowids of its matches in order (at most CAP of them) and reads the rows it shows by rowid.
"""

from __future__ import annotations

import threading
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from datasync_tui.store import sqlite
from datasync_tui.store.read import stored_totals
from datasync_tui.viewmodels.explore import query
from datasync_tui.viewmodels.explore.topics import STAFF, Sort, View

Key = tuple[object, ...]
STEP = 512  # rows between two checkpoints
CAP = 200_000  # a narrowed view keeps at most this many rowids in memory (8 bytes each)
KNOWN_MAX = 20_000  # keys of positions seen, kept to page on from them


@dataclass(frozen=True)
class Row:
    """One row as the table shows it: its rowid and its cells as text."""

    rowid: int
    cells: tuple[str, ...]


def _text(value: object) -> str:
    """A cell as text."""
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


class Pager:
    """The rows of one view; `rows(start, count)` answers from an index at any position."""

    def __init__(
        self,
        conn: sqlite.Connection,
        view: View,
        total: int,
        *,
        exact: bool = True,
        rowids: array[int] | None = None,
        staff_roles: list[str] | None = None,
    ) -> None:
        self.conn = conn
        self.view = view
        self.spec = view.spec
        self.sort: Sort = self.spec.sort(view.sort)
        self.total = total
        self.exact = exact  # False: at least `total` rows (counting goes on in the background)
        self.rowids = rowids
        self.checkpoints: list[Key] | None = None
        self._known: dict[int, Key] = {}
        self._lock = threading.Lock()
        self._where, self._params = query.where(view, staff_roles)
        self._cells_sql = "SELECT t.rowid, {} FROM {} t WHERE t.rowid IN ({{}})".format(
            ", ".join(c.sql for c in self.spec.columns), self.spec.table
        )

    @property
    def materialized(self) -> bool:
        """True when the matching rowids are held (a searched or filtered view)."""
        return self.rowids is not None

    # -- keys --------------------------------------------------------------------------------

    def _order(self, forward: bool) -> str:
        """ORDER BY of the key, in the view's direction (forward) or against it."""
        down = self.view.descending == forward
        return ", ".join(f"{k} {'DESC' if down else 'ASC'}" for k in self.sort.keys)

    def _beyond(self, forward: bool, inclusive: bool = False) -> str:
        """The row-value condition 'key after :k' in the given direction."""
        down = self.view.descending == forward
        op = ("<" if down else ">") + ("=" if inclusive else "")
        names = ", ".join(f":k{i}" for i in range(len(self.sort.keys)))
        return f"({', '.join(self.sort.keys)}) {op} ({names})"

    def _keys(
        self,
        conn: sqlite.Connection,
        after: Key | None,
        forward: bool,
        count: int,
        *,
        offset: int = 0,
        inclusive: bool = False,
    ) -> list[Key]:
        """Up to count keys from after (exclusive unless inclusive), skipping offset."""
        where, params = self._where, dict(self._params)
        if after is not None:
            where = f"{where} AND {self._beyond(forward, inclusive)}"
            params.update({f"k{i}": v for i, v in enumerate(after)})
        sql = (
            f"SELECT {', '.join(self.sort.keys)} FROM {self.spec.table} WHERE {where} "
            f"ORDER BY {self._order(forward)} LIMIT {int(count)} OFFSET {int(offset)}"
        )
        return conn.execute(sql, params).fetchall()

    # -- rows --------------------------------------------------------------------------------

    def rows(self, start: int, count: int) -> list[Row]:
        """The rows at positions start .. start+count-1 (fewer at the end)."""
        with self._lock:
            start = max(0, start)
            end = min(start + count, self.total) if self.exact else start + count
            if end <= start:
                return []
            if self.rowids is not None:
                return self._cells(list(self.rowids[start:end]))
            keys = self._locate(start, end)
            if len(self._known) > KNOWN_MAX:
                self._known.clear()
            for i, key in enumerate(keys):
                self._known[start + i] = key
            return self._cells([key[-1] for key in keys])  # type: ignore[misc]

    def _locate(self, start: int, end: int) -> list[Key]:
        """The keys of positions start .. end-1, from the nearest known place."""
        count, conn = end - start, self.conn
        if start == 0:
            return self._keys(conn, None, True, count)
        if self.exact and end >= self.total:
            return self._keys(conn, None, False, count)[::-1]
        if start - 1 in self._known:
            return self._keys(conn, self._known[start - 1], True, count)
        if end in self._known:
            return self._keys(conn, self._known[end], False, count)[::-1]
        if self.checkpoints:
            i = min(start // STEP, len(self.checkpoints) - 1)
            skip = start - i * STEP
            return self._keys(conn, self.checkpoints[i], True, count, offset=skip, inclusive=True)
        return self._keys(conn, None, True, count, offset=start)  # until checkpoints arrive

    def _cells(self, rowids: list[int]) -> list[Row]:
        """The shown cells of those rows, in the order given."""
        if not rowids:
            return []
        sql = self._cells_sql.format(", ".join("?" * len(rowids)))
        found = {r[0]: r[1:] for r in self.conn.execute(sql, rowids)}
        return [
            Row(rowid, tuple(_text(v) for v in found[rowid])) for rowid in rowids if rowid in found
        ]

    # -- counting ----------------------------------------------------------------------------

    def gather_checkpoints(
        self, conn: sqlite.Connection, stop: Callable[[], bool] = lambda: False
    ) -> bool:
        """Walk the index once (own connection): keep every STEP-th key, count the rows exactly.

        Returns False when stopped before the end.
        """
        if self.rowids is not None:
            return True
        first = self._keys(conn, None, True, 1)
        points: list[Key] = list(first)
        while points and not stop():
            hop = self._keys(conn, points[-1], True, 1, offset=STEP - 1)
            if not hop:
                break
            points.extend(hop)
        if stop():
            return False
        tail = 0
        if points:
            tail = len(self._keys(conn, points[-1], True, STEP, inclusive=True))
        total = (len(points) - 1) * STEP + tail if points else 0
        with self._lock:
            self.checkpoints = points
            if total != self.total or not self.exact:
                self._known.clear()
            self.total, self.exact = total, True
        return True

    def interrupt(self) -> None:
        """Stop a query running on this pager's connection (a newer search replaces it)."""
        self.conn.interrupt()

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def iter_rows(self, conn: sqlite.Connection, batch: int = 2000) -> Iterator[Row]:
        """Every row of the view in order (for an export), read in keyset batches."""
        cells_sql = self._cells_sql
        if self.rowids is not None:
            for i in range(0, len(self.rowids), batch):
                ids = list(self.rowids[i : i + batch])
                sql = cells_sql.format(", ".join("?" * len(ids)))
                found = {r[0]: r[1:] for r in conn.execute(sql, ids)}
                yield from (Row(r, tuple(map(_text, found[r]))) for r in ids if r in found)
            return
        after: Key | None = None
        while True:
            keys = self._keys(conn, after, True, batch)
            if not keys:
                return
            ids = [k[-1] for k in keys]
            sql = cells_sql.format(", ".join("?" * len(ids)))
            found = {r[0]: r[1:] for r in conn.execute(sql, ids)}
            yield from (Row(r, tuple(map(_text, found[r]))) for r in ids if r in found)  # type: ignore[index]
            after = keys[-1]


def _role_alone(view: View, by_role: dict[str, int]) -> bool:
    """True when the view is users of one stored role by name: the role+name index pages it."""
    filters = view.filters
    return (
        view.topic == "users"
        and not view.search.strip()
        and filters.role in by_role
        and filters.role != STAFF
        and (filters.school, filters.status, filters.domain) == (None, None, None)
        and view.spec.sort(view.sort).id == "name"
    )


def open_view(conn: sqlite.Connection, view: View) -> Pager:
    """A pager over view: counted from the stored totals, or its matches gathered (at most CAP)."""
    spec = view.spec
    totals = stored_totals(conn)
    by_role: dict[str, int] = totals.get("users_by_role", {})
    staff = [r for r in by_role if r not in ("student", "teacher")] if by_role else None
    if not view.narrowed() or _role_alone(view, by_role):
        total = (
            by_role.get(view.filters.role or "", 0)
            if view.narrowed()
            else totals.get("counts", {}).get(spec.topic)
        )
        if total is None:
            total = conn.execute(f"SELECT count(*) FROM {spec.table}").fetchone()[0]
        return Pager(conn, view, total)
    pager = Pager(conn, view, 0, staff_roles=staff)
    where, params = pager._where, pager._params
    sql = (
        f"SELECT rowid FROM {spec.table} WHERE {where} "
        f"ORDER BY {pager._order(True)} LIMIT {CAP + 1}"
    )
    found = array("q", (r[0] for r in conn.execute(sql, params)))
    if len(found) <= CAP:
        pager.rowids, pager.total = found, len(found)
    else:
        pager.total, pager.exact = CAP, False
    return pager
