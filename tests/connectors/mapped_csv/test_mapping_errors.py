"""Mapping problems: one located line each, and check() never raises."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from connectors.base import ConnectorError
from connectors.mapped_csv.connector import MappedCsvConnector
from connectors.mapped_csv.fields import parse_date
from connectors.mapped_csv.mapping import load_mapping, preset_ids
from connectors.mapped_csv.overrides import parse_overrides
from tests.helpers.mapped_csv import SECTION, check, fetch, sds, write_csv


def test_minimal_folder_passes(tmp_path: Path) -> None:
    report = check(sds(tmp_path / "f"), mapping="sds-classic")
    assert report.ok, report.to_dict()


def test_missing_file_is_one_line(tmp_path: Path) -> None:
    report = check(sds(tmp_path / "f", skip="TeacherRoster.csv"), mapping="sds-classic")
    assert not report.ok
    assert report.missing_required() == [
        "enrollments: TeacherRoster.csv is missing (the sds-classic mapping reads enrollments "
        "from it)"
    ]
    with pytest.raises(ConnectorError, match=r"TeacherRoster\.csv is missing"):
        list(MappedCsvConnector({"path": str(tmp_path / "f"), "mapping": "sds-classic"}).fetch())


def test_missing_column_is_located(tmp_path: Path) -> None:
    section = ["SIS ID", "School SIS ID", "Section Title", "Term SIS ID", "Term StartDate"]
    report = check(sds(tmp_path / "f", section=section), mapping="sds-classic")
    assert not report.ok
    (problem,) = report.missing_required()
    assert problem == "classes: Section.csv:1: column missing: 'Section Name' for classes.title"


def test_bad_date_is_one_located_warning(tmp_path: Path) -> None:
    folder = sds(tmp_path / "f")
    write_csv(
        folder,
        "Section.csv",
        SECTION,
        [["10", "1", "Math", "T1", "13/45/2015"], ["11", "1", "Art", "T1", "8/1/15"]],
    )
    report = check(folder, mapping="sds-classic")
    assert report.ok  # kept as sent: the session-dates rule flags it after the sync
    dates = [w for w in report.warnings if "not a date" in w]
    assert dates == [
        "Section.csv:2: Term StartDate '13/45/2015' is not a date as month/day/year; kept as sent"
    ]
    data = fetch(folder, mapping="sds-classic")
    assert data["academicSessions"][0]["startDate"] == "13/45/2015"


def test_unmapped_required_field_is_named(tmp_path: Path) -> None:
    custom = tmp_path / "mine.toml"
    custom.write_text(
        'extends = "sds-classic"\nid = "mine"\n'
        '[[tables]]\ntopic = "orgs"\nfile = "School.csv"\n'
        '[tables.fields]\nsourcedId = "SIS ID"\n'
    )
    report = check(sds(tmp_path / "f"), mapping=str(custom))
    assert not report.ok
    assert "orgs.name not mapped in School.csv: map a column to it" in report.missing_required()[0]


def test_columns_option_maps_a_field(tmp_path: Path) -> None:
    folder = sds(tmp_path / "f")
    write_csv(folder, "School.csv", ["SIS ID", "School Name"], [["1", "North"]])
    assert not check(folder, mapping="sds-classic").ok
    report = check(folder, mapping="sds-classic", columns="School.csv:orgs.name=School Name")
    assert report.ok, report.to_dict()
    data = fetch(folder, mapping="sds-classic", columns="orgs.name=School Name")
    assert data["orgs"][0]["name"] == "North"


def test_no_preset_matches(tmp_path: Path) -> None:
    folder = tmp_path / "f"
    write_csv(folder, "people.csv", ["id", "name"], [["1", "x"]])
    report = check(folder)
    assert not report.ok and report.reached
    assert report.error is not None and "match no preset" in report.error
    assert "sds-classic" in report.error


def test_check_never_raises(tmp_path: Path) -> None:
    assert check(tmp_path / "nowhere").reached is False
    report = check(sds(tmp_path / "f"), mapping="no-such-preset")
    assert report.error is not None and "no preset 'no-such-preset'" in report.error
    bad = tmp_path / "bad.toml"
    bad.write_text("tables = 3")
    assert "no [[tables]]" in (check(tmp_path / "f", mapping=str(bad)).error or "")


def test_json_mapping_file(tmp_path: Path) -> None:
    doc = {"extends": "sds-classic", "id": "json-one", "dates": "dmy"}
    path = tmp_path / "m.json"
    path.write_text(json.dumps(doc))
    mapping = load_mapping(str(path))
    assert mapping.id == "json-one" and mapping.dates == "dmy"
    folder = sds(tmp_path / "f")
    data = fetch(folder, mapping=str(path))
    assert data["academicSessions"][0]["startDate"] == "2015-01-08"


def test_mapping_file_problems_are_located(tmp_path: Path) -> None:
    path = tmp_path / "m.toml"
    path.write_text('[[tables]]\ntopic = "users"\nfile = "u.csv"\nfields = { nick = "N" }\n')
    with pytest.raises(ConnectorError, match=r"m.toml table 1 \(u.csv → users\): nick"):
        load_mapping(str(path))
    path.write_text('[[tables]]\ntopic = "people"\nfile = "u.csv"\n')
    with pytest.raises(ConnectorError, match=r"topic .people. is not one of"):
        load_mapping(str(path))
    path.write_text(
        '[[tables]]\ntopic = "users"\nfile = "u.csv"\n'
        'fields = { givenName = { column = "Name", split = "" } }\n'
    )
    with pytest.raises(ConnectorError, match=r"givenName\.split: give the text to split on"):
        load_mapping(str(path))
    with pytest.raises(ConnectorError, match=r"is not \[File\.csv:\]topic\.field=Column"):
        parse_overrides("users.nick=Nick")


def test_presets_all_load() -> None:
    assert preset_ids() == ["clever", "sds-classic", "sds-v2", "sds-v2.1"]
    for preset_id in preset_ids():
        assert load_mapping(preset_id).tables


@pytest.mark.parametrize(
    ("raw", "order", "expected"),
    [
        ("8/1/15", "mdy", "2015-08-01"),
        ("7/1/2017", "mdy", "2017-07-01"),
        ("30/6/2018", "dmy", "2018-06-30"),
        ("2018-06-30", "mdy", "2018-06-30"),
        ("4/2/99", "mdy", "1999-04-02"),
        ("7/1/2017 12:00:00 AM", "mdy", "2017-07-01"),
        ("13/1/2017", "mdy", None),
        ("soon", "mdy", None),
        ("\u0661/\u0662/\u0662\u0660\u0661\u0665", "mdy", None),  # ASCII digits only (as SQL)
        ("8/1/15\n 9", "mdy", None),  # the whole first word is the date
    ],
)
def test_parse_date(raw: str, order: str, expected: str | None) -> None:
    assert parse_date(raw, order) == expected
