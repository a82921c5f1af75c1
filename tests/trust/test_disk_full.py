"""A full disk during a sync is recorded and told as "disk full", the run closed, the data kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers.bundles import district, write_bundle
from tests.helpers.trust import CliRun, Runner, cli_in, fill

STUDENTS = 2000  # about 3 MB stored: with 1.6 MB free the disk fills mid-sync


def status_of(run: Runner) -> dict:
    """`status --json`'s document."""
    done = run("status", "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def assert_disk_full_line(done: CliRun, home: Path) -> None:
    """Exit 1 and one line naming the full disk and the data dir."""
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert f"disk full: no space left for the data dir {home} (" in lines[0]
    assert "the previous data is kept; free some space and run it again)" in lines[0]


def assert_recorded(attempt: dict | None, before: dict | None) -> None:
    """The failed run, when one could be recorded: failed, with its end time and the reason."""
    if attempt is None or (before and attempt["started_at"] == before["started_at"]):
        return  # the store could not even be opened: nothing was recorded, nothing changed
    assert attempt["status"] == "failed"
    assert attempt["finished_at"] is not None
    assert attempt["error"].startswith("disk full: no space left for the data dir")


# Under 1 MB free a sync records its failure at once; with more, the disk fills mid-sync.
@pytest.mark.parametrize("leave", [150_000, 1_600_000])
def test_resync_on_a_full_disk(tmpfs: Path, tmp_path: Path, leave: int) -> None:
    home = tmpfs / "home"
    bundle = write_bundle(tmp_path / "b", district(students=20))
    run = cli_in(home)
    assert run("connect", "oneroster-csv", "--set", f"path={bundle}").returncode == 0
    assert run("sync").returncode == 0
    before = status_of(run)
    write_bundle(tmp_path / "b", district(students=STUDENTS, classes=8))  # a larger re-sync
    filler = fill(tmpfs, leave)
    assert_disk_full_line(run("sync"), home)
    filler.unlink()
    after = status_of(run)
    assert after["counts"] == before["counts"]  # the data kept
    assert after["last_success_at"] == before["last_success_at"]
    assert after["last_attempt"]["status"] == "failed"  # this run, not the one before
    assert_recorded(after["last_attempt"], None)
    assert run("sync").returncode == 0  # space again: the next sync applies
    assert status_of(run)["counts"]["users"] == STUDENTS + 1


@pytest.mark.parametrize(
    ("leave", "side_load"),
    [(150_000, False), (600_000, False), (1_600_000, False), (1_600_000, True)],
)
def test_first_sync_on_a_full_disk(
    tmpfs: Path, tmp_path: Path, leave: int, side_load: bool
) -> None:
    home = tmpfs / "home"
    bundle = write_bundle(tmp_path / "b", district(students=STUDENTS, classes=8))
    env = {"DATASYNC_SIDE_LOAD_MIN_BYTES": "1"} if side_load else {}
    run = cli_in(home)
    assert run("connect", "oneroster-csv", "--set", f"path={bundle}").returncode == 0
    filler = fill(tmpfs, leave)
    assert_disk_full_line(run("sync", env=env), home)
    filler.unlink()
    doc = status_of(run)
    assert doc["counts"]["users"] == 0 and doc["last_success_at"] is None
    assert_recorded(doc["last_attempt"], None)
    assert run("sync", env=env).returncode == 0
    assert status_of(run)["counts"]["users"] == STUDENTS + 1
