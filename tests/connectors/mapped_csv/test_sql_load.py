"""Mapped CSV loaded by SQL through the sync engine: several files per topic, bad input, secrets."""

from __future__ import annotations

from pathlib import Path

from connectors.mapped_csv.connector import MappedCsvConnector
from datasync_tui.paths import DataDir
from datasync_tui.store import config, sqlite
from datasync_tui.sync import run_sync
from tests.helpers.mapped_csv import PERSON, SECTION, fetch, sds, write_csv
from tests.helpers.streams import values_of


def connect(data_dir: Path, folder: Path) -> DataDir:
    """Save a plain CSV connection to the folder (what `connect` does after its check)."""
    dd = DataDir(data_dir)
    settings = {"path": str(folder), "mapping": "sds-classic"}
    config.save(dd, config.Connection("csv", None, settings))
    return dd


def rows_of(dd: DataDir, sql: str) -> list[tuple]:
    """Read the store directly."""
    with sqlite.connect(dd.database) as db:
        return db.execute(sql).fetchall()


def people(folder: Path) -> Path:
    """Two students, then two teachers, the second teacher with the first student's id."""
    write_csv(
        folder,
        "Student.csv",
        PERSON,
        [["100", "1", "Al", "Bo", "al@x.org", "pw-al"], ["101", "1", "Di", "Ek", "di@x.org", "x"]],
    )
    write_csv(
        folder,
        "Teacher.csv",
        PERSON,
        [["200", "1", "Cy", "Di", "cy@x.org", "pw-cy"], ["100", "1", "Ty", "Ro", "t@x.org", "y"]],
    )
    return folder


def test_a_topic_of_several_files_numbers_its_records_on(tmp_path: Path) -> None:
    folder = people(sds(tmp_path / "f"))
    (users,) = [s for s in MappedCsvConnector({"path": str(folder)}).fetch() if s.topic == "users"]
    rows = [dict(zip(users.fields, values, strict=False)) for values in values_of(users)]
    got = [(row["sourcedId"], row["role"]) for row in rows]  # in record-number order
    assert got == [("100", "student"), ("101", "student"), ("200", "teacher"), ("100", "teacher")]


def test_the_first_of_a_repeated_id_is_kept_across_files(tmp_path: Path, data_dir: Path) -> None:
    dd = connect(data_dir, people(sds(tmp_path / "f")))
    for _ in range(2):  # a first sync (straight into the store), then one through staging
        result = run_sync(dd)
        assert result.status == "succeeded", result.error
        assert result.duplicates == 1
        assert rows_of(dd, "SELECT role, givenName FROM users WHERE sourcedId = '100'") == [
            ("student", "Al")
        ]
    messages = rows_of(dd, "SELECT message FROM sync_findings WHERE topic = 'users'")
    assert messages[-1] == (
        "users sourcedId '100' was sent 2 times (records 1 and 4); the first is kept",
    )


def test_a_bad_row_stops_the_sync_with_its_place(tmp_path: Path, data_dir: Path) -> None:
    folder = sds(tmp_path / "f")
    dd = connect(data_dir, folder)
    assert run_sync(dd).status == "succeeded"
    with (folder / "StudentEnrollment.csv").open("a", encoding="utf-8") as out:
        out.write("10,101\r\n10,102,extra\r\n")
    result = run_sync(dd)
    assert result.status == "failed"
    assert result.error == ("StudentEnrollment.csv:4: the row has 3 fields but the header has 2")
    assert rows_of(dd, "SELECT count(*) FROM enrollments") == [(2,)]  # the last good data


def test_a_bad_row_of_a_lookup_file_is_located(tmp_path: Path) -> None:
    folder = tmp_path / "v21"
    write_csv(folder, "orgs.csv", ["sourcedId", "name", "type"], [["o1", "North", "school"]])
    write_csv(
        folder,
        "users.csv",
        ["sourcedId", "username", "givenName", "familyName"],
        [["u1", "ann@x.org", "Ann", "Lee"]],
    )
    roles = folder / "roles.csv"
    write_csv(folder, "roles.csv", ["userSourcedId", "orgSourcedId", "role", "isPrimary"], [])
    roles.write_text(roles.read_text() + "u1,o1,student,true\r\nu1,o2\r\n")
    write_csv(folder, "classes.csv", ["sourcedId", "orgSourcedId", "title"], [["c1", "o1", "M"]])
    header = ["classSourcedId", "userSourcedId", "role"]
    write_csv(folder, "enrollments.csv", header, [["c1", "u1", "student"]])
    report = MappedCsvConnector({"path": str(folder), "mapping": "sds-v2.1"}).check()
    assert report.error == "roles.csv:3: the row has 2 fields but the header has 4"


def test_an_unreadable_date_is_placed_on_its_line(tmp_path: Path) -> None:
    folder = sds(tmp_path / "f")
    write_csv(
        folder,
        "Section.csv",
        SECTION,
        [["10", "1", "Math\nHonors", "T1", "8/1/15"], ["11", "1", "Art", "T1", "31/1/15"]],
    )
    data = fetch(folder, mapping="sds-classic")
    assert [w["text"] for w in data["warnings"]] == [
        "Section.csv:4: Term StartDate '31/1/15' is not a date as month/day/year; kept as sent"
    ]
    assert {c["title"] for c in data["classes"]} == {"Math\nHonors", "Art"}


def test_passwords_are_never_stored(tmp_path: Path, data_dir: Path) -> None:
    dd = connect(data_dir, people(sds(tmp_path / "f")))
    assert run_sync(dd).status == "succeeded"
    with sqlite.connect(dd.database) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    blob = dd.database.read_bytes()
    assert b"pw-al" not in blob and b"pw-cy" not in blob
    assert rows_of(dd, "SELECT count(*) FROM users WHERE extras LIKE '%assword%'") == [(0,)]


def test_extra_columns_past_the_cap_are_skipped_with_a_warning(tmp_path: Path) -> None:
    folder = sds(tmp_path / "f")
    header = ["SIS ID", "Name", *(f"Zone {k}" for k in range(250))]
    write_csv(folder, "School.csv", header, [["1", "North", *(str(k) for k in range(250))]])
    data = fetch(folder, mapping="sds-classic")
    (org,) = data["orgs"]
    assert len(org["extras"]) == 200 and org["extras"]["Zone 199"] == "199"
    assert (
        "School.csv: 250 extra columns; the first 200 are kept, the rest ('Zone 200' on) "
        "skipped" in [w["text"] for w in data["warnings"]]
    )
