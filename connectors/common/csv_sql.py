"""CSV text normalised in SQL: blanks, booleans, dates, datetimes, lists, vocabularies, extras.

Each function takes an SQL expression for a raw CSV value (the text SQLite's CSV reader gives:
'' for an empty field) and returns the SQL expression of its canonical value, with the same
meaning as the Python converters of `csv_values`: blank is NULL, a value that cannot be read is
kept as sent. Only constants the code chooses (words, JSON keys) are written into the SQL, as
quoted literals.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

# Every character Python's str.strip() strips (CSV values are trimmed of these), as a literal.
_SPACE = "'" + "".join(c for c in map(chr, range(0x3001)) if c.isspace()) + "'"
_DATE = "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"
_COMPACT = "[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]"
_STAMP = _DATE + "T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z"  # the stored form itself


def literal(text: str) -> str:
    """A string as an SQL literal."""
    return "'" + text.replace("'", "''") + "'"


def trimmed(x: str) -> str:
    """The value without surrounding white space."""
    return f"trim({x}, {_SPACE})"


def text(x: str) -> str:
    """Text as sent; an empty value is NULL."""
    return f"nullif({x}, '')"


def boolean(x: str) -> str:
    """true/false, 1/0, yes/no in any case as 1/0; other text is kept as sent."""
    return (
        f"CASE {x} WHEN '' THEN NULL WHEN 'true' THEN 1 WHEN 'false' THEN 0 "
        f"ELSE CASE lower({trimmed(x)}) WHEN 'true' THEN 1 WHEN 'false' THEN 0 "
        f"WHEN '1' THEN 1 WHEN '0' THEN 0 WHEN 'yes' THEN 1 WHEN 'no' THEN 0 ELSE {x} END END"
    )


def vocabulary(x: str, words: Iterable[str], aliases: dict[str, str] | None = None) -> str:
    """A case-insensitive match of `words` (or an alias) as its standard spelling; other text
    is kept as sent."""
    words = list(words)
    exact = " ".join(f"WHEN {literal(w)} THEN {literal(w)}" for w in words)
    loose = {w.lower(): w for w in words} | dict(aliases or {})
    folded = " ".join(f"WHEN {literal(k)} THEN {literal(v)}" for k, v in loose.items())
    return (
        f"CASE {x} WHEN '' THEN NULL {exact} "
        f"ELSE CASE lower({trimmed(x)}) {folded} ELSE {x} END END"
    )


def _real_date(day: str) -> str:
    """SQL true when `day` (an expression giving YYYY-MM-DD) is a day of the calendar."""
    return f"date({day}) IS {day}"


def iso_date(x: str) -> str:
    """A date as YYYY-MM-DD (YYYYMMDD, or a datetime's date part, read too); other text as sent.

    A value already written YYYY-MM-DD is kept as it is without a look at the calendar: read or
    not, it would be stored as sent.
    """
    t = trimmed(x)
    compact = f"substr({t}, 1, 4) || '-' || substr({t}, 5, 2) || '-' || substr({t}, 7, 2)"
    return (
        f"CASE WHEN {x} = '' THEN NULL WHEN {x} GLOB '{_DATE}' THEN {x} "
        f"WHEN {t} GLOB '{_DATE}' AND {_real_date(t)} THEN {t} "
        f"WHEN {t} GLOB '{_COMPACT}' AND {_real_date(compact)} THEN {compact} "
        f"WHEN {t} GLOB '{_DATE}[T ]*' AND {_real_date(f'substr({t}, 1, 10)')} "
        f"AND julianday({t}) IS NOT NULL THEN substr({t}, 1, 10) "
        f"ELSE {x} END"
    )


def iso_datetime(x: str) -> str:
    """A datetime as ISO UTC text ending in Z (a naive one taken as UTC, a date as midnight,
    milliseconds kept when there are some); other text as sent (a value already in that form
    is kept as it is: read or not, it would be stored so)."""
    t = trimmed(x)
    fraction = f"substr(strftime('%f', {t}), 3)"
    compact = f"substr({t}, 1, 4) || '-' || substr({t}, 5, 2) || '-' || substr({t}, 7, 2)"
    return (
        f"CASE WHEN {x} = '' THEN NULL WHEN {x} GLOB '{_STAMP}' THEN {x} "
        f"WHEN {t} GLOB '{_COMPACT}' AND {_real_date(compact)} THEN {compact} || 'T00:00:00Z' "
        f"WHEN {t} GLOB '{_DATE}*' AND {_real_date(f'substr({t}, 1, 10)')} "
        f"AND julianday({t}) IS NOT NULL THEN strftime('%Y-%m-%dT%H:%M:%S', {t}) "
        f"|| CASE {fraction} WHEN '.000' THEN '' ELSE {fraction} END || 'Z' "
        f"ELSE {x} END"
    )


def text_list(x: str) -> str:
    """A comma list ("09,10" or "{LDAP:12},{LTI:15}") as a JSON array of its trimmed, non-empty
    items; NULL when there is none."""
    t = trimmed(x)
    split = f"'[' || replace(json_quote({x}), ',', '\",\"') || ']'"
    # Most lists need no trimming: ASCII, no white space but the plain space, none at the ends
    # or around a comma, no empty item (each check a cheap one: no per-character pattern).
    controls = [chr(c) for c in (*range(9, 14), *range(0x1C, 0x20))]
    tidy = " AND ".join(
        [f"length({x}) = octet_length({x})", f"substr({x}, 1, 1) NOT IN (' ', ',')"]
        + [f"substr({x}, -1) NOT IN (' ', ',')"]
        + [f"instr({x}, {literal(p)}) = 0" for p in (", ", " ,", ",,", *controls)]
    )
    return (
        f"CASE WHEN {x} = '' THEN NULL "
        f"WHEN instr({x}, ',') = 0 THEN nullif(json_array(nullif({t}, '')), '[null]') "
        f"WHEN {tidy} THEN {split} "
        f"ELSE (SELECT nullif(json_group_array(trim(j.value, {_SPACE})), '[]') "
        f"FROM json_each({split}) j WHERE trim(j.value, {_SPACE}) <> '') END"
    )


def extras(columns: Sequence[tuple[str, str]]) -> str:
    """The (name, value expression) pairs with a non-empty value as a JSON object; NULL when
    none has one."""
    if not columns:
        return "NULL"
    parts = [
        f"CASE WHEN {x} <> '' THEN {literal(',' + json.dumps(name, ensure_ascii=False) + ':')} "
        f"|| json_quote({x}) ELSE '' END"
        for name, x in columns
    ]
    return f"nullif('{{' || substr({concat(parts)}, 2) || '}}', '{{}}')"


def concat(parts: list[str]) -> str:
    """SQL joining the parts' text, kept shallow (concat() of at most 100, nested): a chain of
    || that long would pass SQLite's expression depth limit."""
    while len(parts) > 1:
        parts = [f"concat({', '.join(parts[i : i + 100])})" for i in range(0, len(parts), 100)]
    return parts[0]


def constant(value: str | None) -> str:
    """A fixed value."""
    return "NULL" if value is None else literal(value)
