"""The one clock: now in UTC, the ISO-Z stamp, and the rules' "today" (pinnable by DATASYNC_TODAY).

Everything that asks what time or what day it is asks here, so a test (or an admin reproducing
a past validation) can pin the day once: `DATASYNC_TODAY=2026-11-28` makes the rules, the
carry-forward and the Classroom dry run judge terms and enrollments as of that day, in this
process and in every command it starts.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime

TODAY_VARIABLE = "DATASYNC_TODAY"
ISO_Z = "%Y-%m-%dT%H:%M:%SZ"


def now() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


def iso_z(moment: datetime | None = None) -> str:
    """A time (default now) as ISO 8601 UTC with a Z, to the second."""
    return (moment or now()).astimezone(UTC).strftime(ISO_Z)


def parse_iso(text: str | None) -> datetime | None:
    """An ISO-Z stamp (as iso_z writes it) as an aware UTC datetime; None for none."""
    return datetime.strptime(text, ISO_Z).replace(tzinfo=UTC) if text else None


def today() -> str:
    """Today's local date as YYYY-MM-DD, or the day DATASYNC_TODAY pins."""
    pinned = os.environ.get(TODAY_VARIABLE, "").strip()
    if pinned:
        try:
            return date.fromisoformat(pinned).isoformat()
        except ValueError:
            raise ValueError(
                f"{TODAY_VARIABLE}={pinned!r}: expected a date as YYYY-MM-DD"
            ) from None
    return now().astimezone().date().isoformat()
