"""Optional alerts: a small JSON POSTed to `notify_url` on failure, hold or staleness, retried."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from datasync_tui import __version__

RETRYABLE = {408, 425, 429, 500, 502, 503, 504}


def where(url: str) -> str:
    """The URL's scheme and host only: a webhook's path often is its secret."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or '?'}" + (f":{parts.port}" if parts.port else "")


class Notifier:
    """Sends alerts in background threads, so the loop never waits on a slow receiver."""

    def __init__(
        self,
        url: str | None = None,
        *,
        log: logging.Logger | None = None,
        backoff: Sequence[float] = (2.0, 10.0, 30.0),
        timeout: float = 10.0,
        stop: threading.Event | None = None,
    ) -> None:
        self.url = url or None
        self.log = log or logging.getLogger("datasync_tui.daemon")
        self.backoff = tuple(backoff)
        self.timeout = timeout
        self.stop = stop or threading.Event()
        self._threads: list[threading.Thread] = []

    def send(self, event: str, message: str, **detail: Any) -> threading.Thread | None:
        """POST {event, message, host, …} in the background; None when notify_url is not set."""
        if not self.url:
            return None
        doc = {
            "event": event,
            "message": message,
            "host": socket.gethostname(),
            "source": f"datasync-tui {__version__}",
            **detail,
        }
        thread = threading.Thread(
            target=self._post, args=(self.url, doc), name=f"notify-{event}", daemon=True
        )
        self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        thread.start()
        return thread

    def _post(self, url: str, doc: dict[str, Any]) -> None:
        """Try once, then once more after each backoff step; log the result (host only)."""
        import httpx  # here, not at import: httpx pulls in rich when it is installed

        problem = ""
        for attempt, pause in enumerate((0.0, *self.backoff)):
            if attempt and self.stop.wait(pause):
                break
            try:
                response = httpx.post(url, json=doc, timeout=self.timeout)
            except httpx.HTTPError as exc:
                problem = f"{exc.__class__.__name__}"
                continue
            if response.is_success:
                self.log.info("notified %s of %s", where(url), doc["event"])
                return
            problem = f"HTTP {response.status_code}"
            if response.status_code not in RETRYABLE:
                break
        self.log.warning(
            "could not notify %s of %s: %s", where(url), doc["event"], problem or "stopped"
        )

    def wait(self, timeout: float) -> None:
        """Give alerts in flight up to timeout seconds in all to finish."""
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
