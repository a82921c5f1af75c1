"""Every mapping feature, read by SQL from real files: what each one gives, value by value."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.helpers.mapped_csv import check, fetch, write_csv

MAPPING = """
id = "every-feature"
dates = "dmy"

[[tables]]
topic = "orgs"
file = "schools.csv"
[tables.fields]
sourcedId = ["Id2", "ID"]
name = { template = "{Name} ({Code})" }
type = { column = "Kind", map = { HS = "school" }, else = "district" }
identifier = { join = ["Code", "Zone"], sep = "-" }

[[tables]]
topic = "academicSessions"
file = "sections.csv"
distinct = true
extras = false
[tables.fields]
sourcedId = "Term"
title = { coalesce = ["Term Name", "Term"] }
startDate = "Start"
endDate = { column = "End", date = "ymd" }

[[tables]]
topic = "courses"
file = "sections.csv"
distinct = true
extras = false
[tables.fields]
sourcedId = { column = "Course", split = " - ", part = 0 }
title = { column = "Course", split = " - ", part = "rest" }
courseCode = { column = "Course", split = " - ", part = -1 }

[[tables]]
topic = "classes"
file = "sections.csv"
extras = false
[tables.fields]
sourcedId = "Section"
title = "Course"
schoolSourcedId = "School"

[[tables]]
topic = "users"
file = "students.csv"
distinct = true
merge = ["orgSourcedIds"]
[tables.fields]
sourcedId = "Student"
orgSourcedIds = "School"
role = { const = "Student" }
enabledUser = { column = "Status", map = { active = "true" }, else = "false" }
givenName = { column = "Name", split = " ", part = 0 }
familyName = { column = "Name", split = " ", part = "rest" }
grades = { column = "Student", lookup = { file = "grades.csv", key = "uid", value = "grade" } }
[tables.fields.username]
column = "Student"
lookup = { file = "logins.csv", key = "uid", value = "login", prefer = { main = "yes" } }

[[tables]]
topic = "enrollments"
file = "sections.csv"
explode = ["T1", "T2", "T3"]
extras = false
[tables.fields]
classSourcedId = "Section"
userSourcedId = "@each"
role = { const = "Teacher" }
primary = "@first"
schoolSourcedId = { template = "{School}#{@index}" }

