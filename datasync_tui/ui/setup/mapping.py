"""Wizard step for plain CSV, Mapping: files and headers, the preset, unmapped fields to fill."""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Input, Label, Select, Static

from connectors.base import ConnectorError
from connectors.mapped_csv.connector import MappedCsvConnector
from connectors.mapped_csv.mapping import FieldSpec
from connectors.mapped_csv.overrides import override_text, parse_overrides
from connectors.mapped_csv.view import Gap, MappingView, describe
from datasync_tui.ui.setup.advice import folder_advice
from datasync_tui.ui.setup.wording import in_form_words
from datasync_tui.ui.widgets.path_input import PathPicker, PathSuggester, start_folder

CUSTOM = "\x00custom"  # the picker's value for "a mapping file of my own"
CUSTOM_LABEL = "Custom mapping file…"


def files_text(view: MappingView) -> Content:
    """Each CSV file with its header, one line each (long headers cut)."""
    parts: list[str | tuple[str, str]] = [("Files found\n", "bold")]
    for name, header in sorted(view.files.items()):
        columns = ", ".join(header) or "(empty)"
        if len(columns) > 90:
            columns = columns[:89] + "…"
        parts += [(f"  {name:<24}", "bold"), (columns, "dim"), "\n"]
    return Content.assemble(*parts).rstrip()


