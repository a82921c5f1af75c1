"""OneRosterCsvConnector.fetch(): canonical records, quirks read leniently, passwords dropped."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from connectors.canonical import TOPIC_ORDER, field_names
from connectors.oneroster.csv import OneRosterCsvConnector
from tests.helpers.bundles import H12_USERS, files11, files12
from tests.helpers.bundles import HEADERS_11 as H11
from tests.helpers.bundles import manifest_text as manifest
from tests.helpers.bundles import write_files as write
from tests.helpers.streams import values_of


def records(conn: OneRosterCsvConnector) -> dict[str, list[dict[str, Any]]]:
    """Every record of every stream as {field: value} (extras under "_extras")."""
    out: dict[str, list[dict[str, Any]]] = {}
    for stream in conn.fetch():
        assert set(stream.fields) <= set(field_names(stream.topic))
        out[stream.topic] = [
            dict(zip((*stream.fields, "_extras"), values, strict=True))
            for values in values_of(stream)
        ]
    return out


def fetch(path: Path) -> tuple[dict[str, list[dict[str, Any]]], list[str]]:
    """Records and warnings of a bundle."""
    conn = OneRosterCsvConnector({"path": str(path)})
    return records(conn), conn.warnings


def by_id(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Records keyed by sourcedId."""
    return {r["sourcedId"]: r for r in rows}


def test_11_values_are_canonical(tmp_path: Path) -> None:
    data, warnings = fetch(write(tmp_path / "b.zip", files11()))
    assert list(data) == [t for t in TOPIC_ORDER]
    assert warnings == []
    orgs = by_id(data["orgs"])
    assert orgs["s1"]["type"] == "school"
    assert by_id(data["academicSessions"])["t1"]["type"] == "semester"
    classes = by_id(data["classes"])
    assert classes["k1"]["classType"] == "scheduled"
    assert classes["k2"]["termSourcedIds"] == ["t1", "y1"]
    assert classes["k2"]["grades"] == ["09", "10"]
    assert classes["k2"]["classCode"] is None
    users = by_id(data["users"])
    tch = users["tch1"]
    assert tch["enabledUser"] is True
    assert tch["role"] == "teacher"
    assert tch["orgSourcedIds"] == ["s1", "d1"]
    assert tch["userIds"] == ["{LDAP:12}", "{LTI:15}"]
    assert users["stu1"]["grades"] == ["09", "10", "11"]
    assert users["stu2"]["enabledUser"] is False
    assert users["stu2"]["username"] is None
    enrollments = by_id(data["enrollments"])
    assert enrollments["e1"]["primary"] is True
    assert enrollments["e1"]["beginDate"] == "2026-08-15"
    assert enrollments["e2"]["role"] == "student"
    assert enrollments["e3"]["primary"] is None
    assert by_id(data["demographics"])["stu1"]["sex"] == "female"


def test_11_roles_are_derived_from_users(tmp_path: Path) -> None:
    data, _ = fetch(write(tmp_path / "b", files11()))
    roles = [(r["sourcedId"], r["userSourcedId"], r["orgSourcedId"], r["roleType"], r["role"])
             for r in data["roles"]]  # fmt: skip
    assert roles == [
        ("tch1:s1:teacher", "tch1", "s1", "primary", "teacher"),
        ("tch1:d1:teacher", "tch1", "d1", "secondary", "teacher"),
        ("stu1:s1:student", "stu1", "s1", "primary", "student"),
        ("stu2:s1:student", "stu2", "s1", "primary", "student"),
    ]


def test_password_is_never_returned(tmp_path: Path) -> None:
    for files in (files11(), files12()):
        data, _ = fetch(write(tmp_path / f"b{len(files)}.zip", files))
        text = repr(data)
        assert "hunter2" not in text and "pw1" not in text
        assert all("password" not in (r["_extras"] or {}) for r in data["users"])


def test_password_changes_no_value(tmp_path: Path) -> None:
    """Unchanged records are found by comparing values: a password (never read) changes none."""
    second = files11()
    second["users.csv"] = str(second["users.csv"]).replace("hunter2", "s3cret!")
    assert fetch(write(tmp_path / "a", files11())) == fetch(write(tmp_path / "b", second))


def test_reads_are_stable_and_follow_the_header(tmp_path: Path) -> None:
    path = write(tmp_path / "b", files11())
    once, _ = fetch(path)
    assert fetch(path)[0] == once
    (path / "orgs.csv").write_text(
        H11["orgs"] + ",metadata.x\n" + "d1,,,Lincoln USD,district,D1,,x\n"
    )
    assert fetch(path)[0]["orgs"][0]["_extras"] == {"metadata.x": "x"}


