"""One writer per data dir: an flock that dies with its process, so it never goes stale."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from types import TracebackType

from datasync_tui.errors import DataSyncError, Exit


class BusyError(DataSyncError):
    """Another process holds the lock (exit 5)."""

    exit_code = Exit.BUSY
    label = ""

    def __init__(self, path: Path, holder: str | None) -> None:
        who = f" (pid {holder})" if holder else ""
        super().__init__(f"another sync is running in this data dir{who}; try again when it ends")
        self.path = path
        self.holder = holder


class FileLock:
    """An exclusive, non-blocking flock on a file, released on close or process death."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self) -> FileLock:
        """Take the lock or raise BusyError at once."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or None
            os.close(fd)
            raise BusyError(self.path, holder) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._fd = fd
        return self

    def release(self) -> None:
        """Let go of the lock."""
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> FileLock:
        return self.acquire()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


def holder_pid(path: Path) -> int | None:
    """The pid that holds the lock now, or None when it is free."""
    if not path.exists():
        return None
    fd = os.open(path, os.O_RDWR)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            return int(text) if text.isdigit() else -1
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)
