"""The Explore page: every record of a topic in a virtual table, with search, filters and export."""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from datasync_tui.store import sqlite
from datasync_tui.ui.explore.messages import ViewCounted, ViewOpened
from datasync_tui.ui.explore.record import RecordScreen
from datasync_tui.ui.explore.tools import ExploreTools
from datasync_tui.ui.widgets.virtual_table import VirtualTable
from datasync_tui.viewmodels.dashboard import Facts
from datasync_tui.viewmodels.explore import (
    ENTRIES,
    Filters,
    Pager,
    Row,
    View,
    open_view,
    reader,
)
from datasync_tui.viewmodels.explore.topics import entry
from datasync_tui.viewmodels.validations import plural

FIRST_ROWS = 121  # rows read with a view's pager: two screens of a 60-line terminal
LETTERS = {"sort", "reverse", "filter", "domains", "export", "topics", "search"}
NEEDS_VIEW = LETTERS - {"domains"}


class ExploreScreen(ExploreTools):
    """Pick a topic; page through its records, search, filter, open one, export the view."""

    PAGE = "Explore"
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (100, "-wide")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", "Search", key_display="/", id="explore-search"),
        Binding("f", "filter", "Filter", id="explore-filter"),
        Binding("s", "sort", "Sort", id="explore-sort"),
        Binding("S", "reverse", "Reverse sort", show=False, id="explore-reverse"),
        Binding(
            "m",
            "domains",
            "Email domains",
            tooltip="the users' email domains",
            id="explore-domains",
        ),
        Binding(
            "x",
            "export",
            "Export rows",
            tooltip="the rows shown, to a CSV file",
            id="explore-export",
        ),
        Binding("t", "topics", "Topics", show=False, id="explore-topics-focus"),
        Binding("tab", "app.focus_next", "Topics ⇄ table", show=False, id="explore-tab"),
        Binding("escape", "clear", "Clear search and filters", show=False, id="explore-clear"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.entry = ENTRIES[0]
        self.view: View | None = None
        self.pager: Pager | None = None
        self.generation = 0
        self._opening: sqlite.Connection | None = None
        self._school_names: dict[str, str] = {}
        self._record_wanted: str | None = None  # a sourcedId to find once the topics are listed
        self._back_to = ""  # the page a record opened from another page returns to
        self._reads = ThreadPoolExecutor(2, thread_name_prefix="explore-open")

    def compose_body(self) -> ComposeResult:
        """The topic picker beside the search, the status line and the table."""
        with Horizontal(id="explore-body"):
            yield OptionList(id="explore-topics")
            with Vertical(id="explore-main"):
                yield Input(
                    placeholder="Search name, email, username, sourcedId, identifier (starts with)",
                    select_on_focus=False,
                    id="explore-search-input",
                )
                yield Static(id="explore-detail")
                yield VirtualTable(id="explore-table")

    def on_mount(self) -> None:
        """Follow the facts and the topic asked for from the dashboard."""
        self.query_one("#explore-search-input").display = False
        self.watch(self.ds, "facts", self.show)
        self.watch(self.ds, "explore_topic", self._topic_changed)

    def on_screen_resume(self) -> None:
        """Opening the page puts the focus on the table (End, PageDown and Enter work at once)."""
        table = self.query_one(VirtualTable)
        if table.display and not isinstance(self.focused, Input):
            table.focus()

    # -- topics ----------------------------------------------------------------------------

    def show(self, facts: Facts | None) -> None:
        """List the topics; open the chosen one the first time data is there."""
        if facts is None:
            return
        topics = self.query_one("#explore-topics", OptionList)
        if facts.connection is None or facts.status["last_success_at"] is None:
            topics.display = False
            self.query_one(VirtualTable).display = False
            self._status(
                "No source connected yet — press [b]c[/b] to connect your SIS."
                if facts.connection is None
                else "No data yet — press [b]r[/b] to run the first sync."
            )
            return
        topics.display = True
        self.query_one(VirtualTable).display = True
        if not topics.option_count:
            topics.set_options(Option(e.label, id=e.id) for e in ENTRIES)
            self._topic_changed(self.ds.explore_topic)
        elif self.view is not None:
            self._open(self.view)  # new data: read the same view again

    def open_topic(self, topic: str, sourced_id: str | None = None, back_to: str = "") -> None:
        """Open a topic; with sourced_id, narrowed to that record with its detail open.

        The hook for other pages (Validations: Enter on an issue's record); Esc on that record
        goes back to the page back_to names.
        """
        self._record_wanted = sourced_id or None
        self._back_to = back_to
        self._topic_changed(topic)

    def _topic_changed(self, topic: str | None) -> None:
        """Open the entry the dashboard (or the picker) asked for."""
        topics = self.query_one("#explore-topics", OptionList)
        if not topics.option_count:
            return
        chosen = entry(topic)
        topics.highlighted = topics.get_option_index(chosen.id)
        wanted, self._record_wanted = self._record_wanted, None
        if wanted:
            self.entry = chosen
            self._find_record(wanted)
        elif chosen != self.entry or self.view is None:
            self.entry = chosen
            self._open(chosen.view())

    def _find_record(self, sourced_id: str) -> None:
        """Search the topic for the sourcedId (the table lists it) and open its record."""
        view = self.entry.view().with_(search=sourced_id)
        field = self.query_one("#explore-search-input", Input)
        field.value = sourced_id
        field.display = True
        self._open(view)
        self.query_one(VirtualTable).focus()
        back_to, self._back_to = self._back_to, ""
        self.app.call_after_refresh(self._open_record, view.topic, sourced_id, back_to)

    def _open_record(self, topic: str, sourced_id: str, back_to: str) -> None:
        """Open one record's detail above the page (once the page is the one shown)."""

        def closed(_: None) -> None:
            if back_to:
                self.ds.show_page(back_to)

        record = RecordScreen(self.ctx.data_dir, topic, sourced_id=sourced_id)
        self.app.push_screen(record, closed)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Moving in the topic list switches the topic (the table follows)."""
        if event.option.id is not None and self.query_one("#explore-topics").has_focus:
            self.ds.explore_topic = event.option.id

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on a topic: open it and move to its table."""
        self.ds.explore_topic = event.option.id
        self.query_one(VirtualTable).focus()

    # -- opening a view ----------------------------------------------------------------------

    def _open(self, view: View) -> None:
        """Read view in a worker; a newer view cancels (interrupts) the one on its way."""
        self.view = view
        self.generation += 1
        if self._opening is not None:
            self._opening.interrupt()
        self._status(f"{self.entry.label}: reading…")
        table = self.query_one(VirtualTable)
        first = max(FIRST_ROWS, 2 * table.page_rows + 1) if table.size.height else FIRST_ROWS
        # The read starts now, on a thread of its own, while the page is still being laid out;
        # the worker only waits for it (so tests and `settle` see it running).
        future = self._reads.submit(self._read_view, view, self.generation, first)
        self._load(future, self.generation)

    def _read_view(self, view: View, generation: int, first: int) -> tuple[Pager, list[Row]] | None:
        """Open a pager (matches gathered for a search or filter) and read its first rows."""
        conn = reader(self.ctx.data_dir.database)
        self._opening = conn
        try:
            pager = open_view(conn, view)
            rows = pager.rows(0, first)
        except sqlite.OperationalError:
            conn.close()
            if generation != self.generation:
                return None  # interrupted by a newer search
            raise
        finally:
            if self._opening is conn:
                self._opening = None
        return pager, rows

    @work(thread=True, group="explore-open", exclusive=True, exit_on_error=False, name="Explore")
    def _load(self, future: Future[tuple[Pager, list[Row]] | None], generation: int) -> None:
        """Wait for the view's pager and first rows off the UI thread, then hand them over."""
        opened = future.result()
        if opened is None:
            return
        pager, rows = opened
        if get_current_worker().is_cancelled or generation != self.generation:
            pager.close()
            return
        self.post_message(ViewOpened(generation, pager, rows))

    def on_view_opened(self, message: ViewOpened) -> None:
        """Show the new pager's rows; count it exactly in the background when it is keyset-paged."""
        if message.generation != self.generation:
            message.pager.close()
            return
        if self.pager is not None:
            self.pager.close()
        self.pager = message.pager
        self.query_one(VirtualTable).load(self.pager, self.pager.spec.columns, message.first)
        self._status_line()
        if not self.pager.materialized:  # after the first rows are drawn, not competing with them
            self.call_after_refresh(self._count_current, message.generation)

    def _count_current(self, generation: int) -> None:
        """Start counting the view, unless a newer one replaced it meanwhile."""
        if generation == self.generation and self.pager is not None:
            self._count(self.pager, generation)

    @work(thread=True, group="explore-count", exclusive=True, exit_on_error=False, name="Counting")
    def _count(self, pager: Pager, generation: int) -> None:
        """Gather the checkpoints (exact count, fast jumps) on a connection of its own."""
        worker = get_current_worker()
        conn = reader(self.ctx.data_dir.database)
        try:
            done = pager.gather_checkpoints(conn, stop=lambda: worker.is_cancelled)
        finally:
            conn.close()
        if done and not worker.is_cancelled:
            self.post_message(ViewCounted(generation))

    def on_view_counted(self, message: ViewCounted) -> None:
        """Take the exact count."""
        if message.generation == self.generation:
            self.query_one(VirtualTable).recount()
            self._status_line()

    # -- status ------------------------------------------------------------------------------

    def _status(self, markup: str) -> None:
        """Replace the status line."""
        self.query_one("#explore-detail", Static).update(Content.from_markup(markup))

    def _status_line(self) -> None:
        """'Teachers: 6,200 records · sorted by name ↑ · role teacher' and what narrows it."""
        pager, view = self.pager, self.view
        if pager is None or view is None:
            return
        records = plural(pager.total, "record")
        count = records if pager.exact else f"over {records} (counting…)"
        parts = [Content.assemble((f"{self.entry.label}: {count}", "bold"))]
        if view.search.strip():
            parts.append(Content(f'matching "{view.search.strip()}"'))
        own = Filters(role=self.entry.role)
        if view.filters != own:
            names = self._school_names.get(view.filters.school or "")
            parts.append(Content(view.filters.describe(names)))
        arrow = "↓" if view.descending else "↑"
        parts.append(Content.styled(f"sorted by {pager.sort.label} {arrow}", "dim"))
        if pager.total:
            parts.append(Content.styled("⏎ opens a record", "dim"))
        self.query_one("#explore-detail", Static).update(Content(" · ").join(parts))

    # -- keys --------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Letter keys give way to typing; the rest need a view (the domains need data)."""
        if action in LETTERS and isinstance(self.focused, Input):
            return False
        if action in NEEDS_VIEW | {"clear"} and self.view is None:
            return False
        if action == "domains":
            return self.ds.has_data
        if action == "filter":
            return self.view is not None and bool(self.view.spec.filters)
        return True

    def action_search(self) -> None:
        """Show the search field and type in it."""
        field = self.query_one("#explore-search-input", Input)
        field.display = True
        field.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        """Every keystroke searches again (the search before it is interrupted)."""
        view = self.view
        if event.input.id == "explore-search-input" and view and event.value != view.search:
            self._open(view.with_(search=event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter leaves the search for the table."""
        if event.input.id == "explore-search-input":
            self.query_one(VirtualTable).focus()

    def action_clear(self) -> None:
        """Esc: clear the search and filters (back to the topic's own view)."""
        field = self.query_one("#explore-search-input", Input)
        if self.view is None:
            return
        narrowed = self.view.search or self.view.filters != Filters(role=self.entry.role)
        field.value = ""
        field.display = False
        self.query_one(VirtualTable).focus()
        if narrowed:
            self._open(self.view.with_(search="", filters=Filters(role=self.entry.role)))

    def action_sort(self) -> None:
        """Next sortable column (each backed by an index)."""
        if self.view is None:
            return
        sorts = self.view.spec.sorts
        current = self.view.spec.sort(self.view.sort)
        following = sorts[(sorts.index(current) + 1) % len(sorts)]
        self._open(self.view.with_(sort=following.id))
        self.notify(
            f"Sorted by {following.label} (sortable: {', '.join(s.label for s in sorts)})",
            timeout=3,
        )

    def action_reverse(self) -> None:
        """Reverse the sort order."""
        if self.view is not None:
            self._open(self.view.with_(descending=not self.view.descending))

    def action_topics(self) -> None:
        """Move to the topic picker."""
        self.query_one("#explore-topics", OptionList).focus()

    def on_virtual_table_row_chosen(self, message: VirtualTable.RowChosen) -> None:
        """Open the record under the cursor."""
        if self.view is not None:
            self.app.push_screen(
                RecordScreen(self.ctx.data_dir, self.view.topic, rowid=message.row.rowid)
            )
