"""The daemon's logs: stderr (the journal under systemd) and a rotating file, secrets masked."""

from __future__ import annotations

import logging
import logging.handlers
import sys
from collections.abc import Iterable
from typing import TextIO

from datasync_tui.daemon.child import Outcome
from datasync_tui.paths import DataDir
from datasync_tui.topics import LINE_LABELS

LOGGER = "datasync_tui.daemon"  # the package: every module of the daemon logs under it
LOG_FILE = "daemon.log"
MAX_BYTES = 1_000_000
BACKUPS = 5
FORMAT = "%(asctime)s %(levelname)-7s %(message)s"
MASK = "********"


def redact(text: str, secrets: Iterable[str]) -> str:
    """The text with every secret value replaced by a mask."""
    for secret in sorted(secrets, key=len, reverse=True):
        if secret:
            text = text.replace(secret, MASK)
    return text


class SecretFilter(logging.Filter):
    """Masks the connection's secret values in every record before a handler writes it."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets: tuple[str, ...] = ()
        self.update(secrets)

    def update(self, secrets: Iterable[str]) -> None:
        """Mask these values from now on (short values would mask ordinary words, so not those)."""
        self.secrets = tuple(s for s in secrets if s and len(s) >= 4)

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record's message when it holds a secret."""
        message = record.getMessage()
        masked = redact(message, self.secrets)
        if masked != message:
            record.msg, record.args = masked, None
        return True


def setup_logging(
    data_dir: DataDir, stream: TextIO | None = None, secrets: SecretFilter | None = None
) -> logging.Logger:
    """The daemon's logger: to stream (stderr) and to logs/daemon.log, rotated at 1 MB × 5."""
    logger = logging.getLogger(LOGGER)
    close_logging(logger)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    mask = secrets or SecretFilter()
    formatter = logging.Formatter(FORMAT, "%Y-%m-%d %H:%M:%S")
    data_dir.logs.mkdir(parents=True, exist_ok=True, mode=0o700)
    handlers: list[logging.Handler] = [
        logging.StreamHandler(stream or sys.stderr),
        logging.handlers.RotatingFileHandler(
            data_dir.logs / LOG_FILE, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
        ),
    ]
    for handler in handlers:
        handler.setFormatter(formatter)
        handler.addFilter(mask)
        logger.addHandler(handler)
    return logger


def close_logging(logger: logging.Logger) -> None:
    """Flush, close and detach the logger's handlers; records go up to the root logger again."""
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()
    logger.propagate = True


def changes_text(changes: dict[str, dict[str, int]]) -> str:
    """Per-topic changes on one line: `Users +2 ~1 -0 =517; …`."""
    parts = []
    for topic, c in changes.items():
        label = LINE_LABELS.get(topic, topic)
        parts.append(
            f"{label} +{c.get('added', 0)} ~{c.get('updated', 0)} -{c.get('removed', 0)}"
            f" ={c.get('unchanged', 0)}"
        )
    return "; ".join(parts) or "no topics"


def sync_line(outcome: Outcome, reason: str) -> str:
    """The one log line of a sync: what ran, how it ended, and what it changed."""
    run = f"sync #{outcome.run_id}" if outcome.run_id is not None else "sync"
    head = f"{run} ({reason}) {outcome.status} in {outcome.seconds:.1f}s"
    if outcome.status == "succeeded":
        line = f"{head}: {changes_text(outcome.changes)}"
    elif outcome.status == "held":
        reasons = "; ".join(outcome.held_because) or outcome.error or "over the deletion threshold"
        line = (
            f"{head}, nothing applied ({reasons}); staged: {changes_text(outcome.changes)}; "
            "waiting for the admin: `datasync-tui sync --force` or Apply/Discard in the TUI"
        )
    else:
        line = f"{head}: {outcome.error or 'no reason given'}"
    if outcome.warnings:
        line += f" [{len(outcome.warnings)} warning(s): {outcome.warnings[0]}]"
    return line
