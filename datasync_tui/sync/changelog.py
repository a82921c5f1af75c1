"""The record-level change log of a sync, written in SQL before it applies (or is held).

Each change is one row of sync_changes: `added` (the key only: a first sync of a million
enrollments stores keys, not copies), `updated` (each changed field as [before, after]),
`removed` (the whole row as it was, so it can be put back) and `rekeyed` (see `rekey`). The
log of the last `keep_syncs` syncs is kept; older ones are pruned in the same transaction.

A run writes its changes together, so they are the ids `changes_first`..`changes_last` its
SyncRun notes: readers find them by that range (`of_run`), and the log needs no index.
"""

from __future__ import annotations

import json

from datasync_tui.store import sqlite
from datasync_tui.store.models import TABLES, columns
from datasync_tui.sync.staging import delta_table, stage_table

LOG = "sync_changes"
KEPT_FROM_KEY = "changes_kept_from"  # meta: the oldest sync whose changes are still kept


def last_id(conn: sqlite.Connection) -> int:
    """The id of the last change logged (0 when none): a run's changes come after it."""
    return int(conn.execute(f"SELECT coalesce(max(id), 0) FROM {LOG}").fetchone()[0])


def span(conn: sqlite.Connection, before: int) -> tuple[int | None, int | None]:
    """The ids (first, last) of the changes logged after id `before` (None, None: none)."""
    last = last_id(conn)
    return (before + 1, last) if last > before else (None, None)


def bounds(conn: sqlite.Connection, run_id: int) -> tuple[int, int]:
    """The ids (first, last) of a run's changes; (1, 0) when it logged none. A reader that
    pages by id gives SQLite one lower and one upper bound from these and its own key (SQLite
    narrows a rowid range by one bound of each side)."""
    row = conn.execute(
        "SELECT changes_first, changes_last FROM sync_runs WHERE id = ?", (run_id,)
    ).fetchone()
    return (int(row[0]), int(row[1])) if row and row[0] is not None else (1, 0)


def of_run(run_id: int, alias: str = "") -> str:
    """SQL true for the changes of run `run_id` (by the id range its SyncRun notes)."""
    run, a = int(run_id), f"{alias}." if alias else ""
    bound = "(SELECT {0} FROM sync_runs WHERE id = {1})"
    return (
        f"{a}id BETWEEN coalesce({bound.format('changes_first', run)}, 1) "
        f"AND coalesce({bound.format('changes_last', run)}, 0) AND {a}run_id = {run}"
    )


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


def log_staged(conn: sqlite.Connection, run_id: int, topic: str, removed: str | None) -> None:
    """What applying a staged topic changes: its additions, updates (both from the rows its
    delta lists) and removals."""
    live, stage, delta = f'"{TABLES[topic]}"', stage_table(topic), delta_table(topic)
    conn.execute(
        f"INSERT INTO {LOG} (run_id, topic, sourcedId, change) "
        f"SELECT ?, ?, s.sourcedId, 'added' FROM {delta} d JOIN {stage} s ON s.rowid = d.s "
        "WHERE d.l IS NULL AND s.status IS NOT 'tobedeleted' ORDER BY d.s",
        (run_id, topic),
    )
    conn.execute(
        f"INSERT INTO {LOG} (run_id, topic, sourcedId, change, fields) "
        f"SELECT ?, ?, s.sourcedId, 'updated', {_field_changes(topic)} FROM {delta} d "
        f"JOIN {stage} s ON s.rowid = d.s JOIN {live} l ON l.rowid = d.l "
        "WHERE s.status IS NOT 'tobedeleted' ORDER BY d.s",
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
    # Runs log in turn: every change up to the last one of an older run is older.
    (last,) = conn.execute(
        "SELECT max(changes_last) FROM sync_runs WHERE id < ?", (cutoff,)
    ).fetchone()
    (first,) = conn.execute(f"SELECT min(id) FROM {LOG}").fetchone()
    if last is not None and first is not None and first <= last:
        conn.execute(f"DELETE FROM {LOG} WHERE id <= ?", (last,))
        conn.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (KEPT_FROM_KEY, str(cutoff))
        )
