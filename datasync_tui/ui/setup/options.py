"""Wizard step 2, Options: a form built from the method's declared options, checked inline."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Collapsible, Input, Label, Select, Static

from connectors.base import COMMON_OPTIONS, Option
from datasync_tui.ui.setup.draft import CONFIRM_OPTIONS
from datasync_tui.ui.widgets.path_input import PathPicker, PathSuggester, start_folder
from datasync_tui.viewmodels.setup import path_problem

# Common options kept under "More settings" (the wizard's Confirm step asks for the others).
ADVANCED = ("max_removal_pct", "stale_after_hours", "notify_url", "adds_only_until", "ca_bundle")


def advanced(opt: Option) -> bool:
    """A common option kept under "More settings" (a method's own ca_bundle stays in view)."""
    return opt.name in ADVANCED and any(opt is common for common in COMMON_OPTIONS)


def problem_of(opt: Option, value: str) -> str | None:
    """The declared check, then (for paths) whether the file or folder is there."""
    problem = opt.validate(value.strip() or None)
    if problem is None and opt.kind == "path":
        problem = path_problem(value)
    return problem


def field_for(opt: Option, value: str) -> Widget:
    """The entry widget of one option."""
    if opt.kind == "choice" and opt.choices:
        chosen = value or opt.default or opt.choices[0]
        return Select(
            [(c, c) for c in opt.choices],
            value=chosen if chosen in opt.choices else opt.choices[0],
            allow_blank=False,
            compact=True,
            id=f"opt-{opt.name}",
        )
    return Input(
        value=value,
        placeholder=opt.default or ("required" if opt.required else "optional"),
        password=opt.secret or opt.kind == "secret",
        suggester=PathSuggester() if opt.kind == "path" else None,
        select_on_focus=False,  # typing into a filled-in field adds to it, never replaces it
        compact=True,
        id=f"opt-{opt.name}",
    )


class OptionsStep(VerticalScroll):
    """The form; it holds values only, nothing is saved here."""

    class Submitted(Message):
        """Enter was pressed in a field: go on."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.options: tuple[Option, ...] = ()
        self.browse_root: Path = Path.home()

    def compose(self) -> ComposeResult:
        """A title; the fields arrive with build()."""
        yield Static(id="options-title", classes="step-hint")
        yield Vertical(id="options-form")

    async def build(self, title: str, options: tuple[Option, ...], values: dict[str, str]) -> None:
        """Replace the form with fields for options, filled with values."""
        self.options = tuple(o for o in options if o.name not in CONFIRM_OPTIONS)
        self.query_one("#options-title", Static).update(title)
        form = self.query_one("#options-form", Vertical)
        await form.remove_children()
        main = [o for o in self.options if not advanced(o)]
        more = [o for o in self.options if advanced(o)]
        await form.mount_all(self._field(o, values.get(o.name, "")) for o in main)
        if more:
            await form.mount(
                Collapsible(
                    *(self._field(o, values.get(o.name, "")) for o in more),
                    title="More settings",
                    id="options-more",
                )
            )

    def _field(self, opt: Option, value: str) -> Vertical:
        """Label, entry (and Browse for paths), help, problem."""
        mark = " *" if opt.required and opt.default is None else ""
        entry = field_for(opt, value)
        row: Widget = entry
        if opt.kind == "path":
            row = Horizontal(
                entry,
                Button("Browse…", id=f"browse-{opt.name}", classes="browse", compact=True),
                classes="path",
            )
        problem = Static("", id=f"problem-{opt.name}", classes="field-problem")
        problem.display = False
        return Vertical(
            Label(f"{opt.label}{mark}", classes="field-label"),
            row,
            Static(opt.help, classes="field-help"),
            problem,
            classes="field",
        )

    def values(self) -> dict[str, str]:
        """The value of every field as entered."""
        out = {}
        for opt in self.options:
            widget = self.query_one(f"#opt-{opt.name}")
            if isinstance(widget, Select):
                out[opt.name] = "" if widget.value is Select.BLANK else str(widget.value)
            elif isinstance(widget, Input):
                out[opt.name] = widget.value
        return out

    def problems(self) -> dict[str, str]:
        """Every field's problem, shown inline; empty when the form can go on."""
        values = self.values()
        found = {}
        for opt in self.options:
            problem = problem_of(opt, values.get(opt.name, ""))
            self._show(opt.name, problem)
            if problem:
                found[opt.name] = problem
        return found

    def focus_first(self, names: list[str] | None = None) -> None:
        """Focus the first field (or the first of names)."""
        for opt in self.options:
            if names is None or opt.name in names:
                widget = self.query_one(f"#opt-{opt.name}")
                if advanced(opt):
                    self.query_one("#options-more", Collapsible).collapsed = False
                if isinstance(widget, Input):
                    widget.cursor_position = len(widget.value)
                widget.focus()
                return

    def _show(self, name: str, problem: str | None) -> None:
        """Show or hide one field's problem."""
        box = self.query_one(f"#problem-{name}", Static)
        box.update(f"✗ {problem}" if problem else "")
        box.display = problem is not None

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        name = (event.input.id or "").removeprefix("opt-")
        opt = next((o for o in self.options if o.name == name), None)
        if opt is not None:
            self._show(name, problem_of(opt, event.value) if event.value else None)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Submitted())

    @on(Button.Pressed, ".browse")
    def _browse(self, event: Button.Pressed) -> None:
        event.stop()
        name = (event.button.id or "").removeprefix("browse-")
        target = self.query_one(f"#opt-{name}", Input)

        def picked(path: str | None) -> None:
            if path:
                target.value = path
                target.focus()

        self.app.push_screen(PathPicker(start_folder(target.value, self.browse_root)), picked)
