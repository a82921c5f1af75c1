"""The options every method takes, typed once from their declarations (and their defaults).

Options are declared once (connectors.base.COMMON_OPTIONS: name, kind, default, range); a saved
connection keeps them as text. `Options.of(settings)` reads them into one typed object, each
unset one taking its declared default, so no reader parses them or repeats a default.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from connectors.base import COMMON_OPTIONS

_DEFAULTS = {opt.name: opt.default for opt in COMMON_OPTIONS}


def _text(settings: Mapping[str, str], name: str) -> str | None:
    """An option's text, its declared default when unset (None when it has none)."""
    value = (settings.get(name) or "").strip()
    return value or _DEFAULTS.get(name)


def _hhmm(name: str, text: str | None) -> dt.time | None:
    """HH:MM as a time; ValueError naming the option for a hand-edited value that is not one."""
    if not text:
        return None
    hours, _, minutes = text.partition(":")
    try:
        return dt.time(int(hours), int(minutes))
    except ValueError:
        raise ValueError(
            f"{name} {text!r}: expected HH:MM, 24-hour local time (e.g. 02:00)"
        ) from None


@dataclass(frozen=True)
class Options:
    """The common options of a saved connection, typed."""

    email_domains: str | None
    sync_at: dt.time
    max_removal_pct: float
    stale_after_hours: float
    keep_syncs: int
    notify_url: str | None
    digest_at: dt.time | None
    adds_only_until: str | None
    email_pattern: str | None

    @classmethod
    def of(cls, settings: Mapping[str, str] | None) -> Options:
        """The options of a connection's settings (every one at its default for none)."""
        values = settings or {}
        return cls(
            email_domains=_text(values, "email_domains"),
            sync_at=_hhmm("sync_at", _text(values, "sync_at")) or dt.time(2, 0),
            max_removal_pct=float(_text(values, "max_removal_pct") or 0),
            stale_after_hours=float(_text(values, "stale_after_hours") or 0),
            keep_syncs=int(_text(values, "keep_syncs") or 1),
            notify_url=_text(values, "notify_url"),
            digest_at=_hhmm("digest_at", _text(values, "digest_at")),
            adds_only_until=_text(values, "adds_only_until"),
            email_pattern=_text(values, "email_pattern"),
        )
