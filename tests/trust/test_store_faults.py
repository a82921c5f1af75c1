"""A busy, read-only or damaged store: one line naming it, the right exit, nothing replaced."""

from __future__ import annotations

import json
import os
from pathlib import Path

from datasync_tui.paths import DataDir
from datasync_tui.store import config
from datasync_tui.sync.lock import FileLock
from tests.helpers.bundles import district, write_bundle
from tests.helpers.cli import CliRunner
from tests.helpers.trust import cli_in, remount_read_only

PURGE = "run `datasync-tui disconnect --purge` to start afresh"


def test_connect_and_disconnect_wait_for_no_sync(
    cli: CliRunner, data_dir: Path, tmp_path: Path
) -> None:
    first = write_bundle(tmp_path / "a", district())
    assert cli("connect", "oneroster-csv", "--set", f"path={first}").returncode == 0
    saved = json.loads((data_dir / "connection.json").read_text())
    other = write_bundle(tmp_path / "b", district(students=3))
    with FileLock(DataDir(data_dir).sync_lock):  # the lock a running sync holds
        done = cli("connect", "oneroster-csv", "--set", f"path={other}")
        assert done.returncode == 5
        assert done.stderr.strip() == (
            f"datasync-tui: another sync is running in this data dir (pid {os.getpid()}); "
            "try again when it ends"
        )
        assert cli("disconnect").returncode == 5
        assert cli("disconnect", "--purge").returncode == 5
    assert json.loads((data_dir / "connection.json").read_text()) == saved  # not replaced
    done = cli("connect", "oneroster-csv", "--set", f"path={other}")
    assert done.returncode == 0, done.stderr


def test_a_new_data_dir_is_made_only_when_the_check_passes(tmp_path: Path) -> None:
    home = tmp_path / "new-home"
    run = cli_in(home)
    assert run("connect", "oneroster-csv", "--set", f"path={tmp_path / 'none'}").returncode == 3
    assert not home.exists()
    bundle = write_bundle(tmp_path / "a", district())
    assert run("connect", "oneroster-csv", "--set", f"path={bundle}").returncode == 0
    assert config.load(DataDir(home)) is not None


def damage(database: Path) -> None:
    """Overwrite 8 KB in the middle of the database, as a failing disk would."""
    size = database.stat().st_size
    with database.open("r+b") as fh:
        fh.seek(size // 2 // 4096 * 4096)
        fh.write(b"\xa5" * 8192)


def test_a_damaged_store_is_named_with_what_to_do(
    cli: CliRunner, data_dir: Path, tmp_path: Path
) -> None:
    bundle = write_bundle(tmp_path / "a", district(students=600, classes=6))
    assert cli("connect", "oneroster-csv", "--set", f"path={bundle}").returncode == 0
    assert cli("sync").returncode == 0
    database = data_dir / "datasync.db"
    damage(database)
    for args in (("status",), ("status", "--json"), ("validate",), ("sync",)):
        done = cli(*args)
        assert done.returncode == 1, args
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1, (args, done.stderr)
        assert lines[0].startswith(f"datasync-tui: error: {database} is damaged ("), args
        assert PURGE in lines[0] and "internal error" not in lines[0]
        assert done.stdout == "" or args == ("sync",), args
    assert cli("disconnect", "--purge").returncode == 0
    assert cli("connect", "oneroster-csv", "--set", f"path={bundle}").returncode == 0
    assert cli("sync").returncode == 0
    assert cli("status").returncode == 0


def test_a_read_only_store_is_said(tmpfs: Path, tmp_path: Path) -> None:
    home = tmpfs / "home"
    run = cli_in(home)
    bundle = write_bundle(tmp_path / "a", district())
    assert run("connect", "oneroster-csv", "--set", f"path={bundle}").returncode == 0
    assert run("sync").returncode == 0
    remount_read_only(tmpfs)
    # validate only reads: it still runs (with the bundled SQLite a read-only store opens).
    assert run("validate").returncode == 0
    for args in (("status",), ("sync",)):
        done = run(*args)
        assert done.returncode == 1, args
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1, (args, done.stderr)
        database = home / "datasync.db"
        assert f"{database} cannot be written: the data dir or the file is read-only" in lines[0]
        assert "mounted read-write" in lines[0]
