"""Load a topic straight into its empty live table: one write, indexes built once after."""

from __future__ import annotations

from connectors.base import TopicStream
from datasync_tui.store import sqlite
from datasync_tui.store.db import create_indexes, drop_indexes
from datasync_tui.store.models import TABLES, columns
from datasync_tui.sync.counts import Progress, TopicChanges
from datasync_tui.sync.findings import drop_repeats
from datasync_tui.sync.load import load_stream, targets_of


def live_is_empty(conn: sqlite.Connection, topic: str) -> bool:
    """True when the topic's live table holds no row."""
    return conn.execute(f'SELECT NOT EXISTS (SELECT 1 FROM "{TABLES[topic]}")').fetchone()[0]


def load_direct(
    conn: sqlite.Connection, stream: TopicStream, progress: Progress | None
) -> TopicChanges:
    """Write the stream into the empty live table (the caller's transaction keeps it undoable)."""
    topic, table = stream.topic, f'"{TABLES[stream.topic]}"'
    drop_indexes(conn, topic)
    base = conn.execute(f"SELECT coalesce(max(rowid), 0) FROM {table}").fetchone()[0]
    load_stream(conn, stream, table, targets_of(topic, staging=False), progress)
    changes = TopicChanges(topic=topic, mode=stream.mode, direct=True)
    # Into an empty table, tobedeleted records delete nothing; records without an id are not
    # kept (one pass over the table for both).
    dropped = conn.execute(
        f"DELETE FROM {table} WHERE sourcedId IS NULL OR status = 'tobedeleted' "
        "RETURNING sourcedId IS NULL"
    ).fetchall()
    changes.blank_ids = sum(blank for (blank,) in dropped)
    try:
        conn.execute(f'CREATE UNIQUE INDEX "{TABLES[topic]}_sourcedid" ON {table} ("sourcedId")')
    except sqlite.IntegrityError:  # the source repeated a sourcedId: keep the first
        found = drop_repeats(conn, table, base)
        changes.repeated, changes.repeated_rows = found.repeated, found.repeated_rows
        changes.repeats = found.repeats
    create_indexes(conn, topic)
    changes.added = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    return changes


def unload_direct(conn: sqlite.Connection, topic: str, held: str) -> None:
    """Move a directly loaded topic into its held table (the run is held: apply nothing)."""
    table = f'"{TABLES[topic]}"'
    col_list = ", ".join(f'"{c}"' for c in columns(topic))
    conn.execute(f"CREATE TABLE {held} AS SELECT {col_list} FROM {table} ORDER BY rowid")
    conn.execute(f"DELETE FROM {table}")
