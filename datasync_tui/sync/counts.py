"""What one topic of a sync changes, as the engine counts it in SQL and a SyncRun keeps it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

# progress(topic, rows done, rows expected or None)
Progress = Callable[[str, int, int | None], None]


@dataclass(frozen=True)
class Repeat:
    """A sourcedId the source sent more than once in one topic (the first record is kept)."""

    sourcedId: str
    times: int
    first: int  # the record number of the kept one
    again: int  # the record number of the first repeat


@dataclass
class TopicChanges:
    """What one topic of a sync changes, and how it was loaded."""

    topic: str
    mode: str
    live_rows: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    rekeyed: int = 0  # a removal and an addition that are one record under a new id
    unchanged: int = 0
    direct: bool = False  # loaded straight into an empty live table
    repeated: int = 0  # sourcedIds sent more than once
    repeated_rows: int = 0  # the records dropped for them (all but the first of each)
    repeats: list[Repeat] = field(default_factory=list)  # the first few, as examples
    blank_ids: int = 0  # records without a sourcedId (skipped)

    def as_counts(self) -> dict[str, int]:
        """The per-topic figures a SyncRun keeps."""
        return {
            "added": self.added,
            "updated": self.updated,
            "removed": self.removed,
            "rekeyed": self.rekeyed,
            "unchanged": self.unchanged,
        }

    @property
    def changed(self) -> bool:
        """True when the topic adds, updates, removes or re-keys anything."""
        return bool(self.added or self.updated or self.removed or self.rekeyed)
