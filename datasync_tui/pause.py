"""Pause and resume scheduled syncs: `pause(data_dir, until)`, `resume(data_dir)`, `paused()`.

The pause is a small owner-only file in the data dir, so every process sees it: the daemon skips
its scheduled syncs (daily, catch-up, retries) while it is there; a sync run by hand still runs.
A pause with `until` (a date, YYYY-MM-DD) covers that whole day and ends by itself after it.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from datasync_tui import clock
from datasync_tui.errors import UsageError
from datasync_tui.paths import DataDir

PAUSE_FILE = "paused.json"


class PauseError(UsageError):
    """A pause that cannot be set (a date that is not one, or already past)."""


@dataclass(frozen=True)
class Pause:
    """Scheduled syncs are paused: since when, until which day (None: until resumed), why."""

    since: str
    until: str | None = None
    reason: str | None = None

    def as_status(self) -> dict[str, str | None]:
        """What `status --json` shows under "paused"."""
        return {"until": self.until}

    def describe(self) -> str:
        """One line for people."""
        span = f"until {self.until} (inclusive)" if self.until else "until `datasync-tui resume`"
        return f"scheduled syncs paused {span}" + (f": {self.reason}" if self.reason else "")


def pause_file(data_dir: DataDir) -> Path:
    """Where the pause of a data dir is kept."""
    return data_dir.root / PAUSE_FILE


def check_until(until: date | str | None, today: str | None = None) -> str | None:
    """The last paused day as YYYY-MM-DD, or a PauseError when it is not a date or is past."""
    if until is None or until == "":
        return None
    try:
        day = until if isinstance(until, date) else date.fromisoformat(str(until).strip())
    except ValueError:
        raise PauseError(f"--until {until!r}: expected a date as YYYY-MM-DD") from None
    if day.isoformat() < (today or clock.today()):
        raise PauseError(f"--until {day.isoformat()} is already past")
    return day.isoformat()


def pause(data_dir: DataDir, until: date | str | None = None, reason: str | None = None) -> Pause:
    """Pause scheduled syncs (until that day, inclusive, or until resumed); replaces a pause."""
    found = Pause(since=clock.iso_z(), until=check_until(until), reason=reason or None)
    data_dir.ensure()
    path = pause_file(data_dir)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(asdict(found), fh)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return found


def resume(data_dir: DataDir) -> bool:
    """Restart scheduled syncs; True when they were paused (an expired pause counts as not)."""
    was = paused(data_dir) is not None
    pause_file(data_dir).unlink(missing_ok=True)
    return was


def stored(data_dir: DataDir) -> Pause | None:
    """The pause as saved, expired or not (None without one, or when it cannot be read)."""
    try:
        doc = json.loads(pause_file(data_dir).read_text("utf-8"))
        return Pause(since=str(doc["since"]), until=doc.get("until"), reason=doc.get("reason"))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def paused(data_dir: DataDir, today: str | None = None) -> Pause | None:
    """The pause in force on `today` (default: clock.today()), or None."""
    found = stored(data_dir)
    if found is None:
        return None
    if found.until is not None and (today or clock.today()) > found.until:
        return None
    return found
