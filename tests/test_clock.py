"""The one clock: today pinned by DATASYNC_TODAY, or the local date; ISO-Z stamps."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from datasync_tui import clock


def test_today_is_the_pinned_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(clock.TODAY_VARIABLE, "2031-02-03")
    assert clock.today() == "2031-02-03"


def test_today_without_a_pin_is_the_local_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(clock.TODAY_VARIABLE)
    assert clock.today() == datetime.now().date().isoformat()


def test_an_unreadable_pin_says_what_is_expected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(clock.TODAY_VARIABLE, "28/11/2026")
    with pytest.raises(ValueError, match="DATASYNC_TODAY='28/11/2026': expected a date"):
        clock.today()


def test_iso_z_is_utc_to_the_second() -> None:
    moment = datetime(2026, 11, 28, 2, 0, 41, 999, tzinfo=UTC)
    assert clock.iso_z(moment) == "2026-11-28T02:00:41Z"
    assert clock.iso_z().endswith("Z")
