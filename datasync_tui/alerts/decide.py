"""Which alerts a sync's outcome calls for: each episode once, and its end when it ends.

A sync that stays failed or held is not announced again at every retry; a hold with other
figures is; the first success after failures (or after a hold nobody applied) says so; a
success that brings validation errors not there before says which.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from datasync_tui.alerts import messages
from datasync_tui.alerts.event import Event
from datasync_tui.alerts.facts import held_topics, last_success_at, new_errors, run_row
from datasync_tui.alerts.state import AlertState
from datasync_tui.store import sqlite


class Outcome(Protocol):
    """What the alerts read of a sync's end (the engine's SyncResult, the daemon's Outcome)."""

    status: str
    run_id: int | None
    error: str | None
    held_because: list[str]
    changes: dict[str, dict[str, int]]


def _handled(conn: sqlite.Connection | None, run_id: int | None) -> bool:
    """True when the admin applied or discarded that held run since it was announced."""
    row = run_row(conn, run_id)
    return row is not None and (row["status"] != "held" or "discarded" in (row["error"] or ""))


def sync_events(
    state: AlertState, outcome: Outcome, conn: sqlite.Connection | None, where: str, host: str
) -> list[Event]:
    """The events this outcome calls for; `state` is updated to remember them."""
    run_id = outcome.run_id
    if run_id is not None and state.processed_run is not None and run_id <= state.processed_run:
        return []  # already looked at (the daemon hears of the syncs its child ran)
    if outcome.status not in ("failed", "held", "succeeded"):
        return []
    if run_id is not None:
        state.processed_run = run_id
    if outcome.status == "failed":
        return _failed(state, outcome, conn, where, host)
    if outcome.status == "held":
        return _held(state, outcome, conn, where, host)
    return _succeeded(state, outcome, conn, where, host)


def _failed(
    state: AlertState, outcome: Outcome, conn: sqlite.Connection | None, where: str, host: str
) -> list[Event]:
    """The first failure of a run of failures."""
    first = state.outcome != "failed"
    state.failures = 1 if first else state.failures + 1
    state.outcome, state.held_key = "failed", None
    if not first:
        return []
    state.run_id = outcome.run_id
    error = outcome.error or "no reason given"
    return [messages.failed_event(outcome.run_id, error, last_success_at(conn), where, host)]


def _held(
    state: AlertState, outcome: Outcome, conn: sqlite.Connection | None, where: str, host: str
) -> list[Event]:
    """A hold, unless the same figures are still held and announced."""
    key = "; ".join(outcome.held_because) or (outcome.error or "held")
    same = state.outcome == "held" and state.held_key == key and not _handled(conn, state.run_id)
    state.outcome, state.held_key, state.failures = "held", key, 0
    if same:
        return []
    state.run_id = outcome.run_id
    held = held_topics(conn, list(outcome.held_because))
    return [messages.held_event(outcome.run_id or 0, list(outcome.held_because), held, where, host)]


def _succeeded(
    state: AlertState, outcome: Outcome, conn: sqlite.Connection | None, where: str, host: str
) -> list[Event]:
    """Recovery after failures or an unapplied hold; new validation errors."""
    run_id = outcome.run_id or 0
    events = []
    changes: Mapping[str, Mapping[str, int]] = outcome.changes or {}
    if state.outcome == "failed":
        n = state.failures
        after = f"{n} failure" + ("s" if n != 1 else "")
        events.append(messages.recovered_event(run_id, after, changes, where, host, n))
    elif state.outcome == "held" and not _handled(conn, state.run_id):
        after = f"a held sync (#{state.run_id}, not applied)"
        events.append(messages.recovered_event(run_id, after, changes, where, host))
    state.outcome, state.failures, state.held_key, state.run_id = "ok", 0, None, run_id
    state.stale = False
    rules = new_errors(conn, run_id)
    if rules:
        events.append(messages.new_errors_event(run_id, rules, where, host))
    return events
