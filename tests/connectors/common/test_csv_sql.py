"""CSV values normalised in SQL mean what the Python converters mean, for any text."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from connectors.common import csv_sql, csv_values
from connectors.oneroster.csv_spec import ROLE_WORDS, STATUS, STATUS_ALIASES
from datasync_tui.store import sqlite

CONN = sqlite.connect(":memory:")

# Text a CSV field may hold: digits and date punctuation often, any character sometimes.
ALPHABET = st.sampled_from(list("0123456789-T:.Z +/,{}\"'\\ \t\r\nabcXYZé😀")) | st.characters(
    blacklist_categories=("Cs",), blacklist_characters="\x00"
)
TEXT = st.text(ALPHABET, max_size=30)
DATES = st.sampled_from(
    ["2026-08-15", " 2026-08-15 ", "20260815", "2026-02-30", "2026-13-01", "2026-08-15T10:00:00Z",
     "2026-08-15 10:00", "2026-08-15T25:00", "2017-05-06 08:01:05", "2026-08-15T10:00:00.5Z",
     "2026-08-15T10:00:00+02:00", "2026-08-15T10:00:00.000Z", "2026-8-5", "now", "", " "]
)  # fmt: skip


def sql_value(expression: Callable[[str], str], raw: str) -> Any:
    """What the SQL expression gives for one raw value."""
    return CONN.execute(f"SELECT {expression('?1')}", (raw,)).fetchone()[0]


def same(python: Callable[[str], Any], expression: Callable[[str], str], raw: str) -> None:
    """The Python converter and the SQL expression agree on raw."""
    expected = python(raw)
    got = sql_value(expression, raw)
    if isinstance(expected, bool):
        expected = int(expected)
    assert got == expected, (raw, got, expected)


@given(TEXT | DATES)
@settings(max_examples=400, deadline=None)
@example("2026-08-15")
def test_dates(raw: str) -> None:
    same(csv_values.iso_date, csv_sql.iso_date, raw)


@given(TEXT | DATES)
@settings(max_examples=400, deadline=None)
def test_datetimes(raw: str) -> None:
    same(csv_values.iso_datetime, csv_sql.iso_datetime, raw)


@given(TEXT | st.sampled_from(["true", "FALSE", " Yes ", "no", "1", "0", "maybe", ""]))
@settings(max_examples=300, deadline=None)
def test_booleans(raw: str) -> None:
    same(csv_values.boolean, csv_sql.boolean, raw)


@given(TEXT | st.sampled_from(["teacher", "Teacher", " STUDENT ", "districtadministrator", "x"]))
@settings(max_examples=300, deadline=None)
def test_vocabularies(raw: str) -> None:
    same(csv_values.vocabulary(ROLE_WORDS), lambda x: csv_sql.vocabulary(x, ROLE_WORDS), raw)
    same(
        csv_values.vocabulary(STATUS, STATUS_ALIASES),
        lambda x: csv_sql.vocabulary(x, STATUS, STATUS_ALIASES),
        raw,
    )


@given(TEXT | st.sampled_from(["09,10", "09, 10 ,", ",,", "{LDAP:12},{LTI:15}", 'a"b,c\\d']))
@settings(max_examples=400, deadline=None)
def test_lists(raw: str) -> None:
    got = sql_value(csv_sql.text_list, raw)
    assert (json.loads(got) if got is not None else None) == csv_values.text_list(raw), raw


@given(st.lists(st.tuples(TEXT.filter(bool), TEXT), max_size=4, unique_by=lambda p: p[0]))
@settings(max_examples=200, deadline=None)
def test_extras(pairs: list[tuple[str, str]]) -> None:
    values = [v for _, v in pairs]
    expression = csv_sql.extras([(name, f"?{i + 1}") for i, (name, _) in enumerate(pairs)])
    got = CONN.execute(f"SELECT {expression}", values).fetchone()[0] if pairs else None
    expected = {name: v for name, v in pairs if v} or None
    assert (json.loads(got) if got is not None else None) == expected


def test_text_blank_is_null() -> None:
    assert sql_value(csv_sql.text, "") is None
    assert sql_value(csv_sql.text, " x ") == " x "
