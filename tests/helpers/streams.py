"""A connector's topic streams read back as Python values, whichever way the source gives them."""

from __future__ import annotations

import json
from typing import Any

from connectors.base import TopicStream
from connectors.canonical import TOPICS
from datasync_tui.store import sqlite


def values_of(stream: TopicStream) -> list[tuple[Any, ...]]:
    """Each record as its canonical values in `fields` order, then its extras (a dict or None):
    what `normalize` gives for a row source, and what a native load puts into a table."""
    if stream.load is None:
        return [tuple(stream.normalize(row)) for row in stream.rows]
    kinds = dict(TOPICS[stream.topic])
    names = [*stream.fields, "extras"]
    conn = sqlite.connect(":memory:")
    try:
        columns = ", ".join(f'"{n}"' for n in names)
        conn.execute(f"CREATE TABLE t ({columns}, ordinal)")
        stream.load(conn, "t", [*((n, n) for n in names), ("ordinal", "ordinal")])
        rows = conn.execute("SELECT * FROM t ORDER BY ordinal, rowid").fetchall()
    finally:
        conn.close()
    return [
        tuple(_python(kinds.get(n, "extras"), v) for n, v in zip(names, row, strict=False))
        for row in rows
    ]


def _python(kind: str, value: Any) -> Any:
    """A stored value as the row path gives it (lists and extras decoded, 0/1 as booleans)."""
    if value is None:
        return None
    if kind in ("list", "extras"):
        return json.loads(value)
    if kind == "bool" and value in (0, 1):
        return bool(value)
    return value
