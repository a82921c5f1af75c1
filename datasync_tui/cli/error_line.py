"""A headless command's failure as one line: storage faults named by their cause and file."""

from __future__ import annotations

import peewee as pw

from datasync_tui.paths import DataDir
from datasync_tui.store import sqlite
from datasync_tui.store.faults import fault_message

DB_ERRORS = (pw.DatabaseError, sqlite.DatabaseError)


def error_line(exc: BaseException, data_dir: DataDir | None) -> str:
    """What went wrong and where: a full disk, a read-only or damaged store (with the file and
    what to do), a database error of ours as such (never a hint to purge a sound store), else
    the error's own one line."""
    if data_dir is not None and isinstance(exc, (OSError, *DB_ERRORS)):
        told = fault_message(exc, data_dir.database)
        if told:
            return told
    if isinstance(exc, DB_ERRORS):  # not the store's fault (those are named above): ours
        where = data_dir.database if data_dir is not None else "the database"
        return f"internal error on {where}: {exc} (the data is kept; please report this line)"
    return str(exc)
