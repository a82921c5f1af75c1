"""Path entry: completion from the file system as the admin types, and a picker that starts at
the typed path's folder and can go up to any folder the user may read."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Button, DirectoryTree, Footer, Label


def _complete(value: str) -> str | None:
    """The first entry of the typed folder that starts with the typed name."""
    if not value:
        return None
    expanded = os.path.expanduser(value)
    folder, prefix = os.path.split(expanded)
    try:
        names = sorted(os.listdir(folder or "."))
    except OSError:
        return None
    for name in names:
        if name.startswith(prefix) and not name.startswith(".") and name != prefix:
            full = os.path.join(folder, name)
            tail = name[len(prefix) :] + ("/" if os.path.isdir(full) else "")
            return value + tail
    return None


class PathSuggester(Suggester):
    """Suggests the rest of a file or folder name (→ accepts it)."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        """Complete off the event loop (a folder listing may be slow on a network mount)."""
        return await asyncio.to_thread(_complete, value)


def start_folder(value: str, fallback: Path | None = None) -> Path:
    """Where browsing starts: the typed path's folder (its nearest existing one), else fallback."""
    if value.strip():
        path = Path(os.path.expanduser(value.strip())).absolute()
        while not path.exists() and path != path.parent:
            path = path.parent
        return path if path.is_dir() else path.parent
    return fallback or Path.home()


class PathPicker(ModalScreen[str | None]):
    """Browse for a file or folder anywhere readable: Enter on a file takes it, ⌫ goes up."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("backspace", "parent", "Parent folder", key_display="⌫", id="picker-parent"),
        Binding("ctrl+u", "use_folder", "Use folder", id="picker-use-folder"),
        Binding("escape", "dismiss(None)", "Cancel", id="picker-cancel"),
    ]

    def __init__(self, start: Path) -> None:
        super().__init__()
        self.root = start

    def compose(self) -> ComposeResult:
        """Where it is, the tree and the buttons."""
        with Vertical(id="picker-box"):
            yield Label(self._where(), id="picker-where")
            yield DirectoryTree(self.root, id="picker-tree")
            with Horizontal(id="picker-buttons"):
                yield Button("Up a folder (⌫)", id="picker-up")
                yield Button("Use highlighted folder (^u)", id="picker-folder")
                yield Button("Cancel (esc)", id="picker-cancel")
        yield Footer(compact=True, show_command_palette=False)

    def _where(self) -> str:
        """The folder shown."""
        return f"In {self.root} — Enter opens a folder or takes a file; ⌫ goes up"

    def action_parent(self) -> None:
        """Show the folder above (up to /): any folder the user may read is reachable."""
        if self.root.parent != self.root:
            self.root = self.root.parent
            self.query_one(DirectoryTree).path = self.root
            self.query_one("#picker-where", Label).update(self._where())

    @on(DirectoryTree.FileSelected)
    def _file(self, event: DirectoryTree.FileSelected) -> None:
        self.dismiss(str(event.path))

    @on(Button.Pressed, "#picker-up")
    def _up_pressed(self) -> None:
        self.action_parent()

    @on(Button.Pressed, "#picker-folder")
    def _folder_pressed(self) -> None:
        self.action_use_folder()

    @on(Button.Pressed, "#picker-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    def action_use_folder(self) -> None:
        """Take the highlighted folder (or the folder of the highlighted file)."""
        tree = self.query_one(DirectoryTree)
        node = tree.cursor_node
        if node is None or node.data is None:
            self.dismiss(str(self.root))
            return
        path = Path(node.data.path)
        self.dismiss(str(path if path.is_dir() else path.parent))
