"""The header line: which source is connected and when it last synced."""

from __future__ import annotations

from textual.app import RenderResult
from textual.content import Content
from textual.widgets import Static

from datasync_tui.clock import parse_iso
from datasync_tui.viewmodels.dashboard import Facts, source_label
from datasync_tui.viewmodels.format import ago, local_time


class HeaderLine(Static):
    """One line at the top of every page: app, page, source and last sync."""

    def __init__(self, page: str) -> None:
        super().__init__(id="header-line")
        self.page = page
        self.facts: Facts | None = None

    def on_mount(self) -> None:
        """Follow the app's facts."""
        self.watch(self.app, "facts", self._facts_changed)

    def _facts_changed(self, facts: Facts | None) -> None:
        """Redraw with new facts."""
        self.facts = facts
        self.refresh()

    def render(self) -> RenderResult:
        """'DataSync · Dashboard │ Last sync 3 hours ago (…) │ source' (the end may be cut)."""
        head = Content.from_markup("[b]DataSync[/b] · $page", page=self.page)
        if self.facts is None:
            return head
        ctx = self.app.ctx  # type: ignore[attr-defined]
        last = parse_iso(self.facts.status["last_success_at"])
        synced = f"{ago(last, ctx.clock())} ({local_time(last, ctx.tz)})" if last else "never"
        return Content.assemble(
            head,
            " │ ",
            ("Last sync ", "dim"),
            synced,
            " │ ",
            source_label(self.facts.connection),
        )
