"""The Validations page: the Classroom dry run, the rules by severity, their records, export."""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Label, OptionList, ProgressBar, Static

from datasync_tui.rules import Issue
from datasync_tui.ui.commands import Command
from datasync_tui.ui.validations.export_flow import IssueExport, open_count
from datasync_tui.ui.validations.fix_action import FILES, FIX_BINDING, FixFilesPage
from datasync_tui.ui.validations.issue_table import IssueTable
from datasync_tui.ui.validations.messages import (
    OverviewLoaded,
    ResolvedLoaded,
)
from datasync_tui.ui.validations.rule_list import RuleList, columns_line
from datasync_tui.viewmodels import validations as vv
from datasync_tui.viewmodels.dashboard import Facts
from datasync_tui.viewmodels.explore.topics import NOT_AN_ADDRESS


class ValidationsScreen(FixFilesPage, IssueExport):
    """What would break a Google Classroom roster sync, rule by rule, down to the records."""

    PAGE = "Validations"
    # Below 32 lines the rule list gives up rows (it scrolls) so a record's detail — its hint
    # and proposed address — stays whole above the footer.
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-short"), (32, "-tall")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "x",
            "export",
            "Export issues",
            tooltip="every issue, to CSV or JSON",
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
            tooltip="the highlighted rule's issues",
            id="validations-export-rule",
        ),
        Binding(
            "m",
            "domains",
            "Email domains",
            tooltip="the users' email domains; ctrl+e there edits the expected ones",
            id="validations-domains",
        ),
        Binding("escape", "focus_rules", "Back to rules", show=False, id="validations-rules"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.overview: vv.Overview | None = None
        self.exporting = False

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
                "The rules have not run over this data yet — press [b]m[/b] then [b]ctrl+e[/b] to "
                "set the email domains and run them, or [b]r[/b] to sync again."
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
        why = [("\n→ " + line, "$text-warning") for line in ov.advice]
        classroom.update(
            Content.assemble(
                ("Classroom dry run: ", "bold"), lines[0], " · ", lines[1], " · ", lines[2], *why
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
        if issue.rule == "email-invalid" and not issue.sourcedId:  # said once for every user
            self.ds.show_domain_users(NOT_AN_ADDRESS)
            return
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
                return True if rule and open_count(ov, rule) else None
            return True
        if action == "domains":
            return self.ds.has_data or None
        if action == "fix_files":
            return self.fix_available() or None
        return True

    def palette_commands(self) -> list[Command]:
        """Commands that depend on the cursor (the keys come from the bindings)."""
        table = self.query_one(IssueTable)
        if not table.display or table.current_issue is None:
            return []
        return [
            (
                "Open record in Explore",
                f"Validations · key ⏎ on a record · {table.current_issue.sourcedId}",
                table.action_open_record,
            )
        ]

    def action_focus_rules(self) -> None:
        """Back from the records to the rule list."""
        rules = self.query_one(RuleList)
        if rules.display:
            rules.focus()

    def action_domains(self) -> None:
        """The users' email domains, with the expected ones (ctrl+e there edits them)."""
        self.ds.show_domains()


def _results_id(ov: vv.Overview) -> tuple[object, ...]:
    """What identifies one set of results (a re-run gives a new evaluated_at)."""
    stored = ov.stored
    return (ov.connected, ov.synced, stored.run_id if stored else None,
            stored.evaluated_at if stored else None)  # fmt: skip
