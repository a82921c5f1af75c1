"""The daemon's alerts: syncs its child did not announce, staleness, the daily digest.

The sync engine announces every sync's end itself (the daemon's child included), so here an
outcome is announced only when the engine could not (the child died before it did). JSON goes
through the daemon's Notifier (retried in the background), email through a background thread:
the loop never waits on a receiver.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable

from datasync_tui import alerts
from datasync_tui.alerts.deliver import deliver
from datasync_tui.alerts.email import email_settings
from datasync_tui.clock import ISO_Z as ISO
from datasync_tui.daemon.child import Outcome
from datasync_tui.daemon.notify import Notifier
from datasync_tui.daemon.schedule import Clock, ClockScheduler
from datasync_tui.daemon.settings import Settings
from datasync_tui.paths import DataDir
from datasync_tui.store import config
from datasync_tui.store.config import ConfigError

Mailer = Callable[[list[alerts.Event]], None]


class DaemonAlerts:
    """Decides and sends the daemon's alerts on every channel the connection sets up."""

    def __init__(
        self,
        data_dir: DataDir,
        *,
        log: logging.Logger,
        notifier: Notifier,
        clock: Clock,
        zone: dt.tzinfo,
        mailer: Mailer | None = None,
    ) -> None:
        self.data_dir = data_dir
        self.log = log
        self.notifier = notifier
        self.clock = clock
        self.zone = zone
        self.mailer = mailer or self._mail_in_background
        self._threads: list[threading.Thread] = []

    def today(self) -> str:
        """The local date on the daemon's clock."""
        return self.clock.now().astimezone(self.zone).date().isoformat()

    def after_outcome(self, outcome: Outcome) -> None:
        """Announce a sync's end unless the engine already did."""
        self.send(alerts.outcome_events(self.data_dir, outcome))

    def stale(self, stale: bool, last_success_at: str | None, hours: float) -> list[alerts.Event]:
        """Announce staleness once per episode; the events sent."""
        events = alerts.stale_events(self.data_dir, stale, last_success_at, hours)
        self.send(events)
        return events

    def digest(self, next_run: str) -> list[alerts.Event]:
        """Send today's digest (once a day); the events sent."""
        events = alerts.digest_events(
            self.data_dir,
            now=self.clock.now(),
            zone=self.zone,
            next_run=next_run,
            today=self.today(),
        )
        self.send(events)
        return events

    def schedule_digest(
        self, scheduler: ClockScheduler, settings: Settings, next_sync: Callable[[], str]
    ) -> None:
        """(Re)place the daily digest at digest_at, local time (none when it is not set)."""
        scheduler.clear("digest")
        if settings.digest_at is None or not settings.connected:
            return

        def job() -> None:
            sent = self.digest(next_sync())
            self.log.info("daily digest %s", "sent" if sent else "already sent today")

        scheduler.every().day.at(f"{settings.digest_at:%H:%M}").do(job).tag("digest")

    def send(self, events: list[alerts.Event]) -> None:
        """notify_url by the Notifier, email by the mailer."""
        if not events:
            return
        at = self.clock.now().astimezone(dt.UTC).strftime(ISO)
        for event in events:
            self.notifier.send(
                event.kind,
                event.subject,
                data_dir=str(self.data_dir.root),
                at=at,
                text=event.body,
                **event.detail,
            )
        settings = self._settings()[0]
        if email_settings(settings) is not None:
            self.mailer(events)

    def _settings(self) -> tuple[dict[str, str], tuple[str, ...]]:
        """The saved settings (with secrets) and the secret values."""
        try:
            conn = config.load(self.data_dir)
        except ConfigError:
            conn = None
        if conn is None:
            return {}, ()
        return conn.all_settings(), tuple(v for v in conn.secrets.values() if v)

    def _mail_in_background(self, events: list[alerts.Event]) -> None:
        """Email the events from a thread (its end logged and kept for `status`)."""
        settings, secrets = self._settings()
        thread = threading.Thread(
            target=deliver,
            args=(self.data_dir, events, settings),
            kwargs={"secrets": secrets, "webhook": False, "log": self.log},
            name="alert-email",
            daemon=True,
        )
        self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        thread.start()

    def wait(self, timeout: float) -> None:
        """Give alerts in flight up to timeout seconds in all to finish."""
        deadline = time.monotonic() + timeout
        self.notifier.wait(timeout)
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
