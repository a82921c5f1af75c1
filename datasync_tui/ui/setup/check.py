"""Wizard step 3, Check: the source is reached and read in a worker; what is missing is listed."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import LoadingIndicator, Static
from textual.worker import Worker, WorkerState

from connectors.base import CheckReport, ConnectorError, Option
from datasync_tui.topics import SCREEN_LABELS
from datasync_tui.ui import jobs
from datasync_tui.ui.messages import CheckFinished
from datasync_tui.ui.setup.advice import folder_advice
from datasync_tui.ui.setup.wording import in_form_words
from datasync_tui.viewmodels.format import display_path
from datasync_tui.viewmodels.setup import required_item_text


def rows_text(n: int) -> str:
    """'   12,400 rows', '        1 row ' (the numbers aligned)."""
    return f"{n:>9,} row" + (" " if n == 1 else "s")


def report_text(report: CheckReport, method_id: str) -> Content:
    """Required topics ✓/✗, then recommended topics and fields that are missing."""
    detail = ", ".join(f"{k} {v}" for k, v in report.detail.items())
    parts: list[str | Content | tuple[str, str]] = [
        ("✓ Reached ", "bold $text-success"),
        display_path(report.source),
        (f" ({detail})" if detail else "", "dim"),
        "\n\n",
        ("Required\n", "bold"),
    ]
    for t in (t for t in report.topics if t.required):
        label = f"{SCREEN_LABELS.get(t.topic, t.topic):<14}"
        if t.blocking:
            what = t.problem or "not found"
            if not t.present:
                what = f"not found — supply {required_item_text(method_id, t.topic)}"
            parts += [("  ✗ ", "bold $text-error"), label, (what, "$text-error"), "\n"]
        else:
            parts += [("  ✓ ", "bold $text-success"), label, rows_text(t.rows or 0), "\n"]
        for f in t.fields:
            if f.status == "missing-required":
                column = required_item_text(method_id, f"{t.topic}.{f.name}")
                parts += [("      ✗ ", "$text-error"), (f"missing {column}", "$text-error"), "\n"]
    recommended = []
    for t in report.topics:
        label = SCREEN_LABELS.get(t.topic, t.topic)
        if not t.required and not t.present:
            recommended.append(f"  · {label:<14}not found")
        elif not t.required:
            recommended.append(f"  ✓ {label:<14}{rows_text(t.rows or 0)}")
        for f in t.fields:
            if f.status == "missing-recommended":
                recommended.append(f"  · {t.topic}.{f.name}: column missing")
            elif f.status == "present" and f.missing_rows:
                recommended.append(
                    f"  · {t.topic}.{f.name}: blank in {f.missing_rows:,} row"
                    + ("s" if f.missing_rows != 1 else "")
                )
    if recommended:
        parts += ["\n", ("Recommended\n", "bold"), "\n".join(recommended), "\n"]
    if report.warnings:
        parts += ["\n", ("Warnings\n", "bold $text-warning")]
        parts += [f"  ! {w}\n" for w in report.warnings]
    return Content.assemble(*parts).rstrip()


def blocked_note(
    report: CheckReport | None, error: str | None, method_id: str, options: tuple[Option, ...] = ()
) -> str:
    """What the admin must supply before Next works ('' when nothing), in the form's words."""
    if error:
        return f"Cannot read the source: {in_form_words(error, options)}. Go back and fix it."
    if report is None:
        return "Checking…"
    if not report.reached or report.error:
        reason = in_form_words(report.error or "not reached", options)
        return f"Cannot read the source: {reason}. Go back and fix it."
    missing = [required_item_text(method_id, item) for item in report.missing_required()]
    return "Supply " + ", ".join(missing) + " to continue." if missing else ""


class CheckStep(Vertical):
    """Runs the check with a spinner, then lists what was found."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.report: CheckReport | None = None
        self.error: str | None = None
        self.method_id = ""
        self.options: tuple[Option, ...] = ()  # the form's options: messages use their labels
        self.advice: str | None = None  # what the folder is and the method that reads it

    def compose(self) -> ComposeResult:
        """Title, spinner, results."""
        yield Static(id="check-title", classes="step-hint")
        yield LoadingIndicator(id="check-spinner")
        with VerticalScroll(id="check-scroll"):
            yield Static(id="check-results")

    @property
    def passed(self) -> bool:
        """True when the source was read and nothing required is missing."""
        return self.error is None and self.report is not None and self.report.ok

    def start(self, method_id: str, settings: dict[str, str], label: str) -> None:
        """Check the source in a thread worker."""
        self.report, self.error, self.method_id, self.advice = None, None, method_id, None
        self.query_one("#check-title", Static).update(f"Checking {label}…")
        self.query_one("#check-spinner").display = True
        self.query_one("#check-results", Static).update("")
        self._run(method_id, settings)

    @work(thread=True, group="check", exclusive=True, exit_on_error=False)
    def _run(self, method_id: str, settings: dict[str, str]) -> None:
        """Reach and read the source; post what was found."""
        try:
            report = jobs.check(method_id, settings)
        except (ConnectorError, OSError, ValueError) as exc:
            advice = folder_advice(method_id, settings.get("path"))
            self.post_message(CheckFinished(None, str(exc), advice))
        else:
            advice = None if report.ok else folder_advice(method_id, settings.get("path"))
            self.post_message(CheckFinished(report, advice=advice))

    def on_check_finished(self, message: CheckFinished) -> None:
        """Show the report; the screen updates Next as the message goes on."""
        self.report, self.error, self.advice = message.report, message.error, message.advice
        self.query_one("#check-spinner").display = False
        results = self.query_one("#check-results", Static)
        title = self.query_one("#check-title", Static)
        report = message.report
        if report is None or not report.reached or report.error:
            title.update("Check failed")
            reason = message.error or (report.error if report else "") or "not reached"
            reason = in_form_words(reason, self.options)
            results.update(
                Content.assemble(
                    ("✗ Cannot read the source: ", "bold $text-error"),
                    reason,
                    "\n\n",
                    self._advice(),
                )
            )
            return
        title.update("Check passed" if report.ok else "Check found missing required data")
        results.update(Content.assemble(self._advice(), report_text(report, self.method_id)))

    def _advice(self) -> Content:
        """The folder advice as a paragraph of its own (empty when none)."""
        if not self.advice:
            return Content("")
        return Content.assemble(("→ ", "bold $text-warning"), (self.advice, "bold"), "\n\n")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A check worker that crashed ends the check (the app tells the error)."""
        if event.state == WorkerState.ERROR:
            self.post_message(CheckFinished(None, str(event.worker.error)))
