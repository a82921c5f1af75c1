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


def test_every_database_connection_goes_through_sqlean() -> None:
    """No module opens the standard library's sqlite3: one bundled SQLite reads and writes."""
    import ast

    root = Path(__file__).resolve().parent.parent
    offenders = []
    for path in [*root.glob("datasync_tui/**/*.py"), *root.glob("connectors/**/*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n == "sqlite3" or n.startswith("sqlite3.") for n in names):
                offenders.append(str(path.relative_to(root)))
    assert offenders == []


def test_the_store_runs_sqlean_sqlite_with_its_csv_reader(tmp_path: Path) -> None:
    from datasync_tui.store import sqlite
    from datasync_tui.store.db import connect

    db = connect(tmp_path / "store.db")
    try:
        conn = db.connection()
        assert isinstance(conn, sqlite.Connection)
        assert conn.execute("SELECT sqlite_version()").fetchone()[0] == sqlite.version()
        assert sqlite.version().startswith("3.50.")
        csv = tmp_path / "a.csv"
        csv.write_text("x,y\n1,2\n", encoding="utf-8")
        conn.execute(f"CREATE VIRTUAL TABLE temp.t USING vsv(filename='{csv}', header=yes)")
        assert conn.execute("SELECT * FROM temp.t").fetchall() == [("1", "2")]
    finally:
        db.close()
