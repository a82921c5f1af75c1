"""Small OneRoster bundles written by tests: real files, tweaked per test."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

HEADERS_11 = {
    "orgs": "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId",
    "academicSessions": "sourcedId,status,dateLastModified,title,type,startDate,endDate,"
    "parentSourcedId,schoolYear",
    "courses": "sourcedId,status,dateLastModified,schoolYearSourcedId,title,courseCode,grades,"
    "orgSourcedId,subjects,subjectCodes",
    "classes": "sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,"
    "classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods",
    "users": "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,"
    "givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password",
    "enrollments": "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,"
    "userSourcedId,role,primary,beginDate,endDate",
    "demographics": "sourcedId,status,dateLastModified,birthDate,sex,americanIndianOrAlaskaNative,"
    "asian,blackOrAfricanAmerican,nativeHawaiianOrOtherPacificIslander,white,"
    "demographicRaceTwoOrMoreRaces,hispanicOrLatinoEthnicity,countryOfBirthCode,"
    "stateOfBirthAbbreviation,cityOfBirth,publicSchoolResidenceStatus",
}

ALL_FILES = [
    "academicSessions",
    "categories",
    "classes",
    "classResources",
    "courses",
    "courseResources",
    "demographics",
    "enrollments",
    "lineItems",
    "orgs",
    "resources",
    "results",
    "users",
]


def district(students: int = 20, classes: int = 4) -> dict[str, list[list[str]]]:
    """Rows (without header) of a small, clean district."""
    rows: dict[str, list[list[str]]] = {t: [] for t in HEADERS_11}
    rows["orgs"] = [
        ["d1", "", "", "Lincoln USD", "district", "D1", ""],
        ["s1", "", "", "Lincoln High", "school", "S1", "d1"],
    ]
    rows["academicSessions"] = [
        ["y1", "", "", "2026-2027", "schoolYear", "2026-08-15", "2027-06-10", "", "2027"],
        ["t1", "", "", "Fall", "semester", "2026-08-15", "2027-01-15", "y1", "2027"],
    ]
    rows["courses"] = [["c1", "", "", "y1", "Algebra I", "ALG1", "09", "s1", "Math", ""]]
    for k in range(classes):
        rows["classes"].append(
            [
                f"k{k}",
                "",
                "",
                f"Algebra I - P{k}",
                "09",
                "c1",
                f"ALG1-{k}",
                "scheduled",
                "",
                "s1",
                "t1",
                "Math",
                "",
                str(k),
            ]
        )
    rows["users"].append(
        [
            "tch1",
            "",
            "",
            "true",
            "s1",
            "teacher",
            "mlee",
            "{LDAP:1}",
            "Mary",
            "Lee",
            "",
            "T1",
            "mary.lee@lincoln.org",
            "",
            "",
            "",
            "",
            "secret-pw",
        ]
    )
    for i in range(students):
        rows["users"].append(
            [
                f"stu{i}",
                "",
                "",
                "true",
                "s1",
                "student",
                f"stu{i}",
                "",
                f"Ann{i}",
                "Smith",
                "",
                f"S{i}",
                f"ann{i}.smith@students.lincoln.org",
                "",
                "",
                "",
                "09",
                "pw",
            ]
        )
        rows["demographics"].append(
            [f"stu{i}", "", "", "2011-01-01", "female", "", "", "", "", "", "", "", "", "", "", ""]
        )
    n = 0
    for k in range(classes):
        rows["enrollments"].append(
            [f"e{n}", "", "", f"k{k}", "s1", "tch1", "teacher", "true", "", ""]
        )
        n += 1
        for i in range(students):
            rows["enrollments"].append(
                [f"e{n}", "", "", f"k{k}", "s1", f"stu{i}", "student", "false", "", ""]
            )
            n += 1
    return rows


def csv_text(header: str, rows: list[list[str]]) -> str:
    """A CSV file's text: header and rows."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header.split(","))
    writer.writerows(rows)
    return buf.getvalue()


def manifest(files: dict[str, str], mode: str = "bulk") -> str:
    """A OneRoster 1.1 manifest naming the given files."""
    lines = ["propertyName,value", "manifest.version,1.0", "oneroster.version,1.1"]
    for name in ALL_FILES:
        lines.append(f"file.{name},{mode if f'{name}.csv' in files else 'absent'}")
    return "\n".join(lines) + "\n"


def write_bundle(
    target: Path,
    rows: dict[str, list[list[str]]] | None = None,
    *,
    mode: str = "bulk",
    extra: dict[str, str | bytes] | None = None,
) -> Path:
    """Write a OneRoster 1.1 bundle as a folder, or a zip when target ends in .zip."""
    rows = district() if rows is None else rows
    files: dict[str, str | bytes] = {
        f"{topic}.csv": csv_text(HEADERS_11[topic], r) for topic, r in rows.items()
    }
    files.update(extra or {})
    files["manifest.csv"] = manifest({k: "" for k in files}, mode)
    if target.suffix == ".zip":
        target.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, content in files.items():
                zf.writestr(name, content)
    else:
        target.mkdir(parents=True, exist_ok=True)
        for name, content in files.items():
            path = target / name
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
    return target
