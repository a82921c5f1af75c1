"""Daily times in real zoneinfo zones: skipped times run at the next valid minute, repeated once."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from datasync_tui.daemon.schedule import next_daily, parse_hhmm
from tests.helpers.daemon import NY, MakeHarness, local

BERLIN = "Europe/Berlin"
LORD_HOWE = "Australia/Lord_Howe"  # moves by 30 minutes


def on_wall(moment: dt.datetime, zone: str) -> str:
    """A UTC time on the zone's wall clock."""
    return moment.astimezone(ZoneInfo(zone)).strftime("%m-%d %H:%M %Z")


@pytest.mark.parametrize(
    ("zone", "at", "after", "expected"),
    [
        (NY, "02:00", (2026, 6, 1, 12, 0), "06-02 02:00 EDT"),
        (NY, "02:30", (2026, 3, 8, 0, 0), "03-08 03:00 EDT"),  # 02:00→03:00: next valid minute
        (NY, "02:00", (2026, 3, 8, 0, 0), "03-08 03:00 EDT"),
        (NY, "03:00", (2026, 3, 8, 0, 0), "03-08 03:00 EDT"),
        (NY, "01:30", (2026, 11, 1, 0, 0), "11-01 01:30 EDT"),  # 01:00–02:00 twice: the first
        (BERLIN, "02:30", (2026, 3, 29, 0, 0), "03-29 03:00 CEST"),
        (BERLIN, "02:30", (2026, 10, 25, 0, 0), "10-25 02:30 CEST"),
        (LORD_HOWE, "02:15", (2026, 10, 4, 0, 0), "10-04 02:30 +11"),  # 02:00→02:30
    ],
)
def test_next_daily(zone: str, at: str, after: tuple[int, ...], expected: str) -> None:
    moment = next_daily(parse_hhmm(at), ZoneInfo(zone), local(zone, *after))
    assert on_wall(moment, zone) == expected


def test_a_repeated_time_runs_once() -> None:
    zone = ZoneInfo(NY)
    first = next_daily(parse_hhmm("01:30"), zone, local(NY, 2026, 11, 1, 0, 0))
    # Just after the first 01:30 (EDT), and during the second hour (EST): tomorrow, not again.
    for after in (first, first + dt.timedelta(minutes=1), local(NY, 2026, 11, 1, 1, 10, fold=1)):
        assert on_wall(next_daily(parse_hhmm("01:30"), zone, after), NY) == "11-02 01:30 EST"


def test_sync_at_is_checked() -> None:
    assert parse_hhmm("7:05") == dt.time(7, 5)
    for bad in ("24:00", "2pm", "02:60", ""):
        with pytest.raises(ValueError, match="HH:MM"):
            parse_hhmm(bad)


@pytest.mark.parametrize(
    ("zone", "at", "first_day", "expected"),
    [
        (NY, "02:30", (2026, 3, 7), ["03-07 02:30 EST", "03-08 03:00 EDT", "03-09 02:30 EDT"]),
        (NY, "01:30", (2026, 10, 31), ["10-31 01:30 EDT", "11-01 01:30 EDT", "11-02 01:30 EST"]),
        (
            BERLIN,
            "02:30",
            (2026, 3, 28),
            ["03-28 02:30 CET", "03-29 03:00 CEST", "03-30 02:30 CEST"],
        ),
        (
            BERLIN,
            "02:30",
            (2026, 10, 24),
            ["10-24 02:30 CEST", "10-25 02:30 CEST", "10-26 02:30 CET"],
        ),
    ],
)
def test_the_loop_over_a_dst_night(
    harness: MakeHarness, zone: str, at: str, first_day: tuple[int, int, int], expected: list[str]
) -> None:
    start = local(zone, *first_day, 0, 0)
    h = harness(start, zone=zone, last=start - dt.timedelta(hours=1), sync_at=at)
    h.run_until(start + dt.timedelta(days=3))
    assert [on_wall(c, zone) for c in h.script.calls] == expected
