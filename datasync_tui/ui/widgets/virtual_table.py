"""A table over more rows than memory holds: it asks its pager only for the rows on screen."""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import ClassVar, Protocol

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.events import Click
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.worker import get_current_worker

from datasync_tui.viewmodels.explore import Row
from datasync_tui.viewmodels.explore.topics import Column

CACHE_MAX = 4000  # rows kept around the screen; farther ones are dropped
GAP = 1  # spaces between columns
WAIT = 0.015  # seconds the UI waits for the rows on screen before it draws placeholders


class RowSource(Protocol):
    """What the table reads rows from (a `datasync_tui.viewmodels.explore.Pager`)."""

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
        Binding("enter", "choose", "Open record", show=False, id="table-open"),
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
        # One reader thread per table (not a thread per read): a read no longer wanted when its
        # turn comes is skipped, so a burst of PageDowns reads only the last window.
        self._reader: ThreadPoolExecutor | None = None
        self._wanted = 0  # the latest read asked for; older ones are skipped
        self._wanted_lock = threading.Lock()
        self._styles: tuple[Style, Style, Style, Style] | None = None
        self._refetch = False  # a placeholder was drawn: read again after this frame

    # -- data ----------------------------------------------------------------------------------

    def load(
        self, source: RowSource, columns: tuple[Column, ...], first: list[Row] | None = None
    ) -> None:
        """Show another source from its first row (first: its first rows, already read)."""
        self.generation += 1
        self.source, self.columns = source, columns
        self.cache = dict(enumerate(first or ()))
        self._asked = None
        self.total = source.total
        width = sum(c.width + GAP for c in columns)
        self.virtual_size = Size(width, self.total + 1)
        self.scroll_to(0, 0, animate=False, immediate=True)
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
        """Ask for the missing rows of the screen and around it.

        The read runs on the table's reader thread; when rows on screen are missing the UI waits
        for it at most WAIT seconds (a page from an index takes about a millisecond), so the
        next frame shows the rows instead of placeholders. A slower read (a deep jump before the
        checkpoints are gathered) is delivered by a thread worker when it is done.
        """
        if self.source is None or not self.total:
            return
        page = self.page_rows
        lo, hi = max(0, self.top - page), min(self.total, self.top + 2 * page + 1)
        missing = [i for i in range(lo, hi) if i not in self.cache]
        if not missing:
            return
        visible = range(self.top, min(self.total, self.top + page))
        on_screen = any(i in visible for i in missing)
        if not on_screen and len(missing) < page // 2:
            return
        start, end = missing[0], missing[-1] + 1
        if self._asked == (self.generation, start, end):
            return
        self._asked = (self.generation, start, end)
        source, generation = self.source, self.generation
        future = self._read(source, start, end - start)
        if on_screen:
            try:
                rows = future.result(timeout=WAIT)
            except FutureTimeout:
                pass
            except Exception:  # the worker below reports it
                pass
            else:
                if rows is not None:
                    self._keep(start, rows)
                    return
        self.run_worker(
            lambda: self._deliver(future, generation, start),
            thread=True,
            group="table-fetch",
            exclusive=True,
            exit_on_error=False,
            name="Reading rows",
        )

    def _read(self, source: RowSource, start: int, count: int) -> Future[list[Row] | None]:
        """Queue a read on the table's reader thread (reads asked before it are skipped)."""
        if self._reader is None:
            self._reader = ThreadPoolExecutor(1, thread_name_prefix="virtual-table")
        with self._wanted_lock:
            self._wanted += 1
            ticket = self._wanted

        def read() -> list[Row] | None:
            if ticket != self._wanted:
                return None  # a newer read replaced this one before it started
            return source.rows(start, count)

        return self._reader.submit(read)

    def _deliver(self, future: Future[list[Row] | None], generation: int, start: int) -> None:
        """Wait for a slow read off the UI thread and post its rows."""
        rows = future.result()
        if rows is not None and not get_current_worker().is_cancelled:
            self.post_message(self.WindowFetched(generation, start, rows))

    def _keep(self, start: int, rows: list[Row]) -> None:
        """Put rows read for positions start onwards in the cache and draw them."""
        self._asked = None
        for i, row in enumerate(rows):
            self.cache[start + i] = row
        if len(self.cache) > CACHE_MAX:
            keep = range(self.top - CACHE_MAX // 4, self.top + CACHE_MAX // 4)
            self.cache = {i: r for i, r in self.cache.items() if i in keep}
        self.refresh()
        self.call_after_refresh(self.fetch_visible)  # the rows around the screen, after it

    def on_unmount(self) -> None:
        """Let the reader thread go."""
        if self._reader is not None:
            self._reader.shutdown(wait=False, cancel_futures=True)
            self._reader = None

    def on_virtual_table_window_fetched(self, message: VirtualTable.WindowFetched) -> None:
        """Keep the rows that arrived and draw them."""
        message.stop()
        if message.generation == self.generation:
            self._keep(message.start, message.rows)

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
            self._scroll(row)
        elif row >= self.top + self.page_rows:
            self._scroll(row - self.page_rows + 1)
        self.refresh()

    def _scroll(self, y: int) -> None:
        """Scroll now (not after the next frame), so that frame already shows the new rows."""
        self.scroll_to(y=y, animate=False, immediate=True)

    def notify_style_update(self) -> None:
        """The theme or a class changed: work the line styles out again."""
        self._styles = None
        super().notify_style_update()

    def _on_focus(self, event: object) -> None:
        self._styles = None
        super()._on_focus(event)  # type: ignore[arg-type]

    def _on_blur(self, event: object) -> None:
        self._styles = None
        super()._on_blur(event)  # type: ignore[arg-type]

    def _line_styles(self) -> tuple[Style, Style, Style, Style]:
        """(row, header, cursor, placeholder) styles, worked out once per style change."""
        if self._styles is None:
            base = self.rich_style
            self._styles = (
                base,
                base + self.get_component_rich_style("virtual-table--header"),
                self.get_component_rich_style("virtual-table--cursor"),
                base + self.get_component_rich_style("virtual-table--placeholder"),
            )
        return self._styles

    def _cells(self, values: tuple[str, ...]) -> str:
        """The cells of a row, each cut or padded to its column's width."""
        parts = []
        for column, value in zip(self.columns, values, strict=False):
            text = value.replace("\n", " ")
            if len(text) > column.width:
                text = text[: column.width - 1] + "…"
            parts.append(text.rjust(column.width) if column.numeric else text.ljust(column.width))
        return (" " * GAP).join(parts) + " " * GAP

    def render_lines(self, crop: Region) -> list[Strip]:
        """Draw the lines asked for; when a row was still missing, read again after the frame."""
        self._refetch = False
        lines = super().render_lines(crop)
        if self._refetch:
            self.call_later(self.fetch_visible)
        return lines

    def render_line(self, y: int) -> Strip:
        """The header on the first line, then the rows under the scroll position."""
        width = self.scrollable_content_region.width
        base, header, cursor, placeholder = self._line_styles()
        if y == 0:
            text = self._cells(tuple(c.label for c in self.columns))
            style = header
        else:
            position = self.top + y - 1
            if position >= self.total:
                return Strip.blank(width, base)
            row = self.cache.get(position)
            if row is None:
                self._refetch = True
                text = self._cells(("…",) + ("",) * (len(self.columns) - 1))
                style = placeholder
            else:
                text = self._cells(row.cells)
                style = base
            if position == self.cursor_row:
                style = style + cursor
        x = int(self.scroll_x)
        if text.isascii():  # one cell per character: cut and pad as a string
            return Strip([Segment(text[x : x + width].ljust(width), style)], width)
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
        target = self.cursor_row + step * page
        cursor = max(0, min(self.total - 1, target))
        top = max(0, self.top + step * page)
        if 0 <= offset < self.page_rows and 0 < target < self.total - 1:
            top = max(0, cursor - offset)
        self._scroll(min(top, max(0, self.total - self.page_rows)))
        self.cursor_row = cursor

    def action_edge(self, end: int) -> None:
        """The first row, or the last."""
        if not self.total:
            return
        self._scroll(max(0, self.total - self.page_rows) if end else 0)
        self.cursor_row = self.total - 1 if end else 0

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
