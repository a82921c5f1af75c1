"""A dashboard tile: a topic's count, its trend and its last change; Enter explores it."""

from __future__ import annotations

from typing import ClassVar

from textual.app import RenderResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.widget import Widget

from datasync_tui.viewmodels.dashboard import Tile, change_text
from datasync_tui.viewmodels.validations import sparkline


class TopicTile(Widget, can_focus=True):
    """One tile of the dashboard grid."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Explore topic", show=False, id="tile-open"),
        Binding("left", "screen.move(-1)", "Previous tile", show=False, id="tile-left"),
        Binding("right", "screen.move(1)", "Next tile", show=False, id="tile-right"),
        Binding("up", "screen.move(-3)", "Tile above", show=False, id="tile-up"),
        Binding("down", "screen.move(3)", "Tile below", show=False, id="tile-down"),
    ]

    class Opened(Message):
        """The admin asked to explore this tile's topic."""

        def __init__(self, tile: Tile) -> None:
            super().__init__()
            self.tile = tile

    def __init__(self, tile: Tile) -> None:
        super().__init__(id=f"tile-{tile.id}", classes="tile")
        self.tile = tile
        self.border_title = tile.label

    def show(self, tile: Tile) -> None:
        """Show new figures."""
        self.tile = tile
        self.refresh()

    def render(self) -> RenderResult:
        """The count with its trend on the right, then the change at the last sync."""
        change = change_text(self.tile) or "no sync yet"
        count = f"{self.tile.count:,}"
        trend = self.tile.trend
        room = self.content_region.width - len(count) - 2
        spark = sparkline(trend[-room:]) if len(trend) > 1 and room > 1 else ""
        gap = " " * max(1, self.content_region.width - len(count) - len(spark))
        return Content.assemble(
            (count, "bold"), gap, (spark, "$text-accent"), "\n", (change, "$text-muted")
        )

    def action_open(self) -> None:
        """Ask the screen to open Explore on this topic."""
        self.post_message(self.Opened(self.tile))

    def on_click(self) -> None:
        """A click opens it too."""
        self.action_open()
