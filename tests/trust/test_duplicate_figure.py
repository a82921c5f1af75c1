"""The dashboard's duplicate sourcedIds and the Validations page give one figure."""

from __future__ import annotations

from pathlib import Path

from datasync_tui import rules
from datasync_tui.paths import DataDir
from datasync_tui.store import config
from datasync_tui.store.db import connect
from datasync_tui.sync import run_sync
from datasync_tui.viewmodels.dashboard import load_facts
from tests.helpers.bundles import district, write_bundle


def test_dashboard_and_validations_count_duplicates_alike(tmp_path: Path) -> None:
    rows = district()
    first, second = rows["enrollments"][3], rows["enrollments"][5]
    # One sourcedId sent three times (two repeated rows), another twice (one repeated row).
    rows["enrollments"] += [list(first), list(first), list(second)]
    bundle = write_bundle(tmp_path / "b", rows)
    dd = DataDir(tmp_path / "home")
    config.save(dd, config.Connection("oneroster-csv", None, {"path": str(bundle)}))
    result = run_sync(dd)
    assert result.status == "succeeded", result.error
    db = connect(dd.database)
    try:
        page = {s.id: s.count for s in rules.summaries(db)}
    finally:
        db.close()
    assert page["duplicate-sourcedid"] == 2
    assert load_facts(dd).findings == 2
