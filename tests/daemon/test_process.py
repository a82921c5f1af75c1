"""The daemon as a real process: catch-up in status, one per data dir, signals, the sync lock."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from datasync_tui.clock import ISO_Z as ISO
from datasync_tui.paths import DataDir
from datasync_tui.store.db import connect
from datasync_tui.store.models import SyncRun
from datasync_tui.sync.lock import FileLock, holder_pid
from tests.helpers.bundles import district, write_bundle
from tests.helpers.cli import CliRunner
from tests.helpers.daemon import beat, wait_for
from tests.helpers.oneroster_district import from_rows
from tests.helpers.oneroster_server import OneRosterServer

SECRET = "daemon-S3cret-4d1c9b"
Start = Callable[[], subprocess.Popen[str]]


@pytest.fixture
def start_daemon(data_dir: Path) -> Iterator[Start]:
    """Start `datasync-tui --data-dir … --daemon` processes; any still running are killed."""
    procs: list[subprocess.Popen[str]] = []

    def start() -> subprocess.Popen[str]:
        env = {k: v for k, v in os.environ.items() if k != "DATASYNC_HOME"}
        cmd = [sys.executable, "-m", "datasync_tui.cli", "--data-dir", str(data_dir), "--daemon"]
        proc = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
        )
        procs.append(proc)
        return proc

    yield start
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def status(cli: CliRunner) -> dict[str, Any]:
    """`status --json`, parsed."""
    out = cli("status", "--json")
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def stop(proc: subprocess.Popen[str], sig: int = signal.SIGTERM) -> tuple[int, float, str]:
    """Send sig; the exit status, the seconds it took, and what it wrote on stderr."""
    started = time.monotonic()
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=10)
    return proc.returncode, time.monotonic() - started, err


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_catch_up_status_one_daemon_and_a_clean_stop(
    sig: int, tmp_path: Path, cli: CliRunner, data_dir: Path, start_daemon: Start
) -> None:
    bundle = write_bundle(tmp_path / "bundle.zip")
    assert cli("connect", "oneroster-csv", "--set", f"path={bundle}").returncode == 0
    proc = start_daemon()
    wait_for(lambda: beat(data_dir).get("last_success_at"))
    doc = status(cli)
    assert doc["daemon"] == {"running": True, "pid": proc.pid}
    assert doc["last_attempt"]["status"] == "succeeded" and doc["counts"]["users"] == 21
    assert doc["next_run_at"] == beat(data_dir)["next_run_at"] and doc["stale"] is False

    started = time.monotonic()
    second = cli("--daemon")
    assert second.returncode == 5 and time.monotonic() - started < 5
    assert f"a daemon is already running for {data_dir} (pid {proc.pid})" in second.stderr

    saved = json.loads((data_dir / "connection.json").read_text("utf-8"))
    saved["settings"]["sync_at"] = "04:15"
    (data_dir / "connection.json").write_text(json.dumps(saved), encoding="utf-8")
    proc.send_signal(signal.SIGHUP)  # re-read the config, keep running
    wait_for(lambda: beat(data_dir).get("sync_at") == "04:15")
    assert proc.poll() is None and status(cli)["next_run_at"] == beat(data_dir)["next_run_at"]

    code, seconds, err = stop(proc, sig)
    assert code == 0 and seconds < 10
    assert "SIGHUP: configuration re-read: daily at 04:15" in err
    assert "sync #1 (catch-up) succeeded" in err and f"{signal.Signals(sig).name}: stopped" in err
    assert "sync #1 (catch-up) succeeded" in (data_dir / "logs" / "daemon.log").read_text()
    assert status(cli)["daemon"] == {"running": False, "pid": None}


def test_a_sync_held_elsewhere_is_logged_and_retried(
    tmp_path: Path, cli: CliRunner, data_dir: Path, start_daemon: Start
) -> None:
    bundle = write_bundle(tmp_path / "bundle.zip")
    assert cli("connect", "oneroster-csv", "--set", f"path={bundle}").returncode == 0
    with FileLock(DataDir(data_dir).sync_lock):  # what a CLI or TUI sync holds while it runs
        proc = start_daemon()
        retry = wait_for(lambda: beat(data_dir).get("retry"))
        assert retry["attempt"] == 1 and beat(data_dir)["state"] == "retry-wait"
        assert proc.poll() is None
    code, _, err = stop(proc)
    assert code == 0
    assert "busy in" in err
    assert f"another sync is running in this data dir (pid {os.getpid()})" in err
    assert "retry 1 at" in err and "database is locked" not in err
    assert status(cli)["last_attempt"] is None


def age_last_success(data_dir: Path, hours: int) -> str:
    """Make the last good sync look older (so a starting daemon catches up); its new time."""
    when = (datetime.now(UTC) - timedelta(hours=hours)).strftime(ISO)
    db = connect(data_dir / "datasync.db")
    try:
        SyncRun.update(finished_at=when).where(SyncRun.status == "succeeded").execute()
    finally:
        db.close()
    return when


@pytest.fixture
def slow_source(tmp_path: Path, cli: CliRunner, data_dir: Path) -> Iterator[dict[str, Any]]:
    """An API source synced once, that good sync aged 30 h, and a first request that hangs."""
    server = OneRosterServer(from_rows(district()), client_secret=SECRET).start()
    try:
        secret = tmp_path / "secret"
        secret.write_text(SECRET, encoding="utf-8")
        args = ["--set", f"base_url={server.base_url}", "--set", f"token_url={server.token_url}"]
        args += ["--set", "client_id=datasync", "--set", f"client_secret=@{secret}"]
        assert cli("connect", "oneroster-api", *args).returncode == 0
        assert cli("sync").returncode == 0
        before = status(cli)
        aged = age_last_success(data_dir, 30)
        with server.lock:
            server.stats.api_requests = 0
            server.faults.slow_first = 60  # the daemon's first request hangs: a long sync
        yield {"server": server, "counts": before["counts"], "aged": aged}
    finally:
        server.stop()


def syncing(data_dir: Path, server: OneRosterServer) -> int:
    """Wait until the daemon's child is inside its (hanging) sync; the child's pid."""
    wait_for(lambda: beat(data_dir).get("state") == "syncing" and server.stats.api_requests)
    return wait_for(lambda: holder_pid(data_dir / "sync.lock"))


def assert_abandoned(cli: CliRunner, data_dir: Path, source: dict[str, Any]) -> None:
    """The sync was recorded as interrupted, the last good data stayed, the lock is free."""
    after = status(cli)
    assert after["counts"] == source["counts"] and after["last_success_at"] == source["aged"]
    assert after["last_attempt"]["status"] == "failed"
    assert "interrupted" in after["last_attempt"]["error"]
    assert holder_pid(data_dir / "sync.lock") is None


def test_cli_sync_refused_while_the_daemon_syncs_and_sigterm_abandons_it(
    cli: CliRunner, data_dir: Path, start_daemon: Start, slow_source: dict[str, Any]
) -> None:
    proc = start_daemon()
    assert syncing(data_dir, slow_source["server"]) != proc.pid  # a child syncs, not the daemon
    busy = cli("sync")
    assert busy.returncode == 5, busy.stderr
    assert "another sync is running" in busy.stderr and "locked" not in busy.stderr

    code, seconds, err = stop(proc)
    assert code == 0 and seconds < 10
    assert "the sync in progress was interrupted (previous data kept)" in err
    assert_abandoned(cli, data_dir, slow_source)
    assert SECRET not in err and SECRET not in (data_dir / "logs" / "daemon.log").read_text()


def test_a_killed_daemon_does_not_leave_its_sync_running(
    cli: CliRunner, data_dir: Path, start_daemon: Start, slow_source: dict[str, Any]
) -> None:
    proc = start_daemon()
    syncing(data_dir, slow_source["server"])
    proc.kill()  # SIGKILL: no chance to stop the child
    proc.communicate(timeout=10)
    wait_for(lambda: holder_pid(data_dir / "sync.lock") is None, timeout=10)
    assert_abandoned(cli, data_dir, slow_source)
