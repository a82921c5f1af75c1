"""Wizard step 4, Confirm: a summary, the daily sync time and email domains, then the first sync."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Input, Label, Static

from connectors.base import COMMON_OPTIONS
from datasync_tui.ui.setup.draft import CONFIRM_OPTIONS, Draft
from datasync_tui.ui.setup.email import EmailRow
from datasync_tui.ui.widgets.sync_panel import SyncPanel
from datasync_tui.viewmodels.format import display_path

SYNC_AT = next(o for o in COMMON_OPTIONS if o.name == "sync_at")
EMAIL_DOMAINS = next(o for o in COMMON_OPTIONS if o.name == "email_domains")


def summary_text(draft: Draft) -> Content:
    """Source, method and each option (secrets masked), then what the check found."""
    assert draft.choice is not None
    rows = [("Method", draft.method.label)]
    if draft.vendor is not None:
        rows.insert(0, ("SIS", draft.vendor.label))
    for opt in draft.options():
        value = draft.settings().get(opt.name)
        if not value or opt.name in CONFIRM_OPTIONS:
            continue
        if opt.secret or opt.kind == "secret":
            value = "•" * 8
        elif opt.kind == "path":
            value = display_path(value)
        rows.append((opt.label, value))
    report = draft.report
    if report is not None:
        found = ", ".join(
            f"{t.rows or 0:,} {t.topic}" for t in report.topics if t.present and t.required
        )
        rows.append(("Check", f"passed — {found}"))
    parts: list[str | tuple[str, str]] = []
    for label, value in rows:
        parts += [(f"{label:<16}", "dim"), value, "\n"]
    return Content.assemble(*parts).rstrip()


class ConfirmStep(VerticalScroll):
    """The last look before saving, and the first sync's progress."""

    def compose(self) -> ComposeResult:
        """Summary, two fields, a note and the sync panel."""
        yield Static(
            "Check the summary, set the schedule, then Connect and sync.",
            id="confirm-hint",
            classes="step-hint",
        )
        yield Static(id="confirm-summary")
        with Vertical(classes="field confirm-form"):
            yield Label(SYNC_AT.label, classes="field-label")
            yield Input(
                placeholder="02:00", id="confirm-sync-at", select_on_focus=False, compact=True
            )
            yield Static("Every day at this local time, by the daemon.", classes="field-help")
            yield Static(id="problem-sync-at", classes="field-problem")
        with Vertical(classes="field confirm-form"):
            yield Label(EMAIL_DOMAINS.label + " (optional)", classes="field-label")
            yield Input(
                placeholder="e.g. lincolnusd.org, students.lincolnusd.org",
                id="confirm-email",
                select_on_focus=False,
                compact=True,
            )
            yield Static(EMAIL_DOMAINS.help, classes="field-help")
        yield EmailRow(id="confirm-alerts")
        yield Static(id="confirm-note", classes="step-hint")
        yield SyncPanel(id="confirm-sync")

    def on_mount(self) -> None:
        """Hide the problem and the sync panel until needed."""
        self.query_one("#problem-sync-at").display = False
        self.query_one(SyncPanel).display = False

    def show(self, draft: Draft, where: str, demo: bool = False) -> None:
        """Fill in from the draft."""
        self.query_one("#confirm-summary", Static).update(summary_text(draft))
        for selector, value in (
            ("#confirm-sync-at", draft.values.get("sync_at") or "02:00"),
            ("#confirm-email", draft.values.get("email_domains", "")),
        ):
            field = self.query_one(selector, Input)
            field.value = value
            field.cursor_position = len(value)  # typing adds to the value, never replaces it
        self.query_one(EmailRow).show(draft.values)
        self.query_one("#confirm-note", Static).update(
            f"Connect and sync saves this connection in {where} and runs the first sync now."
            + (" (The demo's data dir is thrown away when you quit.)" if demo else "")
        )
        self._show_sync(False)

    def _show_sync(self, syncing: bool) -> None:
        """While the first sync runs: its progress instead of the form (nothing to edit)."""
        for selector in ("#confirm-summary", ".confirm-form", "#confirm-note"):
            for widget in self.query(selector):
                widget.display = not syncing
        for field in self.query(Input):
            field.disabled = syncing
        self.query_one(SyncPanel).display = syncing
        self.query_one("#confirm-hint", Static).update(
            "Saved. The first sync runs now: each topic's rows as they are read."
            if syncing
            else "Check the summary, set the schedule, then Connect and sync."
        )

    def values(self) -> dict[str, str]:
        """sync_at and email_domains as entered."""
        return {
            "sync_at": self.query_one("#confirm-sync-at", Input).value.strip() or "02:00",
            "email_domains": self.query_one("#confirm-email", Input).value.strip(),
        }

    def problem(self) -> str | None:
        """The sync time's problem, shown inline."""
        problem = SYNC_AT.validate(self.values()["sync_at"])
        box = self.query_one("#problem-sync-at", Static)
        box.update(f"✗ {problem}" if problem else "")
        box.display = problem is not None
        return problem

    def start_sync(self) -> None:
        """Run the first sync here, with a bar per topic."""
        self._show_sync(True)
        self.query_one(SyncPanel).start()
        self.scroll_home(animate=False)

    @property
    def syncing(self) -> bool:
        """True while the first sync runs."""
        return self.query_one(SyncPanel).running
