"""Act on the adds-only window inside a sync: drop the staged removals, keep what was held."""

from __future__ import annotations

import json
from collections.abc import Mapping

from datasync_tui.adds_only import active_until, removal_decision
from datasync_tui.store import sqlite
from datasync_tui.store.models import Meta
from datasync_tui.sync.counts import TopicChanges
from datasync_tui.sync.staging import REMOVED

WITHHELD_KEY = "adds_only_withheld"  # {"run_id", "until", "removed": {topic: n}} of the last one


def withhold_removals(
    conn: sqlite.Connection,
    run_id: int,
    settings: Mapping[str, str] | None,
    changes: Mapping[str, TopicChanges],
) -> list[str]:
    """In an adds-only window, drop the staged removals (the rest applies); the reason, if so."""
    removals = {topic: c.removed for topic, c in changes.items()}
    decision = removal_decision(removals, settings)
    if not decision.hold or decision.reason is None:
        return []
    conn.execute(f"CREATE TABLE IF NOT EXISTS {REMOVED} (topic TEXT, sourcedId TEXT)")
    conn.execute(f"DELETE FROM {REMOVED}")
    for c in changes.values():
        c.removed = 0
    doc = {
        "run_id": run_id,
        "until": active_until(settings),
        "removed": {t: n for t, n in removals.items() if n},
    }
    Meta.replace(key=WITHHELD_KEY, value=json.dumps(doc)).execute()
    return [decision.reason]


def last_withheld(db: object) -> dict[str, object] | None:
    """What the last adds-only sync held back (run_id, until, removed per topic), if any."""
    row = Meta.get_or_none(Meta.key == WITHHELD_KEY)
    try:
        return json.loads(row.value) if row and row.value else None
    except ValueError:
        return None
