"""Local wall-clock time with daylight-saving rules: the zone, HH:MM, and the next daily run."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from datasync_tui import clock

UTC = dt.UTC
HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def local_zone() -> dt.tzinfo:
    """The machine's time zone with its daylight-saving rules: $TZ, else /etc/localtime."""
    name = os.environ.get("TZ", "").lstrip(":")
    if name:
        try:
            return ZoneInfo(name) if not name.startswith("/") else _zone_file(Path(name))
        except (ZoneInfoNotFoundError, ValueError, OSError):
            pass
    localtime = Path("/etc/localtime")
    try:
        target = str(localtime.resolve())
        if "/zoneinfo/" in target:
            return ZoneInfo(target.split("/zoneinfo/", 1)[1])
        return _zone_file(localtime)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        fallback = dt.datetime.now().astimezone().tzinfo  # a fixed offset: no DST rules known
        return fallback or UTC


def _zone_file(path: Path) -> dt.tzinfo:
    """A zone read from a TZif file."""
    with path.open("rb") as fh:
        return ZoneInfo.from_file(fh, key=path.name)


def zone_name(zone: dt.tzinfo) -> str:
    """A zone's name for people (its key, else what it calls itself now)."""
    return getattr(zone, "key", None) or dt.datetime.now(zone).tzname() or "local"


def parse_hhmm(text: str) -> dt.time:
    """HH:MM (24-hour) as a time, or ValueError saying what is expected."""
    match = HHMM.match(text.strip())
    if not match:
        raise ValueError(f"sync_at {text!r}: expected HH:MM, 24-hour local time (e.g. 02:00)")
    return dt.time(int(match.group(1)), int(match.group(2)))


def _exists(moment: dt.datetime) -> bool:
    """True when a zone's wall clock really shows this time (not inside a DST gap)."""
    back = moment.astimezone(UTC).astimezone(moment.tzinfo)
    return back.replace(tzinfo=None) == moment.replace(tzinfo=None)


def wall_instant(day: dt.date, at: dt.time, zone: dt.tzinfo) -> dt.datetime:
    """When the wall clock first shows `at` on day: a skipped time gives the next valid minute."""
    wall = dt.datetime.combine(day, at)
    for minute in range(24 * 60):
        candidate = (wall + dt.timedelta(minutes=minute)).replace(tzinfo=zone, fold=0)
        if _exists(candidate):
            return candidate
    return wall.replace(tzinfo=zone)


def next_daily(at: dt.time, zone: dt.tzinfo, after: dt.datetime) -> dt.datetime:
    """The first daily `at` (local to zone) strictly after `after`, in UTC; a repeated time once."""
    day = after.astimezone(zone).date()
    for offset in range(3):
        moment = wall_instant(day + dt.timedelta(days=offset), at, zone).astimezone(UTC)
        if moment > after:
            return moment
    raise AssertionError("no daily time within three days")  # pragma: no cover


def local(stamp: str | None, zone: dt.tzinfo) -> str:
    """A stored UTC stamp as local 'YYYY-MM-DD HH:MM' ('never' for none)."""
    if not stamp:
        return "never"
    try:
        then = clock.parse_iso(stamp)
    except ValueError:
        return stamp
    return then.astimezone(zone).strftime("%Y-%m-%d %H:%M")
