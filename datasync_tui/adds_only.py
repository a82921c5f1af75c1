"""The adds-only sync window as a pure rule: while `adds_only_until` lasts, removals are held."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from datasync_tui import clock


@dataclass(frozen=True)
class RemovalHold:
    """Whether a sync's removals are held back, and why."""

    hold: bool
    reason: str | None = None


def active_until(settings: Mapping[str, str] | None, today: str | None = None) -> str | None:
    """The last day of the adds-only window when it covers today, else None."""
    until = ((settings or {}).get("adds_only_until") or "").strip()
    if not until:
        return None
    return until if (today or clock.today()) <= until else None


def removal_decision(
    removals: Mapping[str, int], settings: Mapping[str, str] | None, today: str | None = None
) -> RemovalHold:
    """Hold every removal while an adds-only window lasts (nothing to remove: no hold)."""
    until = active_until(settings, today)
    total = sum(removals.values())
    if until is None or total == 0:
        return RemovalHold(False)
    parts = ", ".join(f"{topic} {n:,}" for topic, n in removals.items() if n)
    return RemovalHold(
        True,
        f"adds-only window until {until}: {total:,} removal(s) held ({parts}); "
        "additions and updates applied",
    )
