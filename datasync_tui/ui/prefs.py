"""The app's own preferences (the theme), kept in the data dir's tui.json, owner-only."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from datasync_tui.paths import DataDir

FILE = "tui.json"


def prefs_path(data_dir: DataDir) -> Path:
    """Where the preferences live."""
    return data_dir.root / FILE


def load(data_dir: DataDir) -> dict[str, Any]:
    """The saved preferences ({} when none or unreadable)."""
    try:
        found = json.loads(prefs_path(data_dir).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def save(data_dir: DataDir, **changes: Any) -> None:
    """Merge changes into the saved preferences (atomically, 0600; nothing when no data dir)."""
    if not data_dir.root.is_dir():
        return
    doc = {**load(data_dir), **changes}
    path = prefs_path(data_dir)
    tmp = path.with_name(f".{FILE}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(doc, fh)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
