"""A small tmpfs for disk-full and read-only tests (skipped where it cannot be mounted)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A 16 MB tmpfs of its own, unmounted after the test."""
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    if shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root and mount(8)")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=16m,mode=0700", "tmpfs", str(mnt)],
        capture_output=True,
        text=True,
    )
    if done.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", str(mnt)], check=False)


def fill(mnt: Path, leave: int) -> Path:
    """Fill the file system but `leave` bytes; the filler file (remove it to free the space)."""
    st = os.statvfs(mnt)
    filler = mnt / "filler"
    with filler.open("wb") as fh:
        fh.write(b"\0" * max(st.f_bavail * st.f_frsize - leave, 0))
    return filler


def remount_read_only(mnt: Path) -> None:
    """Make the tmpfs read-only (as a disk remounted read-only after errors)."""
    subprocess.run(["mount", "-o", "remount,ro", str(mnt)], check=True)


def cli_in(home: Path) -> Runner:
    """Run the CLI with `--data-dir home`."""

    def run(*args: str, env: dict[str, str] | None = None) -> CliRun:
        return subprocess.run(
            [sys.executable, "-m", "datasync_tui.cli", "--data-dir", str(home), *args],
            capture_output=True,
            text=True,
            env={**os.environ, **(env or {})},
            timeout=60,
        )

    return run


CliRun = subprocess.CompletedProcess[str]


Runner = Callable[..., CliRun]
