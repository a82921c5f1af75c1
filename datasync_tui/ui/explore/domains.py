"""The users' email domains with counts by role; Enter lists a row's users, ctrl+e edits the
expected domains (saving runs the rules again)."""

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

from datasync_tui.sync.lock import BusyError
from datasync_tui.ui.context import Context
from datasync_tui.ui.validations.dialogs import DomainsDialog
from datasync_tui.viewmodels import validations as vv
from datasync_tui.viewmodels.explore import DomainSummary, domain_summary, reader
from datasync_tui.viewmodels.explore.topics import NO_EMAIL

ROLE_COLUMNS = (("student", "Students"), ("teacher", "Teachers"))
FLAG = "← outside"
BLANK_DOMAIN = "(nothing after @)"


def count_cells(by_role: dict[str, int]) -> list[int]:
    """Students, teachers, others, total."""
    known = {r for r, _ in ROLE_COLUMNS}
    others = sum(n for r, n in by_role.items() if r not in known)
    return [by_role.get(r, 0) for r, _ in ROLE_COLUMNS] + [others, sum(by_role.values())]


def layout(summary: DomainSummary, width: int) -> tuple[int, list[int], int]:
    """Widths of the domain column, each count column (whole numbers, never cut), the flag."""
    rows = [count_cells(r.by_role) for r in summary.rows] + [count_cells(summary.no_email)]
    labels = [label for _, label in ROLE_COLUMNS] + ["Others", "Total"]
    counts = [
        max([len(label)] + [len(f"{row[i]:,}") for row in rows]) for i, label in enumerate(labels)
    ]
    flag = len(FLAG) if summary.flagged else 0
    fixed = sum(w + 2 for w in counts) + (flag + 2 if flag else 0)
    longest = max([len(shown(r.domain)) for r in summary.rows] + [len(NO_EMAIL), 6])
    return max(12, min(longest, width - fixed - 2)), counts, flag


class DomainTable(DataTable[str]):
    """The domain rows; Enter lists the users a row counts."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Show its users", id="domains-table-choose"),
    ]


def shown(domain: str) -> str:
    """A domain as listed: blank and space-padded ones made visible."""
    if not domain:
        return BLANK_DOMAIN
    return domain if domain == domain.strip() else repr(domain)


def cut(text: str, width: int) -> str:
    """text, with an ellipsis when longer than width."""
    return text if len(text) <= width else text[: width - 1] + "…"


class DomainsScreen(ModalScreen[str | None]):
    """Every email domain of the users; dismissed with the chosen row's domain (or None)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+e", "edit", "Edit expected domains", id="domains-edit"),
        Binding("escape", "dismiss(None)", "Back", id="domains-back"),
    ]

    class Summarised(Message):
        """The domains were counted."""

        def __init__(self, summary: DomainSummary) -> None:
            super().__init__()
            self.summary = summary

    class Saved(Message):
        """The expected domains were saved and the rules ran again (or why not)."""

        def __init__(self, domains: str, error: str | None = None) -> None:
            super().__init__()
            self.domains = domains
            self.error = error

    def __init__(self, ctx: Context, email_domains: str | None) -> None:
        super().__init__(classes="domains-screen")
        self.ctx = ctx
        self.email_domains = email_domains or ""
        self.summary: DomainSummary | None = None
        self.saving = False

    def compose(self) -> ComposeResult:
        """A line of totals, the domain table, Footer."""
        with Vertical(id="domains-box"):
            yield Static("Counting the users' email domains…", id="domains-title")
            yield DomainTable(id="domains-table", cursor_type="row")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        """Count in a worker."""
        self._count()

    @work(thread=True, exclusive=True, group="domains-count", exit_on_error=False,
          name="Counting email domains")  # fmt: skip
    def _count(self) -> None:
        """One grouped pass over the users, off the UI thread."""
        conn = reader(self.ctx.data_dir.database)
        try:
            summary = domain_summary(conn, self.email_domains)
        finally:
            conn.close()
        self.post_message(self.Summarised(summary))

    def on_domains_screen_summarised(self, message: Summarised) -> None:
        """Fill the table: most users first, outsiders flagged, no email apart."""
        summary = self.summary = message.summary
        table = self.query_one("#domains-table", DataTable)
        table.clear(columns=True)
        domain_width, counts, flag = layout(summary, self.size.width or self.app.size.width)
        table.add_column("Domain", width=domain_width, key="domain")
        labels = [label for _, label in ROLE_COLUMNS] + ["Others", "Total"]
        for label, width in zip(labels, counts, strict=True):
            table.add_column(f"{label:>{width}}", width=width, key=label)
        if flag:
            table.add_column("", width=flag, key="flag")
        rows = [(r.domain, r.by_role, r.outside) for r in summary.rows]
        if summary.no_email:
            rows.append((NO_EMAIL, summary.no_email, False))
        for domain, by_role, outside in rows:
            cells = [cut(shown(domain), domain_width)]
            cells += [f"{n:>{w},}" for n, w in zip(count_cells(by_role), counts, strict=True)]
            if flag:
                cells.append(FLAG if outside else "")
            table.add_row(*cells, key=domain)
        self._title()
        table.focus()

    def _title(self, note: str = "") -> None:
        """Totals, the expected domains and how to change them."""
        summary = self.summary
        if summary is None:
            return
        configured = ", ".join(summary.configured) or "none set"
        self.query_one("#domains-title", Static).update(
            Content.assemble(
                ("Email domains", "bold"),
                f" · {vv.plural(len(summary.rows), 'domain')} · ",
                (f"{summary.flagged:,} flagged", "bold $text-warning" if summary.flagged else ""),
                f" · {vv.plural(summary.no_email_total, 'user')} without an email\n",
                ("Expected: ", "dim"),
                configured,
                (" (ctrl+e edits)", "dim"),
                ("\n" + note if note else "", "$text-warning"),
            )
        )

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a row (the table takes Enter first)."""
        event.stop()
        self.dismiss(event.row_key.value)

    # -- the expected domains --------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Editing needs a saved connection and no save on its way."""
        if action == "edit":
            return (getattr(self.app, "connection", None) is not None and not self.saving) or None
        return True

    def action_edit(self) -> None:
        """Ask for the expected domains; saving runs the rules again."""

        def chosen(text: str | None) -> None:
            if text is not None:
                self.saving = True
                self.refresh_bindings()
                self._title("Saving the email domains and running the rules again…")
                self._save(text)

        self.app.push_screen(DomainsDialog(self.email_domains), chosen)

    @work(thread=True, group="domains-save", exit_on_error=False)
    def _save(self, text: str) -> None:
        """Save the setting and run the rules again, under the writer lock."""
        try:
            vv.save_domains(self.ctx.data_dir, text, self.ctx.store_lock)
        except BusyError as exc:
            self.post_message(self.Saved(text, f"Email domains not saved: {exc}."))
        except Exception as exc:  # told here: the admin asked for it
            self.post_message(self.Saved(text, f"Email domains not saved: {exc}"))
        else:
            self.post_message(self.Saved(text))

    def on_domains_screen_saved(self, message: Saved) -> None:
        """Say what happened, count again and let every page read the store again."""
        self.saving = False
        self.refresh_bindings()
        if message.error is not None:
            self._title()
            self.notify(message.error, severity="error", timeout=15)
            return
        self.email_domains = message.domains
        self.notify(f"Email domains saved ({message.domains or 'none'}); the rules ran again.")
        self._count()
        reload = getattr(self.app, "reload", None)
        if callable(reload):
            reload()
