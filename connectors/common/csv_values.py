"""CSV text's meaning: blanks, booleans, dates, datetimes, lists and vocabularies, in Python.

The CSV loads normalise in SQL (`csv_sql`); these are what that SQL means (a property test holds
each expression to its function here), and what the OneRoster API's JSON values go through.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from typing import Any

Converter = Callable[[str], Any]

BOOLEANS: dict[str, bool] = {
    "true": True,
    "false": False,
    "1": True,
    "0": False,
    "yes": True,
    "no": False,
}


def text(raw: str) -> str | None:
    """Text as sent; an empty string is None."""
    return raw or None


def boolean(raw: str) -> bool | str | None:
    """true/false, 1/0, yes/no in any case; unreadable text is kept as sent."""
    if not raw:
        return None
    return BOOLEANS.get(raw.strip().lower(), raw)


def iso_date(raw: str) -> str | None:
    """A date as YYYY-MM-DD (a datetime keeps its date part); unreadable text is kept as sent."""
    if not raw:
        return None
    value = raw.strip()
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(value).date().isoformat()
    except ValueError:
        return raw


def iso_datetime(raw: str) -> str | None:
    """A datetime as ISO UTC text ending in Z; a naive value is taken as UTC; unreadable kept."""
    if not raw:
        return None
    try:
        moment = datetime.fromisoformat(raw.strip())
    except ValueError:
        return raw
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    out = (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"
        f"T{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}"
    )
    if moment.microsecond:
        out += f".{moment.microsecond // 1000:03d}"
    return out + "Z"


def text_list(raw: str) -> list[str] | None:
    """A comma list such as "09,10,11" or "{LDAP:12},{LTI:15}" as its stripped non-empty items."""
    if not raw:
        return None
    if "," not in raw:
        item = raw.strip()
        return [item] if item else None
    items = [item for item in (part.strip() for part in raw.split(",")) if item]
    return items or None


def vocabulary(words: Iterable[str], aliases: dict[str, str] | None = None) -> Converter:
    """A converter that gives a case-insensitive match of `words` its standard spelling."""
    standard = {word.lower(): word for word in words}
    standard.update(aliases or {})

    def compute(raw: str) -> str | None:
        if not raw:
            return None
        return standard.get(raw.strip().lower(), raw)

    return compute
