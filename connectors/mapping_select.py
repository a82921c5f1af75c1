"""One mapped table as SQL over its file's records: its fields worked out in layers, its rows.

A query reads the file once. Its layers are nested SELECTs, each computing its columns once per
row over the layer below (SQLite would otherwise compute an expression wherever it is used):
the file's columns stripped (one row per non-blank `explode` column), then each stage of the
fields in turn (split, has, map, date). Then the rows the table keeps: records whose
`skip_blank` fields are all blank left out; for a `distinct` table the first row of each
sourcedId, its `merge` fields joined over every row of that sourcedId (GROUP BY, windows).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from connectors import csv_sql, mapping_sql
from connectors.base import Targets
from connectors.csv_oneroster_spec import ROLE_WORDS
from connectors.mapping_sql import BARRIER, stripped
from connectors.mapping_tables import MappedTable
from connectors.oneroster_csv_sql import field_sql

STEP = 4096  # an exploded row's n: its record number times STEP, plus the column's place
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")


@dataclass
class TableSql:
    """A table's rows as SQL: columns n (the record number, times `step`), f0, f1, … (each
    field in `fields` order as the mapping reads it, '' when blank) and x0, x1, … (extras)."""

    ctes: list[str]
    rows: str
    fields: list[str]
    extras: list[tuple[str, str]]  # (header name, column)
    step: int
    people: str | None  # SQL counting the people merged from several rows (distinct + merge)
    sorted: bool = False  # the rows must be put in order (else they come in file order)

    def statement(self, values: str, joins: str = "", then: str = "") -> str:
        """SELECT values FROM the rows (as `r`) and joins, with the WITH clause it needs, in the
        rows' order (`then` orders within a row: SQLite may drop a subquery's ORDER BY)."""
        with_ = f"WITH {', '.join(self.ctes)} " if self.ctes else ""
        order = f" ORDER BY r.n{then}" if self.sorted else ""
        return f"{with_}SELECT {values} FROM ({self.rows}) AS r{joins}{order}"

    def column(self, name: str) -> str | None:
        """The rows' column of a canonical field."""
        return f"r.f{self.fields.index(name)}" if name in self.fields else None

    def record(self) -> str:
        """The record number of a row."""
        return "r.n" if self.step == 1 else f"(r.n / {self.step})"


class _Layers:
    """Nested SELECTs: each layer adds columns over the one below, computed once per row."""

    def __init__(self, first: str) -> None:
        self.sql = first
        self.pending: dict[str, str] = {}
        self.count = 0

    def bind(self, expression: str) -> str:
        """A column of the next layer holding the expression (the expression when a column)."""
        if _NAME.fullmatch(expression):
            return expression
        self.count += 1
        name = f"b{self.count}"
        self.pending[name] = expression
        return name

    def add(self, columns: dict[str, str]) -> None:
        """Put named columns into the next layer."""
        self.pending.update(columns)

    def close(self) -> None:
        """Close the next layer (when anything is in it)."""
        if self.pending:
            columns = ", ".join(f"{value} AS {name}" for name, value in self.pending.items())
            self.sql = f"SELECT *, {columns} FROM ({self.sql}){BARRIER}"
            self.pending = {}


def table_sql(table: MappedTable, source: str, keep: str, lookups: dict[str, str]) -> TableSql:
    """The rows of a mapped table from its file's virtual table `source` (checked by `keep`);
    `lookups` names each looked-up field's table of k → v. Unreadable dates are noted by
    ds_bad(field number, value, n) and kept."""
    res, spec = table.resolved, table.spec
    used: set[int] = set()

    def column(names: Sequence[str]) -> str | None:
        i = table.columns.find(names)
        if i is not None:
            used.add(i)
        return None if i is None else f"t{i}"

    named = [f for f in res.fields if f in table.specs]
    exprs = {f: mapping_sql.source(table.specs[f], column, lookups.get(f)) for f in named}
    layers = _Layers(_first(table, sorted(used), source, keep))
    stages: list[tuple[Callable[[str], bool], Callable[[str, str], str]]] = [
        (lambda f: table.specs[f].split is not None, _split(table)),
        (lambda f: table.specs[f].has is not None, _has(table)),
        (lambda f: table.specs[f].words is not None or table.specs[f].otherwise is not None,
         _words(table)),
    ]  # fmt: skip
    for applies, stage in stages:
        _stage(layers, exprs, [f for f in named if applies(f)], stage)
    _dates(table, layers, exprs, named)
    for f in named:
        exprs[f] = layers.bind(exprs[f])
    layers.close()
    if table.derived_id:
        parts = [exprs[f] for f in table.derived_id]
        parts[-1] = f"coalesce({csv_sql.vocabulary(parts[-1], ROLE_WORDS)}, '')"
        exprs["sourcedId"] = " || ':' || ".join(parts)
    values = ["n", *(f"{exprs[f]} AS f{k}" for k, f in enumerate(res.fields))]
    values += [f"x{j}" for j in table.extras]
    layered = f"SELECT {', '.join(values)} FROM ({layers.sql})"
    extras = [(res.header[j], f"r.x{j}") for j in table.extras]
    step = STEP if table.explode else 1
    skip = _skip(table)
    if not spec.distinct or "sourcedId" not in res.fields:
        rows = f"SELECT * FROM ({layered})" + (f" WHERE {skip}" if skip else "")
        return TableSql([], rows, list(res.fields), extras, step, None)
    return _distinct(table, layered, skip, extras, step)


