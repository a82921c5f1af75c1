"""The Connection page: the setup wizard (Choose → Options → Check → Confirm), saved at Confirm."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Button, ContentSwitcher, Static

from datasync_tui.store import config
from datasync_tui.ui.base import PageScreen
from datasync_tui.ui.messages import CheckFinished, SyncFinished
from datasync_tui.ui.setup.check import CheckStep, blocked_note
from datasync_tui.ui.setup.choose import ChooseStep
from datasync_tui.ui.setup.confirm import ConfirmStep
from datasync_tui.ui.setup.draft import Draft
from datasync_tui.ui.setup.mapping import MappingStep
from datasync_tui.ui.setup.options import OptionsStep
from datasync_tui.viewmodels.format import display_path

STEPS: tuple[str, ...] = ("choose", "options", "check", "confirm")
CSV_STEPS: tuple[str, ...] = ("choose", "options", "mapping", "check", "confirm")  # plain CSV
TITLES = {
    "choose": "Choose",
    "options": "Options",
    "mapping": "Mapping",
    "check": "Check",
    "confirm": "Confirm",
}
NEXT_LABELS = {
    "choose": "Next →",
    "options": "Check →",
    "mapping": "Check →",
    "check": "Next →",
    "confirm": "Connect and sync",
}


class SetupScreen(PageScreen):
    """The Connection page (setup): a source connected step by step; Back, and Esc cancels."""

    PAGE = "Connection"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="wizard-cancel"),
        Binding("ctrl+b", "back", "Back", id="wizard-back"),
        Binding("ctrl+n", "next", "Next", id="wizard-next"),
    ]

    step: reactive[str] = reactive("choose", init=False)

    def __init__(self) -> None:
        super().__init__()
        self.draft = Draft()
        self.saved = False

    def compose_body(self) -> ComposeResult:
        """Step bar, the four steps, Back and Next."""
        yield Static(id="wizard-steps")
        with ContentSwitcher(initial="choose", id="wizard"):
            yield ChooseStep(id="choose")
            yield OptionsStep(id="options")
            yield MappingStep(id="mapping")
            yield CheckStep(id="check")
            yield ConfirmStep(id="confirm")
        with Horizontal(id="wizard-nav"):
            yield Button("← Back", id="wizard-back-button")
            yield Static(id="wizard-note")
            yield Button("Next →", id="wizard-next-button", variant="primary")

    def on_mount(self) -> None:
        """Start at Choose with the saved source's values, if any."""
        if self.ctx.browse_root is not None:
            self.query_one(OptionsStep).browse_root = self.ctx.browse_root
        self.restart(self.ds.connection)

    def restart(self, conn: config.Connection | None) -> None:
        """Begin again from Choose, filled with conn's values; nothing saved yet."""
        self.draft = Draft.from_connection(conn)
        self.saved = False
        self.step = "choose"
        self._step_changed()
        self.query_one(ChooseStep).preselect(self.draft.current_key)

    @property
    def steps(self) -> tuple[str, ...]:
        """The steps of the chosen method (plain CSV has a Mapping step)."""
        if self.draft.choice is not None and self.draft.choice.method_id == "csv":
            return CSV_STEPS
        return STEPS

    def watch_step(self) -> None:
        """Show the step."""
        self._step_changed()

    def _step_changed(self) -> None:
        """Switch the visible step, redraw the step bar and the buttons."""
        self.query_one(ContentSwitcher).current = self.step
        marks = []
        steps = self.steps
        for i, name in enumerate(steps, 1):
            style = "bold reverse" if name == self.step else "dim"
            marks.append((f" {i} {TITLES[name]} ", style))
            if i < len(steps):
                marks.append((" › ", "dim"))
        self.query_one("#wizard-steps", Static).update(Content.assemble(*marks))
        self._update_nav()

    def _update_nav(self, note: str | None = None) -> None:
        """Back and Next enabled as the step allows, and the note beside them."""
        back = self.query_one("#wizard-back-button", Button)
        forward = self.query_one("#wizard-next-button", Button)
        back.disabled = not self._can_go_back()
        forward.disabled = not self._can_go_on()
        label = NEXT_LABELS[self.step]
        if self.step == "options" and "mapping" in self.steps:
            label = "Next →"
        forward.label = "Dashboard →" if self.saved and not self._syncing else label
        if note is None:
            note = ""
            if self.step == "check":
                check = self.query_one(CheckStep)
                note = check.advice or blocked_note(
                    check.report, check.error, check.method_id, check.options
                )
            if self.step == "confirm" and self._syncing:
                note = "The first sync is running…"
        self.query_one("#wizard-note", Static).update(note)
        self.refresh_bindings()

    @property
    def _syncing(self) -> bool:
        """True while Confirm's first sync runs."""
        return self.query_one(ConfirmStep).syncing

    def _can_go_back(self) -> bool:
        """Back works from every step but the first, until the connection is saved."""
        return self.step != "choose" and not self.saved

    def _can_go_on(self) -> bool:
        """Next works unless the check has not passed or the first sync runs."""
        if self.step == "check":
            return self.query_one(CheckStep).passed
        if self.step == "mapping":
            return self.query_one(MappingStep).ready
        if self.step == "confirm":
            return not self._syncing
        return True

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Back and Next shown, greyed out when they cannot be used."""
        if action == "back":
            return self._can_go_back() or None
        if action == "next":
            return self._can_go_on() or None
        return True

    # -- moving between steps --------------------------------------------------------------

    def action_back(self) -> None:
        """One step back."""
        if self._can_go_back():
            self.step = self.steps[self.steps.index(self.step) - 1]
            self._focus_step()

    async def action_next(self) -> None:
        """One step on, when the current step allows it."""
        if not self._can_go_on():
            return
        if self.step == "choose":
            self.query_one(ChooseStep).submit()
        elif self.step == "options":
            self._leave_options()
        elif self.step == "mapping":
            self._leave_mapping()
        elif self.step == "check":
            self.draft.report = self.query_one(CheckStep).report
            self.query_one(ConfirmStep).show(
                self.draft, display_path(str(self.ctx.data_dir.root)), self.ctx.demo
            )
            self.step = "confirm"
            self._focus_step()
        elif self.saved:
            self.ds.show_page("dashboard")
        else:
            self._connect()

    def action_cancel(self) -> None:
        """Leave the wizard; nothing is saved unless Confirm was pressed."""
        if not self.saved:
            self.notify("Setup cancelled; nothing was saved.")
        self.ds.show_page("dashboard")

    def _focus_step(self) -> None:
        """Put the focus where the step starts."""
        if self.step == "choose":
            self.query_one("#choose-filter").focus()
        elif self.step == "options":
            self.query_one(OptionsStep).focus_first()
        elif self.step == "confirm":
            self.query_one("#confirm-sync-at").focus()
        elif self.step == "mapping":
            self.query_one(MappingStep).focus_first()
        else:
            self.query_one("#wizard-next-button").focus()

    async def on_choose_step_chosen(self, message: ChooseStep.Chosen) -> None:
        """A source was chosen: build its form."""
        self.draft.choose(message.choice)
        title = f"{message.choice.title} via {message.choice.method_label}: fill in its options."
        if not message.choice.vendor_id:
            title = f"{message.choice.title}: fill in its options."
        options = self.draft.options()
        if "mapping" in self.steps:  # the Mapping step sets these
            options = tuple(o for o in options if o.name not in ("mapping", "columns"))
        await self.query_one(OptionsStep).build(title, options, self.draft.values)
        self.step = "options"
        self._focus_step()

    def on_options_step_submitted(self) -> None:
        """Enter in a field: go on to Check."""
        self._leave_options()

    def _leave_options(self) -> None:
        """Check the form; when it is fine, start the source check."""
        form = self.query_one(OptionsStep)
        problems = form.problems()
        self.draft.values.update(form.values())
        if problems:
            form.focus_first(list(problems))
            self._update_nav(f"Fix the {len(problems)} field(s) marked ✗ to go on.")
            return
        if "mapping" in self.steps:
            settings = self.draft.settings()
            self.step = "mapping"
            values = self.draft.values
            self.query_one(MappingStep).start(
                settings.get("path", ""), values.get("mapping", ""), values.get("columns", "")
            )
            self._update_nav()
            self.query_one("#mapping-preset").focus()
            return
        self._start_check()

    def _leave_mapping(self) -> None:
        """Keep the mapping and column choices; go on to Check when no required field is left."""
        step = self.query_one(MappingStep)
        missing = step.unmapped()
        if missing:
            step.focus_first()
            self._update_nav(f"Choose a column for {', '.join(missing)} to go on.")
            return
        self.draft.values.update(step.values())
        self._start_check()

    def on_mapping_step_described(self) -> None:
        """The headers were read: Next works, the first gap takes the focus."""
        self._update_nav()
        if self.step == "mapping":
            self.query_one(MappingStep).focus_first()

    def _start_check(self) -> None:
        """Start the source check with the draft's settings."""
        settings = self.draft.settings()
        where = settings.get("path") or settings.get("base_url") or ""
        label = f"{self.draft.method.label} at {display_path(where)}" if where else ""
        self.step = "check"
        self.query_one(CheckStep).options = self.draft.options()
        self.query_one(CheckStep).start(self.draft.method.id, settings, label or "the source")
        self._update_nav()
        self.query_one("#wizard-back-button").focus()

    def on_check_finished(self, message: CheckFinished) -> None:
        """The check ended: enable Next if it passed."""
        self._update_nav()
        if self.query_one(CheckStep).passed:
            self.query_one("#wizard-next-button").focus()

    def _connect(self) -> None:
        """Save the connection, then run the first sync here."""
        confirm = self.query_one(ConfirmStep)
        if confirm.problem():
            self.query_one("#confirm-sync-at").focus()
            return
        self.draft.values.update(confirm.values())
        conn = self.draft.connection()
        from datasync_tui.connection import InvalidSetting, save_connection
        from datasync_tui.sync.lock import BusyError

        try:  # as a writer (never replaced under a running sync), every value as declared
            save_connection(self.ctx.data_dir, conn)
        except (BusyError, InvalidSetting) as exc:
            self._update_nav(f"Not saved: {exc}")
            self.notify(f"Not saved: {exc}", severity="error")
            return
        self.saved = True
        self.ds.connection = conn
        confirm.start_sync()
        self._update_nav()

    def on_sync_finished(self, message: SyncFinished) -> None:
        """The first sync ended: to the dashboard once its facts are read, else say why."""
        result = message.result
        if message.ok and result is not None:
            self.notify(f"Connected. First sync #{result.run_id} applied.")
            # The dashboard opens on the new facts, never on the old "No source connected".
            self.ds.reload(then=self._to_dashboard)
            return
        self.ds.reload()
        reason = message.error or (result.error if result else "") or "unknown"
        self._update_nav(f"Saved, but the first sync did not apply: {reason}")
        self.notify(f"The first sync did not apply: {reason}", severity="error")

    def _to_dashboard(self) -> None:
        """The first sync's facts are in: the dashboard, if the wizard is still in front."""
        if self.is_current:
            self.ds.show_page("dashboard")

    @on(Button.Pressed, "#wizard-back-button")
    def _back_pressed(self) -> None:
        self.action_back()

    @on(Button.Pressed, "#wizard-next-button")
    async def _next_pressed(self) -> None:
        await self.action_next()
