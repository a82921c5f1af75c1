"""The users' email domains with counts by role; Enter shows the users of one domain."""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Static

from datasync_tui.browse import DomainSummary, domain_summary, reader
from datasync_tui.browse.topics import NO_EMAIL
from datasync_tui.paths import DataDir

ROLE_COLUMNS = (("student", "Students"), ("teacher", "Teachers"))


class DomainsScreen(ModalScreen[str | None]):
    """Every email domain of the users; dismissed with the chosen domain (or None)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Back", id="domains-back"),
        Binding("enter", "choose", "Show its users", id="domains-choose"),
    ]

    class Summarised(Message):
        """The domains were counted."""

        def __init__(self, summary: DomainSummary) -> None:
            super().__init__()
            self.summary = summary

    def __init__(self, data_dir: DataDir, email_domains: str | None) -> None:
        super().__init__(classes="domains-screen")
        self.data_dir = data_dir
        self.email_domains = email_domains
        self.summary: DomainSummary | None = None

    def compose(self) -> ComposeResult:
        """A line of totals, the domain table, Footer."""
        with Vertical(id="domains-box"):
            yield Static("Counting the users' email domains…", id="domains-title")
            table: DataTable[str | Content] = DataTable(id="domains-table", cursor_type="row")
            table.add_columns("Domain", "Students", "Teachers", "Others", "Total", "")
            yield table
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Count in a worker."""
        self._count()

    @work(thread=True, exit_on_error=False, name="Counting email domains")
    def _count(self) -> None:
        """One grouped pass over the users, off the UI thread."""
        conn = reader(self.data_dir.database)
        try:
            summary = domain_summary(conn, self.email_domains)
        finally:
            conn.close()
        self.post_message(self.Summarised(summary))

    def on_domains_screen_summarised(self, message: Summarised) -> None:
        """Fill the table: most users first, outsiders flagged, no email apart."""
        summary = self.summary = message.summary
        table = self.query_one("#domains-table", DataTable)
        table.clear()
        for row in summary.rows:
            table.add_row(*self._cells(row.domain, row.by_role, row.outside), key=row.domain)
        if summary.no_email:
            table.add_row(*self._cells(NO_EMAIL, summary.no_email, False), key=NO_EMAIL)
        configured = ", ".join(summary.configured) or "none set (`email_domains`)"
        self.query_one("#domains-title", Static).update(
            Content.assemble(
                ("Email domains", "bold"),
                f" · {len(summary.rows):,} domains · ",
                (f"{summary.flagged:,} flagged", "bold $warning" if summary.flagged else ""),
                f" · {summary.no_email_total:,} users without an email\n",
                ("Expected: ", "dim"),
                configured,
            )
        )
        table.focus()

    @staticmethod
    def _cells(domain: str, by_role: dict[str, int], outside: bool) -> list[str | Content]:
        """Domain, students, teachers, others, total, flag."""
        known = {r for r, _ in ROLE_COLUMNS}
        others = sum(n for r, n in by_role.items() if r not in known)
        counts = [by_role.get(r, 0) for r, _ in ROLE_COLUMNS] + [others, sum(by_role.values())]
        flag = Content.styled("← outside", "bold $warning") if outside else Content("")
        return [domain, *(Content(f"{n:>9,}") for n in counts), flag]

    def action_choose(self) -> None:
        """Show the users of the domain under the cursor."""
        table = self.query_one("#domains-table", DataTable)
        if not table.row_count:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        self.dismiss(key)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a row (the table takes Enter first)."""
        event.stop()
        self.dismiss(event.row_key.value)
