"""A sync killed with SIGKILL at any point leaves the last good data intact and the store sound."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.bundles import district, write_bundle
from tests.conftest import CliRunner


def start_sync(data_dir: Path) -> subprocess.Popen[bytes]:
    """Start `datasync-tui sync` in the background."""
    return subprocess.Popen(
        [sys.executable, "-m", "datasync_tui.cli", "--data-dir", str(data_dir), "sync"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def query(db_path: Path, sql: str) -> list[tuple]:
    """One read from the store, tolerating a table that does not exist yet."""
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5) as db:
        try:
            return db.execute(sql).fetchall()
        except sqlite3.OperationalError:
            return []


def wait_until(predicate, proc: subprocess.Popen[bytes], limit: float = 60.0) -> bool:
    """Poll until predicate() holds or the process ends; True when it held first."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if predicate():
            return True
        if proc.poll() is not None:
            return False
        time.sleep(0.005)
    raise AssertionError("timed out waiting for the sync to reach the expected phase")


def counts(cli: CliRunner) -> dict[str, int]:
    """The store's counts per topic, through the CLI."""
    return json.loads(cli("status", "--json").stdout)["counts"]


@pytest.fixture
def synced_once(tmp_path: Path, cli: CliRunner) -> tuple[Path, dict[str, int]]:
    """A data dir with one good small sync, then a much larger, changed bundle in its place."""
    rows = district(students=30, classes=3)
    bundle = write_bundle(tmp_path / "bundle", rows)
    assert cli("connect", "oneroster-csv", "--set", f"path={bundle}").returncode == 0
    assert cli("sync").returncode == 0
    good = counts(cli)
    write_bundle(bundle, district(students=2500, classes=40))
    return bundle, good


def assert_intact(cli: CliRunner, data_dir: Path, good: dict[str, int]) -> None:
    """The previous data is all there, the database is sound, and the next sync works."""
    assert counts(cli) == good
    assert query(data_dir / "datasync.db", "PRAGMA integrity_check") == [("ok",)]
    attempt = json.loads(cli("status", "--json").stdout)["last_attempt"]
    assert attempt["status"] == "failed" and "interrupted" in attempt["error"]
    assert cli("sync", "--force").returncode == 0
    assert counts(cli)["enrollments"] == 40 * 2501


def test_sigkill_while_staging(
    synced_once: tuple[Path, dict[str, int]], cli: CliRunner, data_dir: Path
) -> None:
    _, good = synced_once
    proc = start_sync(data_dir)
    db = data_dir / "datasync.db"
    reached = wait_until(lambda: query(db, "SELECT count(*) FROM stage_users") > [(0,)], proc)
    assert reached, "the sync finished before it could be killed; make the bundle larger"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert_intact(cli, data_dir, good)


@pytest.mark.parametrize("fraction", [0.55, 0.7, 0.85, 0.95])
def test_sigkill_at_points_through_the_sync(
    synced_once: tuple[Path, dict[str, int]],
    cli: CliRunner,
    data_dir: Path,
    tmp_path: Path,
    fraction: float,
) -> None:
    bundle, good = synced_once
    # Time a full sync of the same bundle in a scratch data dir, then kill ours part-way.
    scratch = tmp_path / "scratch"
    args = [sys.executable, "-m", "datasync_tui.cli", "--data-dir", str(scratch)]
    subprocess.run(
        [*args, "connect", "oneroster-csv", "--set", f"path={bundle}"],
        check=True,
        capture_output=True,
    )
    started = time.monotonic()
    subprocess.run([*args, "sync"], check=True, capture_output=True)
    duration = time.monotonic() - started
    proc = start_sync(data_dir)
    try:
        proc.wait(timeout=duration * fraction)
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        assert_intact(cli, data_dir, good)
    else:  # finished first: then it must have applied completely
        assert counts(cli)["enrollments"] == 40 * 2501
