"""Field getters compiled from a mapping's specs: columns, constants, templates, words and dates."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date

from connectors.mapping import PSEUDO_COLUMNS, FieldSpec, template_columns

Getter = Callable[[list[str]], str]
BadValue = Callable[[str, str], None]  # (field, raw value) of a value that could not be read

_DATE_PARTS = re.compile(r"^(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4})$")


def parse_date(raw: str, order: str) -> str | None:
    """A date such as 8/1/15, 7/1/2017 or 2017-07-01 as YYYY-MM-DD; None when unreadable.

    A leading four-digit part is always the year; otherwise `order` (mdy, dmy, ymd) decides.
    Two-digit years follow strptime: 69-99 are 1900s, 00-68 are 2000s. A time after a space
    (7/1/2017 12:00:00 AM) is ignored.
    """
    text = raw.strip().split(" ", 1)[0].split("T", 1)[0]
    found = _DATE_PARTS.match(text)
    if found is None:
        return None
    a, b, c = found.groups()
    if len(a) == 4 or order == "ymd":
        year, month, day = a, b, c
    elif order == "dmy":
        day, month, year = a, b, c
    else:
        month, day, year = a, b, c
    if len(year) == 2:
        year = ("19" if int(year) >= 69 else "20") + year
    elif len(year) != 4:
        return None
    try:
        return date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


class Columns:
    """A header's column numbers by name (case and spaces around ignored), pseudo ones after."""

    def __init__(self, header: Sequence[str], pseudo: bool = False) -> None:
        self.names = [h.strip() for h in header]
        self.index: dict[str, int] = {}
        for i, name in enumerate(self.names):
            self.index.setdefault(name.lower(), i)
        if pseudo:
            for k, name in enumerate(PSEUDO_COLUMNS):
                self.index[name] = len(self.names) + k

    def find(self, alternatives: Sequence[str]) -> int | None:
        """The column number of the first alternative the header has."""
        for name in alternatives:
            i = self.index.get(name.strip().lower())
            if i is not None:
                return i
        return None


def missing_columns(spec: FieldSpec, columns: Columns) -> list[str]:
    """The column names (alternatives joined by ' or ') a field needs and the header lacks."""
    if spec.const is not None:
        return []
    if spec.columns:
        return [] if columns.find(spec.columns) is not None else [" or ".join(spec.columns)]
    if spec.template:
        return [c for c in template_columns(spec.template) if columns.find((c,)) is None]
    needed = spec.join or spec.coalesce
    present = [c for c in needed if columns.find((c,)) is not None]
    return [] if present else [" or ".join(needed)]


def compile_field(
    spec: FieldSpec,
    columns: Columns,
    dates: str,
    lookups: Mapping[str, dict[str, str]],
    bad: BadValue,
) -> Getter:
    """A getter for one field (call only when missing_columns() is empty)."""
    get = _source(spec, columns, lookups)
    if spec.split is not None:
        get = _splitter(get, spec.split, spec.part)
    if spec.has is not None:
        get = _has(get, spec.has)
    if spec.words is not None or spec.otherwise is not None:
        get = _words(get, spec.words or {}, spec.otherwise)
    if spec.date is not None or spec.name.endswith("Date"):
        get = _dates(get, spec.date or dates, spec.name, bad)
    return get


def _source(spec: FieldSpec, columns: Columns, lookups: Mapping[str, dict[str, str]]) -> Getter:
    """The raw value: a column, a constant, a template, a join or a coalesce."""
    if spec.const is not None:
        value = spec.const
        return lambda _v: value
    if spec.template:
        return _template(spec.template, columns)
    if spec.join or spec.coalesce:
        at = [i for i in (columns.find((c,)) for c in spec.join or spec.coalesce) if i is not None]
        if spec.coalesce:
            return lambda v: next((v[i].strip() for i in at if v[i].strip()), "")
        sep = spec.sep
        return lambda v: sep.join(v[i].strip() for i in at if v[i].strip())
    i = columns.find(spec.columns)
    assert i is not None
    if spec.lookup is not None:
        table = lookups[spec.name]
        return lambda v: table.get(v[i].strip(), "")
    return lambda v: v[i].strip()


def _template(template: str, columns: Columns) -> Getter:
    """'{A}:{B}' filled from the row."""
    pieces: list[tuple[str, int | None]] = []
    rest = template
    while "{" in rest:
        literal, _, rest = rest.partition("{")
        name, _, rest = rest.partition("}")
        if literal:
            pieces.append((literal, None))
        pieces.append(("", columns.find((name,))))
    if rest:
        pieces.append((rest, None))

    def fill(v: list[str]) -> str:
        return "".join(text if i is None else v[i].strip() for text, i in pieces)

    return fill


def _splitter(get: Getter, sep: str, part: int | str) -> Getter:
    """One piece of a split value (names given in one column)."""
    if part == "rest":
        return lambda v: (get(v).split(sep, 1)[1:] or [""])[0].strip()
    k = int(part)

    def piece(v: list[str]) -> str:
        items = [p.strip() for p in get(v).split(sep) if p.strip()]
        return items[k] if -len(items) <= k < len(items) else ""

    return piece


def _has(get: Getter, word: str) -> Getter:
    """'true' when the word is among the value's comma/semicolon items, 'false' when not."""
    wanted = word.strip().lower()

    def has(v: list[str]) -> str:
        raw = get(v)
        if not raw:
            return ""
        items = {p.strip().lower() for p in re.split(r"[,;|]", raw)}
        return "true" if wanted in items else "false"

    return has


def _words(get: Getter, words: dict[str, str], otherwise: str | None) -> Getter:
    """A word replaced by its mapped value (any case); other non-blank words by `otherwise`."""

    def mapped(v: list[str]) -> str:
        raw = get(v)
        if not raw:
            return ""
        found = words.get(raw.lower())
        if found is not None:
            return found
        return raw if otherwise is None else otherwise

    return mapped


def _dates(get: Getter, order: str, name: str, bad: BadValue) -> Getter:
    """A date read in the given order as YYYY-MM-DD; unreadable text is reported and kept."""
    memo: dict[str, str] = {}

    def read(v: list[str]) -> str:
        raw = get(v)
        if not raw:
            return ""
        found = memo.get(raw)
        if found is None:
            parsed = parse_date(raw, order)
            if parsed is None:
                bad(name, raw)
                return raw
            if len(memo) > 10_000:
                memo.clear()
            memo[raw] = found = parsed
        return found

    return read
