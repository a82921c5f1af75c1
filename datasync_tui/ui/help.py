"""The keys of the current page, listed in a modal (the `?` key)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label


class HelpScreen(ModalScreen[None]):
    """Every key the page below answers to, with what it does."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Close", id="help-close"),
        Binding("question_mark", "dismiss", "Close", key_display="?", id="help-close-q"),
        Binding("q", "dismiss", "Close", show=False, id="help-close-quit"),
    ]

    def __init__(self, page: str, keys: list[tuple[str, str]]) -> None:
        super().__init__()
        self.page = page
        self.keys = keys

    def compose(self) -> ComposeResult:
        """A title and a two-column table of keys."""
        with Vertical(id="help-box"):
            yield Label(f"Keys on the {self.page} page", id="help-title")
            table: DataTable[str] = DataTable(id="help-keys", cursor_type="row")
            table.add_columns("Key", "Does")
            for key, description in self.keys:
                table.add_row(key, description)
            yield table
            yield Label(
                "Esc or ? closes this list. Ctrl+P finds any action by name.", id="help-tip"
            )
