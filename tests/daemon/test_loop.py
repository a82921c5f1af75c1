"""The loop over an injected clock: daily time, catch-up, retries with backoff, holds, signals."""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
from pathlib import Path

import pytest

from datasync_tui.daemon.loop import MAX_SLEEP
from datasync_tui.status import collect
from datasync_tui.sync.lock import FileLock
from tests.helpers.daemon import NY, MakeHarness, local, save_connection

H = dt.timedelta(hours=1)


def test_daily_at_sync_at_sleeping_until_each_run(harness: MakeHarness) -> None:
    start = local(NY, 2026, 6, 1, 12, 0)
    h = harness(start, last=start - H)  # a recent success: no catch-up
    assert h.run_until(start + dt.timedelta(days=3)) == 0
    assert h.script.local_calls(NY) == ["06-02 02:00 EDT", "06-03 02:00 EDT", "06-04 02:00 EDT"]
    # It sleeps until the next job (at most an hour, for the heartbeat), never polls fast.
    assert len(h.clock.waits) <= 3 * 24 + 6
    assert max(h.clock.waits) <= MAX_SLEEP
    assert sum(w < 60 for w in h.clock.waits) <= 3  # a job that fell due while a sync ran


@pytest.mark.parametrize(("age", "catches_up"), [(None, True), (25, True), (23, False)])
def test_catch_up_at_start(harness: MakeHarness, age: int | None, catches_up: bool) -> None:
    start = local(NY, 2026, 6, 1, 12, 0)
    last = None if age is None else start - age * H
    h = harness(start, last=last)
    h.run_until(start + 2 * H)
    assert h.script.calls == ([start] if catches_up else [])


def test_failed_sync_retried_5_15_60_until_the_daily_run(harness: MakeHarness) -> None:
    start = local(NY, 2026, 6, 1, 1, 0)
    h = harness(start, last=start - H, statuses=["failed"] * 100)
    h.run_until(local(NY, 2026, 6, 2, 3, 0))
    calls, ends = h.script.calls, h.script.ends
    gaps = [(c - e).total_seconds() / 60 for e, c in zip(ends, calls[1:], strict=False)]
    daily = calls.index(local(NY, 2026, 6, 2, 2, 0))
    assert calls[0] == local(NY, 2026, 6, 1, 2, 0)
    assert gaps[:4] == [5, 15, 60, 60]
    assert set(gaps[3 : daily - 1]) == {60}  # then hourly, until the next scheduled run
    assert calls[daily - 1] < calls[daily] and gaps[daily - 1] < 60  # the daily run cut it short
    assert gaps[daily : daily + 2] == [5, 15]  # and the backoff starts again
    # One alert for the series, not one per retry.
    assert [n["event"] for n in h.notes.sent] == []  # no notify_url: notify is off by default


def test_a_success_ends_the_retries(harness: MakeHarness) -> None:
    start = local(NY, 2026, 6, 1, 1, 0)
    h = harness(start, last=start - H, statuses=["failed", "failed", "succeeded"])
    h.run_until(local(NY, 2026, 6, 2, 2, 30))
    assert h.script.local_calls(NY) == [
        "06-01 02:00 EDT",
        "06-01 02:07 EDT",
        "06-01 02:24 EDT",
        "06-02 02:00 EDT",
    ]


def test_a_held_sync_is_not_retried_and_alerts(harness: MakeHarness) -> None:
    start = local(NY, 2026, 6, 1, 1, 0)
    h = harness(start, last=start - H, statuses=["held"], notify_url="http://127.0.0.1:9/x")
    h.run_until(local(NY, 2026, 6, 2, 2, 30))
    assert h.script.local_calls(NY) == ["06-01 02:00 EDT", "06-02 02:00 EDT"]
    # Announced once; the next day's good sync says the hold is over (nobody applied it).
    assert [n["event"] for n in h.notes.sent] == ["held", "recovered"]
    assert h.notes.sent[0]["message"] == "sync held: 60 users would be removed (12%)"
    assert h.notes.sent[0]["held_because"] == ["users: would remove 60 of 520 (11.5% > 10%)"]
    assert h.notes.sent[1]["message"] == "sync succeeded again after a held sync (#1, not applied)"


def test_busy_is_retried_without_an_alert(harness: MakeHarness) -> None:
    start = local(NY, 2026, 6, 1, 1, 0)
    h = harness(start, last=start - H, statuses=["busy"], notify_url="http://127.0.0.1:9/x")
    h.run_until(local(NY, 2026, 6, 1, 3, 0))
    assert h.script.local_calls(NY) == ["06-01 02:00 EDT", "06-01 02:07 EDT"]
    assert h.notes.sent == []


