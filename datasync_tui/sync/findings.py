"""sourcedIds a source sent more than once: the first kept, a few examples and the total noted.

A source that repeats ids by the million must not cost a row per repeat: the repeats are found
and dropped in SQL, EXAMPLES of them per topic are kept as findings, and the totals go into
the run (`SyncRun.finding_totals`), so the count an admin sees is exact and the store stays small.
"""

from __future__ import annotations

import json

from datasync_tui.store import sqlite
from datasync_tui.store.models import SyncFinding, SyncRun
from datasync_tui.sync.counts import Repeat, TopicChanges

EXAMPLES = 100  # findings kept per rule and topic
RULE = "duplicate-sourcedid"


def drop_repeats(conn: sqlite.Connection, table: str, base: int = 0) -> TopicChanges:
    """Keep the first row (lowest rowid) of each sourcedId the table holds more than once.

    Returns a TopicChanges carrying only the repeat figures; record numbers are rowids less
    `base` (a staging table's rowids follow the source's order).
    """
    groups = (
        f"SELECT sourcedId, count(*) AS n, min(rowid) AS first FROM {table} "
        "WHERE sourcedId IS NOT NULL GROUP BY sourcedId HAVING n > 1"
    )
    found = TopicChanges(topic="", mode="")
    repeated, rows = conn.execute(
        f"SELECT count(*), coalesce(sum(n - 1), 0) FROM ({groups})"
    ).fetchone()
    if not repeated:
        return found
    examples = conn.execute(
        f"SELECT g.sourcedId, g.n, g.first, (SELECT min(t.rowid) FROM {table} t "
        "WHERE t.sourcedId = g.sourcedId AND t.rowid > g.first) "
        f"FROM ({groups}) g ORDER BY g.first LIMIT {EXAMPLES}"
    ).fetchall()
    conn.execute(
        f"DELETE FROM {table} WHERE sourcedId IS NOT NULL AND rowid NOT IN "
        f"(SELECT min(rowid) FROM {table} WHERE sourcedId IS NOT NULL GROUP BY sourcedId)"
    )
    found.repeated, found.repeated_rows = repeated, rows
    found.repeats = [
        Repeat(sid, n, first - base, again - base) for sid, n, first, again in examples
    ]
    return found


def record_findings(run: SyncRun, changes: dict[str, TopicChanges]) -> None:
    """Keep the examples as findings of the run and the totals in the run itself."""
    rows = [
        {
            "run": run.id,
            "rule": RULE,
            "topic": c.topic,
            "sourcedId": r.sourcedId,
            "field": "sourcedId",
            "value": r.sourcedId,
            "times": r.times,
            "message": f"{c.topic} sourcedId {r.sourcedId!r} was sent {r.times} times "
            f"(records {r.first} and {r.again}"
            + (", …" if r.times > 2 else "")
            + "); the first is kept",
        }
        for c in changes.values()
        for r in c.repeats
    ]
    for i in range(0, len(rows), 500):
        SyncFinding.insert_many(rows[i : i + 500]).execute()
    totals = {c.topic: c.repeated for c in changes.values() if c.repeated}
    run.finding_totals = json.dumps({RULE: totals}) if totals else None
    run.save(only=[SyncRun.finding_totals])  # the rules, run before the run closes, read them
