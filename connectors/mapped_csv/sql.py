"""A mapping's field transforms as SQL: sources, split, has, value maps, dates in an order.

Each function takes SQL for a value as the mapping sees it (text stripped of white space, ''
when blank) and gives the SQL of the transformed value, with the meaning the mapping has always
had (tests/connectors/mapped_csv/test_mapping_sql.py holds each to a Python statement of it,
and the date reading to `fields.parse_date`). SQLite computes an expression wherever it is
written: a value used several times should be a column of a lower layer (see `layers.py`).

Python's lower() of text that is not ASCII (Unicode case rules SQLite lacks) is the one value
SQL asks of Python: `ds_lower`, called only for such a value, never for ASCII text. (The date
stage also tells Python of each date it cannot read, through `bad`, for the warning.)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from connectors.common.csv_sql import literal, trimmed
from connectors.mapped_csv.mapping import FieldSpec

# A column's stripped value as SQL, found by its name (the first of the alternatives).
Column = Callable[[Sequence[str]], str | None]

NOT_ASCII = "'*[^\x01-\x7f]*'"  # a GLOB pattern: some character is not ASCII
BARRIER = " LIMIT -1 OFFSET 0"  # keeps SQLite from writing a subquery's columns into the query
EMPTY = "''"


def register(conn: Any) -> None:
    """Give a connection the functions mapped SQL calls."""
    conn.create_function("ds_lower", 1, _lower, deterministic=True)


def _lower(value: Any) -> Any:
    """Python's lower() of a text value."""
    return value.lower() if isinstance(value, str) else value


def stripped(x: str) -> str:
    """x without surrounding white space (as str.strip()); printable ASCII at both ends, the
    usual case, skips the trim."""
    return (
        f"CASE WHEN unicode({x}) BETWEEN 33 AND 126 AND unicode(substr({x}, -1)) "
        f"BETWEEN 33 AND 126 THEN {x} ELSE {trimmed(x)} END"
    )


def fold(x: str) -> str:
    """x in lower case, as str.lower() gives it."""
    return f"CASE WHEN {x} GLOB {NOT_ASCII} THEN ds_lower({x}) ELSE lower({x}) END"


def source(spec: FieldSpec, column: Column, lookup: str | None = None) -> str:
    """The raw value of a field: a constant, a template, a join, a coalesce or a column (looked
    up in `lookup`, a table of k → v, when the field has a lookup)."""
    if spec.const is not None:
        return literal(spec.const)
    if spec.template:
        return template(spec.template, column)
    if spec.join or spec.coalesce:
        found = [x for x in (column((name,)) for name in spec.join or spec.coalesce) if x]
        if spec.coalesce:
            return f"coalesce({', '.join(f'nullif({x}, {EMPTY})' for x in found)}, '')"
        return join(found, spec.sep)
    x = column(spec.columns)
    assert x is not None, spec.name
    if lookup is not None:
        return f"coalesce((SELECT l.v FROM {lookup} AS l WHERE l.k = {x}), '')"
    return x


def template(text: str, column: Column) -> str:
    """'{A}:{B}' filled from the row's values."""
    pieces: list[str] = []
    rest = text
    while "{" in rest:
        before, _, rest = rest.partition("{")
        name, _, rest = rest.partition("}")
        if before:
            pieces.append(literal(before))
        pieces.append(column((name,)) or EMPTY)
    if rest:
        pieces.append(literal(rest))
    return "(" + " || ".join(pieces) + ")"


def join(values: Sequence[str], sep: str) -> str:
    """The non-blank values joined by sep."""
    if not values:
        return EMPTY
    if not sep:
        return "(" + " || ".join(values) + ")"
    s = literal(sep)
    parts = " || ".join(f"CASE WHEN {x} <> '' THEN {s} || {x} ELSE '' END" for x in values)
    return f"substr({parts}, {len(sep) + 1})"


def split(x: str, sep: str, part: int | str) -> str:
    """One piece of x split on sep: the `part`-th non-blank one (stripped; from the end when
    negative), or with part "rest" everything after the first sep; '' when there is none."""
    s = literal(sep)
    if part == "rest":
        after = f"substr({x}, instr({x}, {s}) + {len(sep)})"
        return f"CASE WHEN instr({x}, {s}) > 0 THEN {stripped(after)} ELSE '' END"
    k = int(part)
    order, skip = ("k DESC", -k - 1) if k < 0 else ("k", k)
    at = f"instr(r, {s})"
    pieces = (
        f"WITH RECURSIVE ds_split(k, p, r) AS (SELECT 0, NULL, {x} UNION ALL "
        f"SELECT k + 1, CASE WHEN {at} > 0 THEN substr(r, 1, {at} - 1) ELSE r END, "
        f"CASE WHEN {at} > 0 THEN substr(r, {at} + {len(sep)}) END "
        "FROM ds_split WHERE r IS NOT NULL)"
    )
    return (
        f"coalesce(({pieces} SELECT q FROM (SELECT k, {stripped('p')} AS q FROM ds_split "
        f"WHERE k > 0) WHERE q <> '' ORDER BY {order} LIMIT 1 OFFSET {skip}), '')"
    )


