"""A sync's changes to .csv (spreadsheet-safe, a row per changed field) or .json, streamed."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

from datasync_tui.history import Change, RunSummary, iter_change_json, iter_changes
from datasync_tui.rules.export import FORMATS, ExportError, safe_cell, write_atomically
from datasync_tui.store import sqlite

CSV_COLUMNS = ("run", "topic", "sourcedId", "change", "previous_sourcedId", "field", "before",
               "after")  # fmt: skip


def write_document(
    out: BinaryIO,
    conn: sqlite.Connection,
    run: RunSummary,
    topic: str | None = None,
    kind: str | None = None,
) -> int:
    """Write the `changes --json` document (one change a line); return how many changes."""
    head = {"run": run.id, "status": run.status}
    out.write(json.dumps(head)[:-1].encode() + b', "changes": [')
    count = 0
    for text in iter_change_json(conn, run.id, topic, kind):
        out.write(b"\n  " if count == 0 else b",\n  ")
        out.write(text.encode())
        count += 1
    out.write(b"\n]}\n" if count else b"]}\n")
    return count


def _cell(value: Any) -> str:
    """A value as spreadsheet-safe text (None blank; numbers and booleans as JSON says them)."""
    if value is None:
        return ""
    return safe_cell(value if isinstance(value, str) else json.dumps(value))


def csv_rows(run_id: int, c: Change) -> list[list[str]]:
    """A row per changed field of an update, one row for any other change."""
    base = [str(run_id), c.topic, safe_cell(c.sourcedId), c.change,
            safe_cell(c.previous_sourcedId or "")]  # fmt: skip
    if c.change == "updated" and c.fields:
        return [[*base, name, _cell(pair[0]), _cell(pair[1])] for name, pair in c.fields.items()]
    return [[*base, "", "", ""]]


def export_changes(
    conn: sqlite.Connection, run: RunSummary, path: Path, topic: str | None = None
) -> int:
    """Write the run's changes to path (format by extension), atomically; how many changes.

    No folder is made: a path in one that is not there is an ExportError.
    """
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ExportError(f"{path}: the export name must end in .csv or .json")

    def write_json(tmp: Path) -> int:
        with tmp.open("wb") as fh:
            return write_document(fh, conn, run, topic)

    def write_csv(tmp: Path) -> int:
        changes = 0
        with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
            out = csv.writer(fh)
            out.writerow(CSV_COLUMNS)
            for c in iter_changes(conn, run.id, topic):
                out.writerows(csv_rows(run.id, c))
                changes += 1
        return changes

    writer: Callable[[Path], int] = write_json if suffix == ".json" else write_csv
    return write_atomically(path, writer)
