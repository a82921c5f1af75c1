"""Read a topic stream in batches of table-ready rows, skipping rows whose fingerprint is live."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain, islice
from typing import Any

import orjson

from connectors.base import ConnectorError, TopicStream
from connectors.canonical import TOPICS
from datasync_tui.store import sqlite
from datasync_tui.store.models import DERIVED_SEED, columns

BATCH_ROWS = 5_000
PROGRESS_EVERY = 50_000
MAX_VALUES = 960  # values bound per statement (old SQLite builds allow 999)

Progress = Callable[[str, int, int | None], None]
Shaper = Callable[[Sequence[Any], int, int], tuple[Any, ...]]


@dataclass
class TopicChanges:
    """What one topic of a sync changes, and how it was loaded."""

    topic: str
    mode: str
    live_rows: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    direct: bool = False  # loaded straight into an empty live table
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (sourcedId, where)

    def as_counts(self) -> dict[str, int]:
        """The per-topic figures a SyncRun keeps."""
        return {
            "added": self.added,
            "updated": self.updated,
            "removed": self.removed,
            "unchanged": self.unchanged,
        }

    @property
    def changed(self) -> bool:
        """True when the topic adds, updates or removes anything."""
        return bool(self.added or self.updated or self.removed)


# SQLite stores a bound NaN as NULL (https://sqlite.org/floatingpoint.html), and Python's sqlite3
# binds a float directly while None and bool go through its adapter lookup first (~0.5 µs each):
# rows are built with NULL_CELL for None and 0/1 for booleans, so a load binds only str/int/float.
NULL_CELL = float("nan")


def _json_list(value: Any) -> str | float:
    """A list field as stored: JSON text, or NULL."""
    return NULL_CELL if value is None else orjson.dumps(value).decode()


def _json_extras(value: Any) -> str | float:
    """The extras as stored: JSON text when there are any, else NULL."""
    return orjson.dumps(value).decode() if value else NULL_CELL


def _cell(kind: str, at: str) -> str:
    """The generated expression binding value `at` of a field of this kind."""
    if kind == "list":
        return f"_list({at})"
    if kind == "bool":
        return f"(N if (x := {at}) is None else 1 if x is True else 0 if x is False else x)"
    return f"(N if (x := {at}) is None else x)"


def make_shaper(stream: TopicStream, with_ordinal: bool) -> Shaper:
    """Build shape(values, fp, ordinal) → a row in table column order, generated once per stream.

    Only column positions and fixed helper names enter the generated source.
    """
    return _generate(stream, "def shape(v, fp, ordinal):\n", with_ordinal)


def make_loader_row(stream: TopicStream) -> Callable[[Any], tuple[Any, ...]]:
    """Build row(raw) → the table row of a source row (normalised, fingerprinted) in one call."""
    head = "def shape(raw):\n    v = normalize(raw)\n    fp = fingerprint(raw)\n"
    return _generate(stream, head, False)


def _generate(stream: TopicStream, head: str, with_ordinal: bool) -> Any:
    """Generate the shaping function: `head` (its def line and set-up), then the row."""
    kinds = dict(TOPICS[stream.topic])
    unknown = [f for f in stream.fields if f not in kinds]
    if unknown:
        raise ConnectorError(f"connector sent non-canonical fields {unknown}", stream.topic)
    slot = {name: i for i, name in enumerate(stream.fields)}
    parts = []
    for col in columns(stream.topic):
        if col == "row_hash":
            parts.append("fp")
        elif col == "extras":
            parts.append(f"(_extras(x) if (x := v[{len(stream.fields)}]) else N)")
        elif col not in slot:
            parts.append("N")
        else:
            parts.append(_cell(kinds[col], f"v[{slot[col]}]"))
    if with_ordinal:
        parts.append("ordinal")
    source = f"{head}    return ({', '.join(parts)},)\n"
    namespace: dict[str, Any] = {
        "_list": _json_list,
        "_extras": _json_extras,
        "N": NULL_CELL,
        "normalize": stream.normalize,
        "fingerprint": stream.fingerprint,
    }
    exec(compile(source, f"<shape {stream.topic}>", "exec"), namespace)
    return namespace["shape"]


def insert_all(
    conn: sqlite.Connection, table: str, stream: TopicStream, progress: Progress | None
) -> int:
    """Insert every row of the stream (no diffing): rows are built as SQLite pulls them.

    Rows go in by statements of many rows each (one VALUES list of up to ~960 values): a third
    less time than a statement per row, as each statement costs a call and a reset.
    """
    rows = map(make_loader_row(stream), stream.rows)
    cols = columns(stream.topic)
    width = len(cols)
    per_statement = max(1, MAX_VALUES // width)
    # A derived column starts as a copy of a source column (the refresh then writes only the
    # rows where it differs): the same bound value, by number.
    seeds = [(target, cols.index(source)) for target, source in DERIVED_SEED.get(stream.topic, ())]
    col_list = ", ".join(f'"{c}"' for c in [*cols, *(target for target, _ in seeds)])
    head = f'INSERT INTO "{table}" ({col_list}) VALUES '

    def values(row: int) -> str:
        """The VALUES item of the row-th row of a statement."""
        at = [row * width + k + 1 for k in range(width)] + [row * width + k + 1 for _, k in seeds]
        return f"({', '.join(f'?{n}' for n in at)})"

    many = head + ", ".join(values(r) for r in range(per_statement))
    single = head + values(0)
    rest: list[tuple[Any, ...]] = []
    statements = _full_statements(rows, per_statement, rest)
    chunk = max(1, PROGRESS_EVERY // per_statement)
    done = 0
    while True:
        inserted = conn.executemany(many, islice(statements, chunk)).rowcount
        done += inserted
        if inserted < chunk * per_statement:
            break
        if progress:
            progress(stream.topic, done, None)
    if rest:
        done += conn.executemany(single, rest).rowcount
    if progress:
        progress(stream.topic, done, done)
    return done


def _full_statements(
    rows: Iterator[tuple[Any, ...]], per_statement: int, rest: list[tuple[Any, ...]]
) -> Iterator[tuple[Any, ...]]:
    """The values of `per_statement` rows at a time, flat; the rows of a last, shorter set go
    into `rest`."""
    while True:
        batch = list(islice(rows, per_statement))
        if len(batch) < per_statement:
            rest.extend(batch)
            return
        yield tuple(chain.from_iterable(batch))


class RowReader:
    """Iterates a stream: counts rows whose fingerprint is live and unseen, batches the rest."""

    def __init__(
        self,
        stream: TopicStream,
        live: dict[int, int],
        shape: Shaper,
        progress: Progress | None,
    ) -> None:
        self.stream = stream
        self.live = live  # fingerprint → 0 until seen, then the ordinal it was seen at
        self.shape = shape
        self.progress = progress
        self.total = 0
        self.unchanged = 0

    def batches(self) -> Iterator[list[tuple[Any, ...]]]:
        """Yield lists of table-ready rows; live rows seen unchanged are only counted."""
        stream, live, shape, progress = self.stream, self.live, self.shape, self.progress
        fingerprint, normalize = stream.fingerprint, stream.normalize
        batch: list[tuple[Any, ...]] = []
        ordinal = unchanged = 0
        for raw in stream.rows:
            ordinal += 1
            fp = fingerprint(raw)
            if live.get(fp) == 0:
                live[fp] = ordinal
                unchanged += 1
            else:
                batch.append(shape(normalize(raw), fp, ordinal))
                if len(batch) >= BATCH_ROWS:
                    yield batch
                    batch = []
            if progress and not ordinal % PROGRESS_EVERY:
                progress(stream.topic, ordinal, stream.expected_rows)
        if batch:
            yield batch
        self.total, self.unchanged = ordinal, unchanged
        if progress:
            progress(stream.topic, ordinal, ordinal)
