"""Name a storage fault by its real cause (disk full, read-only, damaged), not by what masked it.

SQLite rolls a transaction back by itself on SQLITE_FULL; the rollback peewee then tries fails
with "cannot rollback - no transaction is active", and that error hides the first one. The
first one is still on the exception's chain (`__context__`), which is where this looks.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

from datasync_tui.store import sqlite

Fault = Literal["full", "readonly", "corrupt"]

# SQLite primary result codes (the low byte of an extended code).
_CODES: dict[int, Fault] = {13: "full", 8: "readonly", 11: "corrupt", 26: "corrupt"}
_ERRNOS: dict[int, Fault] = {errno.ENOSPC: "full", errno.EDQUOT: "full", errno.EROFS: "readonly"}
_TEXTS: tuple[tuple[str, Fault], ...] = (
    ("database or disk is full", "full"),
    ("no space left on device", "full"),
    ("disk quota exceeded", "full"),
    ("attempt to write a readonly database", "readonly"),
    ("read-only file system", "readonly"),
    ("database disk image is malformed", "corrupt"),
    ("file is not a database", "corrupt"),
)


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception, what it was raised from or during, and so on (each once)."""
    seen: set[int] = set()
    todo: list[BaseException] = [exc]
    while todo:
        item = todo.pop(0)
        if id(item) in seen:
            continue
        seen.add(id(item))
        yield item
        todo += [e for e in (item.__cause__, item.__context__) if e is not None]
        todo += [a for a in getattr(item, "args", ()) if isinstance(a, BaseException)]


def fault_of(exc: BaseException) -> tuple[Fault, BaseException] | None:
    """The storage fault behind an exception and the error that told it, if any (by SQLite
    result code, then errno, then message)."""
    for item in _chain(exc):
        code = getattr(item, "sqlite_errorcode", None)
        if isinstance(item, sqlite.Error) and isinstance(code, int) and code & 0xFF in _CODES:
            return _CODES[code & 0xFF], item
        if isinstance(item, OSError) and item.errno in _ERRNOS:
            return _ERRNOS[item.errno], item
    for item in _chain(exc):
        text = str(item).lower()
        for needle, fault in _TEXTS:
            if needle in text:
                return fault, item
    return None


# Below this much free space a sync does not start: it could not even record why it failed.
SYNC_RESERVE = 1 << 20


def disk_full(data_dir: Path, free: int | None = None) -> str:
    """The one line for a full disk, naming the data dir (and the space left, when known)."""
    left = f"only {free // 1024:,} KB free; " if free is not None else ""
    return (
        f"disk full: no space left for the data dir {data_dir} "
        f"({left}the previous data is kept; free some space and run it again)"
    )


def short_of_space(data_dir: Path) -> str | None:
    """The disk-full line when the data dir's file system has under SYNC_RESERVE free."""
    try:
        st = os.statvfs(data_dir)
    except OSError:
        return None
    free = st.f_bavail * st.f_frsize
    return disk_full(data_dir, free) if free < SYNC_RESERVE else None


def writable(database: Path) -> bool:
    """True when the data dir and the database (with its WAL files, when present) are writable."""
    files = [database.parent] + [
        p
        for p in (database, *(database.with_name(database.name + s) for s in ("-wal", "-shm")))
        if p.exists()
    ]
    return all(os.access(p, os.W_OK) for p in files)


def fault_message(exc: BaseException, database: Path) -> str | None:
    """One line naming a storage fault and where, or None when the exception is none."""
    found = fault_of(exc)
    cannot_open = any("unable to open database file" in str(e) for e in _chain(exc))
    if found is None and cannot_open and database.parent.exists() and not writable(database):
        found = ("readonly", exc)  # SQLite says only "unable to open database file"
    if found is None:
        return None
    fault, told = found
    if fault == "full":
        return disk_full(database.parent)
    if fault == "readonly":
        return (
            f"{database} cannot be written: the data dir or the file is read-only ({told}); "
            "check the disk is mounted read-write and the owner and mode of the data dir"
        )
    return f"{database} is damaged ({told}); {PURGE_HINT}"


PURGE_HINT = (
    "run `datasync-tui disconnect --purge` to start afresh, then connect and sync again "
    "(the source's data comes back with the next sync)"
)
