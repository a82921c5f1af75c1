"""Alerts that reach the admin: email and notify_url, on a failure, a hold, staleness, new errors.

What each part does: `decide` (which events an outcome calls for, each episode once),
`messages` / `digest` (their words), `email` / `webhook` (the channels), `deliver` (all channels
at once within a few seconds, each end kept for `status`), `state` (the memory between
processes). The functions below are what the sync engine, the daemon, the CLI and the TUI call.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime, tzinfo
from typing import Any

from datasync_tui import adds_only, pause
from datasync_tui.alerts import messages
from datasync_tui.alerts.decide import Outcome, sync_events
from datasync_tui.alerts.deliver import SEND_BUDGET, Answer, channels, deliver, failing
from datasync_tui.alerts.digest import digest_event
from datasync_tui.alerts.event import Event, host_name, masked
from datasync_tui.alerts.facts import reading
from datasync_tui.alerts.state import updating
from datasync_tui.paths import DataDir
from datasync_tui.store import config

__all__ = [
    "SEND_BUDGET",
    "Answer",
    "Event",
    "after_sync",
    "configured",
    "digest_events",
    "outcome_events",
    "send_test",
    "stale_events",
    "status_doc",
]

log = logging.getLogger("datasync_tui.alerts")
_QUIET = logging.getLogger("datasync_tui.alerts.test")
_QUIET.addHandler(logging.NullHandler())
_QUIET.propagate = False


def _saved(data_dir: DataDir) -> tuple[dict[str, str], tuple[str, ...]]:
    """The saved connection's settings (with secrets) and its secret values."""
    try:
        conn = config.load(data_dir)
    except config.ConfigError:
        conn = None
    if conn is None:
        return {}, ()
    return conn.all_settings(), tuple(v for v in conn.secrets.values() if v)


def outcome_events(data_dir: DataDir, outcome: Outcome) -> list[Event]:
    """The events a sync's end calls for (none if it was already looked at), secrets masked."""
    _, secrets = _saved(data_dir)
    with updating(data_dir) as state, reading(data_dir) as conn:
        events = sync_events(state, outcome, conn, str(data_dir.root), host_name())
    return [masked(e, secrets) for e in events]


def after_sync(data_dir: DataDir, result: Outcome, budget: float = SEND_BUDGET) -> list[Answer]:
    """Announce what a sync's end calls for, on every channel, within `budget` seconds."""
    events = outcome_events(data_dir, result)
    if not events:
        return []
    settings, secrets = _saved(data_dir)
    return deliver(data_dir, events, settings, secrets=secrets, budget=budget)


def stale_events(
    data_dir: DataDir, stale: bool, last_success_at: str | None, hours: float
) -> list[Event]:
    """A stale alert when the data just went stale (once per episode), else none."""
    with updating(data_dir) as state:
        announce = stale and not state.stale
        state.stale = stale
    if not announce:
        return []
    _, secrets = _saved(data_dir)
    event = messages.stale_event(last_success_at, hours, str(data_dir.root), host_name())
    return [masked(event, secrets)]


def window_notes(data_dir: DataDir, settings: Mapping[str, str], today: str) -> list[str]:
    """Lines on a pause or an adds-only window in force (for the digest)."""
    notes = []
    held = pause.paused(data_dir, today)
    if held is not None:
        notes.append(held.describe().capitalize() + ".")
    until = adds_only.active_until(settings, today)
    if until:
        notes.append(f"Adds-only window until {until}: removals are held.")
    return notes


def digest_events(
    data_dir: DataDir,
    *,
    now: datetime,
    zone: tzinfo | None,
    next_run: str,
    today: str,
    force: bool = False,
) -> list[Event]:
    """Today's digest, unless it already went out today (`force`: send anyway)."""
    with updating(data_dir) as state:
        if state.digest_on == today and not force:
            return []
        state.digest_on = today
    settings, secrets = _saved(data_dir)
    notes = window_notes(data_dir, settings, today)
    with reading(data_dir) as conn:
        event = digest_event(
            conn,
            now=now,
            zone=zone,
            next_run=next_run,
            notes=notes,
            where=str(data_dir.root),
            host=host_name(),
        )
    return [masked(event, secrets)]


def configured(settings: Mapping[str, str], data_dir: DataDir) -> list[tuple[str, str]]:
    """(channel, where) of each channel the settings configure."""
    return [(name, place) for name, place, _ in channels(settings, data_dir, SEND_BUDGET)]


def send_test(
    data_dir: DataDir, settings: Mapping[str, str] | None = None, budget: float = SEND_BUDGET
) -> list[Answer]:
    """A test message on every channel (the saved settings, or these); how each answered."""
    saved, secrets = _saved(data_dir)
    use = dict(settings) if settings is not None else saved
    hidden = secrets + tuple(v for k, v in use.items() if k == "smtp_password" and v)
    event = messages.test_event(str(data_dir.root), host_name())
    # The caller shows each answer: logged to alerts.log only, not on stderr as well.
    return deliver(data_dir, [event], use, secrets=hidden, budget=budget, log=_QUIET)


def status_doc(data_dir: DataDir) -> dict[str, Any]:
    """What `status` shows of the alerts: the channels set up, the last failed send."""
    settings, _ = _saved(data_dir)
    return {
        "channels": [name for name, _ in configured(settings, data_dir)],
        "last_failure": failing(data_dir),
    }