def test_a_first_record_may_start_with_an_empty_field(tmp_path: Path) -> None:
    """SQLite's CSV reader, asked to validate text, refused such a record as not UTF-8."""
    files = files11()
    files["orgs.csv"] = H11["orgs"] + "\n,,,No Id,school,S9,d1\nd1,,,Lincoln USD,district,D1,\n"
    data, _ = fetch(write(tmp_path / "b", files))
    assert [o["name"] for o in data["orgs"]] == ["No Id", "Lincoln USD"]


def test_streams_can_be_read_after_fetch_ends(tmp_path: Path) -> None:
    conn = OneRosterCsvConnector({"path": str(write(tmp_path / "b.zip", files11()))})
    streams = list(conn.fetch())
    conn.close()
    assert [len(values_of(s)) for s in streams] == [2, 2, 1, 2, 3, 4, 3, 1]


def test_modes_come_from_the_manifest(tmp_path: Path) -> None:
    files = files11(mode="delta")
    files["orgs.csv"] = H11["orgs"] + "\nd1,Inactive,2023-05-01,X,district,,\n"
    files["users.csv"] = str(files["users.csv"]).replace(
        "tch1,,,", "tch1,active,2017-05-06 08:01:05,"
    )
    conn = OneRosterCsvConnector({"path": str(write(tmp_path / "b", files))})
    streams = {s.topic: s for s in conn.fetch()}
    assert {s.mode for s in streams.values()} == {"delta"}
    org = values_of(streams["orgs"])[0]
    assert org[1:3] == ("tobedeleted", "2023-05-01T00:00:00Z")
    user = values_of(streams["users"])[0]
    assert user[1:3] == ("active", "2017-05-06T08:01:05Z")


def test_no_manifest_is_10_bulk_with_old_names(tmp_path: Path) -> None:
    files = {
        "orgs.csv": "sourcedId,status,dateLastModified,name,type\ns1,,,High,school\n",
        "classes.csv": "sourcedId,status,dateLastModified,title,grade,courseSourcedId,classType,"
        "schoolSourcedId,termSourcedId\nk1,,,Alg,09,c1,scheduled,s1,t1\n",
        "users.csv": "sourcedId,status,dateLastModified,orgSourcedIds,role,username,userId,"
        "givenName,familyName,email,agents,grade\nu1,,,s1,student,ann,{LDAP:1},Ann,Lee,a@x.org,"
        "p1,09\n",
        "enrollments.csv": "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,"
        "userSourcedId,role\ne1,,,k1,s1,u1,student\n",
        "demographics.csv": "sourcedId,status,dateLastModified,birthdate,sex\nu1,,,2011-01-01,F\n",
    }
    conn = OneRosterCsvConnector({"path": str(write(tmp_path / "b", files))})
    assert conn.check().ok
    assert conn.check().detail["version"] == "1.0"
    data = records(conn)
    user = data["users"][0]
    assert (user["userIds"], user["agentSourcedIds"], user["grades"]) == (
        ["{LDAP:1}"],
        ["p1"],
        ["09"],
    )
    assert data["classes"][0]["termSourcedIds"] == ["t1"]
    assert data["demographics"][0]["birthDate"] == "2011-01-01"
    assert data["roles"][0]["sourcedId"] == "u1:s1:student"
    assert "no manifest.csv: read as OneRoster 1.0 (bulk)" in conn.warnings
    assert "users.csv: column 'userId' (a OneRoster 1.0 name) read as 'userIds'" in conn.warnings


def test_12_users_and_roles(tmp_path: Path) -> None:
    data, _ = fetch(write(tmp_path / "b", files12()))
    tch = by_id(data["users"])["tch1"]
    assert tch["role"] is None and tch["orgSourcedIds"] is None
    assert (tch["preferredGivenName"], tch["primaryOrgSourcedId"], tch["pronouns"]) == (
        "Molly",
        "s1",
        "she/her",
    )
    roles = by_id(data["roles"])
    assert roles["r2"]["roleType"] == "secondary"
    assert roles["r3"]["role"] == "student"
    assert roles["r3"]["beginDate"] == "2026-08-15"


