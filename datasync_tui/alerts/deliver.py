"""Send events to every configured channel at once, within a few seconds in all; keep the ends.

Each channel's send runs in a thread of its own with a socket timeout of the budget, and the
caller waits at most the budget: an SMTP server that never answers costs a sync that much and
no more. How each channel's last send ended is kept for `status`, and logged.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from datasync_tui import clock
from datasync_tui.alerts.email import SendError, email_settings, send_email
from datasync_tui.alerts.event import Event, host_name, json_doc, redact, subject_line
from datasync_tui.alerts.state import updating
from datasync_tui.alerts.webhook import post_json, where
from datasync_tui.paths import DataDir

SEND_BUDGET = 5.0  # seconds a sync (or notify --test) waits for all its alerts at most
LOG_FILE = "alerts.log"
LOGGER = "datasync_tui.alerts"


@dataclass(frozen=True)
class Answer:
    """How one channel took one event: the server's answer, or why it failed."""

    channel: str  # email | notify_url
    where: str  # smtp://host:port, https://host (never a path or a credential)
    event: str
    ok: bool
    text: str


Sender = Callable[[Event], str]


def channels(
    settings: Mapping[str, str], data_dir: DataDir, timeout: float, *, webhook: bool = True
) -> list[tuple[str, str, Sender]]:
    """(name, where, send) of each channel the settings configure."""
    found: list[tuple[str, str, Sender]] = []
    mail = email_settings(settings)
    if mail is not None:

        def send_mail(event: Event) -> str:
            return send_email(mail, subject_line(event), event.body, timeout)

        found.append(("email", mail.where, send_mail))
    url = settings.get("notify_url") or ""
    if url and webhook:
        ca = settings.get("ca_bundle") or None

        def send_json(event: Event) -> str:
            doc = json_doc(event, str(data_dir.root), clock.iso_z())
            return post_json(url, doc, timeout, ca)

        found.append(("notify_url", where(url), send_json))
    return found


def deliver(
    data_dir: DataDir,
    events: Iterable[Event],
    settings: Mapping[str, str],
    *,
    secrets: Iterable[str] = (),
    budget: float = SEND_BUDGET,
    webhook: bool = True,
    log: logging.Logger | None = None,
) -> list[Answer]:
    """Send each event to each channel in parallel; wait at most `budget` seconds in all."""
    hidden = tuple(secrets)
    answers: list[Answer] = []
    threads = []
    for event in events:
        for name, place, send in channels(settings, data_dir, budget, webhook=webhook):
            thread = threading.Thread(
                target=_send_one,
                args=(send, event, name, place, answers, hidden),
                name=f"alert-{name}-{event.kind}",
                daemon=True,
            )
            threads.append((thread, name, place, event.kind))
            thread.start()
    deadline = time.monotonic() + budget
    for thread, *_ in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    done = list(answers)  # a thread still running now is too late
    answered = {(a.channel, a.event) for a in done}
    for thread, name, place, kind in threads:
        if thread.is_alive() and (name, kind) not in answered:
            done.append(Answer(name, place, kind, False, f"no answer within {budget:g}s"))
    if done:
        record(data_dir, done, log)
    return done


def _send_one(
    send: Sender, event: Event, name: str, place: str, out: list[Answer], hidden: tuple[str, ...]
) -> None:
    """Send one event on one channel; append how it ended."""
    try:
        answer = Answer(name, place, event.kind, True, send(event))
    except SendError as exc:
        answer = Answer(name, place, event.kind, False, str(exc))
    except Exception as exc:  # a channel never takes the caller down
        answer = Answer(name, place, event.kind, False, f"{exc.__class__.__name__}: {exc}")
    out.append(
        Answer(answer.channel, answer.where, answer.event, answer.ok, redact(answer.text, hidden))
    )


def record(data_dir: DataDir, answers: list[Answer], log: logging.Logger | None = None) -> None:
    """Keep each channel's last end for `status`, and log every send."""
    logger = log or logging.getLogger(LOGGER)
    at = clock.iso_z()
    lines = []
    for a in answers:
        if a.ok:
            text = f"{a.event} alert sent by {a.channel} ({a.where}): {a.text}"
            logger.info(text)
        else:
            text = f"{a.event} alert NOT sent by {a.channel} ({a.where}): {a.text}"
            logger.warning(text)
        lines.append(f"{at} {'INFO   ' if a.ok else 'WARNING'} {text}")
    try:
        with updating(data_dir) as state:
            for a in answers:
                state.channels[a.channel] = {
                    "ok": a.ok,
                    "where": a.where,
                    "answer": a.text,
                    "at": at,
                    "event": a.event,
                }
        _append_log(data_dir, lines)
    except OSError as exc:
        logger.warning("cannot keep the alerts' outcome in %s: %s", data_dir.root, exc)


def _append_log(data_dir: DataDir, lines: list[str]) -> None:
    """Append to <data dir>/logs/alerts.log (owner-only)."""
    data_dir.logs.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(data_dir.logs / LOG_FILE, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as fh:
        fh.write("".join(line + "\n" for line in lines))


def failing(data_dir: DataDir) -> dict[str, object] | None:
    """The channel whose last send failed most recently, or None (what `status` shows)."""
    from datasync_tui.alerts.state import read

    bad = [
        {"channel": name, **{k: v for k, v in end.items() if k != "ok"}}
        for name, end in read(data_dir).channels.items()
        if not end.get("ok")
    ]
    return max(bad, key=lambda e: str(e.get("at"))) if bad else None


__all__ = ["SEND_BUDGET", "Answer", "channels", "deliver", "failing", "host_name", "record"]
