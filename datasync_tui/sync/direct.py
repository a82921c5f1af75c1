"""Load a topic straight into its empty live table: one write, indexes built once after."""

from __future__ import annotations

import peewee as pw

from connectors.base import TopicStream
from datasync_tui.store.db import create_indexes, drop_indexes
from datasync_tui.store.models import TABLES, columns
from datasync_tui.sync.rows import Progress, TopicChanges, insert_all
from datasync_tui.sync.staging import keep_first


def live_is_empty(db: pw.Database, topic: str) -> bool:
    """True when the topic's live table holds no row."""
    return db.execute_sql(f'SELECT NOT EXISTS (SELECT 1 FROM "{TABLES[topic]}")').fetchone()[0]


def load_direct(db: pw.Database, stream: TopicStream, progress: Progress | None) -> TopicChanges:
    """Write the stream into the empty live table (the caller's transaction keeps it undoable)."""
    topic, table = stream.topic, TABLES[stream.topic]
    drop_indexes(db, topic)
    base = db.execute_sql(f'SELECT coalesce(max(rowid), 0) FROM "{table}"').fetchone()[0]
    insert_all(db.connection(), table, stream, progress)
    # Into an empty table, a delta's tobedeleted rows delete nothing.
    db.execute_sql(f"DELETE FROM \"{table}\" WHERE status = 'tobedeleted'")
    changes = TopicChanges(topic=topic, mode=stream.mode, direct=True)
    changes.duplicates = drop_duplicates(db, topic, base)
    create_indexes(db, topic)
    changes.added = db.execute_sql(f'SELECT count(*) FROM "{table}"').fetchone()[0]
    return changes


def drop_duplicates(
    db: pw.Database, topic: str, base: int, unique: str | None = None
) -> list[tuple[str, str]]:
    """Build the unique sourcedId index (`unique`: its SQL, when not the store's own); if the
    source repeated a sourcedId, keep the first."""
    table = TABLES[topic]
    unique = unique or f'CREATE UNIQUE INDEX "{table}_sourcedid" ON "{table}" ("sourcedId")'
    try:
        db.execute_sql(unique)
        return []
    except pw.IntegrityError:
        pass
    found = keep_first(db, table, "rowid", base)
    db.execute_sql(unique)
    return found


def unload_direct(db: pw.Database, topic: str, stage: str) -> None:
    """Move a directly loaded topic into its staging table (the run is held: apply nothing)."""
    table = TABLES[topic]
    col_list = ", ".join(f'"{c}"' for c in columns(topic))
    db.execute_sql(
        f'INSERT INTO "{stage}" ({col_list}, ordinal) '
        f'SELECT {col_list}, rowid FROM "{table}" ORDER BY rowid'
    )
    db.execute_sql(f'DELETE FROM "{table}"')
