"""A mapping's transforms in SQL mean what they meant in Python, for any text.

The Python statements below are the mapping's meaning (what the row reader did before the
port to SQL): each SQL expression of `mapping_sql` is held to one of them.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from connectors.mapped_csv import sql as mapping_sql
from connectors.mapped_csv.fields import parse_date
from connectors.mapped_csv.mapping import DATE_ORDERS
from datasync_tui.store import sqlite

CONN = sqlite.connect(":memory:")
mapping_sql.register(CONN)
CONN.create_function("ds_bad", 1, lambda raw: f"bad:{raw}")

ALPHABET = st.sampled_from(list("0123456789/.-T: ,;|aAbKkz\t\n\u00a0\u3000é\u212a\u0130")) | (
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
)
TEXT = st.text(ALPHABET, max_size=24)
DATES = st.sampled_from(
    ["8/1/15", "7/1/2017", "30/6/2018", "2018-06-30", "4/2/99", "7/1/2017 12:00:00 AM",
     "13/1/2017", "soon", "2017-07-01T10:00:00", " 12.31.1999 ", "2/29/2000", "2/29/1900",
     "0/1/2017", "1/0/2017", "1/1/0000", "1/1/0001", "0007/1/1", "1/1/017", "1/1/1", "00/1/1",
     "12-31-68", "12-31-69", "2017-7-0001", "2017/13/01", "31/12/2017", "1/2/3/4", "１/２/2017",
     "8/1/15\n 9", "T8/1/15", "8/1/15T", "8/1/15 ", "", " ", "/1/2017", "1//2017"]
)  # fmt: skip


def sql(expression: str, *values: str) -> Any:
    """What an SQL expression over ?1, ?2, … gives."""
    return CONN.execute(f"SELECT {expression}", values).fetchone()[0]


@pytest.mark.parametrize("order", DATE_ORDERS)
@given(raw=TEXT | DATES)
@settings(max_examples=600, deadline=None)
@example(raw="2/29/2000")
def test_sql_dates_read_as_parse_date(order: str, raw: str) -> None:
    assert sql(mapping_sql.parse_date("?1", order), raw) == parse_date(raw, order), raw


@pytest.mark.parametrize("order", DATE_ORDERS)
@pytest.mark.parametrize("clean", [False, True])
@given(raw=TEXT | DATES)
@settings(max_examples=200, deadline=None)
def test_date_stage_keeps_what_it_cannot_read(order: str, clean: bool, raw: str) -> None:
    if clean:  # known to have no white space around it
        raw = raw.strip()
    expected = "" if not raw else (parse_date(raw, order) or f"bad:{raw}")
    steps = "SELECT ?1 AS x"
    for step in filter(None, mapping_sql.date_steps("x", order, "d", clean)):
        columns = ", ".join(f"{value} AS {column}" for column, value in step.items())
        steps = f"SELECT *, {columns} FROM ({steps})"
    value = mapping_sql.date("x", "d_iso", "ds_bad(x)")
    assert CONN.execute(f"SELECT {value} FROM ({steps})", (raw,)).fetchone()[0] == expected


@given(TEXT)
@settings(max_examples=400, deadline=None)
@example("\u212a")
@example("\u0130X")
def test_stripped_and_folded(raw: str) -> None:
    assert sql(mapping_sql.stripped("?1"), raw) == raw.strip()
    assert sql(mapping_sql.fold("?1"), raw) == raw.lower()


def python_split(value: str, sep: str, part: int | str) -> str:
    """A piece of a value, as the mapping's `split`/`part` mean it."""
    if part == "rest":
        return (value.split(sep, 1)[1:] or [""])[0].strip()
    items = [p.strip() for p in value.split(sep) if p.strip()]
    k = int(part)
    return items[k] if -len(items) <= k < len(items) else ""


@given(
    TEXT.map(str.strip),
    st.sampled_from([",", " ", ", ", "aa", "-", "\\", '"', "é", "T"]),
    st.sampled_from(["rest", 0, 1, 2, -1, -2]),
)
@settings(max_examples=500, deadline=None)
@example("aaa", "aa", 0)
@example("a,,b", ",", 1)
def test_split(value: str, sep: str, part: int | str) -> None:
    assert sql(mapping_sql.split("?1", sep, part), value) == python_split(value, sep, part)


def python_has(value: str, word: str) -> str:
    """'true'/'false' as the mapping's `has` means it."""
    if not value:
        return ""
    items = {p.strip().lower() for p in re.split(r"[,;|]", value)}
    return "true" if word.strip().lower() in items else "false"


@given(TEXT.map(str.strip), st.sampled_from(["asian", " White ", "k", "", "é", "a,b"]))
@settings(max_examples=400, deadline=None)
@example("white;ASIAN", "asian")
@example("\u212a", "k")
def test_has(value: str, word: str) -> None:
    assert sql(mapping_sql.has("?1", word), value) == python_has(value, word)


def python_words(value: str, table: dict[str, str], otherwise: str | None) -> str:
    """A value through a `map` (and `else`), as the mapping means it."""
    if not value:
        return ""
    found = table.get(value.lower())
    if found is not None:
        return found
    return value if otherwise is None else otherwise


MAPS = st.sampled_from(
    [{"m": "male", "f": "female"}, {"kindergarten": "KG", "1": "01"}, {"é": "e", "i̇": "I"}, {}]
)


@given(TEXT.map(str.strip) | st.sampled_from(["M", "Kindergarten", "\u212aindergarten", "É"]),
       MAPS, st.sampled_from([None, "false", ""]))  # fmt: skip
@settings(max_examples=400, deadline=None)
def test_words(value: str, table: dict[str, str], otherwise: str | None) -> None:
    got = sql(mapping_sql.words("?1", table, otherwise), value)
    assert got == python_words(value, table, otherwise)


@given(st.lists(TEXT.map(str.strip), min_size=1, max_size=4), st.sampled_from([" ", "", ", "]))
@settings(max_examples=300, deadline=None)
def test_join_and_coalesce(values: list[str], sep: str) -> None:
    refs = [f"?{i + 1}" for i in range(len(values))]
    assert sql(mapping_sql.join(refs, sep), *values) == sep.join(v for v in values if v)
    spec = mapping_sql.FieldSpec("x", coalesce=tuple(str(i) for i in range(len(values))))
    got = sql(mapping_sql.source(spec, lambda names: f"?{int(names[0]) + 1}"), *values)
    assert got == next((v for v in values if v), "")


def test_template_and_constant() -> None:
    spec = mapping_sql.FieldSpec("x", template="{A}:{B}-'{A}'")
    column = {"A": "?1", "B": "?2"}
    assert sql(mapping_sql.source(spec, lambda names: column[names[0]]), "a", "") == "a:-'a'"
    assert sql(mapping_sql.source(mapping_sql.FieldSpec("x", const="it's"), dict.get)) == "it's"
