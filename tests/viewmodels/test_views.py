"""The pure helpers behind the screens: times, paths, tiles, source rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from datasync_tui.viewmodels.dashboard import Facts, Tile, change_text, tiles
from datasync_tui.viewmodels.format import ago, display_path
from datasync_tui.viewmodels.setup import (
    matching_choices,
    path_problem,
    required_item_text,
    source_choices,
)

NOW = datetime(2026, 11, 28, 5, 0, tzinfo=UTC)


def test_ago_reads_like_a_person() -> None:
    assert ago(NOW - timedelta(seconds=20), NOW) == "just now"
    assert ago(NOW - timedelta(minutes=1), NOW) == "1 minute ago"
    assert ago(NOW - timedelta(minutes=59), NOW) == "59 minutes ago"
    assert ago(NOW - timedelta(hours=2, minutes=59), NOW) == "3 hours ago"
    assert ago(NOW - timedelta(days=2, hours=3), NOW) == "2 days ago"
    assert ago(NOW + timedelta(hours=21), NOW) == "in 21 hours"


def test_display_path_is_short(tmp_path: Path) -> None:
    assert display_path(str(tmp_path / "a" / "b.zip"), tmp_path) == "a/b.zip"
    assert display_path("relative.zip", tmp_path) == "relative.zip"
    assert display_path(str(Path.home() / "x.zip"), tmp_path).startswith("~")


def test_path_problem(tmp_path: Path) -> None:
    (tmp_path / "b.zip").write_bytes(b"")
    (tmp_path / "notes.txt").write_text("")
    assert path_problem(str(tmp_path / "b.zip")) is None
    assert path_problem(str(tmp_path)) is None
    assert "no such file or folder" in (path_problem(str(tmp_path / "nope.zip")) or "")
    assert "is not a .zip" in (path_problem(str(tmp_path / "notes.txt")) or "")


def test_source_rows_cover_every_vendor_and_method() -> None:
    rows = source_choices()
    keys = {r.key for r in rows}
    for vendor in ("powerschool", "infinite-campus", "skyward", "aeries", "synergy"):
        assert f"{vendor}/oneroster-csv" in keys
    assert {"oneroster-csv", "oneroster-api", "sif", "csv"} <= keys
    first = matching_choices(rows, "oneroster csv")[0]
    assert first.key == "oneroster-csv"  # a name match comes before a help-text match
    assert [r.key for r in matching_choices(rows, "aeries")] == [
        "aeries/oneroster-api",
        "aeries/oneroster-csv",
    ]
    assert matching_choices(rows, "no such thing") == []


def test_tiles_follow_the_status_document() -> None:
    status = {
        "counts": {"academicSessions": 4, "courses": 12, "classes": 40, "enrollments": 2100},
        "orgs_by_type": {"district": 1, "school": 2},
        "users_by_role": {"student": 470, "teacher": 42, "administrator": 8, "aide": 2},
    }
    changes = {"users": {"added": 5, "removed": 1}, "classes": {"added": 0, "removed": 2}}
    shown = {t.id: t for t in tiles(Facts(status, None, changes))}
    assert shown["staff"].count == 10 and shown["schools"].count == 2
    assert change_text(shown["classes"]) == "+0 −2"
    assert change_text(shown["students"]) == ""  # no totals of the sync before: not known
    assert change_text(Tile("terms", "Terms", "academicSessions", 4)) == ""
    before = {
        "counts": {},
        "orgs_by_type": {"school": 2},
        "users_by_role": {"student": 460, "teacher": 43, "administrator": 8, "aide": 2},
    }
    shown = {t.id: t for t in tiles(Facts(status, None, changes, previous_totals=before))}
    # one wording on every tile: +added −removed, or no change
    assert change_text(shown["students"]) == "+10 −0"
    assert change_text(shown["teachers"]) == "+0 −1"
    assert change_text(shown["staff"]) == "no change"
    assert change_text(Tile("terms", "Terms", "academicSessions", 4, 0, 0)) == "no change"


def test_missing_items_name_the_file() -> None:
    assert required_item_text("oneroster-csv", "enrollments") == "enrollments.csv"
    assert required_item_text("oneroster-csv", "users.email") == "the email column of users.csv"
    assert required_item_text("oneroster-api", "enrollments") == "enrollments"


def test_plurals_say_one_thing_in_the_singular() -> None:
    from datasync_tui.ui.setup.check import rows_text
    from datasync_tui.viewmodels.validations import plural

    assert rows_text(1).strip() == "1 row" and rows_text(12_400).strip() == "12,400 rows"
    assert len(rows_text(1)) == len(rows_text(2))  # the numbers stay aligned
    assert [plural(1, w) for w in ("record", "domain", "row")] == ["1 record", "1 domain", "1 row"]
    assert plural(2, "class", "classes") == "2 classes"
