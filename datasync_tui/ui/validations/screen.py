"""The Validations page: the Classroom dry run, the rules by severity, their records, export."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.command import Provider
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Label, OptionList, ProgressBar, Static

from datasync_tui import validations_view as vv
from datasync_tui.rules import ExportError, Issue
from datasync_tui.sync.lock import BusyError
from datasync_tui.ui.validations.commands import Command, PageCommands
from datasync_tui.ui.validations.dialogs import DomainsDialog, ExportDialog
from datasync_tui.ui.validations.fix_action import FILES, FIX_BINDING, FixFilesPage
from datasync_tui.ui.validations.issue_table import IssueTable
from datasync_tui.ui.validations.messages import (
    DomainsSaved,
    ExportFinished,
    ExportProgressed,
    OverviewLoaded,
    ResolvedLoaded,
)
from datasync_tui.ui.validations.rule_list import RuleList, columns_line
from datasync_tui.views import Facts, display_path


class ValidationsScreen(FixFilesPage):
    """What would break a Google Classroom roster sync, rule by rule, down to the records."""

    PAGE = "Validations"
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {PageCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "x",
            "export",
            "Export",
            tooltip="Export every issue",
            group=FILES,
            id="validations-export",
        ),
        FIX_BINDING,
        Binding(
            "X",
            "export(True)",
            "Export rule",
            show=False,
            key_display="X",
            tooltip="Export the highlighted rule's issues",
            id="validations-export-rule",
        ),
        Binding(
            "m",
            "domains",
            "Email domains",
            show=False,  # the Footer keeps ? and q at 80 columns; the summary line names m
            tooltip="Edit email_domains and re-run the rules",
            id="validations-domains",
        ),
        Binding("escape", "focus_rules", "Back to rules", show=False, id="validations-rules"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.overview: vv.Overview | None = None
        self.exporting = False
        self.saving = False

    def compose_body(self) -> ComposeResult:
        """Summary, dry run, rule list, the rule's records, the record's detail, export bar."""
        with Vertical(id="validations-body"):
            yield Static("Reading the rules' results…", id="validations-summary")
            yield Static(id="validations-classroom")
            yield Static(columns_line(), id="validations-columns")
            yield RuleList(id="validations-rules")
            yield IssueTable(id="validations-issues")
            yield Static(id="validations-detail")
            with Horizontal(id="validations-exporting"):
                yield Label("Exporting…", id="validations-export-label")
                yield ProgressBar(total=None, show_eta=False, id="validations-export-bar")

    def on_mount(self) -> None:
        """Hide what has nothing to show yet; read now and after every new set of facts."""
        for selector in (
            "#validations-classroom",
            "#validations-columns",
            "#validations-rules",
            "#validations-issues",
            "#validations-detail",
            "#validations-exporting",
        ):
            self.query_one(selector).display = False
        self.query_one(IssueTable).border_title = "Records"
        self.watch(self.ds, "facts", self._facts_changed)

    def _facts_changed(self, facts: Facts | None) -> None:
        """Re-read when the store may have changed."""
        if facts is not None:
            self.reload()

    def reload(self) -> None:
        """Read the rules' results again (in a worker)."""
        self._load()

    @work(thread=True, group="validations", exclusive=True, exit_on_error=False)
    def _load(self) -> None:
        """Read the latest results off the UI thread."""
        self.post_message(OverviewLoaded(vv.load_overview(self.ctx.data_dir)))

    # -- showing ---------------------------------------------------------------------------

    def on_overview_loaded(self, message: OverviewLoaded) -> None:
        """Show the figures (the records stay where they are when nothing changed)."""
        old, new = self.overview, message.overview
        self.overview = new
        self._show_summary(new)
        if old is not None and _results_id(old) == _results_id(new):
            return
        rules = self.query_one(RuleList)
        has_rules = new.stored is not None
        for selector in ("#validations-columns", "#validations-rules"):
            self.query_one(selector).display = has_rules
        if not has_rules:
            self._show_rule(None)
            return
        rules.show(new)
        self._show_rule(rules.highlighted_rule)
        if self.is_current and (self.focused is None or self.focused is rules):
            rules.focus()
        self.refresh_bindings()

    def _show_summary(self, ov: vv.Overview) -> None:
        """The page's first lines: what to do, or what was found and the dry run."""
        summary = self.query_one("#validations-summary", Static)
        classroom = self.query_one("#validations-classroom", Static)
        classroom.display = ov.stored is not None
        if not ov.connected:
            summary.update("No source connected yet — press [b]c[/b] to connect your SIS.")
            return
        if not ov.synced:
            summary.update(
                "No data yet — press [b]r[/b] to run a sync; the rules check the data when it ends."
            )
            return
        if ov.stored is None:
            summary.update(
                "The rules have not run over this data yet — press [b]m[/b] to set the email "
                "domains and run them, or [b]r[/b] to sync again."
            )
            return
        domains = ", ".join(ov.stored.email_domains) or "none set"
        run = f"Sync #{ov.stored.run_id}"
        if ov.total == 0:
            head = Content.assemble(
                (f"{run} found nothing to report", "bold $text-success"),
                f": every rule passes · domains (m): {domains}",
            )
        else:
            head = Content.assemble(
                f"{run}: ",
                (vv.severity_text(ov.by_severity()), "bold"),
                f" to fix in the SIS · domains (m): {domains}",
            )
        summary.update(head)
        lines = vv.classroom_lines(ov.stored.classroom)
        classroom.update(
            Content.assemble(
                ("Classroom dry run: ", "bold"),
                lines[0],
                " · ",
                lines[1],
                " · ",
                lines[2],
            )
        )

    def _show_rule(self, rule: str | None) -> None:
        """List the rule's records (or hide the table)."""
        table = self.query_one(IssueTable)
        ov = self.overview
        stored = ov.stored if ov else None
        summary = next((s for s in ov.summaries if s.id == rule), None) if ov else None
        table.display = summary is not None and summary.count > 0
        detail = self.query_one("#validations-detail", Static)
        detail.display = summary is not None or (ov is not None and ov.stored is not None)
        if summary is None:
            table.show_rule(self.ctx.data_dir, None, None)
            if ov is not None and ov.stored is not None and ov.total == 0:
                detail.update("Nothing to fix. New issues show here after the next sync.")
            return
        table.border_title = f"{summary.title} — {summary.severity}"
        if summary.count == 0:
            table.show_rule(self.ctx.data_dir, None, None)
            self._show_resolved(summary.id, [])
            if stored is not None:
                self._load_resolved(summary.id, stored.run_id)
            return
        table.compared = self._compared
        table.show_rule(self.ctx.data_dir, summary.id, stored.run_id if stored else None)

    @work(thread=True, group="validations-resolved", exclusive=True, exit_on_error=False)
    def _load_resolved(self, rule: str, run_id: int) -> None:
        """Read a few of the rule's resolved issues off the UI thread."""
        self.post_message(ResolvedLoaded(rule, vv.resolved(self.ctx.data_dir, rule, run_id)))

    def on_resolved_loaded(self, message: ResolvedLoaded) -> None:
        """Name the resolved records, if the rule is still the one highlighted."""
        if self.query_one(RuleList).highlighted_rule == message.rule:
            self._show_resolved(message.rule, message.issues)

    def _show_resolved(self, rule: str, found: list[Issue]) -> None:
        """A rule without open issues: how many were resolved, which, and the hint."""
        ov = self.overview
        summary = next((s for s in ov.summaries if s.id == rule), None) if ov else None
        if summary is None:
            return
        which = f": {vv.resolved_text(found, summary.resolved)}" if found else ""
        self.query_one("#validations-detail", Static).update(
            Content.assemble(
                (
                    f"No open issues; {summary.resolved:,} resolved since the previous sync"
                    f"{which}.\n",
                    "$text-success",
                ),
                ("Fix: ", "bold"),
                summary.hint,
            )
        )

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """A rule was highlighted: list its records."""
        self._show_rule(self.query_one(RuleList).highlighted_rule)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on a rule: into its records."""
        table = self.query_one(IssueTable)
        if table.display:
            table.focus()

    def on_issue_table_highlighted(self, message: IssueTable.Highlighted) -> None:
        """Show the record's field, value, message and the hint."""
        issue = message.issue
        detail = self.query_one("#validations-detail", Static)
        if issue is None:
            return
        value = "(blank)" if issue.value in (None, "") else repr(issue.value)
        detail.update(
            Content.assemble(
                (issue.sourcedId, "bold"),
                f" · {issue.topic} · {issue.field} = ",
                (value, "$text-warning"),
                ("  new since the previous sync" if issue.is_new and self._compared else "", "dim"),
                "\n",
                issue.message,
                "\n",
                ("Fix: ", "bold"),
                issue.hint,
                self.proposal_text(issue),
            )
        )

    @property
    def _compared(self) -> bool:
        """True when the results have a previous sync to compare with (new and resolved)."""
        ov = self.overview
        return ov is not None and ov.stored is not None and ov.stored.previous_run_id is not None

    def on_descendant_focus(self) -> None:
        """The records get the room while they have the focus."""
        self.set_class(self.focused is self.query_one(IssueTable), "-records")

    # -- Explore ---------------------------------------------------------------------------

    def on_issue_table_opened(self, message: IssueTable.Opened) -> None:
        """Enter on a record: open Explore where that record is listed."""
        self._find_topic(message.issue)

    @work(thread=True, group="validations-explore", exclusive=True, exit_on_error=False)
    def _find_topic(self, issue: Issue) -> None:
        """Which Explore topic lists the record (a user's depends on its role)."""
        topic = vv.explore_topic(self.ctx.data_dir, issue)
        self.app.call_from_thread(self._open_in_explore, topic, issue)

    def _open_in_explore(self, topic: str, issue: Issue) -> None:
        """Open Explore on the topic, narrowed to the record with its detail open."""
        if vv.record_topic(issue) is None:
            self.ds.explore(topic)
            self.notify(
                f"Explore is on {topic}: look for sourcedId {issue.sourcedId} there.",
                title="Opened in Explore",
            )
            return
        self.ds.explore(topic, issue.sourcedId)

    # -- keys ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Export needs results and no export running; one rule needs a rule highlighted."""
        ov = self.overview
        if action == "export":
            if ov is None or ov.stored is None or self.exporting:
                return None
            if parameters and parameters[0]:
                rule = self.query_one(RuleList).highlighted_rule
                return True if rule and _count(ov, rule) else None
            return True
        if action == "domains":
            return (ov is not None and ov.connected and not self.saving) or None
        if action == "fix_files":
            return self.fix_available() or None
        return True

    def palette_commands(self) -> list[Command]:
        """The keys kept out of the Footer, for the command palette, when they can be used."""
        found: list[Command] = []
        if self.check_action("domains", ()):
            found.append(
                (
                    "Email domains",
                    "Validations · key m · edit email_domains and run the rules again",
                    partial(self.run_action, "domains"),
                )
            )
        if self.check_action("export", (True,)):
            found.append(
                (
                    "Export rule",
                    "Validations · key X · export the highlighted rule's issues",
                    partial(self.run_action, "export(True)"),
                )
            )
        table = self.query_one(IssueTable)
        if table.display and table.current_issue is not None:
            found.append(
                (
                    "Open record in Explore",
                    f"Validations · key ⏎ on a record · {table.current_issue.sourcedId}",
                    table.action_open_record,
                )
            )
        return found

    def action_focus_rules(self) -> None:
        """Back from the records to the rule list."""
        rules = self.query_one(RuleList)
        if rules.display:
            rules.focus()

    def action_export(self, rule_only: bool = False) -> None:
        """Ask where to export every issue (or the highlighted rule's), then export in a worker."""
        ov = self.overview
        if ov is None or ov.stored is None or self.exporting:
            return
        rule = self.query_one(RuleList).highlighted_rule if rule_only else None
        if rule_only and (rule is None or not _count(ov, rule)):
            self.notify("Highlight a rule with issues first.", severity="warning")
            return
        now = self.ctx.clock().astimezone(self.ctx.tz)
        default = vv.default_export(self.ctx.data_dir, now.replace(tzinfo=None))
        if rule is not None:
            title = next(s.title for s in ov.summaries if s.id == rule)
            what = f"the {vv.plural(_count(ov, rule), 'issue')} of “{title}”"
        else:
            what = f"all {vv.plural(ov.total, 'issue')}"

        def chosen(path: Path | None) -> None:
            if path is not None:
                self._start_export(path, rule)

        self.app.push_screen(ExportDialog(what, display_path(str(default))), chosen)

    def _start_export(self, path: Path, rule: str | None) -> None:
        """Show the progress bar and write the file in a worker."""
        self.exporting = True
        row = self.query_one("#validations-exporting")
        row.display = True
        self.query_one("#validations-export-label", Label).update(
            f"Exporting to {display_path(str(path))}"
        )
        self.query_one(ProgressBar).update(total=None, progress=0)
        self.refresh_bindings()
        self._export(path, rule)

    @work(thread=True, group="validations-export", exit_on_error=False)
    def _export(self, path: Path, rule: str | None) -> None:
        """Write the export off the UI thread, posting progress."""
        try:
            count = vv.export(
                self.ctx.data_dir,
                path,
                rule,
                progress=lambda done, total: self.post_message(ExportProgressed(done, total)),
            )
        except (ExportError, OSError) as exc:
            self.post_message(ExportFinished(path, None, str(exc)))
            return
        except Exception as exc:  # told here, not lost in a log: the admin asked for a file
            self.post_message(ExportFinished(path, None, f"{exc.__class__.__name__}: {exc}"))
            return
        self.post_message(ExportFinished(path, count))

    def on_export_progressed(self, message: ExportProgressed) -> None:
        """Move the bar."""
        self.query_one(ProgressBar).update(total=message.total, progress=message.done)

    def on_export_finished(self, message: ExportFinished) -> None:
        """Hide the bar and name the file (or say why there is none)."""
        self.exporting = False
        self.query_one("#validations-exporting").display = False
        self.refresh_bindings()
        where = display_path(str(message.path))
        if message.error is not None or message.count is None:
            self.notify(
                message.error or "the export failed",
                title="Export failed",
                severity="error",
                timeout=15,
            )
            return
        self.notify(
            f"{vv.plural(message.count, 'issue')} written to {where}",
            title="Export done",
            timeout=15,
        )

    def action_domains(self) -> None:
        """Edit the connection's email_domains; saving re-runs the rules."""
        ov = self.overview
        if ov is None or not ov.connected or self.saving:
            return

        def chosen(text: str | None) -> None:
            if text is not None:
                self.saving = True
                self.refresh_bindings()
                self.query_one("#validations-summary", Static).update(
                    "Saving the email domains and running the rules again…"
                )
                self._save_domains(text)

        self.app.push_screen(DomainsDialog(ov.email_domains), chosen)

    @work(thread=True, group="validations-domains", exit_on_error=False)
    def _save_domains(self, text: str) -> None:
        """Save the setting and run the rules again, under the writer lock."""
        try:
            stored = vv.save_domains(self.ctx.data_dir, text, self.ctx.store_lock)
        except BusyError as exc:
            self.post_message(
                DomainsSaved(text, False, f"Email domains not saved: {exc}.", busy=True)
            )
            return
        except Exception as exc:
            self.post_message(
                DomainsSaved(
                    text, False, f"Email domains not saved: {exc.__class__.__name__}: {exc}"
                )
            )
            return
        self.post_message(DomainsSaved(text, stored is not None))

    def on_domains_saved(self, message: DomainsSaved) -> None:
        """Say what happened and read the results again."""
        self.saving = False
        self.refresh_bindings()
        if message.error is not None:
            title = "Another sync is running" if message.busy else "Email domains not saved"
            self.notify(message.error, title=title, severity="error", timeout=15)
        elif message.ran:
            self.notify(f"Email domains saved ({message.domains or 'none'}); the rules ran again.")
        else:
            self.notify("Email domains saved; the rules run with the next sync.")
        if message.error is None:
            self.overview = None  # redraw even when the re-run kept the same second
        self.reload()
        self.ds.reload()


def _results_id(ov: vv.Overview) -> tuple[object, ...]:
    """What identifies one set of results (a re-run gives a new evaluated_at)."""
    stored = ov.stored
    return (ov.connected, ov.synced, stored.run_id if stored else None,
            stored.evaluated_at if stored else None)  # fmt: skip


def _count(ov: vv.Overview, rule: str) -> int:
    """A rule's open issues."""
    return next((s.count for s in ov.summaries if s.id == rule), 0)
