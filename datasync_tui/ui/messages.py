"""Messages posted by thread workers: past tense, one per thing that happened."""

from __future__ import annotations

from textual.message import Message

from connectors.base import CheckReport
from datasync_tui.sync import SyncResult
from datasync_tui.viewmodels.dashboard import Facts


class FactsLoaded(Message):
    """The dashboard facts were read from the store."""

    def __init__(self, facts: Facts) -> None:
        super().__init__()
        self.facts = facts


class CheckFinished(Message):
    """The source check ended: a report, or the one-line reason it could not run."""

    def __init__(
        self, report: CheckReport | None, error: str | None = None, advice: str | None = None
    ) -> None:
        super().__init__()
        self.report = report
        self.error = error
        self.advice = advice  # what is wrong with the folder and the method that reads it


class SyncProgressed(Message):
    """A topic read more rows during a sync."""

    def __init__(self, topic: str, done: int, total: int | None) -> None:
        super().__init__()
        self.topic = topic
        self.done = done
        self.total = total


class SyncFinished(Message):
    """A sync (or an Apply of a held one) ended: a result, or why it could not run."""

    def __init__(self, result: SyncResult | None, error: str | None = None) -> None:
        super().__init__()
        self.result = result
        self.error = error

    @property
    def ok(self) -> bool:
        """True when data was applied."""
        return self.result is not None and self.result.status == "succeeded"
