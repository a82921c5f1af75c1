"""pause / resume: the Python API, the commands and status (the daemon: tests/daemon)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from datasync_tui import pause
from datasync_tui.paths import DataDir
from tests.helpers.alerts import connect
from tests.helpers.bundles import write_bundle
from tests.helpers.cli import CliRunner


def test_the_api(data_dir: Path) -> None:
    dd = DataDir(data_dir)
    assert pause.paused(dd) is None
    found = pause.pause(dd, "2026-12-01", reason="rollback to sync #4")
    assert found.until == "2026-12-01" and found.reason == "rollback to sync #4"
    assert pause.paused(dd, today="2026-12-01") == found  # the day itself is paused
    assert pause.paused(dd, today="2026-12-02") is None  # over by itself after it
    assert (data_dir / "paused.json").stat().st_mode & 0o777 == 0o600
    assert pause.resume(dd) is True and pause.paused(dd) is None
    assert pause.resume(dd) is False
    indefinite = pause.pause(dd)
    assert indefinite.until is None and pause.paused(dd, today="2099-01-01") == indefinite
    with pytest.raises(pause.PauseError, match="already past"):
        pause.pause(dd, "2026-11-27")  # the tests' today is 2026-11-28
    with pytest.raises(pause.PauseError, match="expected a date"):
        pause.pause(dd, "next week")


def test_the_commands_and_status(cli: CliRunner, data_dir: Path, tmp_path: Path) -> None:
    connect(data_dir, write_bundle(tmp_path / "b"))
    out = cli("pause", "--until", "2026-12-01")
    assert out.returncode == 0, out.stderr
    assert "paused until 2026-12-01 (inclusive)" in out.stdout
    assert "datasync-tui sync" in out.stdout  # a manual sync still runs
    status = json.loads(cli("status", "--json").stdout)
    assert status["paused"] == {"until": "2026-12-01"}
    assert "PAUSED:" in cli("status").stdout
    assert cli("resume").stdout.strip() == "Scheduled syncs resumed."
    assert json.loads(cli("status", "--json").stdout)["paused"] is None
    cli("pause")
    assert json.loads(cli("status", "--json").stdout)["paused"] == {"until": None}
    bad = cli("pause", "--until", "2026-02-30")
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr.strip() == "datasync-tui: --until '2026-02-30': expected a date as YYYY-MM-DD"
    past = cli("pause", "--until", "2026-01-01")
    assert past.returncode == 2 and "already past" in past.stderr
    assert "paused" in cli("sync", "--help").stdout  # a manual sync runs while paused
