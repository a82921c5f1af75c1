"""A CSV file loaded by SQLite's own CSV reader (vsv): one INSERT … SELECT per file.

The header is planned in Python (which column is which field, what kind of value); then the
engine's connection reads the file in C and the SELECT normalises every value in SQL (see
`csv_sql`). Every record is checked in the same statement: a record with too few or too many
fields, or a field over the limit, stops it through `ds_reject`, and the file is then read
exactly (Python's csv module) for the one-line error with its file and line. Files the fast
reader could misread (see `csv_scan`) are read exactly first and, when sound, rewritten plainly.
"""

from __future__ import annotations

import csv
import itertools
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlean

from connectors.base import ConnectorError, Targets
from connectors.common import csv_scan
from connectors.common.csv_reading import ZIP_ERRORS, Bundle
from connectors.common.csv_scan import FIELD_LIMIT, LongLine, Scan, long_line_error, scan
from connectors.common.csv_sql import concat

VSV_COLUMNS = 1999  # SQLite declares at most 2000 columns: one more catches extra fields
_names = itertools.count(1)

# A statement over a file's records, from the file's virtual table (columns c0, c1, …; rowid
# the record number), the WHERE clause that checks each record (skips empty ones), and whether
# every field is bare (known to have no white space around it).
Build = Callable[[str, str, bool], str]


@dataclass
class CsvFile:
    """One file of a bundle, read by SQLite's CSV reader."""

    bundle: Callable[[], Bundle]  # opens the bundle afresh
    name: str  # the file, as the bundle holds it
    header: list[str]  # its header, as planned (names stripped)
    blanks: bool = True  # warn about rows whose every field is empty

    @property
    def width(self) -> int:
        """Columns in the header."""
        return len(self.header)


@dataclass
class CsvSelect(CsvFile):
    """A topic's records as SQL over the columns c0, c1, … of one file of a bundle."""

    values: dict[str, str] = field(default_factory=dict)  # field (or "extras") → SQL over c0,
    # c1, …; a missing one is NULL
    index: dict[str, int] = field(default_factory=dict)  # each field's column, as planned
    joins: str = ""  # further FROM items (one record may give several rows)
    required: bool = False  # a file with no data row is an error


@dataclass
class Read:
    """What one statement over a file gave: the rows inserted (or fetched), and whether the
    file was read exactly and rewritten plainly first (record numbers then skip empty rows)."""

    result: Any
    rewritten: bool


def memory() -> Any:
    """An in-memory SQLite connection that reads CSV files (for counting, not keeping)."""
    sqlean.extensions.enable("vsv")
    return sqlean.connect(":memory:")


def load(
    conn: Any, table: str, targets: Targets, *, select: CsvSelect, warn: Callable[[str], None]
) -> int:
    """Insert every record of the file into table (columns per targets); how many rows."""
    columns = ", ".join(f'"{column}"' for column, _ in targets)
    values = ", ".join(_value(select, src) for _, src in targets)

    def build(source: str, keep: str, _bare: bool) -> str:
        return (
            f"INSERT INTO {table} ({columns}) SELECT {values} FROM {source} AS v"
            f"{select.joins} WHERE {keep}"
        )

    inserted = run(conn, select, build, warn).result
    if not inserted and select.required:
        raise ConnectorError(f"{select.name} has no data rows", where=f"{select.name}:2")
    return inserted


def run(
    conn: Any, file: CsvFile, build: Build, warn: Callable[[str], None], *, fetch: bool = False
) -> Read:
    """Run one statement over the file's records: its rows when `fetch`, else its row count."""
    with _ready(file, warn) as (path, found, rewritten):
        try:
            return Read(_run(conn, file, path, found, build, warn, fetch), rewritten)
        except _Disagreement:  # the fast reader and Python's disagree: read it the exact way
            with _rewritten(file, warn) as plain:
                try:
                    return Read(_run(conn, file, plain, Scan(quotes=1), build, warn, fetch), True)
                except _Disagreement as again:
                    raise ConnectorError(
                        f"SQLite's CSV reader cannot read the file: {again.__cause__}",
                        where=file.name,
                    ) from None


def line_of(file: CsvFile, record: int, rewritten: bool) -> int:
    """The line a record (as the reader numbered it) starts on, read with Python's csv module."""
    bundle = file.bundle()
    try:
        table = bundle.table(file.name, lambda _message: None)
        try:
            records = table.rows() if rewritten else table.records()
            for number, (line, _) in enumerate(records, 1):
                if number == record:
                    return line
        finally:
            table.close()
    finally:
        bundle.close()
    return 0


class _Disagreement(Exception):
    """The fast reader refused a record that Python's csv module reads."""


