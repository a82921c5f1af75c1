"""Two prompts: where to export (Validations, Explore), and the connection's email domains."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from datasync_tui.rules import ExportError
from datasync_tui.ui.widgets.path_input import PathSuggester
from datasync_tui.viewmodels.validations import domains_problem, export_target

CSV_OR_JSON = (".csv", ".json")


class ExportDialog(ModalScreen[Path | None]):
    """Ask where to write the export; .csv or .json by the name's extension."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", id="validations-export-dismiss"),
    ]

    def __init__(self, what: str, default: str, suffixes: tuple[str, ...] = CSV_OR_JSON) -> None:
        super().__init__()
        self.what = what
        self.default = default
        self.suffixes = suffixes

    def compose(self) -> ComposeResult:
        """What is exported, the path, a line for problems and the two buttons."""
        hint = "A CSV file (opens in a spreadsheet)."
        if self.suffixes == CSV_OR_JSON:
            hint = "The file's extension picks the format: .csv (opens in a spreadsheet) or .json."
        with Vertical(id="validations-export-box", classes="validations-dialog"):
            yield Label(f"Export {self.what}", classes="dialog-title")
            yield Static(hint, classes="dialog-hint")
            yield Input(
                self.default,
                id="validations-export-path",
                suggester=PathSuggester(),
                select_on_focus=False,
            )
            yield Static(id="validations-export-problem", classes="dialog-problem")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Export (enter)", id="validations-export-go", variant="primary")
                yield Button("Cancel (esc)", id="validations-export-cancel")

    def on_mount(self) -> None:
        """Start in the path field, its end in view (the file name is what one changes)."""
        field = self.query_one(Input)
        field.focus()
        field.action_end()

    @on(Input.Submitted)
    @on(Button.Pressed, "#validations-export-go")
    def _submit(self) -> None:
        """Close with the path when it is usable, else say why."""
        try:
            path = export_target(self.query_one(Input).value, suffixes=self.suffixes)
        except ExportError as exc:
            self.query_one("#validations-export-problem", Static).update(str(exc))
            return
        self.dismiss(path)

    @on(Button.Pressed, "#validations-export-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)


class DomainsDialog(ModalScreen[str | None]):
    """Edit the connection's email_domains; saving runs the rules again."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", id="validations-domains-dismiss"),
    ]

    def __init__(self, current: str) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        """The setting, what it means, and the two buttons."""
        with Vertical(id="validations-domains-box", classes="validations-dialog"):
            yield Label("Email domains of the district", classes="dialog-title")
            yield Static(
                "Comma-separated, e.g. lincoln.org, students.lincoln.org. Subdomains count as "
                "inside. Emails elsewhere are flagged; leave it blank to stop that check. "
                "Saving runs the rules again over the last sync.",
                classes="dialog-hint",
            )
            yield Input(
                self.current,
                select_on_focus=False,
                id="validations-domains-input",
                placeholder="e.g. lincoln.org, students.lincoln.org",
            )
            yield Static(id="validations-domains-problem", classes="dialog-problem")
            with Horizontal(classes="dialog-buttons"):
                yield Button(
                    "Save and re-run (enter)", id="validations-domains-go", variant="primary"
                )
                yield Button("Cancel (esc)", id="validations-domains-cancel")

    def on_mount(self) -> None:
        """Start in the field, the cursor after the value."""
        field = self.query_one(Input)
        field.focus()
        field.action_end()

    @on(Input.Submitted)
    @on(Button.Pressed, "#validations-domains-go")
    def _submit(self) -> None:
        """Close with the domains when each is a domain name, else say which is not."""
        text = self.query_one(Input).value.strip()
        problem = domains_problem(text)
        if problem is not None:
            self.query_one("#validations-domains-problem", Static).update(problem)
            return
        self.dismiss(text)

    @on(Button.Pressed, "#validations-domains-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)
