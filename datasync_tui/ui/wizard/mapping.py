"""Wizard step for plain CSV, Mapping: files and headers, the preset, unmapped fields to fill."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Label, Select, Static

from connectors.base import ConnectorError
from connectors.mapping import FieldSpec
from connectors.mapping_overrides import override_text, parse_overrides
from connectors.mapping_view import Gap, MappingView, describe


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

        def __init__(self, view: MappingView) -> None:
            super().__init__()
            self.view = view

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
            yield Static(id="mapping-status", classes="field-help")
        yield Vertical(id="mapping-gaps")
        yield Static(id="mapping-files")

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
        """Read the headers off the event loop."""
        self.post_message(self.Described(describe(path, mapping or None, columns or None)))

    async def on_mapping_step_described(self, message: Described) -> None:
        """Fill the preset picker, the file list and one picker per gap."""
        view = self.view = message.view
        preset = self.query_one("#mapping-preset", Select)
        status = self.query_one("#mapping-status", Static)
        choices = list(view.presets)
        if view.mapping and view.mapping not in choices:
            choices.append(view.mapping)
        with preset.prevent(Select.Changed):
            preset.set_options([(c, c) for c in choices])
            if view.mapping:
                preset.value = view.mapping
        self.query_one("#mapping-files", Static).update(files_text(view))
        gaps = self.query_one("#mapping-gaps", Vertical)
        await gaps.remove_children()
        if view.error:
            status.update(Content.assemble(("✗ ", "bold $error"), view.error))
            return
        note = f"suggested from the headers: {view.suggested}" if view.suggested else ""
        status.update(note or "no preset matches these headers: pick one and map the gaps")
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

    @on(Select.Changed, "#mapping-preset")
    def _preset_changed(self, event: Select.Changed) -> None:
        if self.view is not None and event.value not in (Select.NULL, self.view.mapping):
            self.start(self.path, str(event.value), "")

    def values(self) -> dict[str, str]:
        """The mapping and the column choices to save with the connection."""
        if self.view is None:
            return {}
        preset = self.query_one("#mapping-preset", Select).value
        mapping = "" if preset is Select.NULL else str(preset)
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
