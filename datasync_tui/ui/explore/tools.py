"""Explore's filter form, email domains and export: the parts of the page that open dialogs."""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.widgets import OptionList

from datasync_tui.ui.base import PageScreen
from datasync_tui.ui.explore.filters import FilterScreen
from datasync_tui.ui.explore.messages import FilterChoicesRead
from datasync_tui.ui.validations.dialogs import ExportDialog
from datasync_tui.ui.widgets.virtual_table import VirtualTable
from datasync_tui.viewmodels.explore import (
    ENTRIES,
    Entry,
    Filters,
    Pager,
    View,
    export_view,
    filter_choices,
    reader,
)
from datasync_tui.viewmodels.explore.export import default_export_name
from datasync_tui.viewmodels.explore.topics import entry
from datasync_tui.viewmodels.format import display_path
from datasync_tui.viewmodels.validations import plural


class ExploreTools(PageScreen):
    """The filters, the email-domain drill-down and the export of the Explore page."""

    view: View | None = None
    pager: Pager | None = None
    entry: Entry = ENTRIES[0]
    _school_names: dict[str, str]

    def _open(self, view: View) -> None:
        """Read view into the table (the page does it)."""
        raise NotImplementedError

    def action_filter(self) -> None:
        """Read the roles and schools, then open the filter form."""
        self._filter_choices()

    @work(thread=True, group="explore-choices", exclusive=True, exit_on_error=False)
    def _filter_choices(self) -> None:
        """The stored roles and the schools (small reads) off the UI thread."""
        topic = self.view.topic if self.view else ""
        conn = reader(self.ctx.data_dir.database)
        try:
            roles, schools = filter_choices(conn, topic)
        finally:
            conn.close()
        self.post_message(FilterChoicesRead(roles, schools))

    def on_filter_choices_read(self, message: FilterChoicesRead) -> None:
        """Open the filter form with the current filters."""
        if self.view is None:
            return
        self._school_names = {s: n for n, s in message.schools}
        self.app.push_screen(
            FilterScreen(self.view.filters, self.view.spec.filters, message.roles, message.schools),
            self._filtered,
        )

    def _filtered(self, filters: Filters | None) -> None:
        """Apply the filters chosen."""
        if filters is not None and self.view is not None and filters != self.view.filters:
            self._open(self.view.with_(filters=filters))

    def action_domains(self) -> None:
        """Open the email-domain breakdown of the users (as m does on every page)."""
        self.ds.show_domains()

    def show_domain(self, domain: str | None) -> None:
        """Show the users of one email domain (every role)."""
        if domain is None:
            return
        self.entry = entry("users")
        topics = self.query_one("#explore-topics", OptionList)
        if topics.option_count:
            topics.highlighted = topics.get_option_index("users")
        self._open(View("users", filters=Filters(domain=domain)))
        self.query_one(VirtualTable).focus()

    # -- export ------------------------------------------------------------------------------

    def action_export(self) -> None:
        """Ask where to write the rows shown (search and filters applied), then write them."""
        pager = self.pager
        if pager is None:
            return
        now = self.ctx.clock().astimezone(self.ctx.tz)
        folder = Path.cwd() if self.ctx.demo else self.ctx.data_dir.exports  # demo: not thrown away
        default = folder / default_export_name(self.entry.id, now)
        what = f"the {plural(pager.total, 'row')} shown ({self.entry.label})"

        def chosen(path: Path | None) -> None:
            if path is not None and self.pager is pager:
                self._export(pager, path)

        self.app.push_screen(ExportDialog(what, display_path(str(default)), (".csv",)), chosen)

    @work(thread=True, group="explore-export", exit_on_error=False, name="Export")
    def _export(self, pager: Pager, path: Path) -> None:
        """Write the rows off the UI thread and say where they went."""
        from datasync_tui.rules.export import ExportError

        conn = reader(self.ctx.data_dir.database)
        try:
            count = export_view(conn, pager, path)
        except (ExportError, OSError) as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error")
            return
        finally:
            conn.close()
        where = display_path(str(path))
        self.app.call_from_thread(
            self.notify, f"Exported {plural(count, 'row')} to {where}", title="Export", timeout=10
        )
