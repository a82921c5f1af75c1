"""Small OneRoster bundles written by tests: real files and real zips, tweaked per test.

The headers, the file list and the manifest are the demo's (`datasync_tui/demo/bundle.py`);
`write_files` is the one writer of a bundle's files, as a folder or a zip.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from pathlib import Path

from datasync_tui.demo.bundle import HEADERS, manifest_rows

# Each OneRoster 1.1 file's header line.
HEADERS_11 = {topic: ",".join(header) for topic, header in HEADERS.items()}
TEST_SOURCE = (("source.systemName", "TestSIS"),)


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


def manifest_text(
    version: str,
    present: Iterable[str],
    mode: str = "bulk",
    source: Iterable[tuple[str, str]] = TEST_SOURCE,
) -> str:
    """A manifest.csv naming the files present with `mode` and the others absent."""
    rows = [("propertyName", "value"), *manifest_rows(present, version, mode, source)]
    return "\n".join(f"{key},{value}" for key, value in rows) + "\n"


def manifest(files: Iterable[str], mode: str = "bulk") -> str:
    """A OneRoster 1.1 manifest naming the given files (`orgs.csv`, …), with no source rows."""
    return manifest_text("1.1", [name.removesuffix(".csv") for name in files], mode, ())


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
    files["manifest.csv"] = manifest(files, mode)
    if target.suffix != ".zip":
        target.mkdir(parents=True, exist_ok=True)
    return write_files(target, files)


def write_files(target: Path, files: dict[str, str | bytes]) -> Path:
    """Write files as a folder, or as a zip when target ends in .zip (names may hold folders)."""
    if target.suffix == ".zip":
        target.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, content in files.items():
                zf.writestr(name, content)
        return target
    for name, content in files.items():
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
    return target


# A small OneRoster 1.1 and 1.2 bundle as text, every value form the connector must read.
ROWS11 = {
    "orgs": ["d1,,,Lincoln USD,district,D1,", "s1,,,Lincoln High,School,S1,d1"],
    "academicSessions": [
        "y1,,,2026-2027,schoolYear,2026-08-15,2027-06-10,,2027",
        "t1,,,Fall,Semester,2026-08-15,2027-01-15,y1,2027",
    ],
    "courses": ['c1,,,y1,Algebra I,ALG1,"09,10",s1,Math,'],
    "classes": [
        "k1,,,Algebra I - P1,09,c1,ALG1-1,Scheduled,,s1,t1,Math,,1",
        'k2,,,Algebra I - P2,"09,10",c1,,homeroom,,s1,"t1,y1",Math,,"2,3"',
    ],
    "users": [
        'tch1,,,TRUE,"s1,d1",Teacher,mlee,"{LDAP:12},{LTI:15}",Mary,Lee,,T1,mary@x.org,,,,,hunter2',
        'stu1,,,true,s1,student,ann,,Ann,Smith,,S1,ann@x.org,,,,"09,10,11",pw1',
        "stu2,,,False,s1,Student,,,Bob,Jones,,,,,,,,pw2",
    ],
    "enrollments": [
        "e1,,,k1,s1,tch1,teacher,TRUE,2026-08-15,",
        "e2,,,k1,s1,stu1,Student,false,,",
        "e3,,,k2,s1,stu2,student,,,",
    ],
    "demographics": ["stu1,,,2011-01-01,Female,true,,,,,,,,,,"],
}

H12_USERS = (
    "sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,"
    "middleName,identifier,email,sms,phone,agentSourcedIds,grades,password,userMasterIdentifier,"
    "preferredGivenName,preferredMiddleName,preferredFamilyName,primaryOrgSourcedId,pronouns"
)
H12_ROLES = (
    "sourcedId,status,dateLastModified,userSourcedId,roleType,role,beginDate,endDate,"
    "orgSourcedId,userProfileSourcedId"
)
ROWS12_USERS = [
    "tch1,,,true,mlee,,Mary,Lee,,T1,mary@x.org,,,,,hunter2,,Molly,,,s1,she/her",
    "stu1,,,true,ann,,Ann,Smith,,,,,,,09,pw1,,,,,s1,",
]
ROWS12_ROLES = [
    "r1,,,tch1,primary,teacher,,,s1,",
    "r2,,,tch1,Secondary,teacher,,,d1,",
    "r3,,,stu1,primary,Student,2026-08-15,,s1,",
]


def files11(mode: str = "bulk") -> dict[str, str | bytes]:
    """The text of every file of a small, valid OneRoster 1.1 bundle."""
    files: dict[str, str | bytes] = {
        f"{topic}.csv": "\n".join([HEADERS_11[topic], *rows]) + "\n"
        for topic, rows in ROWS11.items()
    }
    files["manifest.csv"] = manifest_text("1.1", list(ROWS11), mode)
    return files


def files12(version: str = "1.2") -> dict[str, str | bytes]:
    """The text of every file of a small, valid OneRoster 1.2 bundle."""
    files = files11()
    files["users.csv"] = "\n".join([H12_USERS, *ROWS12_USERS]) + "\n"
    files["roles.csv"] = "\n".join([H12_ROLES, *ROWS12_ROLES]) + "\n"
    files["manifest.csv"] = manifest_text(version, [*ROWS11, "roles"])
    return files


def replace_line(text: str | bytes, line: int, new: str) -> str:
    """The file text with its (1-based) line replaced."""
    assert isinstance(text, str)
    lines = text.split("\n")
    lines[line - 1] = new
    return "\n".join(lines)
