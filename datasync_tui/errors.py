"""One error root and one table of exit codes for every command.

Every failure the app can explain is a DataSyncError: its message is the one line an admin
reads (what, and where: file, line, field or URL), its exit code what a script sees. The CLI
prints it once (`datasync-tui: error: …`); nothing else prints errors.
"""

from __future__ import annotations

from enum import IntEnum
from typing import ClassVar


class Exit(IntEnum):
    """The exit codes of ARCHITECTURE.md, in one place."""

    OK = 0
    FAILED = 1  # a sync or command failed (the previous data kept)
    USAGE = 2  # called wrongly, or asked for something that is not there
    NOT_SAVED = 3  # connect/check: required data missing, nothing saved
    HELD = 4  # the sync was held: nothing applied
    BUSY = 5  # another sync (the writer lock) is running
    FOUND = 6  # validate --fail-on found an issue at that severity
    INTERRUPTED = 130


class DataSyncError(Exception):
    """A failure told in one line, with the exit code a script sees."""

    exit_code: ClassVar[Exit] = Exit.FAILED
    label: ClassVar[str] = "error: "  # how the CLI introduces the line

    def __init__(self, message: str) -> None:
        super().__init__(message)


class UsageError(DataSyncError):
    """The command was called wrongly, or names something that is not there (exit 2)."""

    exit_code = Exit.USAGE
    label = ""
