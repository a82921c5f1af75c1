"""Value converters for OneRoster JSON: text, booleans, dates, GUIDRefs, lists."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson

from connectors.canonical import NEVER_STORED
from connectors.common import csv_values

MEMO_LIMIT = 50_000
Convert = Callable[[Any], Any]

BOOLEANS = {"true": True, "false": False, "1": True, "0": False, "yes": True, "no": False}


def text(value: Any) -> str | None:
    """Text as sent; blank is None, numbers become text."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return orjson.dumps(value).decode()


def boolean(value: Any) -> bool | str | None:
    """A JSON boolean or "true"/"false" text (any case, 1/0, yes/no); other text kept as sent."""
    if value.__class__ is bool:
        return value
    if value is None or value == "":
        return None
    try:
        return BOOLEANS[value]
    except (KeyError, TypeError):
        return BOOLEANS.get(str(value).strip().lower(), str(value))


def _memo(compute: Convert) -> Convert:
    """A bounded memo of a text converter (dates repeat a lot)."""
    cache: dict[Any, Any] = {}

    def convert(value: Any) -> Any:
        try:
            return cache[value]
        except KeyError:
            result = compute(value)
        except TypeError:  # unhashable: a list or an object where text belonged
            return text(value)
        if len(cache) >= MEMO_LIMIT:
            cache.clear()
        cache[value] = result
        return result

    return convert


def _iso_date(value: Any) -> str | None:
    """A date as YYYY-MM-DD (a datetime keeps its date part); unreadable text kept as sent."""
    raw = text(value)
    return None if raw is None else csv_values.iso_date(raw)


def _iso_datetime(value: Any) -> str | None:
    """A datetime as ISO UTC text ending in Z (naive is taken as UTC); unreadable text kept."""
    raw = text(value)
    return None if raw is None else csv_values.iso_datetime(raw)


iso_date = _memo(_iso_date)
iso_datetime = _memo(_iso_datetime)


def ref(value: Any) -> str | None:
    """A GUIDRef's sourcedId (a bare id is taken as it is)."""
    if value.__class__ is dict:
        sid = value.get("sourcedId")
        return sid if sid.__class__ is str and sid else text(sid)
    return text(value)


def refs(value: Any) -> list[str] | None:
    """The sourcedIds of a list of GUIDRefs (one GUIDRef alone counts as a list of one)."""
    if value is None or value == "":
        return None
    items = value if isinstance(value, list) else [value]
    out = [sid for sid in (ref(item) for item in items) if sid]
    return out or None


def str_list(value: Any) -> list[str] | None:
    """A JSON list of text (or comma-separated text) as its non-blank items."""
    if value is None or value == "":
        return None
    items = value if isinstance(value, list) else str(value).split(",")
    out = [s.strip() for s in (text(item) for item in items) if s and s.strip()]
    return out or None


def user_ids(value: Any) -> list[str] | None:
    """userIds [{type, identifier}] as the CSV form "{type:identifier}"."""
    if not isinstance(value, list):
        return str_list(value)
    out = []
    for item in value:
        if isinstance(item, dict):
            out.append(f"{{{item.get('type') or ''}:{item.get('identifier') or ''}}}")
        elif item:
            out.append(str(item))
    return out or None


_NEVER_STORED_KEYS = tuple(orjson.dumps(name) + b":" for name in sorted(NEVER_STORED))


def _scrubbed(value: Any) -> Any:
    """A value with every password field removed, at any depth."""
    if isinstance(value, dict):
        return {k: _scrubbed(v) for k, v in value.items() if k not in NEVER_STORED}
    if isinstance(value, list):
        return [_scrubbed(v) for v in value]
    return value


def scrub(value: Any) -> Any:
    """A value without password fields at any depth (walked only when one may be there)."""
    try:
        dumped = orjson.dumps(value)
    except TypeError:
        return _scrubbed(value)
    return _scrubbed(value) if any(key in dumped for key in _NEVER_STORED_KEYS) else value
