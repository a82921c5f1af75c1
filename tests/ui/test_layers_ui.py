"""datasync_tui.ui is the only package that imports textual; the CLI loads it only for the TUI."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def imports_of(path: Path) -> set[str]:
    """The top-level modules a source file imports (anywhere in it)."""
    tree = ast.parse(path.read_text("utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
    return found


def test_only_the_ui_package_imports_textual() -> None:
    offenders = []
    for package in ("datasync_tui", "connectors"):
        for path in sorted((REPO / package).rglob("*.py")):
            inside_ui = path.is_relative_to(REPO / "datasync_tui" / "ui")
            if not inside_ui and imports_of(path) & {"textual", "rich"}:
                offenders.append(str(path.relative_to(REPO)))
    assert offenders == []
    assert "textual" in imports_of(REPO / "datasync_tui" / "ui" / "app.py")


def test_headless_commands_never_load_textual(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from datasync_tui.cli import main\n"
        f"main(['--data-dir', {str(tmp_path)!r}, 'status', '--json'])\n"
        "main(['methods'])\n"
        "import datasync_tui.ui\n"  # the package itself is light: the app loads on run()
        "assert 'textual' not in sys.modules, 'textual was imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO, capture_output=True)
