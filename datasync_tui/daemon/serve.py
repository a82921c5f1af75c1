"""Start the daemon for a data dir: one per data dir (an flock), its logging, its signals."""

from __future__ import annotations

import sys
from typing import TextIO

from datasync_tui.daemon.log import SecretFilter, close_logging, setup_logging
from datasync_tui.daemon.loop import Daemon
from datasync_tui.errors import Exit
from datasync_tui.paths import DataDir
from datasync_tui.store.config import ConfigError
from datasync_tui.store.db import StoreError
from datasync_tui.sync.lock import BusyError, FileLock


def serve(data_dir: DataDir, stream: TextIO | None = None) -> int:
    """Run the daemon for data_dir in the foreground until SIGTERM or SIGINT; the exit status."""
    data_dir.ensure()
    lock = FileLock(data_dir.daemon_lock)
    try:
        lock.acquire()
    except BusyError as exc:
        who = f" (pid {exc.holder})" if exc.holder else ""
        print(
            f"datasync-tui: a daemon is already running for {data_dir.root}{who}; "
            "not starting another",
            file=sys.stderr,
        )
        return Exit.BUSY
    mask = SecretFilter()
    log = setup_logging(data_dir, stream, mask)
    daemon = Daemon(data_dir, log=log, mask=mask)
    restore = daemon.install_signals()
    try:
        return daemon.run()
    except (ConfigError, StoreError, ValueError) as exc:
        log.error("not started: %s", exc)
        return Exit.FAILED
    finally:
        restore()
        close_logging(log)
        lock.release()
