"""The rollover preview's SQL over a real store: only when a term starts within 14 days."""

from __future__ import annotations

from pathlib import Path

from datasync_tui.rollover import preview
from datasync_tui.store import sqlite
from datasync_tui.sync import run_sync
from tests.helpers.alerts import connect, rollover_district
from tests.helpers.bundles import write_bundle


def test_preview_within_14_days_only(tmp_path: Path, data_dir: Path) -> None:
    dd = connect(data_dir, write_bundle(tmp_path / "b", rollover_district()))
    assert run_sync(dd).status == "succeeded"
    with sqlite.connect(data_dir / "datasync.db") as conn:
        found = preview(conn, "2026-11-28")
        assert found is not None
        assert (found.starts_on, found.sessions) == ("2026-12-07", ("Spring",))
        assert (found.classes_ending, found.classes_starting) == (2, 1)
        assert found.students_without_class == 15
        assert preview(conn, "2026-11-22") is None  # 15 days ahead: not yet
        assert preview(conn, "2026-12-07") is None  # it started: nothing ahead
    with sqlite.connect(tmp_path / "empty.db") as conn:
        assert preview(conn, "2026-11-28") is None  # no store tables
