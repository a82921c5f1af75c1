"""Time for the daemon: an injectable clock, the local zone, and a `schedule` that keeps to both."""

from __future__ import annotations

import datetime as dt
import os
import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import schedule

UTC = dt.UTC
HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


class Clock(Protocol):
    """What the daemon asks of time: the present, and a sleep that an event cuts short."""

    def now(self) -> dt.datetime:
        """The current time, aware, in UTC."""
        ...

    def wait(self, seconds: float, wake: threading.Event) -> bool:
        """Sleep up to seconds; True when woken by the event."""
        ...


class SystemClock:
    """The real clock: UTC now, and Event.wait (monotonic, cut short by a signal handler)."""

    def now(self) -> dt.datetime:
        """The current time, aware, in UTC."""
        return dt.datetime.now(UTC)

    def wait(self, seconds: float, wake: threading.Event) -> bool:
        """Sleep up to seconds; True when woken by the event."""
        return wake.wait(max(0.0, seconds))


def local_zone() -> dt.tzinfo:
    """The machine's time zone with its daylight-saving rules: $TZ, else /etc/localtime."""
    name = os.environ.get("TZ", "").lstrip(":")
    if name:
        try:
            return ZoneInfo(name) if not name.startswith("/") else _zone_file(Path(name))
        except (ZoneInfoNotFoundError, ValueError, OSError):
            pass
    localtime = Path("/etc/localtime")
    try:
        target = str(localtime.resolve())
        if "/zoneinfo/" in target:
            return ZoneInfo(target.split("/zoneinfo/", 1)[1])
        return _zone_file(localtime)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        fallback = dt.datetime.now().astimezone().tzinfo  # a fixed offset: no DST rules known
        return fallback or UTC


def _zone_file(path: Path) -> dt.tzinfo:
    """A zone read from a TZif file."""
    with path.open("rb") as fh:
        return ZoneInfo.from_file(fh, key=path.name)


def zone_name(zone: dt.tzinfo) -> str:
    """A zone's name for people (its key, else what it calls itself now)."""
    return getattr(zone, "key", None) or dt.datetime.now(zone).tzname() or "local"


def parse_hhmm(text: str) -> dt.time:
    """HH:MM (24-hour) as a time, or ValueError saying what is expected."""
    match = HHMM.match(text.strip())
    if not match:
        raise ValueError(f"sync_at {text!r}: expected HH:MM, 24-hour local time (e.g. 02:00)")
    return dt.time(int(match.group(1)), int(match.group(2)))


def _exists(moment: dt.datetime) -> bool:
    """True when a zone's wall clock really shows this time (not inside a DST gap)."""
    back = moment.astimezone(UTC).astimezone(moment.tzinfo)
    return back.replace(tzinfo=None) == moment.replace(tzinfo=None)


def wall_instant(day: dt.date, at: dt.time, zone: dt.tzinfo) -> dt.datetime:
    """When the wall clock first shows `at` on day: a skipped time gives the next valid minute."""
    wall = dt.datetime.combine(day, at)
    for minute in range(24 * 60):
        candidate = (wall + dt.timedelta(minutes=minute)).replace(tzinfo=zone, fold=0)
        if _exists(candidate):
            return candidate
    return wall.replace(tzinfo=zone)


def next_daily(at: dt.time, zone: dt.tzinfo, after: dt.datetime) -> dt.datetime:
    """The first daily `at` (local to zone) strictly after `after`, in UTC; a repeated time once."""
    day = after.astimezone(zone).date()
    for offset in range(3):
        moment = wall_instant(day + dt.timedelta(days=offset), at, zone).astimezone(UTC)
        if moment > after:
            return moment
    raise AssertionError("no daily time within three days")  # pragma: no cover


class ClockJob(schedule.Job):
    """A schedule job that reads the injected clock and keeps daily times in a real zone."""

    def __init__(self, interval: int, scheduler: ClockScheduler) -> None:
        super().__init__(interval, scheduler)
        self.clock_scheduler = scheduler

    @property
    def should_run(self) -> bool:
        """True when the job is due by the injected clock."""
        return self.next_run is not None and self.clock_scheduler.clock.now() >= self.next_run

    def _schedule_next_run(self) -> None:
        """Daily jobs: the next wall time in the zone; others: now plus the interval (UTC)."""
        now = self.clock_scheduler.clock.now()
        if self.unit == "days" and self.at_time is not None and self.interval == 1:
            self.next_run = next_daily(self.at_time, self.clock_scheduler.zone, now)
        elif self.unit in ("seconds", "minutes", "hours") and self.at_time is None:
            self.next_run = now + dt.timedelta(**{self.unit: self.interval})
        else:
            raise schedule.ScheduleValueError(
                "the daemon schedules daily at HH:MM, or after a delay"
            )


class ClockScheduler(schedule.Scheduler):
    """schedule's Scheduler over an injected clock and zone; next runs are aware UTC times."""

    def __init__(self, clock: Clock, zone: dt.tzinfo) -> None:
        super().__init__()
        self.clock = clock
        self.zone = zone

    def every(self, interval: int = 1) -> ClockJob:
        """A new job on this scheduler's clock."""
        return ClockJob(interval, self)

    def once(self, minutes: float, job_func: Callable[[], Any], *tags: str) -> ClockJob:
        """A job that runs once, after `minutes` (0: at the next pass of the loop)."""

        def run_once() -> type[schedule.CancelJob]:
            job_func()
            return schedule.CancelJob

        return self.every(round(minutes * 60)).seconds.do(run_once).tag(*tags)

    @property
    def idle_seconds(self) -> float | None:  # type: ignore[override]
        """Seconds until the next job by the injected clock, or None without jobs."""
        upcoming = self.get_next_run()
        return None if upcoming is None else (upcoming - self.clock.now()).total_seconds()
