"""The layers of ARCHITECTURE.md hold: the core runs without Textual, connectors stand alone."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import datasync_tui

CORE = sorted(
    m.name
    for m in pkgutil.walk_packages(datasync_tui.__path__, "datasync_tui.")
    if not m.name.startswith("datasync_tui.ui")
)


def imported_after(modules: list[str]) -> set[str]:
    """The top-level packages loaded after importing modules, in a fresh interpreter."""
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "print('\\n'.join(sorted({k.split('.')[0] for k in sys.modules})))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    return set(out.stdout.split())


def test_core_imports_no_textual() -> None:
    assert "datasync_tui.cli" in CORE and "datasync_tui.sync" in CORE
    loaded = imported_after(CORE)
    assert "textual" not in loaded
    assert "rich" not in loaded


def test_connectors_import_nothing_of_the_app() -> None:
    import connectors

    names = [m.name for m in pkgutil.walk_packages(connectors.__path__, "connectors.")]
    loaded = imported_after(names)
    assert "datasync_tui" not in loaded
    assert "peewee" not in loaded
    assert "textual" not in loaded
