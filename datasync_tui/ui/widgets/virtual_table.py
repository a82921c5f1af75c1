"""A table over more rows than memory holds: it asks its pager only for the rows on screen."""

from __future__ import annotations

from typing import ClassVar, Protocol

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.events import Click
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.worker import get_current_worker

from datasync_tui.browse import Row
from datasync_tui.browse.topics import Column

CACHE_MAX = 4000  # rows kept around the screen; farther ones are dropped
GAP = 1  # spaces between columns


class RowSource(Protocol):
    """What the table reads rows from (a `datasync_tui.browse.Pager`)."""

    total: int

    def rows(self, start: int, count: int) -> list[Row]:
        """The rows at start .. start+count-1 (blocking: called in a thread worker)."""
        ...


class VirtualTable(ScrollView, can_focus=True):
    """Rows drawn from a cache filled in a thread worker; placeholders until they arrive."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "virtual-table--header",
        "virtual-table--cursor",
        "virtual-table--placeholder",
    }
    DEFAULT_CSS = """
    VirtualTable { background: $surface; }
    VirtualTable > .virtual-table--header { text-style: bold; color: $text-accent; }
    VirtualTable > .virtual-table--cursor { background: $block-cursor-blurred-background; }
    VirtualTable:focus > .virtual-table--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground;
    }
    VirtualTable > .virtual-table--placeholder { color: $text-disabled; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "choose", "Open record", id="table-open"),
        Binding("up", "move(-1)", "Row up", show=False, id="table-up"),
        Binding("down", "move(1)", "Row down", show=False, id="table-down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="table-pageup"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="table-pagedown"),
        Binding("home", "edge(0)", "First row", show=False, id="table-home"),
        Binding("end", "edge(1)", "Last row", show=False, id="table-end"),
        Binding("left", "scroll_left", "Columns left", show=False, id="table-left"),
        Binding("right", "scroll_right", "Columns right", show=False, id="table-right"),
    ]

    cursor_row: reactive[int] = reactive(0, always_update=True)

    class RowChosen(Message):
        """Enter (or a click on the chosen row) asked for a row's record."""

        def __init__(self, row: Row) -> None:
            super().__init__()
            self.row = row

    class WindowFetched(Message):
        """Rows arrived from the pager for positions start onwards."""

        def __init__(self, generation: int, start: int, rows: list[Row]) -> None:
            super().__init__()
            self.generation = generation
            self.start = start
            self.rows = rows

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.source: RowSource | None = None
        self.columns: tuple[Column, ...] = ()
        self.total = 0
        self.cache: dict[int, Row] = {}
        self.generation = 0
        self._asked: tuple[int, int, int] | None = None  # (generation, start, end) in flight

    # -- data ----------------------------------------------------------------------------------

    def load(self, source: RowSource, columns: tuple[Column, ...]) -> None:
        """Show another source from its first row."""
        self.generation += 1
        self.source, self.columns, self.cache = source, columns, {}
        self._asked = None
        self.total = source.total
        width = sum(c.width + GAP for c in columns)
        self.virtual_size = Size(width, self.total + 1)
        self.scroll_to(0, 0, animate=False)
        self.cursor_row = 0
        self.refresh()
        self.fetch_visible()

    def recount(self) -> None:
        """The source counted its rows again (exactly): take the new total."""
        if self.source is None:
            return
        if self.source.total != self.total:
            self.total = self.source.total
            self.cache.clear()
            self.virtual_size = Size(self.virtual_size.width, self.total + 1)
            self.cursor_row = min(self.cursor_row, max(0, self.total - 1))
        self.refresh()
        self.fetch_visible()

    @property
    def page_rows(self) -> int:
        """Rows that fit under the header."""
        return max(1, self.scrollable_content_region.height - 1)

    @property
    def top(self) -> int:
        """The position of the first row on screen."""
        return int(self.scroll_y)

    def visible_loaded(self) -> bool:
        """True when every row on screen has arrived."""
        end = min(self.total, self.top + self.page_rows)
        return all(i in self.cache for i in range(self.top, end))

    def fetch_visible(self) -> None:
        """Ask for the missing rows of the screen and the next one (in a thread worker)."""
        if self.source is None or not self.total:
            return
        page = self.page_rows
        lo, hi = max(0, self.top - page), min(self.total, self.top + 2 * page + 1)
        missing = [i for i in range(lo, hi) if i not in self.cache]
        if not missing:
            return
        visible = range(self.top, min(self.total, self.top + page))
        if not any(i in visible for i in missing) and len(missing) < page // 2:
            return
        start, end = missing[0], missing[-1] + 1
        if self._asked == (self.generation, start, end):
            return
        self._asked = (self.generation, start, end)
        source, generation = self.source, self.generation
        self.run_worker(
            lambda: self._fetch(source, generation, start, end - start),
            thread=True,
            group="table-fetch",
            exclusive=True,
            exit_on_error=False,
            name="Reading rows",
        )

    def _fetch(self, source: RowSource, generation: int, start: int, count: int) -> None:
        """Read rows off the UI thread and post them."""
        rows = source.rows(start, count)
        if not get_current_worker().is_cancelled:
            self.post_message(self.WindowFetched(generation, start, rows))

    def on_virtual_table_window_fetched(self, message: VirtualTable.WindowFetched) -> None:
        """Keep the rows that arrived and draw them."""
        message.stop()
        if message.generation != self.generation:
            return
        self._asked = None
        for i, row in enumerate(message.rows):
            self.cache[message.start + i] = row
        if len(self.cache) > CACHE_MAX:
            keep = range(self.top - CACHE_MAX // 4, self.top + CACHE_MAX // 4)
            self.cache = {i: r for i, r in self.cache.items() if i in keep}
        self.refresh()
        self.fetch_visible()

    def current_row(self) -> Row | None:
        """The row under the cursor, when it has arrived."""
        return self.cache.get(self.cursor_row)

    # -- drawing -------------------------------------------------------------------------------

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        """Scrolled (keys, wheel or scrollbar drag): fetch what came into view."""
        super().watch_scroll_y(old_value, new_value)
        self.fetch_visible()

    def watch_cursor_row(self, row: int) -> None:
        """Keep the cursor on screen."""
        if row < self.top:
            self.scroll_to(y=row, animate=False)
        elif row >= self.top + self.page_rows:
            self.scroll_to(y=row - self.page_rows + 1, animate=False)
        self.refresh()

    def _cells(self, values: tuple[str, ...]) -> str:
        """The cells of a row, each cut or padded to its column's width."""
        parts = []
        for column, value in zip(self.columns, values, strict=False):
            text = value.replace("\n", " ")
            if len(text) > column.width:
                text = text[: column.width - 1] + "…"
            parts.append(text.rjust(column.width) if column.numeric else text.ljust(column.width))
        return (" " * GAP).join(parts) + " " * GAP

    def render_line(self, y: int) -> Strip:
        """The header on the first line, then the rows under the scroll position."""
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:
            text = self._cells(tuple(c.label for c in self.columns))
            style = base + self.get_component_rich_style("virtual-table--header")
        else:
            position = self.top + y - 1
            if position >= self.total:
                return Strip.blank(width, base)
            row = self.cache.get(position)
            if row is None:
                self.call_later(self.fetch_visible)
                text = self._cells(("…",) + ("",) * (len(self.columns) - 1))
                style = base + self.get_component_rich_style("virtual-table--placeholder")
            else:
                text = self._cells(row.cells)
                style = base
            if position == self.cursor_row:
                style = style + self.get_component_rich_style("virtual-table--cursor")
        x = int(self.scroll_x)
        return Strip([Segment(text, style)]).crop(x, x + width).extend_cell_length(width, style)

    # -- keys ----------------------------------------------------------------------------------

    def action_move(self, step: int) -> None:
        """One row up or down."""
        if self.total:
            self.cursor_row = max(0, min(self.total - 1, self.cursor_row + step))

    def action_page(self, step: int) -> None:
        """A screenful up or down (the cursor keeps its place on screen)."""
        if not self.total:
            return
        page = max(1, self.page_rows - 1)
        offset = self.cursor_row - self.top
        self.scroll_to(y=max(0, self.top + step * page), animate=False)
        target = self.cursor_row + step * page
        self.cursor_row = max(0, min(self.total - 1, target))
        if 0 <= offset < self.page_rows and 0 < target < self.total - 1:
            self.scroll_to(y=max(0, self.cursor_row - offset), animate=False)

    def action_edge(self, end: int) -> None:
        """The first row, or the last."""
        if not self.total:
            return
        self.cursor_row = self.total - 1 if end else 0
        self.scroll_to(y=self.max_scroll_y if end else 0, animate=False)

    def action_choose(self) -> None:
        """Open the record under the cursor."""
        row = self.current_row()
        if row is not None:
            self.post_message(self.RowChosen(row))

    def on_click(self, event: Click) -> None:
        """A click puts the cursor on a row; a click on the cursor's row opens it."""
        if event.y < 1 or not self.total:
            return
        position = self.top + event.y - 1
        if position >= self.total:
            return
        if position == self.cursor_row:
            self.action_choose()
        else:
            self.cursor_row = position

    def _placeholder_style(self) -> Style:
        """The dim style of rows still on their way."""
        return self.get_component_rich_style("virtual-table--placeholder")
