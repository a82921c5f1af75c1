"""One mapped table's rows as SQL over its file, and the statements that load or count them.

The rows are the file's records read through the mapping (`layers.layered`) less those
whose `skip_blank` fields are all blank. A `distinct` table keeps the first row of each
non-blank sourcedId, a merge field joined over all the rows of its sourcedId (the first row's
items, then each item not seen yet), by one GROUP BY.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from connectors.base import Targets
from connectors.common import csv_sql
from connectors.mapped_csv.layers import STEP, layered
from connectors.mapped_csv.sql import BARRIER
from connectors.mapped_csv.tables import MappedTable
from connectors.oneroster.csv_spec import ROLE_WORDS
from connectors.oneroster.csv_sql import field_sql

EMPTY = "''"


@dataclass
class TableSql:
    """A table's rows as SQL: columns n (the record number, times `step`), f0, f1, … (each
    field in `fields` order as the mapping reads it, '' when blank) and x0, x1, … (extras)."""

    rows: str
    fields: list[str]
    extras: list[tuple[str, str]]  # (header name, column)
    step: int
    people: str  # SQL counting the people merged from several rows (distinct + merge)
    ctes: str = ""  # the WITH clause the rows need
    grouped: bool = False  # the rows come by sourcedId: put them in file order

    def statement(self, values: str, joins: str = "", then: str | None = "") -> str:
        """SELECT values FROM the rows (as `r`) and joins, in file order (`then` orders the
        rows of one record; None: in no order)."""
        order = f" ORDER BY r.n{then}" if self.grouped and then is not None else ""
        return f"{self.ctes}SELECT {values} FROM ({self.rows}) AS r{joins}{order}"

    def column(self, name: str) -> str | None:
        """The rows' column of a canonical field."""
        return f"r.f{self.fields.index(name)}" if name in self.fields else None

    def record(self) -> str:
        """The record number of a row."""
        return "r.n" if self.step == 1 else f"(r.n / {self.step})"


def table_sql(
    table: MappedTable,
    source: str,
    keep: str,
    bare: bool,
    lookups: dict[str, str],
    only: Sequence[str] | None = None,
) -> TableSql:
    """The rows of a mapped table (see `layered` for the arguments); `only`: just these fields
    (and those the rows are kept or merged by), no extras."""
    res = table.resolved
    fields = list(res.fields)
    needed = None
    if only is not None:
        needed = {*only, "sourcedId", *table.spec.skip_blank, *table.spec.merge}
    rows = layered(table, source, keep, bare, lookups, fields=needed)
    at = [k for k, f in enumerate(fields) if needed is None or f in needed]
    kept = table.extras if needed is None else []
    extras = [(res.header[j], f"r.x{j}") for j in kept]
    step = STEP if table.explode else 1
    skip = _skip(table)
    if not table.spec.distinct or "sourcedId" not in fields:
        rows = f"SELECT * FROM ({rows})" + (f" WHERE {skip}" if skip else "")
        return TableSql(rows, fields, extras, step, "0")
    return _distinct(table, rows, at, kept, skip, extras, step)


def _distinct(
    table: MappedTable,
    rows: str,
    at: list[int],
    kept: list[int],
    skip: str,
    extras: list[tuple[str, str]],
    step: int,
) -> TableSql:
    """The first row (after skip_blank) of each non-blank sourcedId, its fields `at` and extras
    `kept`; each merge field joined over all the sourcedId's rows: the first row's items, then
    each item not seen yet.

    One GROUP BY: with a single min() in it, SQLite takes the group's other (bare) columns from
    the row holding the minimum (https://sqlite.org/lang_select.html#bareagg), here the first
    row kept; a merge field's values over every row of the group come as a JSON array of
    [record, value].
    """
    fields = list(table.resolved.fields)
    sid = f"f{fields.index('sourcedId')}"
    merged = [fields.index(f) for f in table.spec.merge if f in fields]
    first = f"min(CASE WHEN {skip} THEN n END)" if skip else "min(n)"
    grouped = [f"{first} AS n", "count(*) AS ds_rows"]
    grouped += [f"json_group_array(json_array(n, f{k} || '')) AS ds_all{k}" for k in merged]
    grouped += [f"f{k}" for k in at] + [f"x{j}" for j in kept]
    groups = f"SELECT {', '.join(grouped)} FROM ({rows}) WHERE {sid} <> '' GROUP BY {sid}"
    shown = {k: f"f{k}" for k in at}
    for k in merged:
        r, items = "a.value ->> 0", csv_sql.text_list("a.value ->> 1")
        start = f"(SELECT min(b.value ->> 0) FROM json_each(ds_all{k}) AS b)"
        union = (
            f"SELECT group_concat(i.value, ',' ORDER BY i.r, i.p) FROM (SELECT {r} AS r, "
            f"j.key AS p, j.value, row_number() OVER (PARTITION BY j.value ORDER BY {r}, j.key) "
            f"AS occ FROM json_each(ds_all{k}) AS a, json_each({items}) AS j) AS i "
            f"WHERE i.r = {start} OR i.occ = 1"
        )
        shown[k] = f"CASE WHEN ds_rows > 1 THEN coalesce(({union}), '') ELSE f{k} END"
    values = ["n", *(f"{shown[k]} AS f{k}" for k in at), *(f"x{j}" for j in kept)]
    rows = f"SELECT {', '.join(values)} FROM ds_g WHERE n IS NOT NULL{BARRIER}"
    people = "0"
    if table.spec.merge:
        people = (
            "(SELECT count(*) FROM ds_g WHERE ds_rows > 1)"
            if merged
            else "(SELECT coalesce(sum(ds_rows - 1), 0) FROM ds_g)"
        )
    return TableSql(rows, fields, extras, step, people, f"WITH ds_g AS ({groups}) ", True)