def test_failure_alerts_once_per_series_with_secrets_masked(harness: MakeHarness) -> None:
    start = local(NY, 2026, 6, 1, 1, 0)
    h = harness(start, last=start - H, statuses=["failed"] * 4, notify_url="http://127.0.0.1:9/x")
    h.script.error = "token refused for secret hunter2-Very-Secret"
    h.run_until(local(NY, 2026, 6, 1, 5, 0))
    # One alert for the series, one when it ends (the fifth attempt succeeds).
    assert [n["event"] for n in h.notes.sent] == ["failed", "recovered"]
    assert h.notes.sent[1]["message"] == "sync succeeded again after 4 failures"
    sent = json.dumps(h.notes.sent)
    assert "hunter2-Very-Secret" not in sent and "********" in sent
    assert h.notes.sent[0]["message"] == "sync failed: token refused for secret ********"
    assert "Scheduled syncs retry by themselves" in h.notes.sent[0]["text"]


def test_stale_flag_and_one_alert(harness: MakeHarness) -> None:
    start = local(NY, 2026, 6, 1, 12, 0)
    h = harness(start, last=start - 20 * H, stale_after_hours="24", notify_url="http://x.test/a")
    seen: dict[str, bool] = {}

    def look(now: dt.datetime) -> None:
        seen[now.astimezone(h.daemon.zone).strftime("%H:%M")] = json.loads(
            h.data_dir.heartbeat.read_text()
        )["stale"]

    h.clock.hooks.append(look)
    h.run_until(start + 16 * H)  # the daily run at 02:00 succeeds
    # The hook sees the heartbeat written before the wake-up (the check is hourly).
    assert seen["16:00"] is False and seen["18:00"] is True and seen["01:00"] is True
    assert [n["event"] for n in h.notes.sent] == ["stale"]  # once, not every hour
    assert json.loads(h.data_dir.heartbeat.read_text())["stale"] is False


def test_sighup_rereads_the_config(harness: MakeHarness, data_dir: Path) -> None:
    start = local(NY, 2026, 6, 1, 12, 0)
    h = harness(start, last=start - H)

    def change_once(now: dt.datetime) -> None:
        h.clock.hooks.remove(change_once)
        save_connection(data_dir, sync_at="04:15")
        h.daemon.request_reload()  # what SIGHUP does

    h.clock.hooks.append(change_once)
    h.run_until(start + 2 * dt.timedelta(days=1))
    assert h.script.local_calls(NY) == ["06-02 04:15 EDT", "06-03 04:15 EDT"]


def test_a_bad_config_on_sighup_keeps_the_previous(harness: MakeHarness, data_dir: Path) -> None:
    start = local(NY, 2026, 6, 1, 12, 0)
    h = harness(start, last=start - H)

    def break_once(now: dt.datetime) -> None:
        h.clock.hooks.remove(break_once)
        save_connection(data_dir, sync_at="25:99")
        h.daemon.request_reload()

    h.clock.hooks.append(break_once)
    h.run_until(start + dt.timedelta(days=1))
    assert h.script.local_calls(NY) == ["06-02 02:00 EDT"]


def test_stop_during_a_sync_abandons_it_and_exits_0(harness: MakeHarness) -> None:
    start = local(NY, 2026, 6, 1, 12, 0)
    h = harness(start, statuses=["stopped"])
    seen: list[bool] = []

    def sigterm_now(stop: threading.Event) -> None:
        h.daemon.request_stop("SIGTERM")
        seen.append(stop.is_set())  # the runner is told at once

    h.script.during = sigterm_now
    assert h.daemon.run() == 0
    assert seen == [True]
    assert len(h.script.calls) == 1 and h.daemon.scheduler.get_jobs("retry") == []
    assert json.loads(h.data_dir.heartbeat.read_text())["state"] == "stopped"


def test_heartbeat_is_what_status_reports(harness: MakeHarness) -> None:
    start = local(NY, 2026, 6, 1, 12, 0)
    h = harness(start, last=start - H, statuses=["failed"])
    h.script.statuses = []
    h.run_until(start + 30 * dt.timedelta(minutes=1))
    beat = json.loads(h.data_dir.heartbeat.read_text())
    assert beat["pid"] == os.getpid()
    assert beat["state"] == "stopped"
    assert beat["next_run_at"] == "2026-06-02T06:00:00Z"  # 02:00 EDT
    assert beat["sync_at"] == "02:00" and beat["timezone"] == NY
    with FileLock(h.data_dir.daemon_lock):  # as if the daemon still held its lock
        doc = collect(h.data_dir)
    assert doc["daemon"] == {"running": True, "pid": os.getpid()}
    assert doc["next_run_at"] == beat["next_run_at"]
    assert collect(h.data_dir)["daemon"]["running"] is False


def test_no_source_connected_waits_quietly(harness: MakeHarness) -> None:
    start = local(NY, 2026, 6, 1, 12, 0)
    h = harness(start, connected=False)
    assert h.run_until(start + 3 * H) == 0
    assert h.script.calls == []