def has(x: str, word: str) -> str:
    """'true' when word is among x's items (split on , ; or |, compared stripped and in lower
    case), 'false' when not, '' for a blank x."""
    commas = f"replace(replace({x}, ';', ','), '|', ',')"
    items = f"'[' || replace(json_quote({commas}), ',', '\",\"') || ']'"
    item = fold(stripped("h.value"))
    wanted = literal(word.strip().lower())
    return (
        f"CASE WHEN {x} = '' THEN '' WHEN EXISTS (SELECT 1 FROM json_each({items}) AS h "
        f"WHERE {item} = {wanted}) THEN 'true' ELSE 'false' END"
    )


def words(x: str, table: dict[str, str], otherwise: str | None) -> str:
    """A value replaced by its entry in table (keys in lower case; the value compared in any
    case), another non-blank value by `otherwise` when given; '' stays ''."""
    other = x if otherwise is None else literal(otherwise)
    if not table:
        return f"CASE WHEN {x} = '' THEN '' ELSE {other} END"
    cases = " ".join(f"WHEN {literal(k)} THEN {literal(v)}" for k, v in table.items())
    return f"CASE WHEN {x} = '' THEN '' ELSE CASE {fold(x)} {cases} ELSE {other} END END"


def date_steps(x: str, order: str, name: str, clean: bool = False) -> list[dict[str, str]]:
    """Reading a date such as 8/1/15, 7/1/2017 or 2017-07-01 in order, as successive layers of
    columns (each layer over the ones before, maybe none; names start with `name`); the last
    one, `{name}_iso`, is the candidate YYYY-MM-DD that `date_value` checks against the
    calendar. `clean`: x has no white space around it.

    What `fields.parse_date` reads: a four-digit first part is the year, else `order`
    decides; two-digit years 69-99 are 1900s; a time after a space or a T is ignored.
    """
    t, u, p, q, iso = (f"{name}_{part}" for part in ("t", "u", "p", "q", "iso"))
    strip = {} if clean else {t: stripped(x)}
    t = x if clean else t
    cut = f"min(instr({t} || ' ', ' '), instr({t} || 'T', 'T')) - 1"
    first_word = f"CASE WHEN {t} GLOB '*[ T]*' THEN substr({t}, 1, {cut}) ELSE {t} END"
    a, b = f"substr({u}, 1, {p} - 1)", f"substr({u}, {p} + 1, {q} - 1)"
    c = f"substr({u}, {p} + {q} + 1)"
    shape = (
        f"{u} NOT GLOB '*[^0-9/]*' AND {p} BETWEEN 2 AND 5 AND {q} BETWEEN 2 AND 3 "
        f"AND length({u}) - {p} - {q} BETWEEN 1 AND 4 AND instr({c}, '/') = 0"
    )
    if order == "ymd":
        year, month, day = a, b, c
    else:
        four = f"{p} = 5"
        year = f"CASE WHEN {four} THEN {a} ELSE {c} END"
        month = f"CASE WHEN {four} THEN {b} ELSE {a if order == 'mdy' else b} END"
        day = f"CASE WHEN {four} THEN {c} ELSE {b if order == 'mdy' else a} END"
    full_year = (
        f"CASE length({year}) WHEN 4 THEN {year} WHEN 2 THEN "
        f"CASE WHEN {year} >= '69' THEN '19' ELSE '20' END || {year} END"
    )
    return [
        strip,
        {u: f"replace(replace({first_word}, '.', '/'), '-', '/')"},
        {p: f"instr({u}, '/')", q: f"instr(substr({u}, instr({u}, '/') + 1), '/')"},
        {iso: f"CASE WHEN {shape} THEN {full_year} || printf('-%02d-%02d', {month}, {day}) END"},
    ]


def date_value(iso: str) -> str:
    """The candidate date when it is a day of the calendar (year 1 on), else NULL."""
    return f"CASE WHEN {iso} NOT LIKE '0000%' AND date({iso}) IS {iso} THEN {iso} END"


def parse_date(x: str, order: str) -> str:
    """A date read in order as YYYY-MM-DD, NULL when unreadable, in one expression (the steps
    as nested subqueries; a mapped table reads dates as layers of its own query instead)."""
    sql = f"SELECT {x} AS r"
    for step in filter(None, date_steps("r", order, "d")):
        columns = ", ".join(f"{value} AS {column}" for column, value in step.items())
        sql = f"SELECT *, {columns} FROM ({sql}){BARRIER}"
    return f"(SELECT {date_value('d_iso')} FROM ({sql}))"


def date(x: str, iso: str, bad: str) -> str:
    """The date stage's value: the date when `iso` (from `date_steps` over x) is one; else x as
    it is, through `bad` (SQL that notes it and gives it back); '' stays ''."""
    return f"CASE WHEN {x} = '' THEN '' ELSE coalesce({date_value(iso)}, {bad}) END"
