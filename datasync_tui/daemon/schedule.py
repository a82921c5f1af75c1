"""Time for the daemon: an injectable clock, the local zone, and a `schedule` that keeps to both."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any, Protocol

import schedule

from datasync_tui.localtime import (  # noqa: F401 - re-exported for the daemon
    local_zone,
    next_daily,
    parse_hhmm,
    wall_instant,
    zone_name,
)

UTC = dt.UTC


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
