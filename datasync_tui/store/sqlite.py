"""The one SQLite every reader and writer of the store uses: sqlean.py's, with its CSV reader.

sqlean.py bundles the same SQLite (3.50) on every platform with extensions; only `vsv` (a CSV
reader in C, used by the CSV connectors' loads) is enabled. Import the driver from here, never
the standard library's `sqlite3`, so one SQLite version reads and writes every file.
"""

from __future__ import annotations

from pathlib import Path

import sqlean
from sqlean import (
    SQLITE_OK,
    SQLITE_READ,
    Connection,
    DatabaseError,
    Error,
    IntegrityError,
    OperationalError,
)

sqlean.extensions.enable("vsv")

__all__ = [
    "SQLITE_OK",
    "SQLITE_READ",
    "Connection",
    "DatabaseError",
    "Error",
    "IntegrityError",
    "OperationalError",
    "connect",
    "reader",
    "version",
]

BUSY_TIMEOUT_S = 30


def connect(path: str | Path, **kwargs: object) -> Connection:
    """A connection to the database at path (any thread may use it, one at a time)."""
    kwargs.setdefault("timeout", BUSY_TIMEOUT_S)
    kwargs.setdefault("check_same_thread", False)
    return sqlean.connect(str(path), **kwargs)  # type: ignore[arg-type]


def reader(path: str | Path, cache_kib: int = 16_000) -> Connection:
    """A read-only connection to the store (query_only, busy timeout, a bounded page cache)."""
    conn = connect(path)
    conn.execute("PRAGMA query_only = ON")
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
    conn.execute(f"PRAGMA cache_size = -{int(cache_kib)}")
    return conn


def version() -> str:
    """The SQLite version every connection uses."""
    return str(sqlean.sqlite_version)
