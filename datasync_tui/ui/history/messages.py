"""Messages the History page's workers post: past tense, one per thing that happened."""

from __future__ import annotations

from textual.message import Message

from datasync_tui.sync import SyncResult
from datasync_tui.viewmodels.explore import Row
from datasync_tui.viewmodels.history.pager import ChangePager
from datasync_tui.viewmodels.history.view import HistoryOverview, RollbackPreview, Target


class HistoryLoaded(Message):
    """The syncs and the pause were read."""

    def __init__(self, overview: HistoryOverview) -> None:
        super().__init__()
        self.overview = overview


class ChangesOpened(Message):
    """A sync's changes are ready to page through (its first rows read)."""

    def __init__(self, generation: int, pager: ChangePager, first: list[Row]) -> None:
        super().__init__()
        self.generation = generation
        self.pager = pager
        self.first = first


class ChangesCounted(Message):
    """A sync's changes were counted exactly and their checkpoints gathered."""

    def __init__(self, generation: int) -> None:
        super().__init__()
        self.generation = generation


class TargetFound(Message):
    """Where Explore shows a changed record was found (or why it cannot)."""

    def __init__(self, target: Target) -> None:
        super().__init__()
        self.target = target


class RollbackPlanned(Message):
    """What a rollback would undo was worked out."""

    def __init__(self, preview: RollbackPreview) -> None:
        super().__init__()
        self.preview = preview


class RollbackFinished(Message):
    """A rollback ended: its result, or the one line saying why it could not run."""

    def __init__(self, target: int, result: SyncResult | None, error: str | None = None) -> None:
        super().__init__()
        self.target = target
        self.result = result
        self.error = error


class PauseChanged(Message):
    """Scheduled syncs were paused or resumed (or the change failed, with why)."""

    def __init__(self, text: str, error: bool = False) -> None:
        super().__init__()
        self.text = text
        self.error = error
