"""Rows from a source that streams them (APIs, SIF): shaped for a table, inserted in batches."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain, islice
from typing import Any

import orjson

from connectors.base import ConnectorError, Targets, TopicStream
from connectors.canonical import TOPICS
from datasync_tui.store import sqlite
from datasync_tui.sync.counts import Progress

PROGRESS_EVERY = 50_000
MAX_VALUES = 960  # values bound per statement (old SQLite builds allow 999)

# SQLite stores a bound NaN as NULL (https://sqlite.org/floatingpoint.html), and the driver binds
# a float directly while None and bool go through its adapter lookup first (~0.5 µs each): rows
# are built with NULL_CELL for None and 0/1 for booleans, so a load binds only str/int/float.
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


def make_shaper(stream: TopicStream, targets: Targets) -> Any:
    """Build shape(raw, ordinal) → the table row of a source row, in `targets` order.

    Generated once per stream (a row then costs one call); only value positions and fixed
    helper names enter the generated source.
    """
    kinds = dict(TOPICS[stream.topic])
    unknown = [f for f in stream.fields if f not in kinds]
    if unknown:
        raise ConnectorError(f"connector sent non-canonical fields {unknown}", stream.topic)
    slot = {name: i for i, name in enumerate(stream.fields)}
    parts = []
    for _column, source in targets:
        if source == "ordinal":
            parts.append("ordinal")
        elif source == "extras":
            parts.append(f"(_extras(x) if (x := v[{len(stream.fields)}]) else N)")
        elif source in slot:
            parts.append(_cell(kinds[source], f"v[{slot[source]}]"))
        else:
            parts.append("N")
    source_text = (
        f"def shape(raw, ordinal):\n    v = normalize(raw)\n    return ({', '.join(parts)},)\n"
    )
    namespace: dict[str, Any] = {
        "_list": _json_list,
        "_extras": _json_extras,
        "N": NULL_CELL,
        "normalize": stream.normalize,
    }
    exec(compile(source_text, f"<shape {stream.topic}>", "exec"), namespace)
    return namespace["shape"]


def insert_rows(
    conn: sqlite.Connection,
    stream: TopicStream,
    table: str,
    targets: Targets,
    progress: Progress | None,
) -> int:
    """Insert every row of the stream into table (columns per `targets`); how many.

    Rows go in by statements of many rows each (one VALUES list of up to ~960 values): a third
    less time than a statement per row, as each statement costs a call and a reset.
    """
    shape = make_shaper(stream, targets)
    rows = (shape(raw, n) for n, raw in enumerate(stream.rows, 1))
    width = len(targets)
    per_statement = max(1, MAX_VALUES // width)
    col_list = ", ".join(f'"{column}"' for column, _ in targets)
    head = f"INSERT INTO {table} ({col_list}) VALUES "
    one = f"({', '.join('?' * width)})"
    many = head + ", ".join([one] * per_statement)
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
            progress(stream.topic, done, stream.expected_rows)
    if rest:
        done += conn.executemany(head + one, rest).rowcount
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
