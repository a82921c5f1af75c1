"""Stage one topic beside its live rows and count, in SQL, what applying it would change.

A topic is read into a staging table in the connection's temp database (a scratch file: an
unchanged re-sync writes nothing to the store), its repeated sourcedIds dropped, and compared
with the live table by sourcedId, every column alike, in one pass: the staged rows that differ
(added, updated, tobedeleted) are listed in its delta table, and the counts, the change log,
the hold and the apply all read that short list instead of comparing again. A held run keeps
what would change in `held_*` tables of the store until the admin applies or discards it.
"""

from __future__ import annotations

from collections.abc import Iterator

from connectors.base import TopicStream
from connectors.canonical import TOPICS
from datasync_tui.store import sqlite
from datasync_tui.store.models import TABLES, columns
from datasync_tui.sync.counts import Progress, TopicChanges
from datasync_tui.sync.findings import drop_repeats
from datasync_tui.sync.load import load_stream, targets_of

REMOVED = "temp.stage_removed"
HELD_REMOVED = "held_removed"


def stage_table(topic: str) -> str:
    """A topic's staging table (temp database)."""
    return f'temp."stage_{TABLES[topic]}"'


def held_table(topic: str) -> str:
    """A topic's held table (kept in the store for a held run)."""
    return f'main."held_{TABLES[topic]}"'


def delta_table(topic: str) -> str:
    """A topic's delta table (temp database): the staged rows that differ from the live ones."""
    return f'temp."delta_{TABLES[topic]}"'


def same_row(staged: str, live: str, topic: str) -> str:
    """SQL that is true when two rows of a topic hold the same values in every column."""
    return " AND ".join(f'{staged}."{c}" IS {live}."{c}"' for c in columns(topic))


def stage_stream(
    conn: sqlite.Connection, stream: TopicStream, progress: Progress | None
) -> TopicChanges:
    """Stage one topic and count what applying it changes (its removals listed in REMOVED)."""
    topic, live, stage = stream.topic, f'"{TABLES[stream.topic]}"', stage_table(stream.topic)
    cols = ", ".join(f'"{c}"' for c in columns(topic))
    conn.execute(f"DROP TABLE IF EXISTS {stage}")
    conn.execute(f'CREATE TABLE {stage} ({cols}, "ordinal" INTEGER)')
    load_stream(conn, stream, stage, targets_of(topic, staging=True), progress)
    blank = conn.execute(f"DELETE FROM {stage} WHERE sourcedId IS NULL").rowcount
    name = stage.split(".", 1)[1].strip('"')
    try:  # the usual source sends each sourcedId once: the unique index proves it
        conn.execute(f'CREATE UNIQUE INDEX temp."{name}_sid" ON "{name}" ("sourcedId")')
        changes = TopicChanges(topic=topic, mode=stream.mode)
    except sqlite.IntegrityError:  # it did not: keep the first of each, note the repeats
        conn.execute(f'CREATE INDEX temp."{name}_sid" ON "{name}" ("sourcedId")')
        changes = drop_repeats(conn, stage)
    changes.topic, changes.mode, changes.blank_ids = topic, stream.mode, blank
    changes.live_rows = conn.execute(f"SELECT count(*) FROM {live}").fetchone()[0]
    staged = conn.execute(f"SELECT count(*) FROM {stage}").fetchone()[0]
    delta = find_delta(conn, topic, stage)
    differ, unmatched, deleted, gone = conn.execute(
        "SELECT count(*), coalesce(sum(d.l IS NULL), 0), "
        "coalesce(sum(s.status = 'tobedeleted'), 0), "
        "coalesce(sum(s.status = 'tobedeleted' AND d.l IS NOT NULL), 0) "
        f"FROM {delta} d JOIN {stage} s ON s.rowid = d.s"
    ).fetchone()
    matched = staged - unmatched
    changes.unchanged = staged - differ
    changes.updated = matched - changes.unchanged - gone
    changes.added = unmatched - (deleted - gone)
    left_out = changes.live_rows - matched if stream.mode == "bulk" else 0
    changes.removed = gone + left_out
    if changes.removed:
        _list_removals(conn, topic, stream.mode == "bulk")
    return changes


