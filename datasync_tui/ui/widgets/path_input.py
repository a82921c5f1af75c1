"""Path entry: completion from the file system as the admin types, and a picker."""

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
from textual.widgets import Button, DirectoryTree, Label


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


class PathPicker(ModalScreen[str | None]):
    """Browse for a bundle: Enter on a file takes it; the button takes the highlighted folder."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", id="picker-cancel"),
        Binding("ctrl+u", "use_folder", "Use folder", id="picker-use-folder"),
    ]

    def __init__(self, root: Path) -> None:
        super().__init__()
        self.root = root

    def compose(self) -> ComposeResult:
        """The tree and the two buttons."""
        with Vertical(id="picker-box"):
            yield Label(f"Choose the bundle (.zip) or its folder, under {self.root}")
            yield DirectoryTree(self.root, id="picker-tree")
            with Horizontal(id="picker-buttons"):
                yield Button("Use highlighted folder (^u)", id="picker-folder")
                yield Button("Cancel (esc)", id="picker-cancel")

    @on(DirectoryTree.FileSelected)
    def _file(self, event: DirectoryTree.FileSelected) -> None:
        self.dismiss(str(event.path))

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
