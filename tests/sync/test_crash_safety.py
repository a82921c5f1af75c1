"""A sync killed with SIGKILL at any point leaves the last good data intact and the store sound."""

from __future__ import annotations

import json
import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from datasync_tui.store import sqlite
from tests.helpers.bundles import district, write_bundle
from tests.helpers.cli import CliRunner


def start_sync(data_dir: Path, stderr: int | None = subprocess.DEVNULL) -> subprocess.Popen[bytes]:
    """Start `datasync-tui sync` in the background."""
    return subprocess.Popen(
        [sys.executable, "-m", "datasync_tui.cli", "--data-dir", str(data_dir), "sync"],
        stdout=subprocess.DEVNULL,
        stderr=stderr,
    )


def read_until(fd: int, marker: bytes, proc: subprocess.Popen[bytes]) -> bool:
    """Read a terminal's output until marker shows; False when the process ended first."""
    seen = b""
    while marker not in seen:
        ready, _, _ = select.select([fd], [], [], 60)
        if not ready:
            raise AssertionError("no progress output from the sync within 60 s")
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # the terminal closed: the process ended
            return False
        if not chunk:
            return False
        seen += chunk
    return proc.poll() is None


def query(db_path: Path, sql: str) -> list[tuple]:
    """One read from the store, tolerating a table that does not exist yet."""
    with sqlite.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5) as db:
        try:
            return db.execute(sql).fetchall()
        except sqlite.OperationalError:
            return []


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


def test_sigkill_while_reading_enrollments(
    synced_once: tuple[Path, dict[str, int]], cli: CliRunner, data_dir: Path
) -> None:
    _, good = synced_once
    # Progress shows on a terminal: give the sync one, and kill it when enrollments are read.
    leader, follower = pty.openpty()
    proc = start_sync(data_dir, stderr=follower)
    os.close(follower)
    try:
        reached = read_until(leader, b"Enrollments", proc)
    finally:
        os.close(leader)
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
