"""The Validations page: what the last sync found; the rule checks arrive in a later release."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from datasync_tui.ui import jobs
from datasync_tui.ui.base import PageScreen
from datasync_tui.ui.messages import FindingsLoaded
from datasync_tui.views import Facts


class ValidationsScreen(PageScreen):
    """Findings of the last applied sync (duplicate sourcedIds), with a clear empty state."""

    PAGE = "Validations"

    def compose_body(self) -> ComposeResult:
        """A line of summary and the table of findings."""
        with Vertical(id="validations-body"):
            yield Static("Reading the last sync's findings…", id="validations-summary")
            table: DataTable[str] = DataTable(id="validations-table", cursor_type="row")
            table.add_columns("Rule", "Topic", "sourcedId", "Message")
            yield table

    def on_mount(self) -> None:
        """Read the findings now and after every new set of facts."""
        self.query_one(DataTable).display = False
        self.watch(self.ds, "facts", self._facts_changed)

    def _facts_changed(self, facts: Facts | None) -> None:
        """Re-read when the store changed."""
        if facts is not None:
            self._load()

    @work(thread=True, group="findings", exclusive=True, exit_on_error=False)
    def _load(self) -> None:
        """Read the findings off the UI thread."""
        run_id, found = jobs.findings(self.ctx)
        self.post_message(FindingsLoaded(run_id, found))

    def on_findings_loaded(self, message: FindingsLoaded) -> None:
        """Show the findings, or say there are none."""
        summary = self.query_one("#validations-summary", Static)
        table = self.query_one(DataTable)
        table.clear()
        facts = self.facts
        if facts is not None and facts.connection is None:
            summary.update("No source connected yet — press [b]c[/b] to connect your SIS.")
        elif message.run_id is None:
            summary.update("No data yet — press [b]r[/b] to run a sync; its findings show here.")
        elif not message.findings:
            summary.update(
                f"Sync #{message.run_id} found nothing to report. "
                "The validation rules (emails, classes, enrollments) arrive in a later release."
            )
        else:
            summary.update(
                f"Sync #{message.run_id} found {len(message.findings):,} rows it could not keep "
                "(the first of each sourcedId is kept). Fix them in the SIS."
            )
            for f in message.findings:
                table.add_row(f.rule, f.topic, f.sourced_id, f.message)
        table.display = bool(message.findings)
