"""Write the rows of a view (its search and filters applied) to a spreadsheet-safe CSV."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

from datasync_tui.rules.export import safe_cell, write_atomically
from datasync_tui.store import sqlite
from datasync_tui.viewmodels.explore.pager import Pager


def default_export_name(entry_id: str, now: datetime) -> str:
    """explore-students-YYYY-MM-DD-HHMMSS.csv."""
    return f"explore-{entry_id}-{now.strftime('%Y-%m-%d-%H%M%S')}.csv"


def export_view(conn: sqlite.Connection, pager: Pager, path: Path) -> int:
    """Write every row of pager's view to path (UTF-8 with BOM, atomically); return how many."""

    def write(tmp: Path) -> int:
        count = 0
        with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
            out = csv.writer(fh)
            out.writerow([c.label for c in pager.spec.columns])
            for row in pager.iter_rows(conn):
                out.writerow([safe_cell(v) for v in row.cells])
                count += 1
        return count

    return write_atomically(path, write)