class MappingStep(VerticalScroll):
    """Reads the headers in a worker; the preset is preselected; gaps get a column picker each."""

    class Described(Message):
        """The headers were read and the mapping matched against them."""

        def __init__(self, view: MappingView, advice: str | None = None) -> None:
            super().__init__()
            self.view = view
            self.advice = advice

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.view: MappingView | None = None
        self.path = ""
        self.columns = ""

    def compose(self) -> ComposeResult:
        """A hint, the preset picker, the files and the gaps."""
        yield Static("How the CSV files map to roster data.", classes="step-hint")
        with Vertical(classes="field"):
            yield Label("Mapping", classes="field-label")
            yield Select[str]([], id="mapping-preset", compact=True, prompt="reading headers…")
            with Horizontal(id="mapping-file-row", classes="path"):
                yield Input(
                    placeholder="a mapping file (.toml or .json), then Enter",
                    suggester=PathSuggester(),
                    select_on_focus=False,
                    compact=True,
                    id="mapping-file",
                )
                yield Button("Browse…", id="mapping-browse", classes="browse", compact=True)
            yield Static(id="mapping-status", classes="field-help")
        yield Vertical(id="mapping-gaps")
        yield Static(id="mapping-files")

    def on_mount(self) -> None:
        """The file field shows only when a custom mapping file is chosen."""
        self.query_one("#mapping-file-row").display = False

    @property
    def ready(self) -> bool:
        """True once the headers were read."""
        return self.view is not None and self.view.error is None

    def start(self, path: str, mapping: str, columns: str) -> None:
        """Read the headers of path in a thread worker."""
        self.view, self.path, self.columns = None, path, columns
        self.query_one("#mapping-status", Static).update("Reading the headers…")
        self._describe(path, mapping, columns)

    @work(thread=True, group="mapping", exclusive=True, exit_on_error=False)
    def _describe(self, path: str, mapping: str, columns: str) -> None:
        """Read the headers off the event loop (and, when no preset fits, what the folder is)."""
        view = describe(path, mapping or None, columns or None)
        advice = folder_advice("csv", path) if view.error and not mapping else None
        self.post_message(self.Described(view, advice))

    async def on_mapping_step_described(self, message: Described) -> None:
        """Fill the preset picker, the file list and one picker per gap."""
        view = self.view = message.view
        preset = self.query_one("#mapping-preset", Select)
        status = self.query_one("#mapping-status", Static)
        custom = bool(view.mapping) and view.mapping not in view.presets
        with preset.prevent(Select.Changed):
            preset.set_options([(c, c) for c in view.presets] + [(CUSTOM_LABEL, CUSTOM)])
            if view.mapping:
                preset.value = CUSTOM if custom else view.mapping
        self.query_one("#mapping-file-row").display = custom or self._custom_chosen
        if custom:
            self.query_one("#mapping-file", Input).value = view.mapping or ""
        self.query_one("#mapping-files", Static).update(files_text(view))
        gaps = self.query_one("#mapping-gaps", Vertical)
        await gaps.remove_children()
        if view.error:
            words = in_form_words(view.error, MappedCsvConnector.all_options())
            parts: list[str | tuple[str, str]] = [("✗ ", "bold $text-error"), words]
            if message.advice:
                parts += ["\n", ("→ ", "bold $text-warning"), (message.advice, "bold")]
            status.update(Content.assemble(*parts))
            return
        note = f"suggested from the headers: {view.suggested}" if view.suggested else ""
        note = note or "no preset matches these headers: pick one and map the gaps"
        if view.gaps:
            note += (
                ". Below, choose the column that holds each field; for a value no column holds, "
                f"write your own mapping file (README: Plain CSV) and pick {CUSTOM_LABEL}"
            )
        status.update(note)
        await gaps.mount_all(self._gap_field(i, gap) for i, gap in enumerate(view.gaps))
        for i, gap in enumerate(view.gaps):
            if gap.suggested:  # the likeliest column is preselected; the admin may change it
                self.query_one(f"#gap-{i}", Select).value = gap.suggested

    def _gap_field(self, i: int, gap: Gap) -> Vertical:
        """A column picker for one required field."""
        select = Select[str](
            [(c, c) for c in gap.candidates], prompt="choose a column", id=f"gap-{i}", compact=True
        )
        return Vertical(
            Label(f"{gap.target} in {gap.file} *", classes="field-label"),
            select,
            Static(f"✗ {gap.why}: choose the column that holds it", classes="field-help"),
            classes="field mapping-gap",
        )

    @property
    def _custom_chosen(self) -> bool:
        """True when the picker says: a custom mapping file."""
        return self.query_one("#mapping-preset", Select).value == CUSTOM

    @on(Select.Changed, "#mapping-preset")
    def _preset_changed(self, event: Select.Changed) -> None:
        self.query_one("#mapping-file-row").display = event.value == CUSTOM
        if event.value == CUSTOM:
            self.query_one("#mapping-file", Input).focus()
        elif self.view is not None and event.value not in (Select.NULL, self.view.mapping):
            self.start(self.path, str(event.value), "")

    @on(Input.Submitted, "#mapping-file")
    def _file_entered(self, event: Input.Submitted) -> None:
        """Enter in the file field: read the headers through that mapping file."""
        event.stop()
        value = event.value.strip()
        if value:
            self.start(self.path, str(Path(value).expanduser().resolve()), "")

    @on(Button.Pressed, "#mapping-browse")
    def _browse(self, event: Button.Pressed) -> None:
        event.stop()
        field = self.query_one("#mapping-file", Input)

        def picked(path: str | None) -> None:
            if path:
                field.value = path
                self.start(self.path, path, "")

        self.app.push_screen(PathPicker(start_folder(field.value or self.path)), picked)

    def values(self) -> dict[str, str]:
        """The mapping and the column choices to save with the connection."""
        if self.view is None:
            return {}
        preset = self.query_one("#mapping-preset", Select).value
        mapping = "" if preset is Select.NULL else str(preset)
        if preset == CUSTOM:
            mapping = self.view.mapping or self.query_one("#mapping-file", Input).value.strip()
        chosen = [(f, f"{t}.{n}", s.columns[0]) for f, t, n, s in self._kept()]
        for i, gap in enumerate(self.view.gaps):
            column = self.query_one(f"#gap-{i}", Select).value
            if column is not Select.NULL:
                chosen.append((gap.file, gap.target, str(column)))
        return {"mapping": mapping, "columns": override_text(chosen)}

    def _kept(self) -> list[tuple[str, str, str, FieldSpec]]:
        """Earlier column choices (from the saved connection) that still apply."""
        if self.view is None or not self.columns:
            return []
        try:
            pairs = parse_overrides(self.columns)
        except ConnectorError:
            return []
        return [(f or "", t, n, s) for f, t, n, s in pairs if s.columns]

    def unmapped(self) -> list[str]:
        """The required fields still without a column."""
        if self.view is None:
            return []
        return [
            gap.target
            for i, gap in enumerate(self.view.gaps)
            if self.query_one(f"#gap-{i}", Select).value is Select.NULL
        ]

    def focus_first(self) -> None:
        """Focus the first gap, else the preset."""
        found = self.query(".mapping-gap Select")
        (found.first() if found else self.query_one("#mapping-preset")).focus()