def _skip(table: MappedTable) -> str:
    """SQL true for a row to keep: some skip_blank field is not blank (empty: keep all)."""
    fields = table.resolved.fields
    return " OR ".join(f"f{fields.index(f)} <> ''" for f in table.spec.skip_blank if f in fields)


def insert_sql(t: TableSql, topic: str, table: str, targets: Targets, offset: int) -> str:
    """INSERT the rows into table (columns per targets), record numbers from offset + 1."""
    values = []
    for _, source in targets:
        at = t.column(source)
        if source == "ordinal":
            values.append(f"{t.record()} + {offset}")
        elif source == "extras":
            values.append(csv_sql.extras(t.extras))
        elif at is not None:
            values.append(field_sql(topic, source, at))
        else:
            values.append("NULL")
    columns = ", ".join(f'"{column}"' for column, _ in targets)
    return f"INSERT INTO {table} ({columns}) {t.statement(', '.join(values))}"


ROLE_FIELDS = ("sourcedId", "status", "dateLastModified", "role", "orgSourcedIds")


def roles_sql(t: TableSql, table: str, targets: Targets, offset: int) -> str:
    """INSERT the role links of a users table's rows: one per distinct school of each user, the
    first primary."""
    user = t.column("sourcedId") or EMPTY
    role = f"coalesce({csv_sql.vocabulary(t.column('role') or EMPTY, ROLE_WORDS)}, '')"
    orgs = csv_sql.text_list(t.column("orgSourcedIds") or EMPTY)
    modified = t.column("dateLastModified") or EMPTY
    value = {
        "sourcedId": csv_sql.text(f"{user} || ':' || j.value || ':' || {role}"),
        "status": field_sql("roles", "status", t.column("status") or EMPTY),
        "dateLastModified": field_sql("roles", "dateLastModified", modified),
        "userSourcedId": csv_sql.text(user),
        "roleType": "CASE j.key WHEN 0 THEN 'primary' ELSE 'secondary' END",
        "role": field_sql("roles", "role", role),
        "orgSourcedId": csv_sql.text("j.value"),
        "ordinal": f"{t.record()} + {offset}",
    }
    values = ", ".join(value.get(source, "NULL") for _, source in targets)
    columns = ", ".join(f'"{column}"' for column, _ in targets)
    earlier = f"SELECT k.value FROM json_each({orgs}) AS k WHERE k.key < j.key"
    first = f"(j.key = 0 OR j.value NOT IN ({earlier}))"
    select = t.statement(values, f" JOIN json_each({orgs}) AS j ON {first}", ", j.key")
    return f"INSERT INTO {table} ({columns}) {select}"


def check_sql(t: TableSql, orgs: bool) -> str:
    """Rows, then each field's blank rows, the role links (of orgSourcedIds, when `orgs`) and
    the people merged, in one row."""
    blanks = [f"coalesce(sum(r.f{k} = ''), 0)" for k in range(len(t.fields))]
    links = csv_sql.text_list(t.column("orgSourcedIds") or EMPTY)
    roles = f"coalesce(sum(json_array_length({links})), 0)" if orgs else "0"
    return t.statement(", ".join(["count(*)", *blanks, roles, t.people]), then=None)
