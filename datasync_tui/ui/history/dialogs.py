"""The History page's prompts: a filter's choice, a rollback's confirmation, pause and resume."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from datasync_tui.pause import Pause, PauseError, check_until

EVERY = ""  # the choice "every topic" / "every kind" (None: the dialog was cancelled)


class ChoiceDialog(ModalScreen[str | None]):
    """Pick one of a few values (a topic, a kind); Enter takes it, Esc leaves things as they are."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", id="history-choice-cancel"),
    ]

    def __init__(
        self, title: str, choices: list[tuple[str | None, str]], current: str | None
    ) -> None:
        super().__init__()
        self.title_text = title
        self.choices = choices
        self.current = current

    def compose(self) -> ComposeResult:
        """The title and the choices."""
        with Vertical(id="history-choice-box", classes="validations-dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield OptionList(
                *(Option(label, id=value or EVERY) for value, label in self.choices),
                id="history-choices",
            )
            yield Static("Enter shows them; Esc keeps what is shown.", classes="dialog-hint")

    def on_mount(self) -> None:
        """Start on the choice in force."""
        options = self.query_one(OptionList)
        options.highlighted = options.get_option_index(self.current or EVERY)
        options.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id or EVERY)


class ConfirmRollback(ModalScreen[bool]):
    """Roll back? Says which syncs are undone and that scheduled syncs pause; Cancel first."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(False)", "Cancel", id="history-rollback-cancel"),
    ]

    def __init__(self, target: int, lines: list[str]) -> None:
        super().__init__()
        self.target = target
        self.lines = lines

    def compose(self) -> ComposeResult:
        """Title, what it will do, the two buttons (Cancel has the focus)."""
        with Vertical(id="history-rollback-box", classes="validations-dialog"):
            yield Label(f"Roll back to sync #{self.target}?", classes="dialog-title")
            yield Static(Content("\n".join(self.lines)), id="history-rollback-what")
            yield Static(
                "It is one transaction: the store is what it was after the sync, or unchanged.",
                classes="dialog-hint",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel (esc)", id="history-rollback-no")
                yield Button("Roll back", id="history-rollback-yes", variant="warning")

    def on_mount(self) -> None:
        """Cancel is the default: Enter undoes nothing by accident."""
        self.query_one("#history-rollback-no", Button).focus()

    @on(Button.Pressed, "#history-rollback-yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#history-rollback-no")
    def _no(self) -> None:
        self.dismiss(False)


PAUSE_TEXT = (
    "The daemon skips its scheduled syncs (the daily one, catch-ups, retries) and sends no "
    "stale alert. A sync you ask for (r, `datasync-tui sync`) still runs."
)
RESUME_TEXT = (
    "The daemon's next scheduled sync reads the source as it is now: after a rollback, what "
    "was undone comes back unless it was fixed in the SIS."
)


class PauseDialog(ModalScreen[str | None]):
    """Pause scheduled syncs (until a day, or until resumed), or resume them when paused.

    Dismissed with the last paused day ('' for none, 'resume' to resume) or None (Cancel).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", id="history-pause-cancel"),
    ]

    def __init__(self, paused: Pause | None) -> None:
        super().__init__()
        self.paused = paused

    def compose(self) -> ComposeResult:
        """What pausing (or resuming) does, the day field, the buttons."""
        with Vertical(id="history-pause-box", classes="validations-dialog"):
            if self.paused is not None:
                yield Label("Resume scheduled syncs?", classes="dialog-title")
                yield Static(f"Now: {self.paused.describe()}.", classes="dialog-hint")
                yield Static(RESUME_TEXT, classes="dialog-hint")
                with Horizontal(classes="dialog-buttons"):
                    yield Button("Cancel (esc)", id="history-pause-no")
                    yield Button("Resume", id="history-resume-yes", variant="primary")
                return
            yield Label("Pause scheduled syncs?", classes="dialog-title")
            yield Static(PAUSE_TEXT, classes="dialog-hint")
            yield Label("Last paused day (YYYY-MM-DD; blank: until you resume with p)")
            yield Input(placeholder="until resumed", id="history-pause-until")
            yield Static(id="history-pause-problem", classes="dialog-problem")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Pause (enter)", id="history-pause-yes", variant="warning")
                yield Button("Cancel (esc)", id="history-pause-no")

    def on_mount(self) -> None:
        """The day field (pausing) or Cancel (resuming) has the focus."""
        if self.paused is None:
            self.query_one(Input).focus()
        else:
            self.query_one("#history-pause-no", Button).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#history-pause-yes")
    def _pause(self) -> None:
        """Check the day; pause when it is one (or blank)."""
        text = self.query_one(Input).value.strip()
        try:
            check_until(text or None)
        except PauseError as exc:  # said as the field's, not as the command line's --until
            problem = str(exc).removeprefix("--until ")
            self.query_one("#history-pause-problem", Static).update(f"The day {problem}")
            return
        self.dismiss(text)

    @on(Button.Pressed, "#history-resume-yes")
    def _resume(self) -> None:
        self.dismiss("resume")

    @on(Button.Pressed, "#history-pause-no")
    def _no(self) -> None:
        self.dismiss(None)
