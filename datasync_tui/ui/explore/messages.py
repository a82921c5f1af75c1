"""Messages Explore's workers post: past tense, one per thing that happened."""

from __future__ import annotations

from textual.message import Message

from datasync_tui.viewmodels.explore import Pager, Row


class ViewOpened(Message):
    """A view's pager is ready (its first rows can be read)."""

    def __init__(self, generation: int, pager: Pager, first: list[Row]) -> None:
        super().__init__()
        self.generation = generation
        self.pager = pager
        self.first = first


class ViewCounted(Message):
    """A view's rows were counted exactly and its checkpoints gathered."""

    def __init__(self, generation: int) -> None:
        super().__init__()
        self.generation = generation


class FilterChoicesRead(Message):
    """The roles and schools a filter can take were read."""

    def __init__(self, roles: list[str], schools: list[tuple[str, str]]) -> None:
        super().__init__()
        self.roles = roles
        self.schools = schools
