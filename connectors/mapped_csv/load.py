"""A mapped topic loaded, or a mapped table counted, by SQL over its files.

Each table of a topic is one statement over its file (`select.py`), run by SQLite's own
CSV reader (`csv_native`): a looked-up field's values are put into a small table first, from
their own file. The tables of one topic go in one after the other, their record numbers
continued, so the first of a repeated sourcedId is the one kept. A date the mapping cannot
read is kept as it is and told once per field, at the first place it was found.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from connectors.base import ConnectorError, Targets
from connectors.common import csv_native
from connectors.common.csv_native import CsvFile
from connectors.common.csv_reading import Bundle
from connectors.common.csv_sql import literal
from connectors.mapped_csv import sql as mapping_sql
from connectors.mapped_csv.layers import STEP
from connectors.mapped_csv.select import (
    ROLE_FIELDS,
    TableSql,
    check_sql,
    insert_sql,
    roles_sql,
    table_sql,
)
from connectors.mapped_csv.sql import BARRIER, fold, stripped
from connectors.mapped_csv.tables import LookupFile, MappedTable

Opener = Callable[[], Bundle]
Warn = Callable[[str], None]
_names = itertools.count(1)
_ORDERS = {"mdy": "month/day/year", "dmy": "day/month/year", "ymd": "year-month-day"}


@dataclass
class Counted:
    """One table's figures for the check: rows, blank rows per field, role links, people
    merged from several rows."""

    rows: int
    blanks: dict[str, int]
    roles: int
    people: int


def load_topic(
    conn: Any,
    target: str,
    targets: Targets,
    *,
    tables: list[MappedTable],
    opener: Opener,
    warn: Warn,
    roles: bool = False,
    required: bool = False,
) -> int:
    """Insert every table of a topic into target, in turn (the role links of users tables when
    `roles`); how many rows. A required topic without a row is an error."""
    done = offset = 0
    for table in tables:
        topic, at = table.spec.topic, offset

        def build(t: TableSql, topic: str = topic, at: int = at) -> str:
            if roles:
                return roles_sql(t, target, targets, at)
            return insert_sql(t, topic, target, targets, at)

        only = ROLE_FIELDS if roles else None
        done += _run(conn, table, opener, build, warn, only=only).result
        if any(source == "ordinal" for _, source in targets):
            last = conn.execute(f"SELECT ordinal FROM {target} ORDER BY rowid DESC LIMIT 1")
            offset = (last.fetchone() or (offset,))[0] or offset
    if required and not done:
        names = ", ".join(t.spec.file for t in tables)
        raise ConnectorError(f"no data rows in {names}", where=tables[0].spec.file)
    return done


def count_table(
    conn: Any, table: MappedTable, opener: Opener, warn: Warn, orgs: bool, lookups: dict[str, str]
) -> Counted:
    """A table's figures, read by SQL (`orgs`: count the role links of orgSourcedIds), its
    lookups made already (`make_lookups`)."""
    build = partial(check_sql, orgs=orgs)
    read = _run(conn, table, opener, build, warn, fetch=True, lookups=lookups)
    figures = read.result[0]
    fields = table.resolved.fields
    blanks = {f: figures[1 + k] for k, f in enumerate(fields)}
    return Counted(figures[0], blanks, figures[1 + len(fields)], figures[2 + len(fields)])


def _run(
    conn: Any,
    table: MappedTable,
    opener: Opener,
    build: Callable[[TableSql], str],
    warn: Warn,
    fetch: bool = False,
    lookups: dict[str, str] | None = None,
    only: tuple[str, ...] | None = None,
) -> csv_native.Read:
    """One statement over a table's file, its lookups made first (unless given) and dropped
    after; unreadable dates told after."""
    res = table.resolved
    assert res.file_name is not None
    mapping_sql.register(conn)
    bad = _Bad()
    conn.create_function("ds_bad", 3, bad.note)
    file = CsvFile(opener, res.file_name, res.header)
    made = make_lookups(conn, table, opener, warn) if lookups is None else lookups
    try:
        read = csv_native.run(
            conn, file,
            lambda s, k, b: build(table_sql(table, s, k, b, made, only)),
            warn, fetch=fetch,
        )  # fmt: skip
    finally:
        if lookups is None:
            drop_lookups(conn, made)
    bad.tell(table, file, read.rewritten, warn)
    return read


@dataclass
class _Bad:
    """Unreadable values noted while a statement runs: per field, how many and the first."""

    seen: dict[int, list[Any]] = field(default_factory=dict)  # field → [count, n, value]

    def note(self, field_no: int, value: str, n: int) -> str:
        """Note a value; give it back (it is kept as sent)."""
        found = self.seen.get(field_no)
        if found is None:
            self.seen[field_no] = [1, n, value]
        else:
            found[0] += 1
            if n < found[1]:
                found[1:] = [n, value]
        return value

    def tell(self, table: MappedTable, file: CsvFile, rewritten: bool, warn: Warn) -> None:
        """One located warning per field with unreadable values."""
        step = STEP if table.explode else 1
        for field_no, (count, n, value) in sorted(self.seen.items(), key=lambda s: s[1][1]):
            name = table.resolved.fields[field_no]
            spec = table.specs[name]
            how = _ORDERS[spec.date or table.mapping.dates]
            line = csv_native.line_of(file, n // step, rewritten)
            column = table.resolved.column_of.get(name, name)
            more = f" ({count} such values)" if count > 1 else ""
            warn(
                f"{file.name}:{line}: {column} {value!r} is not a date as {how}; kept as sent{more}"
            )
        self.seen.clear()


def make_lookups(conn: Any, table: MappedTable, opener: Opener, warn: Warn) -> dict[str, str]:
    """A table of k → v for each looked-up field of a table, by field."""
    mapping_sql.register(conn)
    made: dict[str, str] = {}
    try:
        for name, lookup in table.lookups.items():
            made[name] = f"temp.ds_lookup_{next(_names)}"
            _fill(conn, made[name], lookup, opener, warn)
    except BaseException:
        drop_lookups(conn, made)
        raise
    return made


def drop_lookups(conn: Any, made: dict[str, str]) -> None:
    """Drop the lookup tables."""
    for name in made.values():
        conn.execute(f"DROP TABLE IF EXISTS {name}")
        conn.execute(f"DROP TABLE IF EXISTS {name}_rows")


def _fill(conn: Any, name: str, lookup: LookupFile, opener: Opener, warn: Warn) -> None:
    """Read a lookup's file into name: each non-blank key with its value (stripped). For a list
    field every value of the key, comma-joined (a value once); else the first row's value, or
    the last of the rows whose `prefer` column holds the preferred value."""
    conn.execute(f"CREATE TABLE {name} (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID")
    file = CsvFile(opener, lookup.file_name, lookup.header)

    def rows(source: str, keep: str, bare: bool) -> str:
        strip = (lambda x: x) if bare else stripped
        key, value = strip(f"c{lookup.key}"), strip(f"c{lookup.value}")
        prefer = "0"
        if lookup.prefer is not None:
            column, wanted = lookup.prefer
            prefer = f"{fold(strip(f'c{column}'))} = {literal(wanted.lower())}"
        return (
            f"SELECT n, lk, lv, pref FROM (SELECT v.rowid AS n, {key} AS lk, {value} AS lv, "
            f"{prefer} AS pref FROM {source} AS v WHERE {keep}{BARRIER}) "
            "WHERE lk <> '' AND lv <> ''"
        )

    if not lookup.is_list:
        csv_native.run(
            conn, file,
            lambda source, keep, bare: (
                f"INSERT INTO {name} (k, v) SELECT lk, lv FROM (SELECT lk, lv, row_number() "
                "OVER (PARTITION BY lk ORDER BY pref DESC, CASE WHEN pref THEN -n ELSE n END) "
                f"AS occ FROM ({rows(source, keep, bare)})) WHERE occ = 1"
            ),
            warn,
        )  # fmt: skip
        return
    # A list: a value goes in unless an earlier row's value has it among its comma parts.
    table = f"{name}_rows"
    csv_native.run(conn, file, lambda s, k, b: f"CREATE TABLE {table} AS {rows(s, k, b)}", warn)
    conn.execute(f"CREATE INDEX {table}_k ON {table.split('.', 1)[1]} (lk, n)")
    parts = "'[' || replace(json_quote(b.lv), ',', '\",\"') || ']'"
    conn.execute(
        f"INSERT INTO {name} (k, v) SELECT lk, group_concat(lv, ',' ORDER BY n) FROM {table} "
        f"AS a WHERE instr(a.lv, ',') > 0 OR NOT EXISTS (SELECT 1 FROM {table} AS b, "
        f"json_each({parts}) AS p WHERE b.lk = a.lk AND b.n < a.n AND p.value = a.lv) "
        "GROUP BY lk"
    )
