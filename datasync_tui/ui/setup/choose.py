"""Wizard step 1, Choose: vendors and methods in one list, filtered as the admin types."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from datasync_tui.viewmodels.setup import SourceChoice, matching_choices, source_choices


def _prompt(choice: SourceChoice) -> Content:
    """Two lines: the name and its method, then a line of help."""
    head = Content.assemble(
        (choice.title, "bold"),
        ("  via " + choice.method_label, "") if choice.vendor_id else ("  method", "dim"),
    )
    if not choice.available:
        head = Content.assemble(head, ("  — coming soon", "italic dim"))
    return Content.assemble(head, "\n", (choice.help, "dim"))


class ChooseStep(Vertical):
    """The source list with its filter."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "cursor(1)", "Next row", show=False, id="choose-down"),
        Binding("up", "cursor(-1)", "Previous row", show=False, id="choose-up"),
    ]

    class Chosen(Message):
        """A source row was chosen."""

        def __init__(self, choice: SourceChoice) -> None:
            super().__init__()
            self.choice = choice

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.choices = source_choices()
        self._shown: list[SourceChoice] = []

    def compose(self) -> ComposeResult:
        """A hint, the filter and the list."""
        yield Static("Where does your roster data come from?", classes="step-hint")
        yield Input(
            placeholder="Type to filter (PowerSchool, CSV, API…); ↑↓ move, Enter chooses",
            id="choose-filter",
            select_on_focus=False,
            compact=True,
        )
        yield OptionList(id="choose-list")

    def on_mount(self) -> None:
        """Fill the list."""
        self._fill("")

    def _fill(self, text: str, keep: str | None = None) -> None:
        """Show the rows matching text, highlighting keep (else the first available)."""
        options = self.query_one("#choose-list", OptionList)
        self._shown = matching_choices(self.choices, text)
        options.set_options(
            Option(_prompt(c), id=c.key, disabled=not c.available) for c in self._shown
        )
        keys = [c.key for c in self._shown if c.available]
        if keys:
            options.highlighted = options.get_option_index(keep if keep in keys else keys[0])

    def preselect(self, key: str | None) -> None:
        """Clear the filter and highlight a row (the saved source's)."""
        field = self.query_one("#choose-filter", Input)
        with field.prevent(Input.Changed):  # emptying it must not refill the list a second time
            field.value = ""
        self._fill("", key)
        field.focus()

    @property
    def highlighted(self) -> SourceChoice | None:
        """The row under the cursor."""
        options = self.query_one("#choose-list", OptionList)
        if options.highlighted is None:
            return None
        key = options.get_option_at_index(options.highlighted).id
        return next((c for c in self._shown if c.key == key), None)

    @on(Input.Changed, "#choose-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#choose-filter")
    def _submit(self) -> None:
        self.submit()

    @on(OptionList.OptionSelected, "#choose-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.submit()

    def submit(self) -> None:
        """Choose the highlighted row, if it is available."""
        choice = self.highlighted
        if choice is None:
            self.notify("Nothing matches the filter; clear it to see every source.")
        elif not choice.available:
            self.notify(f"{choice.method_label} is coming soon.", severity="warning")
        else:
            self.post_message(self.Chosen(choice))

    def action_cursor(self, step: int) -> None:
        """Move the list's cursor while the filter keeps the focus."""
        options = self.query_one("#choose-list", OptionList)
        if step > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()