def test_120_resource_sourced_ids_go_to_extras(tmp_path: Path) -> None:
    files = files12("1.2.0")
    header = H12_USERS.replace("userMasterIdentifier,", "userMasterIdentifier,resourceSourcedIds,")
    files["users.csv"] = header + "\nu1,,,true,ann,,Ann,Lee,,,,,,,,,,res1,,,,,\n"
    data, warnings = fetch(write(tmp_path / "b", files))
    user = data["users"][0]
    assert user["_extras"] == {"resourceSourcedIds": "res1"}
    assert not [w for w in warnings if "resourceSourcedIds" in w]


def test_extras_and_near_misses(tmp_path: Path) -> None:
    files = files11()
    files["orgs.csv"] = (
        "sourcedId,status,dataLastModified,name,type,identifier,parentSourcedId,metadata.nces,"
        "ext_vendor,blank\nd1,,2024-01-01,USD,district,,,0601,v,\n"
    )
    files["users.csv"] = str(files["users.csv"]).replace("middleName", "prefferedGivenName")
    data, warnings = fetch(write(tmp_path / "b", files))
    org = data["orgs"][0]
    assert org["dateLastModified"] is None
    assert org["_extras"] == {
        "dataLastModified": "2024-01-01",
        "metadata.nces": "0601",
        "ext_vendor": "v",
    }
    assert "orgs.csv: unknown column 'dataLastModified' kept as an extra; did you mean " \
        "'dateLastModified'?" in warnings  # fmt: skip
    assert any("'prefferedGivenName'" in w and "'preferredGivenName'" in w for w in warnings)
    assert not [w for w in warnings if "metadata" in w or "ext_" in w]


def test_bom_crlf_case_and_order(tmp_path: Path) -> None:
    files = files11()
    files["orgs.csv"] = (
        b"\xef\xbb\xbfName,SourcedId,type,status,dateLastModified\r\nUSD,d1,DISTRICT,,\r\n"
        b'"High, North",s1,school,,\r\n'
    )
    data, warnings = fetch(write(tmp_path / "b", files))
    assert [(o["sourcedId"], o["name"], o["type"]) for o in data["orgs"]] == [
        ("d1", "USD", "district"),
        ("s1", "High, North", "school"),
    ]
    assert "orgs.csv: byte order mark at the start ignored" in warnings
    assert "orgs.csv: column 'Name' read as 'name' (names are case-sensitive)" in warnings
    assert "orgs.csv: columns are not in the standard order (read by name)" in warnings


def test_enclosing_folder_and_manifest_absent_file(tmp_path: Path) -> None:
    files = files11()
    files["manifest.csv"] = manifest("1.1", ["orgs", "users", "classes", "enrollments"])
    nested = {f"export-2026/{name}": text for name, text in files.items()}
    data, warnings = fetch(write(tmp_path / "b.zip", nested))
    assert len(data["courses"]) == 1
    assert "the CSV files are inside the folder export-2026/ of the zip" in warnings
    assert "manifest.csv marks courses.csv absent, but the bundle has it: it is read" in warnings


def test_manifest_version_loses_to_the_files(tmp_path: Path) -> None:
    files = files11()
    files["manifest.csv"] = manifest("1.2", list(files))
    conn = OneRosterCsvConnector({"path": str(write(tmp_path / "b", files))})
    assert conn.check().detail["version"] == "1.1"
    assert "manifest.csv says OneRoster 1.2 but the files are 1.1; read as 1.1" in conn.warnings


def test_duplicate_sourced_ids_are_passed_on(tmp_path: Path) -> None:
    files = files11()
    files["orgs.csv"] = str(files["orgs.csv"]) + "s1,,,Copy,school,,\n"
    data, _ = fetch(write(tmp_path / "b", files))
    assert [o["sourcedId"] for o in data["orgs"]] == ["d1", "s1", "s1"]


def test_expected_rows_after_check(tmp_path: Path) -> None:
    conn = OneRosterCsvConnector({"path": str(write(tmp_path / "b", files11()))})
    assert all(s.expected_rows is None for s in conn.fetch())
    conn.check()
    assert {s.topic: s.expected_rows for s in conn.fetch()}["roles"] == 4


def test_delta_bundle_may_omit_unchanged_required_files(tmp_path: Path) -> None:
    files = files11(mode="delta")
    files["orgs.csv"] = H11["orgs"] + "\n"
    del files["enrollments.csv"]
    present = [n.removesuffix(".csv") for n in files if n != "manifest.csv"]
    files["manifest.csv"] = manifest("1.1", present, "delta")
    conn = OneRosterCsvConnector({"path": str(write(tmp_path / "b", files))})
    counts = {s.topic: (s.mode, len(list(s.rows))) for s in conn.fetch()}
    assert counts["orgs"] == ("delta", 0)
    assert "enrollments" not in counts
