"""The syncs, newest first, one row each: when, how it ended, what it changed, who started it."""

from __future__ import annotations

from datetime import tzinfo
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import DataTable

from datasync_tui.clock import parse_iso
from datasync_tui.history import RunSummary
from datasync_tui.topics import SCREEN_LABELS
from datasync_tui.viewmodels.format import local_time
from datasync_tui.viewmodels.history.text import figures_text

COLUMNS = ("Sync", "Started", "Status", "Changes", "Issues", "By", "Note")
CHANGES_WIDTH = 44


def status_cell(run: RunSummary) -> str:
    """The status, or what became of the sync: rolled back to #2, undone by #5, discarded."""
    if run.rollback_to is not None:
        return f"rolled back to #{run.rollback_to}"
    if run.undone_by is not None:
        return f"undone by #{run.undone_by}"
    if run.status == "held" and not run.held:
        return "discarded" if "discarded" in (run.error or "") else "held, not applied"
    return run.status


def cut(text: str, width: int) -> str:
    """text, ending in … when longer than width."""
    return text if len(text) <= width else text[: width - 1] + "…"


def run_cells(run: RunSummary, tz: tzinfo | None) -> tuple[str, ...]:
    """A sync's cells: number, local start, status, figures, open issues, who, note."""
    started = parse_iso(run.started_at)
    figures = (
        "—" if run.status in ("failed", "running") else figures_text(run.changes, SCREEN_LABELS)
    )
    note = "changes pruned" if run.pruned else ""
    if run.status in ("failed", "held") and run.error:
        note = run.error.removeprefix("held: ")
    return (
        f"#{run.id}",
        local_time(started, tz) if started else run.started_at,
        status_cell(run),
        cut(figures, CHANGES_WIDTH),
        "" if run.issues is None else f"{run.issues:,}",
        run.started_by or "",
        cut(note, 60),
    )


class RunTable(DataTable[str]):
    """The syncs; Enter shows the highlighted one's changes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Show its changes", show=False, id="history-open-run"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.run_ids: list[int] = []

    def on_mount(self) -> None:
        """The columns, once."""
        self.add_columns(*COLUMNS)

    def show(self, runs: list[RunSummary], tz: tzinfo | None, keep: int | None) -> None:
        """List the syncs, the cursor on sync `keep` when it is listed (else the newest)."""
        self.clear()
        self.run_ids = [r.id for r in runs]
        for r in runs:
            self.add_row(*run_cells(r, tz), key=str(r.id))
        if keep in self.run_ids:
            self.move_cursor(row=self.run_ids.index(keep))

    @property
    def highlighted_run(self) -> int | None:
        """The sync under the cursor."""
        row = self.cursor_row
        return self.run_ids[row] if 0 <= row < len(self.run_ids) else None
