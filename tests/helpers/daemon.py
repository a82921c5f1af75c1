"""Fixtures for the daemon: a fake clock that never sleeps, scripted syncs, a saved connection."""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from datasync_tui.daemon.child import Outcome
from datasync_tui.daemon.loop import Daemon
from datasync_tui.daemon.notify import Notifier
from datasync_tui.paths import DataDir
from datasync_tui.store import config

UTC = dt.UTC
NY = "America/New_York"
CHANGES = {"users": {"added": 2, "updated": 1, "removed": 0, "unchanged": 517}}


def local(zone: str, *args: int, fold: int = 0) -> dt.datetime:
    """An aware time on the wall clock of zone (in UTC)."""
    return dt.datetime(*args, tzinfo=ZoneInfo(zone), fold=fold).astimezone(UTC)  # type: ignore[misc]


class FakeClock:
    """Time that moves only when the daemon sleeps or a scripted sync takes its minutes."""

    def __init__(self, start: dt.datetime) -> None:
        self.t = start
        self.waits: list[float] = []
        self.hooks: list[Callable[[dt.datetime], None]] = []

    def now(self) -> dt.datetime:
        """The fake present."""
        return self.t

    def wait(self, seconds: float, wake: threading.Event) -> bool:
        """Jump ahead instead of sleeping; run the hooks at the new time."""
        if wake.is_set():
            return True
        self.waits.append(seconds)
        self.t += dt.timedelta(seconds=seconds)
        for hook in list(self.hooks):
            hook(self.t)
        return wake.is_set()


@dataclass
class Script:
    """A sync runner that ends as scripted (then succeeds), taking `minutes` of fake time."""

    clock: FakeClock
    statuses: list[str] = field(default_factory=list)
    minutes: float = 2.0
    last: dt.datetime | None = None
    error: str = "cannot reach the source: connection refused"
    calls: list[dt.datetime] = field(default_factory=list)
    ends: list[dt.datetime] = field(default_factory=list)
    during: Callable[[threading.Event], None] | None = None

    def __call__(self, stop: threading.Event) -> Outcome:
        """One scripted sync."""
        self.calls.append(self.clock.t)
        status = self.statuses.pop(0) if self.statuses else "succeeded"
        if self.during:
            self.during(stop)
        self.clock.t += dt.timedelta(minutes=self.minutes)
        self.ends.append(self.clock.t)
        if status == "succeeded":
            self.last = self.clock.t
        return Outcome(
            status=status,
            run_id=len(self.calls),
            changes=CHANGES if status in ("succeeded", "held") else {},
            error=None if status in ("succeeded", "held") else self.error,
            held_because=["users: would remove 60 of 520 (11.5% > 10%)"]
            if status == "held"
            else [],
            seconds=self.minutes * 60,
        )

    def last_success(self) -> dt.datetime | None:
        """The fake sync history."""
        return self.last

    def local_calls(self, zone: str) -> list[str]:
        """When the syncs started, on the zone's wall clock."""
        return [c.astimezone(ZoneInfo(zone)).strftime("%m-%d %H:%M %Z") for c in self.calls]


class Recorder(Notifier):
    """A notifier that keeps what it would send."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[dict[str, Any]] = []

    def send(self, event: str, message: str, **detail: Any) -> None:  # type: ignore[override]
        """Keep the alert (only when a URL is set, like the real one)."""
        if self.url:
            self.sent.append({"event": event, "message": message, **detail})


def save_connection(root: Path, **settings: str) -> None:
    """Save a connection with these settings (no real source: the syncs are scripted)."""
    values = {"path": str(root / "nowhere"), **settings}
    secrets = {"client_secret": "hunter2-Very-Secret"}
    conn = config.Connection(
        method="oneroster-csv",
        vendor=None,
        settings=values,
        secrets=secrets,
        connected_at="2026-01-01T00:00:00Z",
    )
    config.save(DataDir(root), conn)


@dataclass
class Harness:
    """A daemon over a fake clock, scripted syncs and a recording notifier."""

    daemon: Daemon
    clock: FakeClock
    script: Script
    notes: Recorder
    data_dir: DataDir

    def run_until(self, end: dt.datetime) -> int:
        """Run the loop until the fake clock reaches end."""

        def stop_at(now: dt.datetime) -> None:
            if now >= end:
                self.daemon.request_stop("test over")

        self.clock.hooks.append(stop_at)
        return self.daemon.run()


MakeHarness = Callable[..., Harness]


@pytest.fixture
def harness(data_dir: Path) -> MakeHarness:
    """Build a daemon: harness(start, zone=…, statuses=[…], last=…, **settings)."""

    def make(
        start: dt.datetime,
        *,
        zone: str = "America/New_York",
        statuses: list[str] | None = None,
        last: dt.datetime | None = None,
        connected: bool = True,
        **settings: str,
    ) -> Harness:
        if connected:
            save_connection(data_dir, **settings)
        clock = FakeClock(start)
        script = Script(clock, list(statuses or []), last=last)
        notes = Recorder()
        log = logging.getLogger(f"datasync_tui.daemon.test.{id(clock)}")
        daemon = Daemon(
            DataDir(data_dir),
            log=log,
            clock=clock,
            zone=ZoneInfo(zone),
            sync=script,
            last_success=script.last_success,
            notifier=notes,
        )
        return Harness(daemon, clock, script, notes, DataDir(data_dir))

    return make


class Hook:
    """A loopback HTTP receiver that answers with scripted status codes and keeps each body."""

    def __init__(self, codes: list[int] | None = None) -> None:
        self.codes = list(codes or [])
        self.received: list[dict[str, Any]] = []
        self.paths: list[str] = []
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                hook.received.append(json.loads(self.rfile.read(length)))
                hook.paths.append(self.path)
                code = hook.codes.pop(0) if hook.codes else 200
                self.send_response(code)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        """Where to POST (the path stands for a webhook's secret token)."""
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/hooks/{TOKEN}"

    def start(self) -> Hook:
        """Serve in a thread."""
        self.thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the port."""
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


def beat(data_dir: Path) -> dict[str, Any]:
    """The heartbeat file, or {} before the first."""
    try:
        return json.loads((data_dir / "daemon.json").read_text("utf-8"))
    except (OSError, ValueError):
        return {}


def wait_for(what: Callable[[], Any], timeout: float = 20.0) -> Any:
    """Poll until what() is truthy (the daemon runs for real: this is the only waiting)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = what()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"still not true after {timeout}s")


TOKEN = "T0KEN-in-the-path-9f8e"
