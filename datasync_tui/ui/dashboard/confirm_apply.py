"""Before a held sync is applied: what it removes, and a last chance to cancel."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from datasync_tui.topics import SCREEN_LABELS
from datasync_tui.viewmodels.dashboard import HeldRun
from datasync_tui.viewmodels.validations import plural


def removal_text(held: HeldRun) -> Content:
    """Why it was held, then each topic's removals."""
    parts: list[str | tuple[str, str]] = []
    for reason in held.reasons:
        parts += [("Held: ", "bold"), reason, "\n"]
    if held.removed:
        parts.append(("\nApplying removes from the store:\n", "bold"))
        for topic, n in held.removed.items():
            parts += [f"  {SCREEN_LABELS.get(topic, topic):<14}", (f"−{n:,}", "bold $text-error")]
            parts.append("\n")
    else:
        parts.append("\nApplying removes no record.\n")
    parts.append(
        (
            "Review (w on the dashboard) lists every record it changes. Once applied, "
            "`rollback` (b on the History page) can undo it.",
            "$text-muted",
        )
    )
    return Content.assemble(*parts)


class ConfirmApply(ModalScreen[bool]):
    """Apply a held sync? Dismissed with True (Apply) or False (Cancel)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(False)", "Cancel", id="apply-cancel"),
    ]

    def __init__(self, held: HeldRun) -> None:
        super().__init__()
        self.held = held

    def compose(self) -> ComposeResult:
        """Title, what it removes, the two buttons (Cancel has the focus)."""
        removed = sum(self.held.removed.values())
        with Vertical(id="apply-box", classes="validations-dialog"):
            yield Label(
                f"Apply held sync #{self.held.run_id}? It removes {plural(removed, 'record')}.",
                classes="dialog-title",
            )
            yield Static(removal_text(self.held), id="apply-removals", classes="dialog-hint")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel (esc)", id="apply-no")
                yield Button("Apply and remove", id="apply-yes", variant="warning")

    def on_mount(self) -> None:
        """Cancel is the default: Enter does not remove anything by accident."""
        self.query_one("#apply-no", Button).focus()

    @on(Button.Pressed, "#apply-yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#apply-no")
    def _no(self) -> None:
        self.dismiss(False)
