"""notify_url: a small JSON POSTed on failure, hold or staleness, retried; tested over loopback."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from datasync_tui.daemon.loop import Daemon
from datasync_tui.daemon.notify import Notifier
from datasync_tui.paths import DataDir
from tests.helpers.daemon import NY, TOKEN, FakeClock, Hook, Script, local, save_connection


@pytest.fixture
def hook() -> Iterator[Hook]:
    """A receiver started for the test and stopped after it."""
    server = Hook().start()
    yield server
    server.stop()


def notifier(caplog: pytest.LogCaptureFixture) -> Notifier:
    """A notifier whose backoff is milliseconds (no real waiting)."""
    caplog.set_level(logging.INFO, logger="datasync_tui.daemon")
    return Notifier(backoff=(0.01, 0.01, 0.01), timeout=5)


def test_posts_json_and_retries_until_accepted(
    hook: Hook, caplog: pytest.LogCaptureFixture
) -> None:
    hook.codes = [500, 503]
    n = notifier(caplog)
    n.url = hook.url
    thread = n.send("failed", "sync #3 (daily) failed", run_id=3)
    assert thread is not None
    thread.join(5)
    assert [doc["event"] for doc in hook.received] == ["failed"] * 3
    assert hook.received[-1]["message"] == "sync #3 (daily) failed"
    assert hook.received[-1]["run_id"] == 3 and hook.received[-1]["host"]
    assert "notified http://127.0.0.1" in caplog.text and TOKEN not in caplog.text


def test_gives_up_on_a_refusal_and_never_logs_the_path(
    hook: Hook, caplog: pytest.LogCaptureFixture
) -> None:
    hook.codes = [404]
    n = notifier(caplog)
    n.url = hook.url
    n.send("held", "held")
    n.wait(5)
    assert len(hook.received) == 1
    assert "could not notify http://127.0.0.1" in caplog.text and "HTTP 404" in caplog.text
    assert TOKEN not in caplog.text


def test_off_by_default(caplog: pytest.LogCaptureFixture) -> None:
    assert notifier(caplog).send("failed", "x") is None


def test_the_daemon_alerts_on_failure_hold_and_staleness(
    hook: Hook, data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    save_connection(data_dir, notify_url=hook.url, stale_after_hours="30")
    start = local(NY, 2026, 6, 1, 12, 0)
    clock = FakeClock(start)
    script = Script(clock, ["failed", "held"], last=start - dt.timedelta(hours=29))
    script.error = "401 from the token endpoint for secret hunter2-Very-Secret"
    n = notifier(caplog)
    daemon = Daemon(
        DataDir(data_dir),
        clock=clock,
        zone=ZoneInfo(NY),
        sync=script,
        last_success=script.last_success,
        notifier=n,
    )

    def stop_after_the_daily_run(now: dt.datetime) -> None:
        if now >= local(NY, 2026, 6, 2, 3, 0):
            daemon.request_stop("test over")

    clock.hooks.append(stop_after_the_daily_run)
    assert daemon.run() == 0
    n.wait(5)
    got = {doc["event"]: doc for doc in hook.received}  # sent by threads: in any order
    # The catch-up at start (29 h since the last good sync) fails, its retry is held (and not
    # retried), 30 h after the last good sync the data is stale, and the daily run succeeds
    # (the hold nobody applied is over); each alerts once.
    assert sorted(doc["event"] for doc in hook.received) == ["failed", "held", "recovered", "stale"]
    failed, held, stale = got["failed"], got["held"], got["stale"]
    assert "hunter2-Very-Secret" not in json.dumps(hook.received) and "********" in failed["error"]
    assert held["held_because"] == ["users: would remove 60 of 520 (11.5% > 10%)"]
    assert stale["last_success_at"] == "2026-05-31T11:00:00Z"
    assert all(doc["data_dir"] == str(data_dir) for doc in hook.received)
    assert "hunter2-Very-Secret" not in caplog.text
