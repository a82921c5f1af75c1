"""Write the rows of a view (its search and filters applied) to a spreadsheet-safe CSV."""

from __future__ import annotations

import csv
import os
import sqlite3
from datetime import datetime
from pathlib import Path

from datasync_tui.browse.pager import Pager
from datasync_tui.rules.export import ExportError, safe_cell


def default_export_name(entry_id: str, now: datetime) -> str:
    """explore-students-YYYY-MM-DD-HHMMSS.csv."""
    return f"explore-{entry_id}-{now.strftime('%Y-%m-%d-%H%M%S')}.csv"


def export_view(conn: sqlite3.Connection, pager: Pager, path: Path) -> int:
    """Write every row of pager's view to path (UTF-8 with BOM, atomically); return how many."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"{path.parent}: cannot create the folder ({exc.strerror})") from exc
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    count = 0
    try:
        with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
            out = csv.writer(fh)
            out.writerow([c.label for c in pager.spec.columns])
            for row in pager.iter_rows(conn):
                out.writerow([safe_cell(v) for v in row.cells])
                count += 1
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ExportError(f"{path}: cannot write the export ({exc.strerror or exc})") from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return count
