"""Whether a data dir's store can be trusted and written: `status` asks before it reports."""

from __future__ import annotations

import os
from contextlib import closing
from pathlib import Path

from datasync_tui.store import sqlite
from datasync_tui.store.faults import PURGE_HINT, fault_message, writable


def store_problem(database: Path) -> str | None:
    """Why the store is damaged or cannot be written, in one line; None when it is sound.

    SQLite's quick_check reads every page (about 0.4 s for 470 MB): mid-file damage that the
    few pages a status reads would miss is found here.
    """
    if not database.exists():
        return None
    if not writable(database):
        read_only_fs = os.statvfs(database.parent).f_flag & os.ST_RDONLY
        why = "read-only file system" if read_only_fs else "no write permission"
        return fault_message(PermissionError(why), database)
    try:
        with closing(sqlite.connect(f"{database.as_uri()}?mode=ro", uri=True)) as conn:
            found = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
    except sqlite.DatabaseError as exc:
        return fault_message(exc, database) or f"{database} cannot be read ({exc}); {PURGE_HINT}"
    if found != "ok":
        first = " ".join(line for line in found.splitlines() if not line.startswith("***"))
        return f"{database} is damaged ({first.strip()}); {PURGE_HINT}"
    return None
