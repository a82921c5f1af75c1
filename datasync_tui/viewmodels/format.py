"""How the pages write times and paths: local times, 'ago', short paths."""

from __future__ import annotations

import os
from datetime import datetime, tzinfo
from pathlib import Path

from datasync_tui.clock import parse_iso


def ago(then: datetime, now: datetime) -> str:
    """'just now', '5 minutes ago', '3 hours ago', '2 days ago' (or 'in …' for the future)."""
    seconds = (now - then).total_seconds()
    future = seconds < 0
    seconds = abs(seconds)
    if seconds < 60:
        return "in under a minute" if future else "just now"
    if seconds < 3_600:
        n, unit = int(seconds // 60), "minute"
    elif seconds < 86_400:
        n, unit = max(1, round(seconds / 3_600)), "hour"
    else:
        n, unit = max(1, round(seconds / 86_400)), "day"
    words = f"{n} {unit}{'s' if n != 1 else ''}"
    return f"in {words}" if future else f"{words} ago"


def local_time(then: datetime, tz: tzinfo | None) -> str:
    """A UTC time as local 'YYYY-MM-DD HH:MM' (tz None: the machine's zone)."""
    return then.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def when(text: str | None, now: datetime, tz: tzinfo | None) -> str:
    """A stored UTC timestamp as 'local time (3 hours ago)', or 'never'."""
    then = parse_iso(text)
    if then is None:
        return "never"
    return f"{local_time(then, tz)} ({ago(then, now)})"


def display_path(value: str, cwd: Path | None = None) -> str:
    """A path as short as it reads well: relative under the working dir, ~ under home."""
    path = Path(value).expanduser()
    if not path.is_absolute():
        return value
    base = cwd or Path.cwd()
    try:
        return str(path.relative_to(base))
    except ValueError:
        pass
    home = Path(os.path.expanduser("~"))
    try:
        return str(Path("~") / path.relative_to(home))
    except ValueError:
        return str(path)
