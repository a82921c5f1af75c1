"""OneRosterCsvConnector.check(): what a bundle holds, what is missing, and real samples."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from connectors.base import CheckReport, TopicReport
from connectors.oneroster.csv import OneRosterCsvConnector
from tests.helpers.bundles import HEADERS_11 as H11
from tests.helpers.bundles import files11, files12
from tests.helpers.bundles import write_files as write

REPO = Path(__file__).resolve().parents[2]


def check(path: Path) -> CheckReport:
    """check() of a bundle."""
    return OneRosterCsvConnector({"path": str(path)}).check()


def topic(report: CheckReport, name: str) -> TopicReport:
    """One topic's report."""
    return next(t for t in report.topics if t.topic == name)


def fields(report: CheckReport, name: str) -> dict[str, tuple[str, int]]:
    """A topic's field reports as {field: (status, missing_rows)}."""
    return {f.name: (f.status, f.missing_rows) for f in topic(report, name).fields}


def test_clean_11_zip(tmp_path: Path) -> None:
    report = check(write(tmp_path / "b.zip", files11()))
    assert report.ok, report.missing_required()
    assert report.detail == {
        "version": "1.1",
        "manifest": "yes",
        "bundle": "zip",
        "system": "TestSIS",
        "roles": "derived from users.csv",
    }
    assert [t.topic for t in report.topics] == [
        *("orgs", "academicSessions", "courses", "classes", "users", "roles", "enrollments"),
        "demographics",
    ]
    rows = {t.topic: t.rows for t in report.topics}
    assert rows == {
        **{"orgs": 2, "academicSessions": 2, "courses": 1, "classes": 2, "users": 3},
        **{"roles": 4, "enrollments": 3, "demographics": 1},
    }
    required = {t.topic for t in report.topics if t.required}
    assert required == {"orgs", "users", "classes", "enrollments"}
    users = fields(report, "users")
    assert users["orgSourcedIds"] == ("present", 0)
    assert users["role"] == ("present", 0)
    assert users["email"] == ("present", 1)
    assert users["username"] == ("present", 1)
    assert users["grades"] == ("present", 2)
    assert fields(report, "classes")["classCode"] == ("present", 1)
    assert report.missing_recommended() == [
        "classes.classCode (blank in 1 row)",
        "users.username (blank in 1 row)",
        "users.identifier (blank in 1 row)",
        "users.email (blank in 1 row)",
        "users.grades (blank in 2 rows)",
    ]
    assert report.warnings == []


def test_clean_12_folder(tmp_path: Path) -> None:
    report = check(write(tmp_path / "b", files12()))
    assert report.ok, report.missing_required()
    assert report.detail["version"] == "1.2"
    assert topic(report, "roles").required
    assert topic(report, "roles").rows == 3
    users = fields(report, "users")
    assert "orgSourcedIds" not in users and "role" not in users
    assert fields(report, "roles")["roleType"] == ("present", 0)


def test_missing_required_column_and_file(tmp_path: Path) -> None:
    files = files11()
    del files["enrollments.csv"]
    files["classes.csv"] = "sourcedId,title,courseSourcedId,schoolSourcedId\nk1,Alg,c1,s1\n"
    report = check(write(tmp_path / "b", files))
    assert not report.ok and report.error is None
    assert report.missing_required() == ["classes.classType", "enrollments"]
    assert fields(report, "classes")["classCode"] == ("missing-recommended", 0)
    assert fields(report, "classes")["termSourcedIds"] == ("missing-recommended", 0)
    assert not topic(report, "enrollments").present


def test_typo_in_required_header_is_named(tmp_path: Path) -> None:
    files = files11()
    files["users.csv"] = str(files["users.csv"]).replace("givenName", "givenNmae", 1)
    report = check(write(tmp_path / "b", files))
    assert not report.ok
    assert topic(report, "users").problem == (
        "required column missing: givenName (the header has 'givenNmae': a typo?)"
    )
    assert fields(report, "users")["givenName"] == ("missing-required", 0)


def test_header_only_required_file_blocks(tmp_path: Path) -> None:
    files = files11()
    files["users.csv"] = H11["users"] + "\n"
    report = check(write(tmp_path / "b", files))
    assert not report.ok
    assert topic(report, "users").problem == "users.csv has no data rows"
    assert topic(report, "users").rows == 0


def test_zero_byte_required_file_blocks(tmp_path: Path) -> None:
    files = files11()
    files["orgs.csv"] = ""
    report = check(write(tmp_path / "b", files))
    assert "orgs: orgs.csv is empty (no header line)" in report.missing_required()


def test_missing_recommended_topics_and_fields(tmp_path: Path) -> None:
    files = files11()
    for name in ("courses.csv", "academicSessions.csv", "demographics.csv"):
        del files[name]
    text = str(files["users.csv"]).split("\n")
    files["users.csv"] = "\n".join(",".join(line.split(",")[:12]) for line in text[:1])
    files["users.csv"] += "\nu1,,,true,s1,student,ann,,Ann,Smith,,\n"
    report = check(write(tmp_path / "b", files))
    assert report.ok, report.missing_required()
    missing = report.missing_recommended()
    assert missing[:3] == ["academicSessions", "courses", "classes.classCode (blank in 1 row)"]
    assert "users.email" in missing and "users.grades" in missing and "demographics" in missing


def test_delta_files_need_status_and_date(tmp_path: Path) -> None:
    report = check(write(tmp_path / "b", files11(mode="delta")))
    orgs = fields(report, "orgs")
    assert orgs["status"] == ("present", 2)
    assert orgs["dateLastModified"] == ("present", 2)


def test_structural_problem_is_one_line_error(tmp_path: Path) -> None:
    files = files11()
    files["enrollments.csv"] = str(files["enrollments.csv"]) + 'e9,,,k1,s1,"stu1,student\n'
    report = check(write(tmp_path / "b", files))
    assert report.reached and not report.ok
    assert report.error == (
        "enrollments.csv:5: unterminated quote: a quoted field that opens on this line never closes"
    )


@pytest.mark.parametrize("content", [b"garbage", b"PK\x03\x04 truncated"])
def test_unreadable_zip_is_not_reached(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "b.zip"
    path.write_bytes(content)
    report = check(path)
    assert not report.reached and not report.ok
    assert report.error is not None and report.error.startswith("b.zip: not a readable zip")


def test_missing_path_is_not_reached(tmp_path: Path) -> None:
    report = check(tmp_path / "nowhere")
    assert not report.reached
    assert report.error == f"{tmp_path / 'nowhere'}: no such file or folder"


def samples() -> Path:
    """The shared real samples ($DATASYNC_SAMPLES, default ../shared/samples)."""
    return Path(os.environ.get("DATASYNC_SAMPLES") or REPO.parent / "shared" / "samples")


SDS = samples() / "OfficeDev__O365-EDU-Tools" / "CSV Samples"


@pytest.mark.skipif(not SDS.is_dir(), reason=f"real samples not found at {SDS}")
@pytest.mark.parametrize(
    ("folder", "expected"),
    [
        ("SDS v2", {"classes.classType", "enrollments.sourcedId"}),
        # (its demographics' userSourcedId is read as OneRoster 1.0's name for sourcedId)
        ("SDS v2.1", {"roles.roleType", "users.enabledUser"}),
    ],
)
def test_sds_samples_are_not_oneroster(folder: str, expected: set[str]) -> None:
    report = check(SDS / folder)
    assert report.reached and report.error is None
    assert not report.ok
    assert expected <= set(report.missing_required())
