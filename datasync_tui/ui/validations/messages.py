"""Messages the Validations page's workers post: past tense, one per thing that happened."""

from __future__ import annotations

from pathlib import Path

from textual.message import Message

from datasync_tui.rules import Issue
from datasync_tui.viewmodels.validations import Overview, Page


class OverviewLoaded(Message):
    """The latest rule results were read from the store."""

    def __init__(self, overview: Overview) -> None:
        super().__init__()
        self.overview = overview


class IssuesLoaded(Message):
    """A page of one rule's issues was read (token: the request it answers)."""

    def __init__(self, page: Page, token: int, cursor: int) -> None:
        super().__init__()
        self.page = page
        self.token = token
        self.cursor = cursor


class ResolvedLoaded(Message):
    """A few issues of a rule that the last sync resolved were read."""

    def __init__(self, rule: str, issues: list[Issue]) -> None:
        super().__init__()
        self.rule = rule
        self.issues = issues


class ExportProgressed(Message):
    """An export wrote more issues (a newer one replaces an older one still queued)."""

    def __init__(self, done: int, total: int | None) -> None:
        super().__init__()
        self.done = done
        self.total = total

    def can_replace(self, message: Message) -> bool:
        """Only the latest progress matters."""
        return isinstance(message, ExportProgressed)


class ExportFinished(Message):
    """An export ended: how many issues were written to path, or why it failed."""

    def __init__(self, path: Path, count: int | None, error: str | None = None) -> None:
        super().__init__()
        self.path = path
        self.count = count
        self.error = error
