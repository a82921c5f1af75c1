"""The Fix files prompts: which file and where, then what was written (first lines, counts)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

from datasync_tui.fix.files import FixUsageError
from datasync_tui.fix.run import KINDS, LABELS, FixResult, check_target
from datasync_tui.paths import DataDir
from datasync_tui.ui.widgets.path_input import PathSuggester

PREVIEW_LINES = 12
PREVIEW_WIDTH = 400  # characters kept of a long line (the dialog cuts it further)


@dataclass(frozen=True)
class FixRequest:
    """What the admin asked for: which kind of file, and where."""

    kind: str
    path: Path


class FixFilesDialog(ModalScreen[FixRequest | None]):
    """Pick one of the three files and where it goes (each kind has its own default path)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", id="validations-fix-dismiss"),
    ]

    def __init__(self, data_dir: DataDir, defaults: dict[str, str]) -> None:
        super().__init__()
        self.data_dir = data_dir
        self.defaults = defaults
        self.kind = KINDS[0]

    def compose(self) -> ComposeResult:
        """The three kinds, the path, a line for problems and the two buttons."""
        with Vertical(id="validations-fix-box", classes="validations-dialog"):
            yield Label("Fix files", classes="dialog-title")
            yield Static(
                "Files you review, then run or import: DataSync never writes to Google or the "
                "SIS. Skipped classes and users left out are listed with the reason.",
                classes="dialog-hint",
            )
            with RadioSet(id="validations-fix-kind"):
                for i, kind in enumerate(KINDS):
                    yield RadioButton(LABELS[kind], value=i == 0, id=f"validations-fix-{kind}")
            yield Input(
                self.defaults[self.kind], id="validations-fix-path", suggester=PathSuggester()
            )
            yield Static(id="validations-fix-problem", classes="dialog-problem")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Write (enter)", id="validations-fix-go", variant="primary")
                yield Button("Cancel (esc)", id="validations-fix-cancel")

    def on_mount(self) -> None:
        """Start in the path field."""
        self.query_one(Input).focus()

    @on(RadioSet.Changed)
    def _kind_changed(self, event: RadioSet.Changed) -> None:
        """Another kind: its default path, unless the admin typed one of their own."""
        field = self.query_one(Input)
        if field.value in self.defaults.values():
            field.value = self.defaults[KINDS[event.index]]
        self.kind = KINDS[event.index]
        self.query_one("#validations-fix-problem", Static).update("")

    @on(Input.Submitted)
    @on(Button.Pressed, "#validations-fix-go")
    def _submit(self) -> None:
        """Close with the request when the path can be written, else say why."""
        try:
            path = check_target(self.data_dir, self.kind, self.query_one(Input).value)
        except FixUsageError as exc:
            self.query_one("#validations-fix-problem", Static).update(Content(str(exc)))
            return
        self.dismiss(FixRequest(self.kind, path))

    @on(Button.Pressed, "#validations-fix-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)


class FixPreviewDialog(ModalScreen[None]):
    """Where the file went, what it holds, and its first lines (shown as they are written)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Close", id="validations-fix-preview-dismiss"),
        Binding("enter", "dismiss(None)", "Close", show=False, id="validations-fix-preview-ok"),
    ]

    def __init__(self, result: FixResult, shown_paths: list[str], lines: list[str]) -> None:
        super().__init__()
        self.result = result
        self.shown_paths = shown_paths
        self.lines = lines

    def compose(self) -> ComposeResult:
        """Title, counts, the first lines, and Close."""
        with Vertical(id="validations-fix-preview-box", classes="validations-dialog"):
            yield Label("Fix file written", classes="dialog-title")
            yield Static(
                Content("Written to " + ", ".join(self.shown_paths)),
                id="validations-fix-where",
            )
            yield Static(
                Content("\n".join(self.result.count_lines())),
                classes="dialog-hint",
                id="validations-fix-counts",
            )
            yield Label(f"First lines of {Path(self.shown_paths[0]).name}:")
            room = max(3, min(PREVIEW_LINES, self.app.size.height - 18))
            with Vertical(id="validations-fix-preview"):
                for text in self.lines[:room]:
                    yield Static(Content(text[:PREVIEW_WIDTH]), classes="fix-preview-line")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Close (esc)", id="validations-fix-close", variant="primary")

    def on_mount(self) -> None:
        """The button has the focus (enter closes)."""
        self.query_one(Button).focus()

    @on(Button.Pressed, "#validations-fix-close")
    def _close(self) -> None:
        self.dismiss(None)
