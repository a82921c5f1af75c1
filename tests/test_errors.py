"""One error root: every failure the app explains is a DataSyncError with its exit code."""

from __future__ import annotations

import pytest

from datasync_tui.alerts.email import SendError
from datasync_tui.cli.set_values import UsageError as SettingsUsageError
from datasync_tui.errors import DataSyncError, Exit, UsageError
from datasync_tui.fix.files import FixError, FixUsageError
from datasync_tui.pause import PauseError
from datasync_tui.private import NotPrivate
from datasync_tui.rules.export import ExportError
from datasync_tui.store.config import ConfigError
from datasync_tui.store.db import StoreError
from datasync_tui.sync import BusyError, SyncError
from datasync_tui.sync.rollback import RollbackError


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (UsageError, Exit.USAGE),
        (PauseError, Exit.USAGE),
        (RollbackError, Exit.USAGE),
        (FixUsageError, Exit.USAGE),
        (BusyError, Exit.BUSY),
        (SyncError, Exit.FAILED),
        (ConfigError, Exit.FAILED),
        (StoreError, Exit.FAILED),
        (NotPrivate, Exit.FAILED),
        (ExportError, Exit.FAILED),
        (SendError, Exit.FAILED),
        (FixError, Exit.FAILED),
    ],
)
def test_every_error_has_the_one_root_and_its_exit_code(error: type, code: Exit) -> None:
    assert issubclass(error, DataSyncError)
    assert error.exit_code == code


def test_the_exit_codes_are_the_architectures() -> None:
    assert [int(e) for e in Exit] == [0, 1, 2, 3, 4, 5, 6, 130]
    assert SettingsUsageError is UsageError  # one usage error, wherever it is raised
