"""A mapped file's columns by name, what a field needs of them, and dates in an order."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from connectors.mapped_csv.mapping import PSEUDO_COLUMNS, FieldSpec, template_columns

_DATE_PARTS = re.compile(r"([0-9]{1,4})[/.-]([0-9]{1,2})[/.-]([0-9]{1,4})")


def parse_date(raw: str, order: str) -> str | None:
    """A date such as 8/1/15, 7/1/2017 or 2017-07-01 as YYYY-MM-DD; None when unreadable.

    A leading four-digit part is always the year; otherwise `order` (mdy, dmy, ymd) decides.
    Two-digit years follow strptime: 69-99 are 1900s, 00-68 are 2000s. A time after a space
    (7/1/2017 12:00:00 AM) is ignored. Digits are ASCII ones, and the date is the whole text
    (SQL reads it alike: `sql.parse_date`).
    """
    text = raw.strip().split(" ", 1)[0].split("T", 1)[0]
    found = _DATE_PARTS.fullmatch(text)
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
