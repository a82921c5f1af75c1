"""Student data is private: the data dir 0700 and every file in it 0600, whatever the umask."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from datasync_tui.store import sqlite
from tests.helpers.bundles import district, write_bundle
from tests.helpers.daemon import beat, wait_for


def run_open(
    home: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The CLI under umask 000 (what a careless shell or service manager gives it)."""
    return subprocess.run(
        [sys.executable, "-m", "datasync_tui.cli", "--data-dir", str(home), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=60,
        preexec_fn=lambda: os.umask(0),
    )


def modes(root: Path) -> dict[str, str]:
    """Every dir and file under root (root included) with its permission bits."""
    out = {".": f"{stat.S_IMODE(root.stat().st_mode):04o}"}
    for path in sorted(root.rglob("*")):
        out[str(path.relative_to(root))] = f"{stat.S_IMODE(path.lstat().st_mode):04o}"
    return out


def test_every_file_is_owner_only_under_umask_000(tmp_path: Path) -> None:
    home = tmp_path / "home"
    bundle = write_bundle(tmp_path / "b", district())
    done = run_open(home, "connect", "oneroster-csv", "--set", f"path={bundle}")
    assert done.returncode == 0, done.stderr
    side = {"DATASYNC_SIDE_LOAD_MIN_BYTES": "1"}  # the loader process writes its side file too
    assert run_open(home, "sync", env=side).returncode == 0
    reader = sqlite.connect(home / "datasync.db")  # keeps the WAL and SHM files in place
    try:
        reader.execute("SELECT count(*) FROM users").fetchone()
        assert run_open(home, "sync", "--force").returncode == 0
        assert (home / "datasync.db-wal").exists() and (home / "datasync.db-shm").exists()
        done = run_open(home, "validate", "--export", str(home / "exports" / "issues.csv"))
        assert done.returncode == 0, done.stderr
        daemon = subprocess.Popen(
            [sys.executable, "-m", "datasync_tui.cli", "--data-dir", str(home), "--daemon"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=lambda: os.umask(0),
        )
        try:
            wait_for(lambda: beat(home))
        finally:
            daemon.send_signal(signal.SIGTERM)
            daemon.wait(timeout=30)
        found = modes(home)
    finally:
        reader.close()
    for name in (
        "datasync.db",
        "datasync.db-wal",
        "datasync.db-shm",
        "connection.json",
        "secrets.json",
        "sync.lock",
        "daemon.lock",
        "daemon.json",
        "logs/daemon.log",
        "exports/issues.csv",
    ):
        assert name in found, (name, found)
    assert {
        n: m for n, m in found.items() if m != ("0700" if (home / n).is_dir() else "0600")
    } == {}


def test_an_open_data_dir_is_tightened_and_said_once(tmp_path: Path) -> None:
    home = tmp_path / "home"
    bundle = write_bundle(tmp_path / "b", district())
    assert run_open(home, "connect", "oneroster-csv", "--set", f"path={bundle}").returncode == 0
    assert run_open(home, "sync").returncode == 0
    home.chmod(0o755)
    (home / "datasync.db").chmod(0o644)
    (home / "connection.json").chmod(0o666)
    for name in ("tui.json", "alerts.json", "alerts.lock"):  # the TUI's and the alerts' files
        (home / name).write_text("{}")
        (home / name).chmod(0o644)
    done = run_open(home, "status")
    assert done.returncode == 0
    assert done.stderr.strip() == (
        f"datasync-tui: note: the data dir {home} was open to others (mode 0755); "
        "made it owner-only (dirs 0700, files 0600)"
    )
    assert set(modes(home).values()) == {"0700", "0600"}
    again = run_open(home, "status")
    assert again.returncode == 0 and again.stderr == ""


def test_read_only_commands_create_no_data_dir(tmp_path: Path) -> None:
    typo = tmp_path / "hmoe"
    for args in (("status",), ("status", "--json"), ("validate",), ("check",)):
        done = run_open(typo, *args)
        assert done.returncode == 2, args
        assert str(typo) in done.stderr and len(done.stderr.strip().splitlines()) == 1, args
        assert not typo.exists(), args
    done = run_open(typo, "status")
    assert done.stderr.strip() == (
        f"datasync-tui: no data in {typo}: nothing was connected or synced there "
        "(check --data-dir or $DATASYNC_HOME)"
    )


def test_an_open_data_dir_that_cannot_be_changed_is_refused(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    home.chmod(0o755)
    # An immutable dir: even its owner (root here) cannot change its mode, as for another's dir.
    if subprocess.run(["chattr", "+i", str(home)], capture_output=True).returncode:
        pytest.skip("chattr +i is not available on this file system")
    try:
        done = run_open(home, "status")
    finally:
        subprocess.run(["chattr", "-i", str(home)], check=True)
    assert done.returncode == 1
    assert done.stderr.strip() == (
        f"datasync-tui: error: the data dir {home} is open to others ({home} has mode 0755) "
        f"and cannot be made private (Operation not permitted); run `chmod -R go= {home}` "
        "as its owner"
    )
    assert done.stdout == ""


def test_only_the_app_s_own_files_are_tightened(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    script = home / "backup.sh"  # the admin's own file in the folder given as data dir
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    (home / "notes").mkdir()
    (home / "notes").chmod(0o755)
    bundle = write_bundle(tmp_path / "b", district())
    assert run_open(home, "connect", "oneroster-csv", "--set", f"path={bundle}").returncode == 0
    (home / "connection.json").chmod(0o644)
    done = run_open(home, "status")
    assert done.stderr.strip() == (
        f"datasync-tui: note: 1 file(s) in the data dir {home} were open to others; "
        "made it owner-only (dirs 0700, files 0600)"
    )
    assert stat.S_IMODE(script.stat().st_mode) == 0o755
    assert stat.S_IMODE((home / "notes").stat().st_mode) == 0o755


def test_a_shared_folder_is_refused_as_a_data_dir(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)  # like /tmp
    done = run_open(shared, "status")
    assert done.returncode == 1
    assert done.stderr.strip() == (
        f"datasync-tui: error: the data dir {shared} is open to others (mode 1777) and is a "
        "shared folder: give --data-dir a folder of your own"
    )
    assert stat.S_IMODE(shared.stat().st_mode) == 0o1777
