"""A record with every field, values whole (wrapped), and its related records; Enter opens one."""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Static

from datasync_tui.paths import DataDir
from datasync_tui.topics import SCREEN_LABELS
from datasync_tui.viewmodels.explore import Record, load_record, reader

NAME_WIDTH = 22


class FieldList(VerticalScroll, can_focus=True):
    """Every field of the record, name then value; a long value wraps, never cut."""

    def show(self, fields: list[tuple[str, str]]) -> None:
        """Replace the rows."""
        self.remove_children()
        width = min(NAME_WIDTH, max((len(n) for n, _ in fields), default=0) + 2)
        self.mount_all(
            Horizontal(
                Static(Content.styled(name, "bold"), classes="field-name").set_styles(
                    f"width: {width};"
                ),
                Static(Content(value), classes="field-value"),
                classes="field-row",
            )
            for name, value in fields
        )


def ellipsis(text: str, width: int) -> str:
    """text, ending in … when longer than width (never cut silently)."""
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def fitted_widths(rows: list[tuple[str, str, str]], room: int) -> list[int]:
    """Column widths within room: kind whole, then the name, the detail gets what is left."""
    kind = max([len("Related")] + [len(r[0]) for r in rows])
    name = max([len("Name")] + [len(r[1]) for r in rows])
    detail = max([len("Detail")] + [len(r[2]) for r in rows])
    name = max(8, min(name, room - kind - 8))
    return [kind, name, max(8, min(detail, room - kind - name))]


class RelatedTable(DataTable[str]):
    """The related records; Enter opens the one under the cursor."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Open related record", id="record-open-related"),
    ]


class RecordScreen(ModalScreen[None]):
    """One record of a topic, read in a worker from its rowid or sourcedId."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="record-back"),
        Binding("tab", "app.focus_next", "Fields ⇄ related", id="record-switch"),
    ]

    class Loaded(Message):
        """The record was read (None: it is not in the store)."""

        def __init__(self, record: Record | None) -> None:
            super().__init__()
            self.record = record

    def __init__(
        self, data_dir: DataDir, topic: str, *, rowid: int | None = None, sourced_id: str = ""
    ) -> None:
        super().__init__(classes="record-screen")
        self.data_dir = data_dir
        self.topic = topic
        self.rowid = rowid
        self.sourced_id = sourced_id
        self.record: Record | None = None

    def compose(self) -> ComposeResult:
        """Title, fields on the left, related records on the right, Footer."""
        with Vertical(id="record-box"):
            yield Static("Reading the record…", id="record-title")
            with Horizontal(id="record-panes"):
                yield FieldList(id="record-fields")
                related = RelatedTable(id="record-related", cursor_type="row")
                related.add_columns("Related", "Name", "Detail")
                yield related
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        """Read the record."""
        self._load()

    @work(thread=True, exit_on_error=False, name="Reading the record")
    def _load(self) -> None:
        """Read it off the UI thread."""
        conn = reader(self.data_dir.database)
        try:
            record = load_record(conn, self.topic, rowid=self.rowid, sourced_id=self.sourced_id)
        finally:
            conn.close()
        self.post_message(self.Loaded(record))

    def on_record_screen_loaded(self, message: Loaded) -> None:
        """Fill both tables."""
        record = self.record = message.record
        title = self.query_one("#record-title", Static)
        if record is None:
            title.update(
                f"{SCREEN_LABELS[self.topic]}: {self.sourced_id or self.rowid} is not in the store."
            )
            return
        related_count = len(record.related) + sum(record.more.values())
        title.update(
            f"[b]{SCREEN_LABELS[record.topic]}[/b] · {record.title} · {record.sourced_id}"
            f"  [dim]({len(record.fields)} fields, {related_count:,} related)[/dim]"
        )
        fields = self.query_one(FieldList)
        fields.show(record.fields)
        related = self.query_one("#record-related", DataTable)
        rows = [
            (i.kind, i.title if i.found else f"{i.sourced_id} (not in the store)", i.detail)
            for i in record.related
        ]
        rows += [(kind, f"… and {more:,} more", "") for kind, more in record.more.items()]
        widths = fitted_widths(rows, related.size.width - 2 * related.cell_padding * 3 - 1)
        related.clear(columns=True)
        for label, width in zip(("Related", "Name", "Detail"), widths, strict=True):
            related.add_column(label, width=width)
        keys = [str(i) for i in range(len(record.related))] + [f"more-{k}" for k in record.more]
        for key, row in zip(keys, rows, strict=True):
            related.add_row(*(ellipsis(v, w) for v, w in zip(row, widths, strict=True)), key=key)
        (related if record.related else fields).focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a related record opens it."""
        if event.data_table.id != "record-related" or self.record is None:
            return
        key = event.row_key.value or ""
        if not key.isdigit():
            return
        item = self.record.related[int(key)]
        if not item.found:
            self.notify(f"{item.sourced_id} is named here but is not in the store.")
            return
        self.app.push_screen(RecordScreen(self.data_dir, item.topic, sourced_id=item.sourced_id))

    def action_back(self) -> None:
        """Back to where it was opened from."""
        self.dismiss(None)
