"""One alert: its kind, a subject, a plain-text body and the figures for notify_url's JSON."""

from __future__ import annotations

import socket
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from datasync_tui import __version__

KINDS = ("failed", "held", "recovered", "new-errors", "stale", "digest", "test")
MASK = "********"


@dataclass(frozen=True)
class Event:
    """What to tell the admin; the subject comes after the `[DataSync <host>]` prefix."""

    kind: str
    subject: str
    body: str
    detail: dict[str, Any] = field(default_factory=dict)


def host_name() -> str:
    """This machine's name, as the subject shows it."""
    return socket.gethostname() or "localhost"


def subject_line(event: Event, host: str | None = None) -> str:
    """The full subject: `[DataSync <host>] …`."""
    return f"[DataSync {host or host_name()}] {event.subject}"


def json_doc(event: Event, data_dir: str, at: str, host: str | None = None) -> dict[str, Any]:
    """The event as notify_url receives it."""
    return {
        "event": event.kind,
        "message": event.subject,
        "host": host or host_name(),
        "source": f"datasync-tui {__version__}",
        "data_dir": data_dir,
        "at": at,
        "text": event.body,
        **event.detail,
    }


def redact(text: str, secrets: Iterable[str]) -> str:
    """The text with every secret value (4 characters or more) replaced by a mask."""
    for secret in sorted(secrets, key=len, reverse=True):
        if secret and len(secret) >= 4:
            text = text.replace(secret, MASK)
    return text


def masked(event: Event, secrets: Iterable[str]) -> Event:
    """The event with every secret masked in its subject, body and figures."""
    values = tuple(secrets)
    if not values:
        return event

    def clean(value: Any) -> Any:
        if isinstance(value, str):
            return redact(value, values)
        if isinstance(value, list):
            return [clean(v) for v in value]
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        return value

    return Event(event.kind, clean(event.subject), clean(event.body), clean(event.detail))
