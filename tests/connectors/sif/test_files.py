"""SIF XML files: generated SIF 2.x US and SIF 3 AU districts, folders and zips."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from connectors.base import ConnectorError
from connectors.sif.connector import SifConnector
from tests.helpers.sif import by_id, read_all
from tests.helpers.sif_gen import District, rid, uid, write_au, write_us


def test_us_district_maps_every_topic(tmp_path: Path) -> None:
    d = District(students=30, teachers=3, sections=3)
    rows = read_all(SifConnector({"path": str(write_us(tmp_path / "us", d))}))
    counts = {t: len(r) for t, r in rows.items()}
    assert counts == {
        "orgs": 2,
        "academicSessions": 1,
        "courses": 1,
        "classes": 3,
        "users": 33,
        "roles": 33,
        "enrollments": d.enrollments,
        "demographics": 30,
    }
    orgs = by_id(rows["orgs"])
    assert orgs[rid("2", 1)]["type"] == "school"
    assert orgs[rid("2", 1)]["parentSourcedId"] == rid("1", 1)
    assert orgs[rid("1", 1)]["type"] == "district"
    term = rows["academicSessions"][0]
    assert (term["startDate"], term["endDate"], term["type"]) == (
        "2026-08-15",
        "2027-01-15",
        "semester",
    )
    assert term["schoolYear"] == "2027"
    k0 = by_id(rows["classes"])[rid("6", 0)]
    assert k0["title"] == "Algebra I"
    assert k0["schoolSourcedId"] == rid("2", 1)
    assert k0["courseSourcedId"] == rid("4", 1)
    assert k0["termSourcedIds"] == [rid("3", 1)]
    assert k0["periods"] == ["1"]
    assert k0["classCode"] == "ALG1-0"
    student = by_id(rows["users"])[rid("5", 7)]
    assert student["role"] == "student"
    assert (student["givenName"], student["familyName"]) == ("Given7", "Family7")
    assert student["email"] == "student7@district.example.org"  # the Primary one, not the first
    assert student["identifier"] == "S000007"
    assert student["userMasterIdentifier"] == "ST00000007"
    assert student["userIds"] == ["{Barcode:900007}"]
    assert student["_extras"]["emails"] == [
        {"type": "Alternate1", "address": "alt7@home.example.com"},
        {"type": "Primary", "address": "student7@district.example.org"},
    ]
    assert student["_extras"]["OnTimeGraduationYear"] == "2030"
    assert student["_where"].startswith("students.xml:")
    teacher = by_id(rows["users"])[rid("7", 0)]
    assert teacher["role"] == "teacher"
    roles = by_id(rows["roles"])
    assert roles[rid("9", 0)]["role"] == "administrator"  # "Principal"
    assert roles[rid("9", 1)]["role"] == "teacher"
    assert roles[rid("9", 1)]["beginDate"] == "2020-09-01"
    assert roles[rid("8", 3)]["userSourcedId"] == rid("5", 3)
    assert roles[rid("8", 3)]["orgSourcedId"] == rid("2", 1)
    assert roles[rid("8", 3)]["roleType"] == "primary"
    enr = by_id(rows["enrollments"])
    teach = enr[f"{rid('6', 1)}:{rid('7', 1)}"]
    assert (teach["role"], teach["primary"], teach["schoolSourcedId"]) == (
        "teacher",
        True,
        rid("2", 1),
    )
    sse = enr[rid("A", 4)]
    assert (sse["userSourcedId"], sse["classSourcedId"], sse["role"]) == (
        rid("5", 1),
        rid("6", 1),
        "student",
    )
    assert sse["schoolSourcedId"] == rid("2", 1)
    demo = by_id(rows["demographics"])[rid("5", 1)]
    assert (demo["sex"], demo["birthDate"]) == ("female", "2010-04-02")


def test_au_collections_map_teaching_groups(tmp_path: Path) -> None:
    d = District(students=12, teachers=2, sections=4)
    rows = read_all(SifConnector({"path": str(write_au(tmp_path / "au", d))}))
    assert len(rows["users"]) == 14
    assert len(rows["classes"]) == 4
    assert len(rows["enrollments"]) == d.enrollments
    assert len(rows["roles"]) == 14
    student = by_id(rows["users"])[uid("5", 3)]
    assert student["familyName"] == "Family3"  # white space around text is trimmed
    assert student["email"] == "s3@school.example.edu.au"
    assert student["grades"] == ["7"]
    group = by_id(rows["classes"])[uid("6", 2)]
    assert group["title"] == "Year 7 Maths 2"
    assert group["schoolSourcedId"] == uid("2", 1)
    teachers = [e for e in rows["enrollments"] if e["role"] == "teacher"]
    assert len(teachers) == 4 and all(e["primary"] for e in teachers)
    assert by_id(rows["demographics"])[uid("5", 0)]["sex"] == "male"


def test_zip_reads_like_the_folder(tmp_path: Path) -> None:
    folder = write_us(tmp_path / "us", District())
    archive = tmp_path / "sif.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for f in folder.iterdir():
            zf.write(f, f"export/{f.name}")
    from_folder = read_all(SifConnector({"path": str(folder)}))
    from_zip = read_all(SifConnector({"path": str(archive)}))
    assert {t: len(r) for t, r in from_zip.items()} == {t: len(r) for t, r in from_folder.items()}

    def content(rows: list[dict[str, object]]) -> list[dict[str, object]]:
        return [{k: v for k, v in r.items() if k != "_where"} for r in rows]

    assert content(from_zip["users"]) == content(from_folder["users"])
    assert from_zip["users"][0]["_where"].startswith("sif.zip/export/")


def test_the_same_files_read_as_the_same_rows(tmp_path: Path) -> None:
    """The engine finds unchanged records by comparing values: a read must be deterministic."""
    folder = write_us(tmp_path / "us", District(students=5))
    first = read_all(SifConnector({"path": str(folder)}))
    assert read_all(SifConnector({"path": str(folder)})) == first


def test_check_reports_topics_and_fields(tmp_path: Path) -> None:
    report = SifConnector({"path": str(write_us(tmp_path / "us", District()))}).check()
    assert report.ok, report.to_dict()
    topics = {t.topic: t for t in report.topics}
    assert topics["users"].rows == 33 and topics["users"].required
    assert not topics["courses"].required
    fields = {f.name: f for f in topics["users"].fields}
    assert fields["email"].status == "present"


def test_check_blocks_without_required_topics(tmp_path: Path) -> None:
    folder = write_us(tmp_path / "us", District())
    for name in ("sections.xml", "section_enrollments.xml"):
        (folder / name).unlink()
    report = SifConnector({"path": str(folder)}).check()
    assert not report.ok
    assert "classes" in report.missing_required()
    assert "enrollments" in report.missing_required()


@pytest.mark.parametrize(
    ("settings", "words"),
    [
        ({}, "exactly one of path"),
        ({"path": "x", "base_url": "https://h/api"}, "exactly one of path"),
        ({"base_url": "https://h/api"}, "application_key and secret"),
        ({"path": "/no/such/dir"}, "no such file"),
    ],
)
def test_check_settings_problems_are_one_line(settings: dict[str, str], words: str) -> None:
    report = SifConnector(settings).check()
    assert not report.reached and not report.ok
    assert words in (report.error or "") and "\n" not in (report.error or "")


@pytest.mark.parametrize("worker_from_bytes", ["1", str(1 << 50)], ids=["worker", "in-process"])
def test_malformed_xml_fails_with_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, worker_from_bytes: str
) -> None:
    monkeypatch.setenv("DATASYNC_SIF_WORKERS", "2")
    monkeypatch.setenv("DATASYNC_SIF_WORKER_MIN_BYTES", worker_from_bytes)
    folder = write_us(tmp_path / "us", District(students=3))
    text = (folder / "students.xml").read_text()
    (folder / "students.xml").write_text(text.replace("</LocalId>", "</LocalIdd>", 1))
    with pytest.raises(ConnectorError) as info:
        read_all(SifConnector({"path": str(folder)}))
    assert info.value.where == "students.xml:3"
    assert "not well-formed" in info.value.message


def test_delete_events_mark_tobedeleted_and_non_xml_is_skipped(tmp_path: Path) -> None:
    folder = write_us(tmp_path / "us", District(students=2))
    (folder / "event.xml").write_text(
        '<SIF_Message xmlns="http://www.sifinfo.org/infrastructure/2.x"><SIF_Event>'
        '<SIF_ObjectData><SIF_EventObject ObjectName="StudentPersonal" Action="Delete">'
        f'<StudentPersonal RefId="{rid("5", 99)}"/></SIF_EventObject></SIF_ObjectData>'
        "</SIF_Event></SIF_Message>"
    )
    (folder / "notes.xml").write_text("### not xml\n")
    connector = SifConnector({"path": str(folder)})
    users = by_id(read_all(connector)["users"])
    assert users[rid("5", 99)]["status"] == "tobedeleted"
    assert users[rid("5", 0)]["status"] == "active"
    assert any("notes.xml: not an XML document" in w for w in connector.warnings)


def test_lower_camel_sif3_us_names_match(tmp_path: Path) -> None:
    (tmp_path / "x.xml").write_text(
        '<studentPersonals xmlns="http://www.sifassociation.org/datamodel/na/3.3">'
        '<studentPersonal refId="ab-1"><localId>7</localId><name><firstName>Ann</firstName>'
        "<lastName>Lee</lastName></name></studentPersonal></studentPersonals>"
    )
    users = read_all(SifConnector({"path": str(tmp_path)}))["users"]
    assert [(u["sourcedId"], u["givenName"], u["identifier"]) for u in users] == [
        ("ab-1", "Ann", "7")
    ]


def test_prefixes_and_namespace_declarations_are_not_data(tmp_path: Path) -> None:
    (tmp_path / "x.xml").write_text(
        '<sif:StudentPersonals xmlns:sif="http://www.sifassociation.org/datamodel/au/3.4">'
        '<sif:StudentPersonal RefId="p-1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        "<sif:LocalId>7</sif:LocalId><sif:PersonInfo><sif:Name><sif:FamilyName>Lee</sif:FamilyName>"
        "<sif:GivenName>Ann</sif:GivenName></sif:Name></sif:PersonInfo>"
        '<sif:MiddleName xsi:nil="true"/>'
        "</sif:StudentPersonal>"
        '<StudentPersonal xmlns="http://www.sifassociation.org/datamodel/au/3.4" RefId="p-2">'
        "<LocalId>8</LocalId></StudentPersonal></sif:StudentPersonals>"
    )
    users = by_id(read_all(SifConnector({"path": str(tmp_path)}))["users"])
    assert (users["p-1"]["givenName"], users["p-1"]["familyName"]) == ("Ann", "Lee")
    assert users["p-1"]["_extras"] == {"MiddleName/@Nil": "true"}
    assert users["p-2"]["identifier"] == "8" and users["p-2"]["_extras"] is None
