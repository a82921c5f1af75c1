"""Load a topic stream into a table: the source's own INSERT … SELECT, or its rows in batches."""

from __future__ import annotations

from connectors.base import Targets, TopicStream
from datasync_tui.store import sqlite
from datasync_tui.store.models import DERIVED_SEED, columns
from datasync_tui.sync.counts import Progress
from datasync_tui.sync.rows import insert_rows


def targets_of(topic: str, staging: bool) -> Targets:
    """What each column of a topic's table takes: its canonical field (or the extras); then, in
    a staging table, the record number, else each derived column's seed field."""
    pairs = [(column, column) for column in columns(topic)]
    if staging:
        return [*pairs, ("ordinal", "ordinal")]
    return pairs + [(target, source) for target, source in DERIVED_SEED.get(topic, ())]


def load_stream(
    conn: sqlite.Connection,
    stream: TopicStream,
    table: str,
    targets: Targets,
    progress: Progress | None,
) -> int:
    """Put every record of the stream into table; how many went in."""
    if stream.load is None:
        return insert_rows(conn, stream, table, targets, progress)
    if progress:
        progress(stream.topic, 0, stream.expected_rows)
    loaded = stream.load(conn, table, targets)
    if progress:
        progress(stream.topic, loaded, loaded)
    return loaded
