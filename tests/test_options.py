"""The common options, typed once from their declarations: unset ones take the declared default."""

from __future__ import annotations

import datetime as dt

from connectors.base import COMMON_OPTIONS
from datasync_tui.options import Options


def test_unset_options_take_their_declared_defaults() -> None:
    declared = {o.name: o.default for o in COMMON_OPTIONS}
    options = Options.of(None)
    assert options.sync_at == dt.time(2, 0) and declared["sync_at"] == "02:00"
    assert options.max_removal_pct == float(declared["max_removal_pct"] or 0) == 10
    assert options.stale_after_hours == 36 and options.keep_syncs == 30
    assert options.email_domains is None and options.digest_at is None


def test_set_options_are_typed() -> None:
    options = Options.of(
        {"sync_at": "23:05", "max_removal_pct": "2.5", "keep_syncs": "7", "digest_at": "07:30"}
    )
    assert options.sync_at == dt.time(23, 5) and options.digest_at == dt.time(7, 30)
    assert options.max_removal_pct == 2.5 and options.keep_syncs == 7
