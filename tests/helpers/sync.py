"""Syncs for the tests: a bundle connected and synced, rows read back, a held sync, two syncs."""

from __future__ import annotations

from pathlib import Path

from datasync_tui.paths import DataDir
from datasync_tui.private import tighten
from datasync_tui.store import config, sqlite
from datasync_tui.store.models import TABLES, TOPIC_MODELS
from datasync_tui.sync import run_sync
from tests.helpers.bundles import district, write_bundle

EMAIL = 12  # the email column of a 1.1 users row


def connect_bundle(data_dir: Path, bundle: Path, **settings: str) -> DataDir:
    """Save a OneRoster CSV connection to the bundle (what `connect` does after its check)."""
    dd = DataDir(data_dir)
    config.save(dd, config.Connection("oneroster-csv", None, {"path": str(bundle), **settings}))
    return dd


def rows_of(dd: DataDir, sql: str) -> list[tuple]:
    """Read the store directly, as an outside reader would."""
    with sqlite.connect(dd.database) as db:
        return db.execute(sql).fetchall()


def changed_district(rows: dict[str, list[list[str]]], k: int) -> None:
    """Edit, remove, add and re-key some records (round k)."""
    users = rows["users"]
    users[1][GIVEN] = f"Ann-{k}"
    users[2][EMAIL] = f"ann1.{k}@students.lincoln.org"
    rows["enrollments"].pop()
    new = list(users[3])
    new[0], new[6], new[EMAIL], new[GIVEN], new[11] = f"n{k}", f"n{k}", f"n{k}@x.org", "Nia", "N"
    users.append(new)
    old = users[4][0]
    users[4][0] = f"{old}-r{k}"  # re-keyed: same username and email
    for e in rows["enrollments"]:
        if e[5] == old:
            e[5] = users[4][0]
    rows["classes"][0][3] = f"Algebra I - P0 ({k})"


def snapshot(dd: DataDir) -> dict[str, list[tuple]]:
    """Every topic table's rows (every column but the rowid), in sourcedId order."""
    out = {}
    with sqlite.connect(dd.database) as db:
        for topic, model in TOPIC_MODELS.items():
            cols = [f.column_name for f in model._meta.sorted_fields if f.name != "id"]
            out[topic] = db.execute(
                f'SELECT {", ".join(f"[{c}]" for c in cols)} FROM "{TABLES[topic]}" '
                "ORDER BY sourcedId"
            ).fetchall()
    return out


def held_sync(dd: DataDir, rows: dict, bundle: Path) -> int:
    """A third sync that removes half the students: held."""
    del rows["users"][10:30]
    write_bundle(bundle, rows)
    result = run_sync(dd)
    assert result.status == "held"
    tighten(dd.root)
    return result.run_id


def two_syncs(tmp_path: Path, data_dir: Path, **settings: str) -> tuple[DataDir, dict, Path]:
    """A first sync, then one with planted changes (an edit, a formula-like name, a removal,
    an addition, a re-keyed student, a class title)."""
    rows = district(students=40)
    bundle = write_bundle(tmp_path / "b", rows)
    dd = connect_bundle(data_dir, bundle, **settings)
    assert run_sync(dd).status == "succeeded"
    changed_district(rows, 1)
    rows["users"][6][GIVEN] = FORMULA  # stu5: a value a spreadsheet would run
    write_bundle(bundle, rows)
    assert run_sync(dd, force=True).status == "succeeded"
    tighten(dd.root)  # as the app leaves it (no note on the commands' stderr)
    return dd, rows, bundle


GIVEN = 8


FORMULA = '=HYPERLINK("http://x")'
