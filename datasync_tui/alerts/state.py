"""What the alerts remember between processes: the outcome last announced, and each send's end.

Kept in `alerts.json` (owner-only) in the data dir and changed under an flock of its own, so a
sync run by cron, the TUI and the daemon never announce the same thing twice.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from datasync_tui.paths import DataDir

STATE_FILE = "alerts.json"
LOCK_FILE = "alerts.lock"


@dataclass
class AlertState:
    """The alerts' memory: one outcome episode at a time, the stale flag, the digest day."""

    outcome: str = "ok"  # ok | failed | held: the episode announced last
    run_id: int | None = None  # the run that opened it (a held run: the one announced)
    failures: int = 0  # failed syncs in a row
    held_key: str | None = None  # the figures of the hold announced
    processed_run: int | None = None  # the newest run whose outcome was looked at
    stale: bool = False  # staleness announced and not over
    digest_on: str | None = None  # the local day the last digest went out
    # channel → how its last send ended: {"ok", "where", "answer", "at", "event"}
    channels: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> AlertState:
        """Read back what as_json wrote (unknown keys ignored)."""
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in doc.items() if k in names})


def state_file(data_dir: DataDir) -> Path:
    """Where a data dir's alert state is kept."""
    return data_dir.root / STATE_FILE


def read(data_dir: DataDir) -> AlertState:
    """The saved state (a fresh one when there is none or it cannot be read)."""
    try:
        return AlertState.from_json(json.loads(state_file(data_dir).read_text("utf-8")))
    except (OSError, ValueError, TypeError):
        return AlertState()


def _write(data_dir: DataDir, state: AlertState) -> None:
    """Replace the saved state atomically, owner-only."""
    path = state_file(data_dir)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(asdict(state), fh, indent=1)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


@contextmanager
def updating(data_dir: DataDir) -> Iterator[AlertState]:
    """Read, let the caller change, and save the state, one process at a time."""
    data_dir.ensure()
    fd = os.open(data_dir.root / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        state = read(data_dir)
        yield state
        _write(data_dir, state)
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
