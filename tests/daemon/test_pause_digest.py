"""The daemon honours pause (scheduled syncs skipped, an --until pause ending by itself) and
sends the daily digest at digest_at; on the fake clock, nothing sleeps."""

from __future__ import annotations

import datetime as dt

import pytest

from datasync_tui import pause
from datasync_tui.alerts import Event
from tests.helpers.daemon import NY, MakeHarness, local

H = dt.timedelta(hours=1)


def test_the_daemon_skips_scheduled_syncs_while_paused(
    harness: MakeHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    start = local(NY, 2026, 6, 1, 1, 0)
    h = harness(start, last=start - H)
    monkeypatch.setenv("DATASYNC_TODAY", "2026-06-01")
    pause.pause(h.data_dir)

    def resume_at_noon(now: dt.datetime) -> None:
        if now >= local(NY, 2026, 6, 2, 12, 0) and pause.paused(h.data_dir):
            pause.resume(h.data_dir)

    h.clock.hooks.append(resume_at_noon)
    h.run_until(local(NY, 2026, 6, 3, 3, 0))
    assert h.script.local_calls(NY) == ["06-03 02:00 EDT"]  # 06-01 and 06-02 skipped


def test_an_until_pause_ends_by_itself_after_its_day(
    harness: MakeHarness, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    start = local(NY, 2026, 5, 31, 12, 0)
    h = harness(start, last=start - 30 * H, stale_after_hours="24", notify_url="http://x.test/a")
    monkeypatch.setenv("DATASYNC_TODAY", "2026-05-31")
    pause.pause(h.data_dir, "2026-06-01")
    caplog.set_level("INFO")
    h.run_until(local(NY, 2026, 6, 2, 3, 0))
    # The catch-up at start and the 06-01 run are skipped; 06-02 runs on its own.
    assert h.script.local_calls(NY) == ["06-02 02:00 EDT"]
    assert "scheduled sync (catch-up) skipped: scheduled syncs paused until 2026-06-01" in (
        caplog.text
    )
    assert "scheduled sync (daily) skipped" in caplog.text
    # Stale all along, but paused on purpose: no stale alert while paused, one after.
    assert [n["event"] for n in h.notes.sent] == ["stale"]


def test_the_digest_goes_out_daily_at_digest_at(
    harness: MakeHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    start = local(NY, 2026, 6, 1, 1, 0)
    h = harness(
        start,
        last=start - H,
        digest_at="07:00",
        notify_url="http://x.test/a",
        smtp_url="smtp://127.0.0.1:9",
        notify_email="it@x.org",
    )
    mailed: list[tuple[dt.datetime, list[Event]]] = []
    h.daemon.alerts.mailer = lambda events: mailed.append((h.clock.now(), events))
    monkeypatch.setenv("DATASYNC_TODAY", "2026-06-01")

    def pause_on_the_second_day(now: dt.datetime) -> None:
        if now >= local(NY, 2026, 6, 2, 12, 0) and not (h.data_dir.root / "paused.json").exists():
            pause.pause(h.data_dir, "2026-06-05")

    h.clock.hooks.append(pause_on_the_second_day)
    h.run_until(local(NY, 2026, 6, 3, 8, 0))
    assert [when for when, _ in mailed] == [
        local(NY, 2026, 6, 1, 7, 0),
        local(NY, 2026, 6, 2, 7, 0),
        local(NY, 2026, 6, 3, 7, 0),
    ]
    first = mailed[0][1][0]
    assert first.kind == "digest"
    assert first.subject == "daily digest: 0 students, 0 open errors"
    assert "Next sync: 2026-06-02 02:00 EDT" in first.body
    third = mailed[2][1][0]
    assert "Scheduled syncs paused until 2026-06-05 (inclusive)." in third.body
    # notify_url gets the same digests as JSON.
    assert [n["event"] for n in h.notes.sent] == ["digest"] * 3
    assert h.notes.sent[0]["message"] == first.subject
