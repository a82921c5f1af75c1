"""The side loader's child: read one topic into a stage database beside the store.

Run as `python -m datasync_tui.sync.side_worker` by `side_load.SideLoad`; it takes one JSON job
line on stdin and answers with JSON lines on stdout (progress, then the result or the error). It
never opens the store: the parent copies the finished table in, inside its own transaction. When
the parent goes away (its end of stdin closes), the child ends at once.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from pathlib import Path
from typing import Any

import peewee as pw

from connectors.base import ConnectorError, SyncState
from datasync_tui.paths import DataDir
from datasync_tui.store import config
from datasync_tui.store.faults import fault_message
from datasync_tui.store.models import TABLES
from datasync_tui.sync import make_connector
from datasync_tui.sync.direct import drop_duplicates
from datasync_tui.sync.rows import insert_all


def _say(message: dict[str, Any]) -> None:
    """Write one JSON line to the parent."""
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def _end_with_parent() -> None:
    """Block on stdin; when the parent closes it (or dies), end this process."""
    sys.stdin.read()
    os._exit(3)


def load(job: dict[str, Any]) -> dict[str, Any]:
    """Load the job's topic into its stage database; the figures the parent needs."""
    topic, table = job["topic"], TABLES[job["topic"]]
    conn = config.load(DataDir(Path(job["data_dir"])))
    if conn is None:
        raise ConnectorError("the saved connection went away during the sync")
    connector = make_connector(conn)
    try:
        streams = connector.fetch(SyncState(**job["state"]))
        stream = next((s for s in streams if s.topic == topic), None)
        if stream is None:
            raise ConnectorError(f"the source no longer has {topic} (it changed during the sync)")
        db = pw.SqliteDatabase(
            job["stage"],
            pragmas={"journal_mode": "memory", "synchronous": "off", "cache_size": -16_000},
        )
        db.connect()
        try:
            db.execute_sql(job["table_sql"])
            with db.atomic():
                rows = insert_all(db.connection(), table, stream, _progress)
                db.execute_sql(f"DELETE FROM \"{table}\" WHERE status = 'tobedeleted'")
                duplicates = drop_duplicates(db, topic, 0, job["unique_sql"])
                for sql in job["index_sql"]:
                    db.execute_sql(sql)
                kept = db.execute_sql(f'SELECT count(*) FROM "{table}"').fetchone()[0]
        finally:
            db.close()
    finally:
        connector.close()
    return {
        "rows": rows,
        "kept": kept,
        "duplicates": duplicates,
        "warnings": connector.warnings,
        "mode": stream.mode,
    }


def _progress(topic: str, done: int, total: int | None) -> None:
    """Pass progress on to the parent."""
    _say({"progress": done, "total": total})


def main() -> int:
    """Read the job, load it, answer; 0 when loaded, 1 when the source was refused."""
    job = json.loads(sys.stdin.readline())
    threading.Thread(target=_end_with_parent, daemon=True).start()
    try:
        _say({"done": load(job)})
    except ConnectorError as exc:
        _say({"error": exc.message, "where": exc.where})
        return 1
    except (OSError, pw.DatabaseError, ValueError) as exc:
        told = fault_message(exc, Path(job["data_dir"]) / "datasync.db")
        _say({"error": told or f"{type(exc).__name__}: {exc}", "where": None})
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
