"""Load the largest topic in a child process while this one loads the others (two cores busy).

The child reads its topic from the source into a stage database beside the store, with the live
table's exact schema and indexes; the parent then copies it in with one `INSERT … SELECT *`,
which SQLite performs as a page-level transfer of the table and its indexes into the empty live
table, inside the sync's transaction. The child never touches the store, so a failure anywhere
leaves the last good data as it was; the stage file is removed either way.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from dataclasses import asdict
from typing import IO, Any

import peewee as pw

from connectors.base import Connector, ConnectorError, SyncState
from datasync_tui.paths import DataDir
from datasync_tui.store.models import TABLES
from datasync_tui.sync.direct import live_is_empty
from datasync_tui.sync.rows import Progress, TopicChanges

# Only a topic this large (bytes of source data) is worth a second process (~0.3 s to start).
MIN_BYTES = 24 << 20
SIDE_TOPICS = ("enrollments",)
SCHEMA = "side"


def min_bytes() -> int:
    """The size from which a topic is loaded aside (DATASYNC_SIDE_LOAD_MIN_BYTES overrides)."""
    return int(os.environ.get("DATASYNC_SIDE_LOAD_MIN_BYTES") or MIN_BYTES)


def stage_path(data_dir: DataDir, topic: str) -> str:
    """The stage database of a topic loaded aside."""
    return str(data_dir.root / f"side-{TABLES[topic]}.sqlite")


def remove_stale(data_dir: DataDir) -> None:
    """Remove stage files a killed sync left behind (the caller holds the sync lock)."""
    for topic in SIDE_TOPICS:
        for suffix in ("", "-journal"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(stage_path(data_dir, topic) + suffix)


def _schema(db: pw.Database, table: str) -> tuple[str, str, list[str]]:
    """The live table's CREATE TABLE, its unique sourcedId index and other indexes, as stored."""
    rows = db.execute_sql(
        "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL",
        (table,),
    ).fetchall()
    table_sql = next(sql for kind, _, sql in rows if kind == "table")
    unique = next(sql for kind, name, sql in rows if name == f"{table}_sourcedid")
    others = [sql for kind, name, sql in rows if kind == "index" and name != f"{table}_sourcedid"]
    return table_sql, unique, others


class SideLoad:
    """One topic loading in a child process; `finish` copies it into the live table."""

    def __init__(self, db: pw.Database, data_dir: DataDir, topic: str, state: SyncState) -> None:
        self.topic = topic
        self.stage = stage_path(data_dir, topic)
        self.attached = False
        table_sql, unique, others = _schema(db, TABLES[topic])
        job = {
            "data_dir": str(data_dir.root),
            "topic": topic,
            "stage": self.stage,
            "state": asdict(state),
            "table_sql": table_sql,
            "unique_sql": unique,
            "index_sql": others,
        }
        self._errors = open(self.stage + ".err", "w+b")  # noqa: SIM115 (closed in close())
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "datasync_tui.sync.side_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._errors,
        )
        stdin: IO[bytes] = self.proc.stdin  # type: ignore[assignment]
        stdin.write(json.dumps(job).encode() + b"\n")
        stdin.flush()

    def finish(self, db: pw.Database, progress: Progress | None) -> TopicChanges:
        """Wait for the child, then copy its table into the empty live table."""
        result = self._result(progress)
        table = TABLES[self.topic]
        db.execute_sql(f"ATTACH DATABASE ? AS {SCHEMA}", (self.stage,))
        self.attached = True
        # No column list and `SELECT *` from a table of the same schema into an empty one:
        # SQLite's transfer optimisation copies the records and index entries as they are.
        db.execute_sql(f'INSERT INTO main."{table}" SELECT * FROM {SCHEMA}."{table}"')
        changes = TopicChanges(topic=self.topic, mode=result["mode"], direct=True)
        changes.added = result["kept"]
        changes.duplicates = [tuple(d) for d in result["duplicates"]]  # type: ignore[misc]
        self.warnings: list[str] = result["warnings"]
        return changes

    def _result(self, progress: Progress | None) -> dict[str, Any]:
        """Read the child's lines to its end: the result, or its error raised as ours."""
        stdout: IO[bytes] = self.proc.stdout  # type: ignore[assignment]
        outcome: dict[str, Any] = {}
        for line in stdout:
            message = json.loads(line)
            if "progress" in message:
                if progress:
                    progress(self.topic, message["progress"], message["total"])
            else:
                outcome = message
        self.proc.wait()
        if "done" in outcome:
            return outcome["done"]
        if "error" in outcome:
            raise ConnectorError(outcome["error"], outcome["where"])
        self._errors.seek(0)
        lines = self._errors.read().decode(errors="replace").strip().splitlines()
        why = lines[-1] if lines else f"exit status {self.proc.returncode}"
        raise OSError(f"the {self.topic} loader process ended unexpectedly: {why}")

    def close(self, db: pw.Database) -> None:
        """Stop the child if it still runs, detach and remove the stage (after the transaction)."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for pipe in (self.proc.stdin, self.proc.stdout):
            if pipe is not None:
                pipe.close()
        self._errors.close()
        if self.attached:
            db.execute_sql(f"DETACH DATABASE {SCHEMA}")
            self.attached = False
        for suffix in ("", "-journal", ".err"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.stage + suffix)


def side_topics(db: pw.Database, connector: Connector) -> list[str]:
    """The topics worth loading aside: large, sized up front, into an empty live table."""
    limit = min_bytes()
    return [
        t for t in SIDE_TOPICS if live_is_empty(db, t) and (connector.topic_bytes(t) or 0) >= limit
    ]
