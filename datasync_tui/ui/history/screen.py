"""The History page: every sync, what each changed record by record, Rollback and Pause."""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Static
from textual.worker import get_current_worker

from datasync_tui.history import Change, RunSummary
from datasync_tui.store import sqlite
from datasync_tui.topics import SCREEN_LABELS
from datasync_tui.ui.history.actions import RollbackAndPause
from datasync_tui.ui.history.dialogs import ChoiceDialog
from datasync_tui.ui.history.messages import (
    ChangesCounted,
    ChangesOpened,
    HistoryLoaded,
    TargetFound,
)
from datasync_tui.ui.history.run_table import RunTable
from datasync_tui.ui.widgets.virtual_table import VirtualTable
from datasync_tui.viewmodels.dashboard import Facts
from datasync_tui.viewmodels.history.pager import ChangePager, fitted_columns
from datasync_tui.viewmodels.history.text import KIND_LABELS, LEGEND
from datasync_tui.viewmodels.history.view import (
    explore_target,
    kind_choices,
    load_overview,
    open_changes,
    topic_choices,
)
from datasync_tui.viewmodels.validations import plural

FIRST_ROWS = 121  # the first rows read with a pager: two screens of a 60-line terminal


class HistoryScreen(RollbackAndPause):
    """The syncs, newest first; a sync's changes below, narrowed by topic and kind."""

    PAGE = "History"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "topic", "Topic", tooltip="only one topic's changes", id="history-topic"),
        Binding(
            "k",
            "kind",
            "Kind",
            tooltip="only added, updated, removed or re-keyed records",
            id="history-kind",
        ),
        Binding(
            "b",
            "rollback",
            "Roll back…",
            tooltip="make the store what it was after the highlighted sync (asks first)",
            id="history-rollback",
        ),
        Binding(
            "p",
            "pause",
            "Pause/resume",
            tooltip="stop or restart the daemon's scheduled syncs (asks first)",
            id="history-pause",
        ),
        Binding(
            "m",
            "domains",
            "Email domains",
            show=False,
            tooltip="the users' email domains",
            id="history-domains",
        ),
        Binding("escape", "back", "Back to the syncs", show=False, id="history-back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.shown: RunSummary | None = None  # the sync whose changes are listed
        self.topic: str | None = None
        self.kind: str | None = None
        self.pager: ChangePager | None = None
        self.generation = 0
        self.back_to = ""  # the page Esc on the changes returns to (the dashboard's Review)
        self._focus_changes = False

    def compose_body(self) -> ComposeResult:
        """The summary, the syncs, the shown sync's title line and its changes."""
        with Vertical(id="history-body"):
            yield Static("Reading the history…", id="history-summary")
            yield RunTable(id="history-runs")
            yield Static(id="history-title")
            yield VirtualTable(id="history-changes")

    def on_mount(self) -> None:
        """Nothing to show yet; read now and after every new set of facts."""
        for selector in ("#history-runs", "#history-title", "#history-changes"):
            self.query_one(selector).display = False
        self.watch(self.ds, "facts", self._facts_changed)

    def _facts_changed(self, facts: Facts | None) -> None:
        """Read again when the store may have changed."""
        if facts is not None:
            self._load()

    @work(thread=True, group="history", exclusive=True, exit_on_error=False, name="History")
    def _load(self) -> None:
        """Read the syncs off the UI thread."""
        self.post_message(HistoryLoaded(load_overview(self.ctx.data_dir)))

    def show_run(self, run_id: int, back_to: str = "") -> None:
        """Show one sync's changes with the focus on them (the dashboard's Review)."""
        self.wanted, self.back_to, self._focus_changes = run_id, back_to, True
        self.topic = self.kind = None
        if self.overview is not None:
            self._load()

    # -- the syncs ---------------------------------------------------------------------------

    def on_history_loaded(self, message: HistoryLoaded) -> None:
        """List the syncs (when they changed); keep (or move to) the sync to show."""
        old = self.overview
        ov = self.overview = message.overview
        runs = self.query_one(RunTable)
        runs.display = bool(ov.runs)
        self._summary()
        if not ov.runs:
            self._show(None)
            return
        keep = self.wanted if ov.run(self.wanted) else (self.shown.id if self.shown else None)
        self.wanted = None
        if old is None or old.runs != ov.runs:
            runs.show(ov.runs, self.ctx.tz, keep)
        elif keep is not None and keep in runs.run_ids:
            runs.move_cursor(row=runs.run_ids.index(keep))
        self._show(ov.run(runs.highlighted_run))
        table = self.query_one(VirtualTable)
        if self._focus_changes and table.display:
            table.focus()
        elif not table.has_focus:
            runs.focus()
        self._focus_changes = False
        self.refresh_bindings()

    def _summary(self) -> None:
        """The first line: how many syncs, the legend, what to press; the pause in force."""
        ov = self.overview
        summary = self.query_one("#history-summary", Static)
        if ov is None:
            return
        if not ov.runs:
            summary.update(
                "No sync yet — press [b]r[/b] to run one; each sync's changes are listed here."
                if ov.connected
                else "No source connected yet — press [b]c[/b] to connect your SIS."
            )
            return
        parts: list[Content | str | tuple[str, str]] = [
            (f"{plural(len(ov.runs), 'sync')}, newest first", "bold"),
            f" · {LEGEND}",
        ]
        if ov.paused is not None:
            until = f"until {ov.paused.until} (inclusive)" if ov.paused.until else "until resumed"
            why = f" ({ov.paused.reason})" if ov.paused.reason else ""
            parts += ["\n", (f"Scheduled syncs PAUSED {until}{why} — p resumes", "$text-warning")]
        summary.update(Content.assemble(*parts))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """A sync was highlighted: list its changes (a highlight the list has moved past since,
        while it was filled again, is not followed)."""
        runs = self.query_one(RunTable)
        if self.overview is not None and event.cursor_row == runs.cursor_row:
            self._show(self.overview.run(runs.highlighted_run))
            self.refresh_bindings()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a sync: into its changes (or why there are none)."""
        if self.query_one(VirtualTable).display:
            self.query_one(VirtualTable).focus()
        elif self.shown is not None:
            self.notify(self._no_changes(self.shown), severity="warning")

    # -- a sync's changes --------------------------------------------------------------------

    def _show(self, run: RunSummary | None, *, again: bool = False) -> None:
        """List a sync's changes (read in a worker) unless they are listed already."""
        if run == self.shown and not again and self.pager is not None:
            return
        if run is None or self.shown is None or run.id != self.shown.id:
            self.topic = self.kind = None
        self.shown = run
        table = self.query_one(VirtualTable)
        title = self.query_one("#history-title", Static)
        title.display = run is not None
        table.display = run is not None and run.has_log
        self.generation += 1
        if run is None:
            return
        if not run.has_log:
            title.update(self._no_changes(run))
            return
        self._title()
        self._read(run.id, self.topic, self.kind, self.generation)

    def _no_changes(self, run: RunSummary) -> str:
        """Why a sync has no changes to list."""
        if run.pruned:
            return f"The changes of sync #{run.id} were pruned (only the last keep_syncs are kept)."
        if run.status == "running":
            return f"Sync #{run.id} is still running: its changes show when it ends."
        return f"Sync #{run.id} {run.status}: it changed nothing. {run.error or ''}".rstrip()

    @work(thread=True, group="history-changes", exclusive=True, exit_on_error=False, name="Changes")
    def _read(self, run_id: int, topic: str | None, kind: str | None, generation: int) -> None:
        """Open a pager over the changes and read the first rows."""
        pager = open_changes(self.ctx.data_dir, run_id, topic, kind)
        if pager is None:
            return
        first = pager.rows(0, FIRST_ROWS)
        if get_current_worker().is_cancelled or generation != self.generation:
            pager.close()
            return
        self.post_message(ChangesOpened(generation, pager, first))

    def on_changes_opened(self, message: ChangesOpened) -> None:
        """Show the rows; count them exactly in the background."""
        if message.generation != self.generation:
            message.pager.close()
            return
        if self.pager is not None:
            self.pager.close()
        self.pager = message.pager
        self.query_one(VirtualTable).load(self.pager, fitted_columns(message.first), message.first)
        self._title()
        self.call_after_refresh(self._count, self.pager, message.generation)

    @work(thread=True, group="history-count", exclusive=True, exit_on_error=False, name="Counting")
    def _count(self, pager: ChangePager, generation: int) -> None:
        """Gather the checkpoints (exact count, fast jumps) on a connection of its own."""
        worker = get_current_worker()
        conn = sqlite.reader(self.ctx.data_dir.database)
        try:
            done = pager.gather_checkpoints(conn, stop=lambda: worker.is_cancelled)
        finally:
            conn.close()
        if done and not worker.is_cancelled:
            self.post_message(ChangesCounted(generation))

    def on_changes_counted(self, message: ChangesCounted) -> None:
        """Take the exact count."""
        if message.generation == self.generation:
            self.query_one(VirtualTable).recount()
            self._title()

    def _title(self) -> None:
        """'Sync #3 · 13 changes · topic: every (t) · kind: every (k) · ⏎ opens a record'."""
        run = self.shown
        if run is None:
            return
        total = self.pager.total if self.pager is not None else run.count(self.topic, self.kind)
        head = f"Held sync #{run.id}: what Apply would change" if run.held else f"Sync #{run.id}"
        topic = SCREEN_LABELS.get(self.topic or "", "every")
        kind = KIND_LABELS.get(self.kind or "", "every")
        parts = [
            Content.styled(f"{head} · {plural(total, 'change')}", "bold"),
            Content(f"topic: {topic} (t) · kind: {kind} (k)"),
        ]
        if total:
            parts.append(Content.styled("⏎ opens a record", "dim"))
        self.query_one("#history-title", Static).update(Content(" · ").join(parts))

    def on_virtual_table_row_chosen(self, message: VirtualTable.RowChosen) -> None:
        """Enter on a change: find where Explore lists that record."""
        change = self.pager.change(message.row.rowid) if self.pager else None
        if change is not None and self.shown is not None:
            self._find(self.shown, change)

    @work(thread=True, group="history-explore", exclusive=True, exit_on_error=False)
    def _find(self, run: RunSummary, change: Change) -> None:
        """Look the record up off the UI thread."""
        self.post_message(TargetFound(explore_target(self.ctx.data_dir, run, change)))

    def on_target_found(self, message: TargetFound) -> None:
        """Open the record in Explore (Esc there comes back), or say why it is not there."""
        target = message.target
        if target.entry is None:
            self.notify(target.reason or "not in the store", title="Not in the store")
            return
        self.ds.explore(target.entry, target.sourced_id)

    # -- keys --------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Filters need a sync with changes; a rollback an applied sync to go back to (shown
        dimmed otherwise, so the keys stay where they are)."""
        run = self.shown
        if action in ("topic", "kind"):
            return True if run is not None and run.has_log else None
        if action == "rollback":
            ok = run is not None and run.status == "succeeded" and run.undone_by is None
            return True if ok and not self.busy else None
        if action == "pause":
            return self.overview is not None and self.overview.connected
        if action == "domains":
            return self.ds.has_data
        return True

    def action_topic(self) -> None:
        """Pick the topic to show (within the kind shown)."""
        if self.shown is not None:
            choices = topic_choices(self.shown, self.kind)
            dialog = ChoiceDialog(f"Sync #{self.shown.id}: which topic?", choices, self.topic)
            self.app.push_screen(dialog, lambda value: self._narrow("topic", value))

    def action_kind(self) -> None:
        """Pick the kind of change to show (within the topic shown)."""
        if self.shown is not None:
            choices = kind_choices(self.shown, self.topic)
            dialog = ChoiceDialog(f"Sync #{self.shown.id}: which changes?", choices, self.kind)
            self.app.push_screen(dialog, lambda value: self._narrow("kind", value))

    def _narrow(self, what: str, value: str | None) -> None:
        """Show only that topic or kind ('' every one; None: as it was)."""
        if value is None or self.shown is None:
            return
        setattr(self, what, value or None)
        if self.shown.count(self.topic, self.kind) == 0:  # none of that kind in that topic
            setattr(self, "kind" if what == "topic" else "topic", None)
        self._show(self.shown, again=True)
        self.query_one(VirtualTable).focus()

    def action_rollback(self) -> None:
        """Roll back to the highlighted sync, after saying what it undoes."""
        if self.shown is not None:
            self.start_rollback(self.shown.id)

    def action_pause(self) -> None:
        """Pause or resume scheduled syncs, after saying what it does."""
        self.start_pause()

    def action_domains(self) -> None:
        """The users' email domains."""
        self.ds.show_domains()

    def action_back(self) -> None:
        """Esc: from the changes back to the syncs (or to the page the Review came from)."""
        if self.back_to:
            back, self.back_to = self.back_to, ""
            self.ds.show_page(back)
            return
        self.query_one(RunTable).focus()
