"""Save or forget the connection as a writer: under the data dir's sync lock, never mid-sync."""

from __future__ import annotations

from datasync_tui.paths import DataDir
from datasync_tui.store import config
from datasync_tui.sync.lock import FileLock


def save_connection(data_dir: DataDir, conn: config.Connection) -> None:
    """Save the connection, holding the writer lock (BusyError while a sync runs)."""
    data_dir.ensure()
    with FileLock(data_dir.sync_lock):
        config.save(data_dir, conn)
