"""Rollback: the store becomes exactly what it was after a kept sync; one transaction; paused."""

from __future__ import annotations

from pathlib import Path

import pytest

from datasync_tui import pause
from datasync_tui.sync import run_sync
from datasync_tui.sync.rollback import RollbackError, rollback
from tests.helpers.bundles import district, write_bundle
from tests.helpers.sync import changed_district, connect_bundle, rows_of, snapshot

EMAIL, GIVEN = 12, 8


def test_rollback_restores_every_table_exactly(tmp_path: Path, data_dir: Path) -> None:
    rows = district(students=40)
    bundle = write_bundle(tmp_path / "b", rows)
    dd = connect_bundle(data_dir, bundle)
    first = run_sync(dd).run_id
    after_first = snapshot(dd)
    changed_district(rows, 1)
    write_bundle(bundle, rows)
    second = run_sync(dd, force=True)
    assert second.changes["users"]["rekeyed"] == 1
    after_second = snapshot(dd)
    assert after_second != after_first
    changed_district(rows, 2)
    write_bundle(bundle, rows)
    run_sync(dd, force=True)

    back = rollback(dd, second.run_id)
    assert back.status == "succeeded"
    assert snapshot(dd) == after_second
    back = rollback(dd, first)
    assert snapshot(dd) == after_first  # past the earlier rollback, to the first sync
    assert pause.paused(dd) is not None and "rolled back to sync #" in (
        pause.paused(dd).reason or ""
    )
    runs = rows_of(dd, "SELECT id, status, rollback_to, undone_by FROM sync_runs ORDER BY id")
    assert runs[-1][1:3] == ("succeeded", first)
    assert {r[0] for r in runs if r[3] == back.run_id} == {second.run_id}
    # Syncs go on from there, and a later rollback walks past the rollback runs.
    rows["users"][5][GIVEN] = "Later"
    write_bundle(bundle, rows)
    later = run_sync(dd, force=True)
    assert later.status == "succeeded"
    rollback(dd, back.run_id)
    assert snapshot(dd) == after_first


def test_unknown_undone_or_pruned_syncs_are_refused(tmp_path: Path, data_dir: Path) -> None:
    rows = district()
    bundle = write_bundle(tmp_path / "b", rows)
    dd = connect_bundle(data_dir, bundle, keep_syncs="2")
    runs = []
    for k in range(4):
        rows["users"][1][GIVEN] = f"Ann{k}"
        write_bundle(bundle, rows)
        runs.append(run_sync(dd).run_id)
    with pytest.raises(RollbackError, match="there is no sync #99"):
        rollback(dd, 99)
    with pytest.raises(RollbackError, match="older than the history kept"):
        rollback(dd, runs[0])
    rollback(dd, runs[2])  # the last two are kept: back to the third works
    with pytest.raises(RollbackError, match="never applied as it stands"):
        rollback(dd, runs[3])  # undone by the rollback


KILLED_MID_ROLLBACK = """
import os, signal, sys
from pathlib import Path
from datasync_tui.paths import DataDir
from datasync_tui.sync import rollback as rb

def die(*args, **kwargs):  # every row undone, the transaction not yet committed
    os.kill(os.getpid(), signal.SIGKILL)

rb.mark_undone = die
rb.rollback(DataDir(Path(sys.argv[1])), int(sys.argv[2]))
"""


def test_sigkill_during_a_rollback_keeps_the_data_before_it(tmp_path: Path, data_dir: Path) -> None:
    import subprocess
    import sys

    rows = district(students=40)
    bundle = write_bundle(tmp_path / "b", rows)
    dd = connect_bundle(data_dir, bundle)
    first = run_sync(dd).run_id
    changed_district(rows, 1)
    write_bundle(bundle, rows)
    run_sync(dd, force=True)
    before = snapshot(dd)
    done = subprocess.run(
        [sys.executable, "-c", KILLED_MID_ROLLBACK, str(dd.root), str(first)], timeout=60
    )
    assert done.returncode == -9
    assert snapshot(dd) == before
    assert rows_of(dd, "PRAGMA integrity_check") == [("ok",)]
    assert rows_of(dd, "SELECT count(*) FROM sync_runs WHERE rollback_to IS NOT NULL") == [(0,)]
    rollback(dd, first)  # and it can be done again
