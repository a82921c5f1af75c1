"""`datasync-tui --daemon`: the daily sync as a foreground service that systemd can manage.

One loop in the main thread sleeps until the next `schedule` job (the daily run, a catch-up, a
retry, or the hourly check that refreshes the heartbeat and judges staleness). Each sync runs in a
child process (daemon_worker), so SIGTERM/SIGINT can abandon it at once: the child is interrupted,
the engine rolls back and records the run as failed, and the last good data stays.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import threading
from collections.abc import Callable
from functools import partial
from types import FrameType
from typing import Any

import orjson

from datasync_tui import pause
from datasync_tui.daemon.alerts import DaemonAlerts, Mailer
from datasync_tui.daemon.child import ChildSync, Outcome, SyncRunner
from datasync_tui.daemon.log import (
    LOGGER,
    SecretFilter,
    redact,
    sync_line,
)
from datasync_tui.daemon.notify import Notifier
from datasync_tui.daemon.schedule import (
    Clock,
    ClockScheduler,
    SystemClock,
    local_zone,
    next_daily,
    zone_name,
)
from datasync_tui.daemon.settings import Settings, iso, read_last_success, read_settings
from datasync_tui.errors import Exit
from datasync_tui.paths import DataDir
from datasync_tui.store.config import ConfigError
from datasync_tui.store.db import StoreError

RETRY_MINUTES = (5, 15, 60)  # after the last step, every 60 minutes until the daily run
CATCH_UP_AFTER = dt.timedelta(hours=24)
CHECK_MINUTES = 60  # heartbeat refresh and staleness check
MAX_SLEEP = 3600.0


class Daemon:
    """The loop: daily sync at sync_at, catch-up at start, retries, heartbeat, staleness, alerts."""

    def __init__(
        self,
        data_dir: DataDir,
        *,
        log: logging.Logger | None = None,
        clock: Clock | None = None,
        zone: dt.tzinfo | None = None,
        sync: SyncRunner | None = None,
        last_success: Callable[[], dt.datetime | None] | None = None,
        notifier: Notifier | None = None,
        mask: SecretFilter | None = None,
        mailer: Mailer | None = None,
    ) -> None:
        self.data_dir = data_dir
        self.log = log or logging.getLogger(LOGGER)
        self.clock = clock or SystemClock()
        self.zone = zone or local_zone()
        self.stopping = threading.Event()
        self.wake = threading.Event()
        self.reload_requested = False
        self.stop_reason = "stop requested"
        self.sync = sync or ChildSync(data_dir)
        self.last_success = last_success or partial(read_last_success, data_dir)
        self.notifier = notifier or Notifier(log=self.log, stop=self.stopping)
        self.alerts = DaemonAlerts(
            data_dir,
            log=self.log,
            notifier=self.notifier,
            clock=self.clock,
            zone=self.zone,
            mailer=mailer,
        )
        self.mask = mask or SecretFilter()
        if self.mask not in self.log.filters:
            self.log.addFilter(self.mask)  # masked before any handler, ours or not, sees it
        self.scheduler = ClockScheduler(self.clock, self.zone)
        self.settings = Settings()
        self.started_at = self.clock.now()
        self.state = "starting"
        self.attempt = 0  # failed attempts since the last scheduled run
        self.retry_token = 0
        self.last_success_at: dt.datetime | None = None
        self.last_outcome: dict[str, Any] | None = None
        self.stale = False
        self._beat_failed = False

    # -- signals (handlers only set flags: the loop does the work) -----------------------------

    def install_signals(self) -> Callable[[], None]:
        """Handle SIGTERM/SIGINT (stop) and SIGHUP (re-read config); returns the undo."""
        signals = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
        previous = {sig: signal.signal(sig, self._on_signal) for sig in signals}

        def restore() -> None:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

        return restore

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        """A signal arrived: note it and wake the loop."""
        if signum == signal.SIGHUP:
            self.request_reload()
        else:
            self.request_stop(signal.Signals(signum).name)

    def request_stop(self, why: str = "stop requested") -> None:
        """Stop soon: the sleep ends at once and a sync in progress is abandoned."""
        if not self.stopping.is_set():
            self.stop_reason = why
        self.stopping.set()
        self.wake.set()

    def request_reload(self) -> None:
        """Re-read the saved connection at the next pass of the loop."""
        self.reload_requested = True
        self.wake.set()

    # -- the loop --------------------------------------------------------------------------------

    def run(self) -> int:
        """Sleep until the next job, run it, repeat; return 0 once asked to stop."""
        self.settings = read_settings(self.data_dir)
        self._apply_settings()
        self._schedule_daily()
        self.alerts.schedule_digest(self.scheduler, self.settings, self._next_sync_text)
        self.scheduler.every(CHECK_MINUTES).minutes.do(self._check).tag("check")
        self._check()
        self.log.info(
            "started: pid %d, data dir %s, daily at %s %s, next run %s",
            os.getpid(),
            self.data_dir.root,
            f"{self.settings.sync_at:%H:%M}",
            zone_name(self.zone),
            self._local(self._next_run("sync")),
        )
        if not self.settings.connected:
            self.log.warning("no source connected yet: run `datasync-tui connect`, then reload")
        self._maybe_catch_up()
        while not self.stopping.is_set():
            if self.reload_requested:
                self._reload()
            self.scheduler.run_pending()
            if self.stopping.is_set():
                break
            self._beat("retry-wait" if self.scheduler.get_jobs("retry") else "idle")
            idle = self.scheduler.idle_seconds
            self.clock.wait(
                MAX_SLEEP if idle is None else min(max(idle, 0.0), MAX_SLEEP), self.wake
            )
            self.wake.clear()
        self.log.info("%s: stopped", self.stop_reason)
        self._beat("stopped")
        self.alerts.wait(2.0)
        return Exit.OK

    def _schedule_daily(self) -> None:
        """(Re)place the daily job at sync_at, local time."""
        self.scheduler.clear("daily")
        at = f"{self.settings.sync_at:%H:%M}"
        self.scheduler.every().day.at(at).do(self._daily).tag("daily", "sync")

    def _maybe_catch_up(self) -> None:
        """Sync now when the last success is older than 24 hours or there has been none."""
        if not self.settings.connected or self.scheduler.get_jobs("catch-up"):
            return
        last = self.last_success_at
        if last is not None and self.clock.now() - last <= CATCH_UP_AFTER:
            return
        since = f"last good sync {iso(last)}" if last else "no good sync yet"
        self.log.info("%s: syncing now to catch up", since)
        self.scheduler.once(0, partial(self._sync, "catch-up"), "catch-up", "sync")

    def _daily(self) -> None:
        """The scheduled run: a fresh start for retries."""
        self._cancel_retry()
        self.attempt = 0
        self._sync("daily")

    def _retry(self, token: int) -> None:
        """A retry after a failure, unless something newer replaced it."""
        if token == self.retry_token:
            self._sync(f"retry {self.attempt}")

    def _sync(self, reason: str) -> None:
        """Run one sync (in the child) and act on its outcome."""
        if self.stopping.is_set():
            return
        held = pause.paused(self.data_dir, self.alerts.today())
        if held is not None:  # a sync run by hand still runs; scheduled ones wait
            self._cancel_retry()
            self.log.info("scheduled sync (%s) skipped: %s", reason, held.describe())
            return
        self._beat("syncing", reason)
        try:
            outcome = self.sync(self.stopping)
        except Exception as exc:  # the child could not even start: a failure like any other
            outcome = Outcome(status="failed", error=f"{exc.__class__.__name__}: {exc}")
        self._settle(outcome, reason)

    def _settle(self, outcome: Outcome, reason: str) -> None:
        """Log the one line of the sync; retry, alert or rest as its outcome asks."""
        now = self.clock.now()
        secrets = self.mask.secrets
        for line in outcome.stderr:
            self.log.warning("sync process: %s", line)
        error = redact(outcome.error, secrets) if outcome.error else None
        self.last_outcome = {
            "status": outcome.status,
            "reason": reason,
            "run_id": outcome.run_id,
            "finished_at": iso(now),
            "error": error,
        }
        line = sync_line(outcome, reason)
        if outcome.status == "succeeded":
            self._cancel_retry()
            self.attempt = 0
            self.log.info(line)
        elif outcome.status == "held":
            self._cancel_retry()
            self.attempt = 0
            self.log.warning(line)
        elif outcome.status in ("failed", "busy"):
            retry_at = self._plan_retry(now)
            when = f"retry {self.attempt} at {self._local(retry_at)}" if retry_at else ""
            when = when or f"no retry before the daily run at {self._local(self._next_daily(now))}"
            level = logging.ERROR if outcome.status == "failed" else logging.WARNING
            self.log.log(level, "%s; %s", line, when)
        elif outcome.status == "skipped":
            self.log.warning("%s; connect a source, then reload the daemon", line)
        else:
            self.log.info(line)
        self.alerts.after_outcome(outcome)  # unless the engine, in the child, announced it
        self.state = "retry-wait" if self.scheduler.get_jobs("retry") else "idle"  # sync over
        self._check()

    def _plan_retry(self, now: dt.datetime) -> dt.datetime | None:
        """Schedule the next retry (5, 15, 60, 60… minutes) if it comes before the daily run."""
        minutes = RETRY_MINUTES[min(self.attempt, len(RETRY_MINUTES) - 1)]
        at = now + dt.timedelta(minutes=minutes)
        self._cancel_retry()
        if at >= self._next_daily(now):
            return None
        self.attempt += 1
        self.scheduler.once(minutes, partial(self._retry, self.retry_token), "retry", "sync")
        return at

    def _cancel_retry(self) -> None:
        """Forget any pending retry."""
        self.scheduler.clear("retry")
        self.retry_token += 1

    def _next_daily(self, now: dt.datetime) -> dt.datetime:
        """The next daily run after now."""
        return next_daily(self.settings.sync_at, self.zone, now)

    def _next_run(self, tag: str) -> dt.datetime | None:
        """The next future run of the jobs with this tag."""
        now = self.clock.now()
        runs = [j.next_run for j in self.scheduler.get_jobs(tag) if j.next_run and j.next_run > now]
        if tag in ("sync", "daily") and not any(
            j.next_run and j.next_run > now for j in self.scheduler.get_jobs("daily")
        ):
            runs.append(self._next_daily(now))  # the daily job is running: it comes back
        return min(runs) if runs else None

    def _next_sync_text(self) -> str:
        """The next sync on the admin's clock (for the digest)."""
        return self._local(self._next_run("sync"))

    def _local(self, moment: dt.datetime | None) -> str:
        """A time as the admin reads it: local, with the zone's abbreviation."""
        if moment is None:
            return "-"
        return moment.astimezone(self.zone).strftime("%Y-%m-%d %H:%M %Z")

    # -- reload, staleness, alerts, heartbeat ---------------------------------------------------

    def _apply_settings(self) -> None:
        """Hand the settings to the parts that use them."""
        self.mask.update(self.settings.secrets)
        self.notifier.url = self.settings.notify_url

    def _reload(self) -> None:
        """SIGHUP: re-read the saved connection; a bad one leaves the previous settings."""
        self.reload_requested = False
        try:
            settings = read_settings(self.data_dir)
        except (ConfigError, ValueError) as exc:
            self.log.error("SIGHUP: configuration not re-read (%s); previous settings kept", exc)
            return
        old, self.settings = self.settings, settings
        self._apply_settings()
        if settings.sync_at != old.sync_at:
            self._schedule_daily()
        self.alerts.schedule_digest(self.scheduler, settings, self._next_sync_text)
        self._check()
        self.log.info(
            "SIGHUP: configuration re-read: daily at %s %s, next run %s",
            f"{settings.sync_at:%H:%M}",
            zone_name(self.zone),
            self._local(self._next_run("sync")),
        )
        self._maybe_catch_up()

    def _check(self) -> None:
        """Refresh the last success, judge staleness (alert once per episode), beat."""
        try:
            self.last_success_at = self.last_success()
        except (StoreError, OSError) as exc:
            self.log.warning("cannot read the sync history: %s", exc)
        now = self.clock.now()
        since = self.last_success_at or self.settings.connected_at
        self.stale = bool(
            self.settings.connected and since and now - since > self.settings.stale_after
        )
        if self.settings.connected:
            hours = self.settings.stale_after.total_seconds() / 3600
            quiet = pause.paused(self.data_dir, self.alerts.today()) is not None
            last = iso(self.last_success_at)
            for event in self.alerts.stale(self.stale and not quiet, last, hours):
                self.log.warning(event.subject)
        self._beat(self.state)

    def heartbeat(self, state: str, reason: str | None = None) -> dict[str, Any]:
        """What the heartbeat file says now."""
        retry = self.scheduler.get_jobs("retry")
        return {
            "pid": os.getpid(),
            "state": state,
            "reason": reason,
            "started_at": iso(self.started_at),
            "updated_at": iso(self.clock.now()),
            "next_run_at": iso(self._next_run("sync")),
            "next_daily_at": iso(self._next_run("daily")),
            "sync_at": f"{self.settings.sync_at:%H:%M}",
            "timezone": zone_name(self.zone),
            "retry": {"attempt": self.attempt, "at": iso(self._next_run("retry"))}
            if retry
            else None,
            "last_success_at": iso(self.last_success_at),
            "last_outcome": self.last_outcome,
            "stale": self.stale,
        }

    def _beat(self, state: str, reason: str | None = None) -> None:
        """Write the heartbeat atomically (readers see the old or the new file, never half)."""
        self.state = state
        path = self.data_dir.heartbeat
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            tmp.write_bytes(orjson.dumps(self.heartbeat(state, reason), option=orjson.OPT_INDENT_2))
            os.replace(tmp, path)
            self._beat_failed = False
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            if not self._beat_failed:
                self.log.warning("cannot write the heartbeat %s: %s", path, exc)
            self._beat_failed = True
