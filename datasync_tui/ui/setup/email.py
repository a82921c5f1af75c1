"""Email alerts in the wizard: a line on the Confirm step and a dialog to set and test them."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from connectors.base import COMMON_OPTIONS, Option
from datasync_tui.paths import DataDir

EMAIL_OPTIONS: tuple[str, ...] = (
    "smtp_url",
    "smtp_user",
    "smtp_password",
    "notify_email",
    "digest_at",
)
OPTIONS: tuple[Option, ...] = tuple(o for o in COMMON_OPTIONS if o.name in EMAIL_OPTIONS)
PLACEHOLDERS = {
    "smtp_url": "smtp://mail.example.org:587",
    "smtp_user": "optional",
    "smtp_password": "optional",
    "notify_email": "it-alerts@example.org, …",
    "digest_at": "off (e.g. 07:00)",
}


def email_summary(values: dict[str, str]) -> str:
    """One line: where alerts go, or that email alerts are off."""
    url, to = values.get("smtp_url", "").strip(), values.get("notify_email", "").strip()
    if not url or not to:
        return "Email alerts: off"
    digest = values.get("digest_at", "").strip()
    return f"Email alerts to {to} via {url}" + (f", digest at {digest}" if digest else "")


def problems(values: dict[str, str]) -> dict[str, str]:
    """Each field's declared check; smtp_url and notify_email go together."""
    found = {}
    for opt in OPTIONS:
        problem = opt.validate(values.get(opt.name, "").strip() or None)
        if problem:
            found[opt.name] = problem
    url, to = values.get("smtp_url", "").strip(), values.get("notify_email", "").strip()
    if url and not to and "notify_email" not in found:
        found["notify_email"] = "notify_email: who gets the alerts? (comma-separated addresses)"
    if to and not url and "smtp_url" not in found:
        found["smtp_url"] = "smtp_url: which server sends them? smtp://host:587"
    return found


class EmailScreen(ModalScreen[dict[str, str] | None]):
    """The email fields, Send test, Save; dismissed with the values (or None)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", id="email-cancel"),
    ]

    def __init__(self, values: dict[str, str], data_dir: DataDir) -> None:
        super().__init__(classes="email-screen")
        self.values = {k: v for k, v in values.items() if k in (*EMAIL_OPTIONS, "ca_bundle")}
        self.data_dir = data_dir

    def compose(self) -> ComposeResult:
        """A field per option, the test's answer, three buttons."""
        with VerticalScroll(id="email-box"):
            yield Static("Email alerts: failures, holds, staleness, new errors.", id="email-title")
            for opt in OPTIONS:
                with Vertical(classes="field"):
                    yield Label(opt.label, classes="field-label")
                    yield Input(
                        value=self.values.get(opt.name, ""),
                        placeholder=PLACEHOLDERS[opt.name],
                        password=opt.secret,
                        compact=True,
                        id=f"email-{opt.name}",
                    )
                    yield Static(opt.help, classes="field-help")
            yield Static(id="email-answer")
            with Horizontal(id="email-buttons"):
                yield Button("Send test", id="email-test")
                yield Button("Save", id="email-save", variant="primary")
                yield Button("Cancel", id="email-close")

    def fields(self) -> dict[str, str]:
        """The values as entered."""
        return {opt.name: self.query_one(f"#email-{opt.name}", Input).value for opt in OPTIONS}

    def _problem(self) -> str | None:
        """The first field problem, shown as the answer line."""
        found = problems(self.fields())
        if not found:
            return None
        name, text = next(iter(found.items()))
        self.query_one("#email-answer", Static).update(f"✗ {text}")
        self.query_one(f"#email-{name}", Input).focus()
        return text

    @on(Button.Pressed, "#email-test")
    def _test_pressed(self) -> None:
        if self._problem() is None:
            settings = {**self.values, **self.fields()}
            if not settings.get("smtp_url"):
                self.query_one("#email-answer", Static).update("✗ set smtp_url and notify_email")
                return
            self.query_one("#email-answer", Static).update("Sending a test message…")
            self._send_test(settings)

    @work(thread=True, group="email-test", exclusive=True, exit_on_error=False)
    def _send_test(self, settings: dict[str, str]) -> None:
        """Send the test off the UI thread (a few seconds at most)."""
        from datasync_tui.alerts import send_test

        answers = send_test(self.data_dir, {k: v for k, v in settings.items() if v})
        mail = [a for a in answers if a.channel == "email"]
        text = (
            (f"✓ sent: {mail[0].text}" if mail[0].ok else f"✗ {mail[0].where}: {mail[0].text}")
            if mail
            else "✗ nothing sent"
        )
        self.app.call_from_thread(self.query_one("#email-answer", Static).update, text)

    @on(Button.Pressed, "#email-save")
    def _save_pressed(self) -> None:
        if self._problem() is None:
            self.dismiss({k: v.strip() for k, v in self.fields().items()})

    @on(Button.Pressed, "#email-close")
    def _close_pressed(self) -> None:
        self.dismiss(None)


class EmailRow(Horizontal):
    """The Confirm step's line on email alerts, with the button that opens the dialog."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.values: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        """Where alerts go, and the button."""
        yield Static(email_summary({}), id="email-summary")
        yield Button("Email alerts…", id="email-open", compact=True)

    def show(self, values: dict[str, str]) -> None:
        """Show the alerts of these values (the draft's: changed in place on Save)."""
        self.values = values
        self.query_one("#email-summary", Static).update(email_summary(values))

    @on(Button.Pressed, "#email-open")
    def _open(self, event: Button.Pressed) -> None:
        event.stop()
        data_dir: DataDir = self.app.ctx.data_dir  # type: ignore[attr-defined]

        def saved(values: dict[str, str] | None) -> None:
            if values is not None:
                self.values.update(values)
                self.show(self.values)

        self.app.push_screen(EmailScreen(self.values, data_dir), saved)
