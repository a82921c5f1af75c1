"""Export issues to .csv (spreadsheet-safe, UTF-8 with BOM) or .json, by the path's extension."""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterable
from datetime import datetime
from itertools import islice
from pathlib import Path

import orjson

from datasync_tui.errors import DataSyncError
from datasync_tui.rules.base import ISSUE_FIELDS
from datasync_tui.rules.runner import Issue

FORMATS = (".csv", ".json")
# A cell starting with one of these is a formula (or hides one) in a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FORMULA = frozenset(FORMULA_STARTS)
PROGRESS_EVERY = 5000

ExportProgress = Callable[[int, int | None], None]  # (issues written, total when known)


class ExportError(DataSyncError):
    """The export path is not usable (unknown extension, folder cannot be written)."""


def safe_cell(value: str | None) -> str:
    """A CSV cell that a spreadsheet shows as text: formula-like starts get a leading '."""
    if value is None:
        return ""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def folder_problem(path: Path) -> str | None:
    """Why an export cannot go to path's folder (missing, or not a folder), or None."""
    folder = path.parent
    if folder.is_dir():
        return None
    if folder.exists():
        return f"{folder}: not a folder, cannot hold the export {path.name}"
    return f"{folder}: no such folder (an export creates none; create it or pick another)"


def default_export_path(exports: Path, suffix: str = ".csv", now: datetime | None = None) -> Path:
    """exports/validation-issues-YYYY-MM-DD-HHMMSS.csv (or .json), in local time."""
    stamp = (now or datetime.now()).strftime("%Y-%m-%d-%H%M%S")
    return exports / f"validation-issues-{stamp}{suffix}"


def export_issues(
    issues: Iterable[Issue],
    path: Path,
    *,
    total: int | None = None,
    progress: ExportProgress | None = None,
) -> int:
    """Write the issues to path (format by extension), atomically; return how many."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ExportError(f"{path}: the export name must end in .csv or .json")
    writer = _write_csv if suffix == ".csv" else _write_json
    return write_atomically(path, lambda tmp: writer(issues, tmp, total, progress))


def write_atomically(path: Path, write: Callable[[Path], int]) -> int:
    """Run write(tmp) beside path, then put it in place; a failure leaves no half file.

    No folder is created: one the user did not name is never made (a typo stays a typo).
    """
    problem = folder_problem(path)
    if problem:
        raise ExportError(problem)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        count = write(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ExportError(f"{path}: cannot write the export ({exc.strerror or exc})") from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return count


def _tick(count: int, total: int | None, progress: ExportProgress | None) -> None:
    """Report progress after each PROGRESS_EVERY issues."""
    if progress is not None and count % PROGRESS_EVERY == 0:
        progress(count, total)


def _write_csv(
    issues: Iterable[Issue], path: Path, total: int | None, progress: ExportProgress | None
) -> int:
    """The issue columns, one issue a row; UTF-8 with BOM so spreadsheets read accents right."""
    count = 0
    rows = map(_csv_row, issues)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(ISSUE_FIELDS)
        while batch := list(islice(rows, PROGRESS_EVERY)):
            out.writerows(batch)
            count += len(batch)
            _tick(count, total, progress)
    if progress is not None:
        progress(count, total)
    return count


def _csv_row(issue: Issue) -> list[str]:
    """One issue's cells, each as safe_cell makes it (inlined: this runs for every cell)."""
    cells = (issue.rule, issue.severity, issue.topic, issue.sourcedId, issue.field,
             issue.value, issue.message, issue.hint)  # fmt: skip
    return [("'" + v if v[:1] in _FORMULA else v) if v else "" for v in cells]


def _write_json(
    issues: Iterable[Issue], path: Path, total: int | None, progress: ExportProgress | None
) -> int:
    """A JSON array of the same records (values as they are: JSON is not a spreadsheet)."""
    count = 0
    with path.open("wb") as fh:
        fh.write(b"[")
        for issue in issues:
            fh.write(b"\n" if count == 0 else b",\n")
            fh.write(orjson.dumps(issue.as_dict()))
            count += 1
            _tick(count, total, progress)
        fh.write(b"\n]\n" if count else b"]\n")
    if progress is not None:
        progress(count, total)
    return count
