"""A mapped table's fields as SQL over its file's records, in layers of one query.

Each layer is a SELECT over the one below that computes its columns once per row (SQLite would
otherwise compute an expression wherever it is used, and a note of an unreadable date would be
made more than once): the file's columns stripped (one row per non-blank `explode` column),
then each stage of the fields in turn (split, has, map, date), then the fields' raw values.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from connectors.common import csv_sql
from connectors.mapped_csv import sql as mapping_sql
from connectors.mapped_csv.mapping import FieldSpec
from connectors.mapped_csv.sql import BARRIER, stripped
from connectors.mapped_csv.tables import MappedTable
from connectors.oneroster.csv_spec import ROLE_WORDS

STEP = 4096  # an exploded row's n: its record number times STEP, plus the column's place
_SIMPLE = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*|'(?:[^']|'')*'")  # a column or a literal


class _Layers:
    """Nested SELECTs: each layer adds columns over the one below, computed once per row."""

    def __init__(self, first: str) -> None:
        self.sql = first
        self.pending: dict[str, str] = {}
        self.count = 0

    def bind(self, expression: str) -> str:
        """A column of the next layer holding the expression (the expression itself when it
        is a column or a constant)."""
        if _SIMPLE.fullmatch(expression):
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


def layered(
    table: MappedTable,
    source: str,
    keep: str,
    bare: bool,
    lookups: dict[str, str],
    fields: Sequence[str] | None = None,
    noted: bool = True,
) -> str:
    """A SELECT of each row of a mapped table's file (virtual table `source`, records checked by
    `keep`; `bare`: no field has white space around it): n (the record number, times STEP when
    exploded), each field as the mapping reads it ('' when blank) as f0, f1, … (its place in
    the table's fields; `fields`: only these), and the extras x0, x1, … (their columns).
    `lookups` names each looked-up field's table of k → v. An unreadable date is kept, and
    noted by ds_bad(field number, value, n) when `noted`."""
    res = table.resolved
    wanted = list(res.fields) if fields is None else [f for f in res.fields if f in fields]
    if "sourcedId" in wanted and table.derived_id:
        wanted += [f for f in table.derived_id if f not in wanted]
    used: set[int] = set()

    def column(names: Sequence[str]) -> str | None:
        i = table.columns.find(names)
        if i is not None:
            used.add(i)
        return None if i is None else f"t{i}"

    named = [f for f in res.fields if f in table.specs and f in wanted]
    exprs = {f: mapping_sql.source(table.specs[f], column, lookups.get(f)) for f in named}
    layers = _Layers(_first(table, sorted(used), source, keep, bare, fields is None))
    stages: list[tuple[Callable[[str], bool], Callable[[str, str], str]]] = [
        (lambda f: table.specs[f].split is not None, _split(table)),
        (lambda f: table.specs[f].has is not None, _has(table)),
        (lambda f: table.specs[f].words is not None or table.specs[f].otherwise is not None,
         _words(table)),
    ]  # fmt: skip
    for applies, stage in stages:
        _stage(layers, exprs, [f for f in named if applies(f)], stage)
    _dates(table, layers, exprs, [f for f in named if _clean(table.specs[f])], named, noted)
    for f in named:
        exprs[f] = layers.bind(exprs[f])
    layers.close()
    if "sourcedId" in wanted and table.derived_id:
        parts = [exprs[f] for f in table.derived_id]
        parts[-1] = f"coalesce({csv_sql.vocabulary(parts[-1], ROLE_WORDS)}, '')"
        exprs["sourcedId"] = " || ':' || ".join(parts)
    values = ["n", *(f"{exprs[f]} AS f{k}" for k, f in enumerate(res.fields) if f in wanted)]
    if fields is None:
        values += [f"x{j}" for j in table.extras]
    return f"SELECT {', '.join(values)} FROM ({layers.sql})"


def _first(
    table: MappedTable, used: list[int], source: str, keep: str, bare: bool, extras: bool
) -> str:
    """The first layer: each record's number, the columns read (stripped) and the extras; one
    row per non-blank explode column (its value, place and firstness as @each, @index, @first)."""
    width = len(table.resolved.header)
    own = [i for i in used if i < width]
    strip = (lambda x: x) if bare else stripped
    kept = table.extras if extras else []
    if not table.explode:
        cols = ["v.rowid AS n", *(f"{strip(f'c{i}')} AS t{i}" for i in own)]
        cols += [f"c{j} AS x{j}" for j in kept]
        return f"SELECT {', '.join(cols)} FROM {source} AS v WHERE {keep}{BARRIER}"
    raw = sorted({*own, *kept, *table.explode})
    inner = f"SELECT {', '.join(['v.rowid AS r', *(f'c{i}' for i in raw)])} FROM {source} AS v"
    each = strip("e.value")
    cols = [f"a.r * {STEP} + e.key AS n", *(f"{strip(f'a.c{i}')} AS t{i}" for i in own)]
    cols += [f"a.c{j} AS x{j}" for j in kept]
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


def _clean(spec: FieldSpec) -> bool:
    """True when a field's value before the date stage has no white space around it (a
    column's value is stripped, and so are a lookup's, a split's, a coalesce's and a join's)."""
    if spec.words is not None or spec.otherwise is not None:
        values = [*(spec.words or {}).values(), *([spec.otherwise] if spec.otherwise else [])]
        if any(v != v.strip() for v in values):
            return False
        if spec.otherwise is not None or spec.has is not None or spec.split is not None:
            return True
    elif spec.has is not None or spec.split is not None:
        return True
    if spec.const is not None:
        return spec.const == spec.const.strip()
    return not spec.template


def _dates(
    table: MappedTable,
    layers: _Layers,
    exprs: dict[str, str],
    clean: list[str],
    named: list[str],
    noted: bool,
) -> None:
    """The date stage: each date field read in its order, in layers (`clean`: fields known to
    have no white space around them); an unreadable one kept, and noted once per row when
    `noted` (the stage's value is a column of its own layer)."""
    dated = [f for f in named if table.specs[f].date is not None or f.endswith("Date")]
    if not dated:
        return
    for f in dated:
        exprs[f] = layers.bind(exprs[f])
    layers.close()
    k = {f: table.resolved.fields.index(f) for f in dated}
    order = {f: table.specs[f].date or table.mapping.dates for f in dated}
    steps = {f: mapping_sql.date_steps(exprs[f], order[f], f"d{k[f]}", f in clean) for f in dated}
    for n in range(len(steps[dated[0]])):
        for f in dated:
            layers.add(steps[f][n])
        layers.close()
    for f in dated:
        bad = f"ds_bad({k[f]}, {exprs[f]}, n)" if noted else exprs[f]
        exprs[f] = layers.bind(mapping_sql.date(exprs[f], f"d{k[f]}_iso", bad))
    layers.close()
