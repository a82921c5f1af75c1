"""The dashboard's notes: a pause, an adds-only window, a failing alert channel, the rollover."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.content import Content
from textual.widgets import Static

from datasync_tui.paths import DataDir
from datasync_tui.rollover import RolloverPreview
from datasync_tui.viewmodels.notes import load_rollover, notes

STYLES = {
    "demo": "$text-accent",
    "paused": "bold $warning",
    "window": "$warning",
    "alert": "$error",
    "rollover": "",
}


class NotesPanel(Static):
    """Shown only when there is something to say; the rollover is read in a thread."""

    def __init__(self, *, lead: str = "", id: str | None = None) -> None:
        super().__init__(id=id)
        self.lead = lead  # a note always shown first (the demo's)
        self.status: dict[str, Any] = {}
        self.rollover: RolloverPreview | None = None

    def on_mount(self) -> None:
        """Hidden until there is a note."""
        self.display = bool(self.lead)
        if self.lead:
            self._redraw()

    def show(self, status: dict[str, Any], data_dir: DataDir, today: str) -> None:
        """Redraw from the status now, and again once the rollover preview is read."""
        self.status = status
        self._redraw()
        self._read_rollover(data_dir, today)

    @work(thread=True, group="rollover", exclusive=True, exit_on_error=False)
    def _read_rollover(self, data_dir: DataDir, today: str) -> None:
        """Compute the rollover preview off the UI thread."""
        found = load_rollover(data_dir, today)
        self.app.call_from_thread(self._got_rollover, found)

    def _got_rollover(self, found: RolloverPreview | None) -> None:
        """Keep the preview and redraw."""
        self.rollover = found
        self._redraw()

    def _redraw(self) -> None:
        """One line per note, styled by kind."""
        found = notes(self.status, self.rollover)
        if self.lead:
            found = [("demo", self.lead), *found]
        self.display = bool(found)
        parts: list[str | tuple[str, str]] = []
        for kind, text in found:
            parts += [(text, STYLES[kind]) if STYLES[kind] else text, "\n"]
        self.update(Content.assemble(*parts).rstrip())
