"""Stage one topic: read the stream, skip unchanged rows by fingerprint, write the rest aside."""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import peewee as pw

from connectors.base import ConnectorError, TopicStream
from connectors.canonical import TOPICS
from datasync_tui.store.models import TABLES, columns

BATCH_ROWS = 5_000
PROGRESS_EVERY = 50_000
STAGE_REMOVED = "stage_removed"

Progress = Callable[[str, int, int | None], None]


def stage_table(topic: str) -> str:
    """The staging table of a topic."""
    return f"stage_{TABLES[topic]}"


@dataclass
class TopicChanges:
    """What staging found for one topic."""

    topic: str
    mode: str
    live_rows: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (sourcedId, where)

    def as_counts(self) -> dict[str, int]:
        """The per-topic figures a SyncRun keeps."""
        return {
            "added": self.added,
            "updated": self.updated,
            "removed": self.removed,
            "unchanged": self.unchanged,
        }


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


class _RowShaper:
    """Turns a stream's normalized values into a staging row in table column order."""

    def __init__(self, stream: TopicStream) -> None:
        table_cols = columns(stream.topic)
        kinds = dict(TOPICS[stream.topic])
        unknown = [f for f in stream.fields if f not in kinds]
        if unknown:
            raise ConnectorError(f"connector sent non-canonical fields {unknown}", stream.topic)
        self.width = len(table_cols) + 1  # + ordinal
        self.positions = [table_cols.index(f) for f in stream.fields]
        self.list_slots = [i for i, f in enumerate(stream.fields) if kinds[f] == "list"]
        self.hash_pos = table_cols.index("row_hash")
        self.extras_pos = table_cols.index("extras")
        self.sid_slot = stream.fields.index("sourcedId")

    def shape(self, values: Any, fp: int, ordinal: int) -> list[Any]:
        """One staging row: canonical values, lists as JSON, fingerprint, extras, ordinal."""
        row: list[Any] = [None] * self.width
        for slot, pos in enumerate(self.positions):
            row[pos] = values[slot]
        for slot in self.list_slots:
            value = values[slot]
            if value is not None:
                row[self.positions[slot]] = json.dumps(value, ensure_ascii=False)
        extras = values[-1]
        row[self.extras_pos] = json.dumps(extras, ensure_ascii=False) if extras else None
        row[self.hash_pos] = fp
        row[-1] = ordinal
        return row


def _produce(
    stream: TopicStream,
    live: dict[int, int],
    shaper: _RowShaper,
    out: queue.Queue[Any],
    stop: threading.Event,
    seen: list[int],
) -> None:
    """Read the stream in a thread: count unchanged rows, queue batches of the rest."""
    batch: list[list[Any]] = []
    unchanged = 0
    ordinal = 0
    fingerprint, normalize, shape = stream.fingerprint, stream.normalize, shaper.shape
    try:
        for raw in stream.rows:
            ordinal += 1
            fp = fingerprint(raw)
            if live.get(fp) == 0:
                live[fp] = ordinal
                unchanged += 1
            else:
                batch.append(shape(normalize(raw), fp, ordinal))
                if len(batch) >= BATCH_ROWS:
                    out.put((batch, ordinal))
                    batch = []
                if not ordinal % PROGRESS_EVERY:
                    out.put(([], ordinal))
            if stop.is_set():
                return
        out.put((batch, ordinal))
        seen.extend((ordinal, unchanged))
        out.put(None)
    except BaseException as exc:  # handed to the writer, which re-raises it
        out.put(exc)


def _live_fingerprints(db: pw.Database, table: str) -> dict[int, int]:
    """Every live row's fingerprint, mapped to 0 (not yet seen in this run)."""
    cursor = db.execute_sql(f'SELECT row_hash FROM "{table}"')
    return dict.fromkeys((r[0] for r in cursor), 0)


def stage_stream(db: pw.Database, stream: TopicStream, progress: Progress | None) -> TopicChanges:
    """Stage one topic stream; return what would change if it were applied."""
    topic, table, stage = stream.topic, TABLES[stream.topic], stage_table(stream.topic)
    changes = TopicChanges(topic=topic, mode=stream.mode)
    live = _live_fingerprints(db, table)
    changes.live_rows = len(live)
    shaper = _RowShaper(stream)
    cols = [*columns(topic), "ordinal"]
    insert = f'INSERT INTO "{stage}" VALUES ({", ".join("?" * len(cols))})'
    out: queue.Queue[Any] = queue.Queue(maxsize=8)
    stop = threading.Event()
    seen: list[int] = []
    reader = threading.Thread(
        target=_produce, args=(stream, live, shaper, out, stop, seen), daemon=True
    )
    conn = db.connection()
    reader.start()
    try:
        with db.atomic():
            for item in iter(out.get, None):
                if isinstance(item, BaseException):
                    raise item
                batch, done = item
                if batch:
                    conn.executemany(insert, batch)
                if progress:
                    progress(topic, done, stream.expected_rows)
    finally:
        stop.set()
        _drain(out)
        reader.join()
    total, changes.unchanged = seen
    if progress:
        progress(topic, total, total)
    with db.atomic():
        db.execute_sql(f'CREATE INDEX "{stage}_sid" ON "{stage}" ("sourcedId")')
        _resolve_duplicates(db, stream, changes, live)
        _collect_removals(db, stream, changes, live)
        changes.added, changes.updated = _count_upserts(db, topic)
    return changes


def _drain(out: queue.Queue[Any]) -> None:
    """Empty the queue so a blocked reader thread can finish."""
    while True:
        try:
            out.get_nowait()
        except queue.Empty:
            return


def _resolve_duplicates(
    db: pw.Database, stream: TopicStream, changes: TopicChanges, live: dict[int, int]
) -> None:
    """Keep the first row of each sourcedId the source sent twice; note the others."""
    stage, table = stage_table(stream.topic), TABLES[stream.topic]
    dupes = db.execute_sql(
        f'SELECT sourcedId, min(ordinal) FROM "{stage}" GROUP BY sourcedId HAVING count(*) > 1'
    ).fetchall()
    for sid, first in dupes:
        later = db.execute_sql(
            f'SELECT ordinal FROM "{stage}" WHERE sourcedId = ? AND ordinal > ?', (sid, first)
        ).fetchall()
        changes.duplicates += [(sid, f"row {o}") for (o,) in later]
        db.execute_sql(f'DELETE FROM "{stage}" WHERE sourcedId = ? AND ordinal > ?', (sid, first))
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
