"""Stage one topic: read the stream, skip unchanged rows by fingerprint, write the rest aside."""

from __future__ import annotations

from collections.abc import Iterator

import peewee as pw

from connectors.base import TopicStream
from connectors.canonical import TOPICS
from datasync_tui.store.models import TABLES, columns
from datasync_tui.sync.rows import Progress, RowReader, TopicChanges, make_shaper

STAGE_REMOVED = "stage_removed"


def stage_table(topic: str) -> str:
    """The staging table of a topic."""
    return f"stage_{TABLES[topic]}"


def reset_staging(db: pw.Database) -> None:
    """Drop whatever an earlier run staged and create empty staging tables."""
    for topic in TOPICS:
        table = stage_table(topic)
        cols = ", ".join(f'"{c}"' for c in columns(topic))
        db.execute_sql(f'DROP TABLE IF EXISTS "{table}"')
        db.execute_sql(f'CREATE TABLE "{table}" ({cols}, "ordinal" INTEGER)')
    db.execute_sql(f"DROP TABLE IF EXISTS {STAGE_REMOVED}")
    db.execute_sql(f"CREATE TABLE {STAGE_REMOVED} (topic TEXT, sourcedId TEXT, live_rowid INTEGER)")


def drop_staging(db: pw.Database) -> None:
    """Remove the staging tables (after an apply or a discard)."""
    for topic in TOPICS:
        db.execute_sql(f'DROP TABLE IF EXISTS "{stage_table(topic)}"')
    db.execute_sql(f"DROP TABLE IF EXISTS {STAGE_REMOVED}")


def _live_fingerprints(db: pw.Database, table: str) -> dict[int, int]:
    """Every live row's fingerprint, mapped to 0 (not yet seen in this run)."""
    cursor = db.execute_sql(f'SELECT row_hash FROM "{table}"')
    return dict.fromkeys((r[0] for r in cursor), 0)


def stage_stream(db: pw.Database, stream: TopicStream, progress: Progress | None) -> TopicChanges:
    """Stage one topic beside its live rows; return what applying it would change."""
    topic, table, stage = stream.topic, TABLES[stream.topic], stage_table(stream.topic)
    live = _live_fingerprints(db, table)
    changes = TopicChanges(topic=topic, mode=stream.mode, live_rows=len(live))
    width = len(columns(topic)) + 1  # + ordinal
    insert = f'INSERT INTO "{stage}" VALUES ({", ".join("?" * width)})'
    reader = RowReader(stream, live, make_shaper(stream, with_ordinal=True), progress)
    conn = db.connection()
    for batch in reader.batches():
        conn.executemany(insert, batch)
    changes.unchanged = reader.unchanged
    db.execute_sql(f'CREATE INDEX "{stage}_sid" ON "{stage}" ("sourcedId")')
    _resolve_duplicates(db, stream, changes, live)
    _collect_removals(db, stream, changes, live)
    changes.added, changes.updated = _count_upserts(db, topic)
    return changes


def keep_first(db: pw.Database, table: str, order: str, base: int = 0) -> list[tuple[str, str]]:
    """Delete every row of a sourcedId but its first by `order`; the deleted, as (id, where)."""
    found: list[tuple[str, str]] = []
    dupes = db.execute_sql(
        f'SELECT sourcedId, min({order}) FROM "{table}" GROUP BY sourcedId HAVING count(*) > 1'
    ).fetchall()
    for sid, first in dupes:
        later = db.execute_sql(
            f'SELECT {order} FROM "{table}" WHERE sourcedId = ? AND {order} > ?', (sid, first)
        ).fetchall()
        found += [(sid, f"row {n - base}") for (n,) in later]
        db.execute_sql(f'DELETE FROM "{table}" WHERE sourcedId = ? AND {order} > ?', (sid, first))
    return found


def _resolve_duplicates(
    db: pw.Database, stream: TopicStream, changes: TopicChanges, live: dict[int, int]
) -> None:
    """Keep the first row of each sourcedId the source sent twice; note the others."""
    stage, table = stage_table(stream.topic), TABLES[stream.topic]
    changes.duplicates += keep_first(db, stage, "ordinal")
    if not live:
        return
    # A staged row whose sourcedId also came through unchanged: the first of the two wins.
    pairs = db.execute_sql(
        f'SELECT s.rowid, s.sourcedId, s.ordinal, l.row_hash FROM "{stage}" s '
        f'JOIN "{table}" l ON l.sourcedId = s.sourcedId'
    ).fetchall()
    for rowid, sid, ordinal, live_fp in pairs:
        seen_at = live.get(live_fp, 0)
        if seen_at == 0:
            continue
        changes.duplicates.append((sid, f"row {max(seen_at, ordinal)}"))
        if seen_at < ordinal:
            db.execute_sql(f'DELETE FROM "{stage}" WHERE rowid = ?', (rowid,))


def _collect_removals(
    db: pw.Database, stream: TopicStream, changes: TopicChanges, live: dict[int, int]
) -> None:
    """Record what the run removes: tobedeleted rows, and (bulk) live rows the source left out."""
    topic, stage, table = stream.topic, stage_table(stream.topic), TABLES[stream.topic]
    db.execute_sql(
        f'INSERT INTO {STAGE_REMOVED} SELECT ?, s.sourcedId, l.rowid FROM "{stage}" s '
        f"JOIN \"{table}\" l ON l.sourcedId = s.sourcedId WHERE s.status = 'tobedeleted'",
        (topic,),
    )
    db.execute_sql(f"DELETE FROM \"{stage}\" WHERE status = 'tobedeleted'")
    if stream.mode == "bulk":
        gone = [(fp,) for fp, seen_at in live.items() if seen_at == 0]
        if gone:
            db.execute_sql("CREATE TEMP TABLE IF NOT EXISTS gone (fp INTEGER PRIMARY KEY)")
            db.execute_sql("DELETE FROM gone")
            db.connection().executemany("INSERT OR IGNORE INTO gone VALUES (?)", gone)
            db.execute_sql(
                f"INSERT INTO {STAGE_REMOVED} SELECT ?, l.sourcedId, l.rowid "
                f'FROM "{table}" l JOIN gone g ON g.fp = l.row_hash '
                f'WHERE NOT EXISTS (SELECT 1 FROM "{stage}" s WHERE s.sourcedId = l.sourcedId)',
                (topic,),
            )
    changes.removed = db.execute_sql(
        f"SELECT count(*) FROM {STAGE_REMOVED} WHERE topic = ?", (topic,)
    ).fetchone()[0]


def _count_upserts(db: pw.Database, topic: str) -> tuple[int, int]:
    """How many staged rows are new and how many replace a live row."""
    stage, table = stage_table(topic), TABLES[topic]
    staged = db.execute_sql(f'SELECT count(*) FROM "{stage}"').fetchone()[0]
    if not staged:
        return 0, 0
    updated = db.execute_sql(
        f'SELECT count(*) FROM "{stage}" s JOIN "{table}" l ON l.sourcedId = s.sourcedId'
    ).fetchone()[0]
    return staged - updated, updated


def staged_topics(db: pw.Database) -> Iterator[str]:
    """Topics whose staging table exists."""
    names = {r[0] for r in db.execute_sql("SELECT name FROM sqlite_master WHERE type='table'")}
    for topic in TOPICS:
        if stage_table(topic) in names:
            yield topic
