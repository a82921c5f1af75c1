"""The deletion hold: a sync that would remove (or re-key) too much of a topic waits."""

from __future__ import annotations

from collections.abc import Mapping

from datasync_tui.options import Options
from datasync_tui.sync.counts import TopicChanges


def over_threshold(settings: Mapping[str, str], changes: Mapping[str, TopicChanges]) -> list[str]:
    """Why the sync is held: each topic whose removals, or whose re-keyed records, exceed
    max_removal_pct of its live rows, told with its numbers (re-keys apart: the SIS changed
    ids, nobody left)."""
    limit = Options.of(settings).max_removal_pct
    reasons = []
    for c in changes.values():
        if not c.live_rows:
            continue
        if c.removed * 100 / c.live_rows > limit:
            share = f"{c.removed * 100 / c.live_rows:.1f}% > {limit:g}%"
            reasons.append(f"{c.topic}: would remove {c.removed:,} of {c.live_rows:,} ({share})")
        if c.rekeyed * 100 / c.live_rows > limit:
            share = f"{c.rekeyed * 100 / c.live_rows:.1f}% > {limit:g}%"
            reasons.append(
                f"{c.topic}: would re-key {c.rekeyed:,} of {c.live_rows:,} ({share}): "
                "the SIS changed their ids"
            )
    return reasons
