"""The generated district rendered as Microsoft SDS (classic) CSV files, made once and reused.

The same schools, sections, students, teachers and enrollments as the OneRoster bundle, in the
six files and the US headers of the SDS samples: terms and courses ride on Section.csv (one term
per section), people carry a Password column (never read), dates are month/day/year.
SDS classic has no administrators: they are left out.
"""

from __future__ import annotations

import csv
import json
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .district import District

VERSION = 2  # bump whenever the rendering changes

SCHOOL = ["SIS ID", "Name", "School Number", "School NCES_ID", "State ID", "Grade Low"]
SCHOOL += ["Grade High", "Principal SIS ID", "Principal Name", "Address", "City", "State", "Zip"]
SECTION = ["SIS ID", "School SIS ID", "Section Name", "Section Number", "Term SIS ID"]
SECTION += ["Term Name", "Term StartDate", "Term EndDate", "Course SIS ID", "Course Name"]
SECTION += ["Course Number", "Course Description", "Course Subject", "Periods", "Status"]
STUDENT = ["SIS ID", "School SIS ID", "First Name", "Last Name", "Username", "Password"]
STUDENT += ["State ID", "Secondary Email", "Student Number", "Middle Name", "Grade", "Status"]
STUDENT += ["Birthdate", "Graduation Year"]
TEACHER = ["SIS ID", "School SIS ID", "First Name", "Last Name", "Username", "Password"]
TEACHER += ["State ID", "Teacher Number", "Status", "Middle Name", "Secondary Email", "Title"]
ROSTER = ["Section SIS ID", "SIS ID"]


@dataclass(frozen=True)
class SdsDistrict:
    """The SDS folder, its row counts per file, and how long it took to make (None: reused)."""

    folder: Path
    counts: dict[str, int]
    seconds: float | None

    @property
    def files(self) -> list[Path]:
        """The CSV files, sorted by name."""
        return sorted(self.folder.glob("*.csv"))


def _rows(path: Path) -> Iterator[dict[str, str]]:
    """The records of a OneRoster file as dicts."""
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def _mdy(iso: str) -> str:
    """2026-08-17 as 8/17/2026 (SDS writes no leading zeros); blank stays blank."""
    if not iso:
        return ""
    year, month, day = iso.split("-")
    return f"{int(month)}/{int(day)}/{year}"


def ensure_sds(district: District, regenerate: bool = False) -> SdsDistrict:
    """The SDS rendering of a district, under <district>/../sds, made unless already there."""
    folder = district.folder.parent / "sds"
    marker = district.folder.parent / "sds.json"
    wanted = {"version": VERSION, "district": str(district.folder), "rows": district.counts}
    if not regenerate and marker.is_file():
        recorded = json.loads(marker.read_text(encoding="utf-8"))
        if {key: recorded.get(key) for key in wanted} == wanted:
            return SdsDistrict(folder, recorded["counts"], None)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    started = time.perf_counter()
    counts = _render(district.folder, folder)
    seconds = time.perf_counter() - started
    marker.write_text(json.dumps({**wanted, "counts": counts}, indent=1), encoding="utf-8")
    return SdsDistrict(folder, counts, seconds)


def _render(source: Path, folder: Path) -> dict[str, int]:
    """Write the six SDS files from the OneRoster bundle; rows written per file."""
    counts: dict[str, int] = {}

    def write(name: str, header: list[str], rows: Iterator[list[str]]) -> None:
        with (folder / name).open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(header)
            n = 0
            for row in rows:
                writer.writerow(row)
                n += 1
        counts[name] = n

    sessions = {s["sourcedId"]: s for s in _rows(source / "academicSessions.csv")}
    courses = {c["sourcedId"]: c for c in _rows(source / "courses.csv")}
    births = {d["sourcedId"]: d["birthDate"] for d in _rows(source / "demographics.csv")}
    write(
        "School.csv",
        SCHOOL,
        (
            [o["sourcedId"], o["name"], o["identifier"], o["identifier"], "OR", "", "", "", "",
             "1 Harbor Way", "Harbor Pines", "OR", "97000"]
            for o in _rows(source / "orgs.csv")
            if o["type"] == "school"
        ),
    )  # fmt: skip
    classes = _rows(source / "classes.csv")
    write("Section.csv", SECTION, (_section(c, sessions, courses) for c in classes))
    users = list(_rows(source / "users.csv"))
    write("Student.csv", STUDENT, (_student(u, births) for u in users if u["role"] == "student"))
    write("Teacher.csv", TEACHER, (_teacher(u) for u in users if u["role"] == "teacher"))
    enrollments = source / "enrollments.csv"
    for name, role in (("StudentEnrollment.csv", "student"), ("TeacherRoster.csv", "teacher")):
        picked = (
            [e["classSourcedId"], e["userSourcedId"]]
            for e in _rows(enrollments)
            if e["role"] == role
        )
        write(name, ROSTER, picked)
    return counts


def _section(c: dict[str, str], sessions: dict, courses: dict) -> list[str]:
    """One Section.csv row: the class, its term (a class of several terms: the first's parent,
    the school year) and its course."""
    terms = c["termSourcedIds"].split(",")
    term = sessions.get(terms[0], {})
    if len(terms) > 1:
        term = sessions.get(term.get("parentSourcedId", ""), term)
    course = courses.get(c["courseSourcedId"], {})
    return [
        c["sourcedId"], c["schoolSourcedId"], c["title"], c["classCode"], term.get("sourcedId", ""),
        term.get("title", ""), _mdy(term.get("startDate", "")), _mdy(term.get("endDate", "")),
        c["courseSourcedId"], course.get("title", ""), course.get("courseCode", ""),
        course.get("title", ""), c["subjects"], c["periods"], "Active",
    ]  # fmt: skip


def _student(u: dict[str, str], births: dict[str, str]) -> list[str]:
    """One Student.csv row (the password a placeholder, as SDS exports carry one)."""
    grade = u["grades"].split(",")[0]
    return [
        u["sourcedId"], u["orgSourcedIds"].split(",")[0], u["givenName"], u["familyName"],
        u["email"], "Welcome-2026", "OR", "", u["identifier"], u["middleName"], grade,
        "Active", _mdy(births.get(u["sourcedId"], "")), "",
    ]  # fmt: skip


def _teacher(u: dict[str, str]) -> list[str]:
    """One Teacher.csv row."""
    return [
        u["sourcedId"], u["orgSourcedIds"].split(",")[0], u["givenName"], u["familyName"],
        u["email"], "Welcome-2026", "OR", u["identifier"], "Active", u["middleName"], "", "",
    ]  # fmt: skip
