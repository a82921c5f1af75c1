"""Logs: stderr and a rotating file under logs/, one line per sync, secrets never written."""

from __future__ import annotations

import datetime as dt
import io
import logging
import logging.handlers
from pathlib import Path

import pytest

from datasync_tui.daemon.child import Outcome
from datasync_tui.daemon.log import (
    SecretFilter,
    close_logging,
    setup_logging,
    sync_line,
)
from datasync_tui.daemon.serve import serve
from datasync_tui.paths import DataDir
from tests.helpers.daemon import CHANGES, NY, MakeHarness, local, save_connection


def test_stderr_and_a_rotating_file_with_secrets_masked(data_dir: Path) -> None:
    stream = io.StringIO()
    mask = SecretFilter(["hunter2-Very-Secret", "ab"])
    log = setup_logging(DataDir(data_dir), stream, mask)
    try:
        log.error("token refused: client_secret=%s", "hunter2-Very-Secret")
        log.info("a short value like ab is not masked")
        file_handler = next(
            h for h in log.handlers if isinstance(h, logging.handlers.RotatingFileHandler)
        )
        assert file_handler.maxBytes == 1_000_000 and file_handler.backupCount == 5
    finally:
        close_logging(log)
    written = (data_dir / "logs" / "daemon.log").read_text("utf-8")
    for text in (stream.getvalue(), written):
        assert "hunter2" not in text
        assert "client_secret=********" in text and "like ab is" in text
        assert "ERROR" in text


def test_one_line_per_outcome() -> None:
    ok = Outcome("succeeded", run_id=7, changes=CHANGES, seconds=3.21)
    assert sync_line(ok, "daily") == "sync #7 (daily) succeeded in 3.2s: Users +2 ~1 -0 =517"
    held = Outcome("held", run_id=8, changes=CHANGES, held_because=["users: would remove 60"])
    assert sync_line(held, "daily").startswith(
        "sync #8 (daily) held in 0.0s, nothing applied (users: would remove 60); "
        "staged: Users +2 ~1 -0 =517; waiting for the admin"
    )
    failed = Outcome("failed", run_id=9, error="cannot open the file", warnings=["w1", "w2"])
    assert sync_line(failed, "retry 1") == (
        "sync #9 (retry 1) failed in 0.0s: cannot open the file [2 warning(s): w1]"
    )
    for line in (sync_line(ok, "d"), sync_line(held, "d"), sync_line(failed, "d")):
        assert "\n" not in line


def test_the_loop_logs_one_line_per_sync(
    harness: MakeHarness, caplog: pytest.LogCaptureFixture
) -> None:
    start = local(NY, 2026, 6, 1, 1, 0)
    h = harness(start, last=start - dt.timedelta(hours=1), statuses=["failed", "succeeded"])
    caplog.set_level(logging.INFO)
    h.run_until(local(NY, 2026, 6, 1, 3, 0))
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("sync #")]
    assert lines == [
        "sync #1 (daily) failed in 120.0s: cannot reach the source: connection refused; "
        "retry 1 at 2026-06-01 02:07 EDT",
        "sync #2 (retry 1) succeeded in 120.0s: Users +2 ~1 -0 =517",
    ]
    levels = [r.levelname for r in caplog.records if r.getMessage().startswith("sync #")]
    assert levels == ["ERROR", "INFO"]


def test_a_bad_saved_config_stops_the_start_with_one_line(data_dir: Path) -> None:
    save_connection(data_dir, sync_at="25:00")
    stream = io.StringIO()
    assert serve(DataDir(data_dir), stream) == 1
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1 and "not started: sync_at '25:00': expected HH:MM" in lines[0]
    assert "Traceback" not in stream.getvalue()