def _first(table: MappedTable, used: list[int], source: str, keep: str) -> str:
    """The first layer: each record's number, the columns read (stripped) and the extras; one
    row per non-blank explode column (its value, place and firstness as @each, @index, @first)."""
    width = len(table.resolved.header)
    own = [i for i in used if i < width]
    if not table.explode:
        cols = ["v.rowid AS n", *(f"{stripped(f'c{i}')} AS t{i}" for i in own)]
        cols += [f"c{j} AS x{j}" for j in table.extras]
        return f"SELECT {', '.join(cols)} FROM {source} AS v WHERE {keep}{BARRIER}"
    raw = sorted({*own, *table.extras, *table.explode})
    inner = f"SELECT {', '.join(['v.rowid AS r', *(f'c{i}' for i in raw)])} FROM {source} AS v"
    each = stripped("e.value")
    cols = [f"a.r * {STEP} + e.key AS n", *(f"{stripped(f'a.c{i}')} AS t{i}" for i in own)]
    cols += [f"a.c{j} AS x{j}" for j in table.extras]
    cols += [f"{each} AS t{width}", f"CAST(e.key AS TEXT) AS t{width + 1}"]
    cols += [f"CASE e.key WHEN 0 THEN 'true' ELSE 'false' END AS t{width + 2}"]
    listed = ", ".join(f"a.c{i}" for i in table.explode)
    return (
        f"SELECT {', '.join(cols)} FROM ({inner} WHERE {keep}{BARRIER}) AS a "
        f"JOIN json_each(json_array({listed})) AS e ON {each} <> ''{BARRIER}"
    )


def _stage(
    layers: _Layers, exprs: dict[str, str], fields: list[str], stage: Callable[[str, str], str]
) -> None:
    """Apply one stage to some fields, their values first made columns."""
    if not fields:
        return
    for f in fields:
        exprs[f] = layers.bind(exprs[f])
    layers.close()
    for f in fields:
        exprs[f] = stage(f, exprs[f])


def _split(table: MappedTable) -> Callable[[str, str], str]:
    """The split stage of a field."""
    return lambda f, x: mapping_sql.split(x, table.specs[f].split or "", table.specs[f].part)


def _has(table: MappedTable) -> Callable[[str, str], str]:
    """The has stage of a field."""
    return lambda f, x: mapping_sql.has(x, table.specs[f].has or "")


def _words(table: MappedTable) -> Callable[[str, str], str]:
    """The map stage of a field."""
    return lambda f, x: mapping_sql.words(x, table.specs[f].words or {}, table.specs[f].otherwise)


def _dates(table: MappedTable, layers: _Layers, exprs: dict[str, str], named: list[str]) -> None:
    """The date stage: each date field read in its order, in layers; an unreadable one noted
    once per row (the stage's value is a column of its own layer)."""
    dated = [f for f in named if table.specs[f].date is not None or f.endswith("Date")]
    if not dated:
        return
    for f in dated:
        exprs[f] = layers.bind(exprs[f])
    layers.close()
    k = {f: table.resolved.fields.index(f) for f in dated}
    steps = {
        f: mapping_sql.date_steps(exprs[f], table.specs[f].date or table.mapping.dates, f"d{k[f]}")
        for f in dated
    }
    for n in range(3):
        for f in dated:
            layers.add(steps[f][n])
        layers.close()
    for f in dated:
        bad = f"ds_bad({k[f]}, {exprs[f]}, n)"
        exprs[f] = layers.bind(mapping_sql.date(exprs[f], f"d{k[f]}_iso", bad))
    layers.close()


def _skip(table: MappedTable) -> str:
    """SQL true for a row to keep: some skip_blank field is not blank (empty: keep all)."""
    fields = table.resolved.fields
    at = [fields.index(f) for f in table.spec.skip_blank if f in fields]
    return " OR ".join(f"f{k} <> ''" for k in at)