[[tables]]
topic = "demographics"
file = "students.csv"
distinct = true
extras = false
skip_blank = ["birthDate", "sex"]
[tables.fields]
sourcedId = "Student"
birthDate = "Born"
sex = { column = "Sex", map = { f = "female", m = "male" } }
asian = { column = "Race", has = "asian" }
white = { column = "Race", has = "white" }
"""


@pytest.fixture
def data(tmp_path: Path) -> dict[str, Any]:
    """Fetched records of a folder read through MAPPING, by topic (and the warnings)."""
    folder = tmp_path / "f"
    write_csv(
        folder,
        "schools.csv",
        ["ID", "Name", "Code", "Zone", "Kind", "Note"],
        [["s1", "North", "1", "", " hs ", "kept"], ["s2", " South ", "2", "7", "", ""]],
    )
    write_csv(
        folder,
        "sections.csv",
        ["Section", "School", "Term", "Term Name", "Start", "End", "Course", "T1", "T2", "T3"],
        [
            ["k1", "s1", "fall", "", "1/8/15", "2016-01-20", "ALG - Algebra - 1", "t1", "t2", ""],
            ["k2", "s1", "fall", "Fall", "", "", "ART - Art", "", " t3 ", "t1"],
        ],
    )
    write_csv(
        folder,
        "students.csv",
        ["Student", "School", "Status", "Name", "Born", "Sex", "Race", "Password"],
        [
            ["u1", "s1", "Active", "Ada  Lovelace King", "10/12/1815", "F", "Asian;White", "p1"],
            ["u2", "s1", "gone", "Bo", "", "", "", "p2"],
            ["u1", "s2,s1", "", "Ada", "", "", "", "p3"],
        ],
    )
    write_csv(
        folder,
        "logins.csv",
        ["uid", "login", "main"],
        [["u1", "ada.old", ""], ["u1", "ada", "YES"], ["u1", "ada.x", ""], ["u2", "bo", ""]],
    )
    write_csv(
        folder,
        "grades.csv",
        ["uid", "grade"],
        [["u1", "09"], ["u1", "10"], ["u1", "09"], ["u2", ""]],
    )
    (folder / "map.toml").write_text(MAPPING)
    out = fetch(folder, mapping=str(folder / "map.toml"))
    return {topic: rows for topic, rows in out.items()}


def test_columns_templates_joins_and_maps(data: dict[str, Any]) -> None:
    orgs = [(o["sourcedId"], o["name"], o["type"], o["identifier"]) for o in data["orgs"]]
    # `else` stands for a word the map lacks; a blank stays blank
    assert orgs == [("s1", "North (1)", "school", "1"), ("s2", "South (2)", None, "2-7")]
    assert data["orgs"][0]["extras"] == {"Note": "kept"}


def test_distinct_rows_dates_and_coalesce(data: dict[str, Any]) -> None:
    (term,) = data["academicSessions"]  # one term per distinct Term: its first row
    assert (term["sourcedId"], term["title"]) == ("fall", "fall")
    assert (term["startDate"], term["endDate"]) == ("2015-08-01", "2016-01-20")  # dmy, ymd


def test_split_parts(data: dict[str, Any]) -> None:
    courses = [(c["sourcedId"], c["title"], c["courseCode"]) for c in data["courses"]]
    assert courses == [("ALG", "Algebra - 1", "1"), ("ART", "Art", "Art")]


def test_merge_lookups_and_constants(data: dict[str, Any]) -> None:
    users = {u["sourcedId"]: u for u in data["users"]}
    ada = users["u1"]
    assert ada["orgSourcedIds"] == ["s1", "s2"]  # merged over both rows, each school once
    assert (ada["givenName"], ada["familyName"]) == ("Ada", "Lovelace King")
    assert ada["enabledUser"] is True and users["u2"]["enabledUser"] is False
    assert ada["username"] == "ada"  # the preferred row of the lookup
    assert users["u2"]["username"] == "bo"
    assert ada["grades"] == ["09", "10"]  # every value of the key, once
    assert ada["role"] == "student"
    assert all("p1" not in str(u) and "p3" not in str(u) for u in data["users"])


def test_explode_and_derived_ids(data: dict[str, Any]) -> None:
    got = [
        (e["sourcedId"], e["userSourcedId"], e["primary"], e["schoolSourcedId"])
        for e in data["enrollments"]
    ]
    assert got == [
        ("k1:t1:teacher", "t1", True, "s1#0"),
        ("k1:t2:teacher", "t2", False, "s1#1"),
        ("k2:t3:teacher", "t3", False, "s1#1"),
        ("k2:t1:teacher", "t1", False, "s1#2"),
    ]


def test_has_and_skip_blank(data: dict[str, Any]) -> None:
    (ada,) = data["demographics"]  # u2 has neither a birth date nor a sex: no row
    assert (ada["birthDate"], ada["sex"], ada["asian"], ada["white"]) == (
        "1815-12-10",
        "female",
        True,
        True,
    )


def test_the_check_counts_what_a_sync_reads(tmp_path: Path, data: dict[str, Any]) -> None:
    report = check(tmp_path / "f", mapping=str(tmp_path / "f" / "map.toml"))
    assert report.ok, report.to_dict()
    counts = {t.topic: t.rows for t in report.topics}
    assert counts["users"] == len(data["users"]) == 2
    assert counts["roles"] == 3  # u1's two schools (its rows merged), u2's one
    assert "students.csv: 1 people listed on several rows (one per school) read once each" in (
        report.warnings
    )
