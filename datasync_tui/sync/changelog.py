"""The record-level change log of a sync, written in SQL before it applies (or is held).

Each change is one row of sync_changes: `added` (the key only: a first sync of a million
enrollments stores keys, not copies), `updated` (each changed field as [before, after]),
`removed` (the whole row as it was, so it can be put back) and `rekeyed` (see `rekey`). The
log of the last `keep_syncs` syncs is kept; older ones are pruned in the same transaction.
"""

from __future__ import annotations

import json

from datasync_tui.store import sqlite
from datasync_tui.store.models import TABLES, columns

LOG = "sync_changes"
KEPT_FROM_KEY = "changes_kept_from"  # meta: the oldest sync whose changes are still kept


def _json_object(alias: str, topic: str) -> str:
    """SQL for a live row as a JSON object of its columns (NULLs included)."""
    pairs = ", ".join(f"'{c}', {alias}.\"{c}\"" for c in columns(topic))
    return f"json_object({pairs})"


def _field_changes(topic: str) -> str:
    """SQL for the fields a staged row `s` changes in the live row `l`: {name: [before, after]}."""
    parts = [
        f'CASE WHEN s."{c}" IS NOT l."{c}" THEN \',{json.dumps(c)}:\' '
        f'|| json_array(l."{c}", s."{c}") ELSE \'\' END'
        for c in columns(topic)
        if c != "sourcedId"
    ]
    groups = [f"concat({', '.join(parts[i : i + 50])})" for i in range(0, len(parts), 50)]
    return f"'{{' || substr(concat({', '.join(groups)}), 2) || '}}'"


def log_loaded(conn: sqlite.Connection, run_id: int, topic: str) -> None:
    """Every row of a topic loaded into its empty table is an addition."""
    conn.execute(
        f"INSERT INTO {LOG} (run_id, topic, sourcedId, change) "
        f"SELECT ?, ?, sourcedId, 'added' FROM \"{TABLES[topic]}\" ORDER BY rowid",
        (run_id, topic),
    )


def log_staged(
    conn: sqlite.Connection, run_id: int, topic: str, stage: str, removed: str | None
) -> None:
    """What applying a staged topic changes: its additions, updates and removals."""
    live = f'"{TABLES[topic]}"'
    same = " AND ".join(f's."{c}" IS l."{c}"' for c in columns(topic))
    conn.execute(
        f"INSERT INTO {LOG} (run_id, topic, sourcedId, change) "
        f"SELECT ?, ?, s.sourcedId, 'added' FROM {stage} s "
        f"WHERE s.status IS NOT 'tobedeleted' AND NOT EXISTS "
        f"(SELECT 1 FROM {live} l WHERE l.sourcedId = s.sourcedId) ORDER BY s.rowid",
        (run_id, topic),
    )
    conn.execute(
        f"INSERT INTO {LOG} (run_id, topic, sourcedId, change, fields) "
        f"SELECT ?, ?, s.sourcedId, 'updated', {_field_changes(topic)} FROM {stage} s "
        f"JOIN {live} l ON l.sourcedId = s.sourcedId "
        f"WHERE s.status IS NOT 'tobedeleted' AND NOT ({same}) ORDER BY s.rowid",
        (run_id, topic),
    )
    if removed is not None:
        conn.execute(
            f"INSERT INTO {LOG} (run_id, topic, sourcedId, change, row) "
            f"SELECT ?, ?, l.sourcedId, 'removed', {_json_object('l', topic)} "
            f"FROM {removed} r JOIN {live} l ON l.sourcedId = r.sourcedId "
            f"WHERE r.topic = ? ORDER BY l.rowid",
            (run_id, topic, topic),
        )


def prune(conn: sqlite.Connection, keep: int) -> None:
    """Keep the change logs of the last `keep` syncs (the one running counts); drop the rest,
    and note from which sync on the changes are whole (a rollback reaches no further)."""
    (cutoff,) = conn.execute(
        "SELECT coalesce(min(id), 0) FROM (SELECT id FROM sync_runs "
        "WHERE status IN ('succeeded', 'held', 'running') ORDER BY id DESC LIMIT ?)",
        (max(1, keep),),
    ).fetchone()
    if conn.execute(f"SELECT EXISTS (SELECT 1 FROM {LOG} WHERE run_id < ?)", (cutoff,)).fetchone()[
        0
    ]:
        conn.execute(f"DELETE FROM {LOG} WHERE run_id < ?", (cutoff,))
        conn.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (KEPT_FROM_KEY, str(cutoff))
        )