def _distinct(
    table: MappedTable, layered: str, skip: str, extras: list[tuple[str, str]], step: int
) -> TableSql:
    """The first row (after skip_blank) of each non-blank sourcedId, in file order; each merge
    field joined over all the sourcedId's rows: the first row's items, then each other item
    once."""
    fields = list(table.resolved.fields)
    sid = f"f{fields.index('sourcedId')}"
    merged = [fields.index(f) for f in table.spec.merge if f in fields]
    ctes: list[str] = []
    source, joins, people = f"({layered})", "", None
    shown = {k: f"o.f{k}" for k in range(len(fields))}
    if table.spec.merge:
        ctes.append(f"ds_d AS MATERIALIZED ({layered})")
        ctes.append(
            f"ds_g AS (SELECT {sid} AS k, count(*) AS rows, min(n) AS first FROM ds_d "
            f"WHERE {sid} <> '' GROUP BY {sid})"
        )
        source, joins = "ds_d", " LEFT JOIN ds_g AS g ON g.k = o.sid"
        people = (
            "(SELECT count(*) FROM ds_g WHERE rows > 1)"
            if merged
            else "(SELECT coalesce(sum(rows - 1), 0) FROM ds_g)"
        )
    for k in merged:
        items = csv_sql.text_list(f"d.f{k}")
        ctes.append(
            f"ds_m{k} AS (SELECT i.k, group_concat(i.value, ',' ORDER BY i.n, i.key) AS items "
            f"FROM (SELECT d.{sid} AS k, d.n, j.key, j.value, row_number() OVER "
            f"(PARTITION BY d.{sid}, j.value ORDER BY d.n, j.key) AS occ FROM ds_d AS d "
            f"JOIN ds_g AS g ON g.k = d.{sid} AND g.rows > 1 JOIN json_each({items}) AS j) AS i "
            "JOIN ds_g AS g ON g.k = i.k WHERE i.n = g.first OR i.occ = 1 GROUP BY i.k)"
        )
        joins += f" LEFT JOIN ds_m{k} AS m{k} ON m{k}.k = o.sid"
        shown[k] = f"CASE WHEN g.rows > 1 THEN coalesce(m{k}.items, '') ELSE o.f{k} END"
    where = f"{sid} <> ''" + (f" AND ({skip})" if skip else "")
    ranked = (
        f"SELECT *, {sid} AS sid, row_number() OVER (PARTITION BY {sid} ORDER BY n) AS ds_occ "
        f"FROM {source} WHERE {where}"
    )
    values = ["o.n AS n", *(f"{shown[k]} AS f{k}" for k in range(len(fields)))]
    values += [f"o.x{j} AS x{j}" for j in table.extras]
    rows = f"SELECT {', '.join(values)} FROM ({ranked}) AS o{joins} WHERE o.ds_occ = 1"
    return TableSql(ctes, rows, fields, extras, step, people, sorted=True)


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


def roles_sql(t: TableSql, table: str, targets: Targets, offset: int) -> str:
    """INSERT the role links of a users table's rows: one per distinct school of each user, the
    first primary."""
    user = t.column("sourcedId") or "''"
    role = f"coalesce({csv_sql.vocabulary(t.column('role') or EMPTY, ROLE_WORDS)}, '')"
    orgs = csv_sql.text_list(t.column("orgSourcedIds") or EMPTY)
    value = {
        "sourcedId": csv_sql.text(f"{user} || ':' || j.value || ':' || {role}"),
        "status": field_sql("roles", "status", t.column("status") or EMPTY),
        "dateLastModified": field_sql(
            "roles", "dateLastModified", t.column("dateLastModified") or EMPTY
        ),
        "userSourcedId": csv_sql.text(user),
        "roleType": "CASE j.key WHEN 0 THEN 'primary' ELSE 'secondary' END",
        "role": field_sql("roles", "role", role),
        "orgSourcedId": csv_sql.text("j.value"),
        "ordinal": f"{t.record()} + {offset}",
    }  # fmt: skip
    values = ", ".join(value.get(source, "NULL") for _, source in targets)
    columns = ", ".join(f'"{column}"' for column, _ in targets)
    earlier = f"SELECT k.value FROM json_each({orgs}) AS k WHERE k.key < j.key"
    first = f"(j.key = 0 OR j.value NOT IN ({earlier}))"
    select = t.statement(values, f" JOIN json_each({orgs}) AS j ON {first}", ", j.key")
    return f"INSERT INTO {table} ({columns}) {select}"


EMPTY = "''"


def check_sql(t: TableSql, orgs: bool) -> str:
    """Rows, then each field's blank rows, the role links (of orgSourcedIds, when `orgs`) and
    the people merged, in one row."""
    blanks = [f"coalesce(sum(r.f{k} = ''), 0)" for k in range(len(t.fields))]
    links = csv_sql.text_list(t.column("orgSourcedIds") or EMPTY)
    roles = f"coalesce(sum(json_array_length({links})), 0)" if orgs else "0"
    values = ["count(*)", *blanks, roles, t.people or "0"]
    return t.statement(", ".join(values))