@contextmanager
def _ready(select: CsvFile, warn: Callable[[str], None]) -> Iterator[tuple[Path, Scan, bool]]:
    """The file on disk, looked over (copied out of a zip on the way; a file the fast reader
    could misread is read exactly, and rewritten plainly when sound)."""
    bundle = select.bundle()
    try:
        table = bundle.table(select.name)
        table.close()
        if [h.strip() for h in table.header or []] != select.header:
            raise ConnectorError(
                "the header changed while the bundle was read", where=f"{select.name}:1"
            )
        on_disk = bundle.disk_path(select.name)
        copy = None if on_disk is not None else _temp_file()
        try:
            with bundle.open(select.name) as stream:
                if copy is None:
                    found = scan(stream)
                else:
                    with open(copy, "wb") as sink:
                        found = scan(stream, sink.write)
        except LongLine as long:
            if copy is not None:
                copy.unlink(missing_ok=True)
            with bundle.open(select.name) as stream:
                raise long_line_error(select.name, csv_scan.line_of(stream, long.offset)) from None
        except (*ZIP_ERRORS, OSError) as exc:
            if copy is not None:
                copy.unlink(missing_ok=True)
            why = "corrupt data in the zip" if copy is not None else "cannot read the file"
            raise ConnectorError(f"{why}: {exc}", where=select.name) from None
    finally:
        bundle.close()
    try:
        if found.plain and select.width <= VSV_COLUMNS:
            yield (on_disk or copy), found, False  # type: ignore[misc]
            return
        with _rewritten(select, warn) as plain:
            yield plain, Scan(quotes=1), True
    finally:
        if copy is not None:
            copy.unlink(missing_ok=True)


@contextmanager
def _rewritten(select: CsvFile, warn: Callable[[str], None]) -> Iterator[Path]:
    """The file read exactly (its first fault raised, located) and written again plainly."""
    copy = _temp_file()
    bundle = select.bundle()
    try:
        table = bundle.table(select.name, warn)
        with open(copy, "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(table.header or [])
            for _, fields in table.rows():
                writer.writerow(fields[:VSV_COLUMNS])
        bundle.close()
        yield copy
    finally:
        bundle.close()
        copy.unlink(missing_ok=True)


def _temp_file() -> Path:
    """A new private file (0600) in the system's temporary folder."""
    handle, name = tempfile.mkstemp(prefix="datasync-", suffix=".csv")
    os.close(handle)
    return Path(name)


def _run(
    conn: Any,
    select: CsvFile,
    path: Path,
    found: Scan,
    build: Build,
    warn: Callable[[str], None],
    fetch: bool,
) -> Any:
    """One statement over the file; a refused record raises its exact error."""
    width = min(select.width, VSV_COLUMNS)
    source = f"ds_csv_{next(_names)}"
    names = ", ".join(f"c{i}" for i in range(width + 1))
    skip = found.blank_lead + 1  # the header, and empty lines before it
    quoted = str(path).replace("'", "''")
    # No validatetext: the scan (or the exact read) has found the file UTF-8 already, and with
    # it the reader refuses a first record that starts with an empty field ("Invalid UTF8").
    conn.execute(
        f"CREATE VIRTUAL TABLE temp.{source} USING vsv(filename='{quoted}', header=no, "
        f"skip={skip}, columns={width + 1}, schema='CREATE TABLE x({names})')"
    )
    refused: list[int] = []
    blank = itertools.count()
    conn.create_function("ds_reject", 1, lambda record: refused.append(record) or 1 / 0)
    conn.create_function("ds_blank", 1, lambda record: next(blank) and 0)
    sql = build(f"temp.{source}", _keep(width, found.may_hold_long_fields), found.bare)
    try:
        cursor = conn.execute(sql)
        done = cursor.fetchall() if fetch else cursor.rowcount
    except Exception as exc:
        if refused or "UTF8" in str(exc) or "UTF-8" in str(exc):
            _exact(select)  # raises the located error
            raise _Disagreement from exc
        raise
    finally:
        conn.execute(f"DROP TABLE temp.{source}")
    blanks = next(blank)
    if blanks and select.blanks:
        warn(f"{select.name}: {blanks} rows with every field empty were skipped")
    return done


def _value(select: CsvSelect, source: str) -> str:
    """The SQL a target takes: a field's expression, the record number, or NULL."""
    if source == "ordinal":
        return "v.rowid"
    return select.values.get(source) or "NULL"


def _keep(width: int, long_fields: bool) -> str:
    """The WHERE clause: skip empty lines and rows, refuse records that are not sound (kept
    shallow for a file of many columns: SQLite limits an expression's depth)."""
    last = width - 1
    fields = [f"c{i}" for i in range(width)]
    empty_line = "c0 = '' AND c1 IS NULL" if width > 1 else "0"
    checks = [f"WHEN {empty_line} THEN 0"]
    checks.append(f"WHEN c{width} IS NOT NULL OR c{last} IS NULL THEN ds_reject(v.rowid)")
    # Every field empty: c0 = '' AND … (stops at the first filled field, as most rows do);
    # for a very wide file, one concat() (an AND that long would pass SQLite's depth limit).
    blank = " AND ".join(f"{f} = ''" for f in fields) if width <= 100 else f"{concat(fields)} = ''"
    checks.append(f"WHEN {blank} THEN ds_blank(v.rowid)")
    if long_fields:  # a field over the limit in bytes: Python's csv then counts characters
        longest = (
            _nested("max", [f"octet_length({f})" for f in fields])
            if width > 1
            else ("octet_length(c0)")
        )
        checks.append(f"WHEN {longest} > {FIELD_LIMIT} THEN ds_reject(v.rowid)")
    return f"CASE {' '.join(checks)} ELSE 1 END"


def _nested(function: str, args: list[str]) -> str:
    """function(args…) as calls of at most 100 arguments, nested."""
    while len(args) > 1:
        args = [f"{function}({', '.join(args[i : i + 100])})" for i in range(0, len(args), 100)]
    return args[0]


def _exact(select: CsvFile) -> None:
    """Read the file with Python's csv module: its first fault is raised, located."""
    bundle = select.bundle()
    try:
        table = bundle.table(select.name, lambda _message: None)
        for _ in table.rows():
            pass
    finally:
        bundle.close()