def find_delta(conn: sqlite.Connection, topic: str, source: str) -> str:
    """List in the topic's delta table (s: the source's rowid, l: the live rowid or NULL) the
    rows of source that are new, tobedeleted, or differ from their live row; its name."""
    live, delta = f'"{TABLES[topic]}"', delta_table(topic)
    conn.execute(f"DROP TABLE IF EXISTS {delta}")
    conn.execute(f"CREATE TABLE {delta} (s INTEGER PRIMARY KEY, l INTEGER)")
    conn.execute(
        f"INSERT INTO {delta} (s, l) SELECT s.rowid, l.rowid FROM {source} s "
        f"LEFT JOIN {live} l ON l.sourcedId = s.sourcedId WHERE l.rowid IS NULL "
        f"OR s.status IS 'tobedeleted' OR NOT ({same_row('s', 'l', topic)})"
    )
    return delta


def _list_removals(conn: sqlite.Connection, topic: str, bulk: bool) -> None:
    """List in REMOVED the live rows the staged topic removes: tobedeleted ones, and (bulk) the
    rows the source left out."""
    live, stage = f'"{TABLES[topic]}"', stage_table(topic)
    conn.execute(f"CREATE TABLE IF NOT EXISTS {REMOVED} (topic TEXT, sourcedId TEXT)")
    conn.execute(
        f"INSERT INTO {REMOVED} SELECT ?, s.sourcedId FROM {delta_table(topic)} d "
        f"JOIN {stage} s ON s.rowid = d.s WHERE d.l IS NOT NULL AND s.status = 'tobedeleted'",
        (topic,),
    )
    if bulk:
        conn.execute(
            f"INSERT INTO {REMOVED} SELECT ?, l.sourcedId FROM {live} l WHERE NOT EXISTS "
            f"(SELECT 1 FROM {stage} s WHERE s.sourcedId = l.sourcedId)",
            (topic,),
        )


def keep_held(conn: sqlite.Connection, topics: list[str]) -> None:
    """Copy what the staged topics would change into the store's held tables (a held run)."""
    drop_held(conn)
    conn.execute(f"CREATE TABLE {HELD_REMOVED} (topic TEXT, sourcedId TEXT)")
    listed = "SELECT count(*) FROM temp.sqlite_master WHERE name = 'stage_removed'"
    if conn.execute(listed).fetchone()[0]:
        conn.execute(f"INSERT INTO {HELD_REMOVED} SELECT topic, sourcedId FROM {REMOVED}")
    for topic in topics:
        cols = ", ".join(f's."{c}"' for c in columns(topic))
        conn.execute(
            f"CREATE TABLE {held_table(topic)} AS SELECT {cols} FROM {delta_table(topic)} d "
            f"JOIN {stage_table(topic)} s ON s.rowid = d.s ORDER BY d.s"
        )


def drop_held(conn: sqlite.Connection) -> None:
    """Remove the held tables (after an apply, a discard, or a newer sync)."""
    for topic in TOPICS:
        conn.execute(f"DROP TABLE IF EXISTS {held_table(topic)}")
    conn.execute(f"DROP TABLE IF EXISTS {HELD_REMOVED}")


def drop_staging(conn: sqlite.Connection) -> None:
    """Remove the staging tables of this connection."""
    for topic in TOPICS:
        conn.execute(f"DROP TABLE IF EXISTS {stage_table(topic)}")
        conn.execute(f"DROP TABLE IF EXISTS {delta_table(topic)}")
    conn.execute(f"DROP TABLE IF EXISTS {REMOVED}")


def held_topics(conn: sqlite.Connection) -> Iterator[str]:
    """Topics whose held table exists."""
    names = {r[0] for r in conn.execute("SELECT name FROM main.sqlite_master WHERE type='table'")}
    for topic in TOPICS:
        if f"held_{TABLES[topic]}" in names:
            yield topic
