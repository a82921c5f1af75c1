"""Helpers for the plain CSV tests: write CSV folders, run a connector, read its streams."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from connectors.base import CheckReport
from connectors.mapped_csv.connector import MappedCsvConnector
from tests.helpers.cli import samples_dir
from tests.helpers.streams import values_of

SDS = "OfficeDev__O365-EDU-Tools/CSV Samples"


def write_csv(folder: Path, name: str, header: list[str], rows: list[list[str]]) -> Path:
    """Write one CSV file (CRLF, as exports are) into folder."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def sample(relative: str) -> Path:
    """A folder of the shared SDS samples, or skip the test when the samples are not there."""
    path = samples_dir() / SDS / relative
    if not path.is_dir():
        pytest.skip(f"the shared samples are not at {path} (set DATASYNC_SAMPLES)")
    return path


def check(path: Path, **settings: str) -> CheckReport:
    """The check report of a folder."""
    return MappedCsvConnector({"path": str(path), **settings}).check()


def fetch(path: Path, **settings: str) -> dict[str, list[dict[str, Any]]]:
    """Every topic's records as dicts of canonical values (extras under 'extras'), as loaded."""
    connector = MappedCsvConnector({"path": str(path), **settings})
    out: dict[str, list[dict[str, Any]]] = {}
    for stream in connector.fetch():
        rows = []
        for values in values_of(stream):
            row = dict(zip(stream.fields, values, strict=False))
            row["extras"] = values[len(stream.fields)]
            rows.append(row)
        out[stream.topic] = rows
    out["warnings"] = [{"text": w} for w in connector.warnings]
    return out


def sds(folder: Path, *, skip: str = "", section: list[str] | None = None) -> Path:
    """A minimal SDS classic folder; `skip` leaves one file out."""
    files = {
        "School.csv": (SCHOOL, [["1", "North"]]),
        "Section.csv": (section or SECTION, [["10", "1", "Math", "T1", "8/1/15"]]),
        "Student.csv": (PERSON, [["100", "1", "Al", "Bo", "al@x.org", "pw"]]),
        "Teacher.csv": (PERSON, [["200", "1", "Cy", "Di", "cy@x.org", "pw"]]),
        "StudentEnrollment.csv": (["Section SIS ID", "SIS ID"], [["10", "100"]]),
        "TeacherRoster.csv": (["Section SIS ID", "SIS ID"], [["10", "200"]]),
    }
    for name, (header, rows) in files.items():
        if name != skip:
            write_csv(folder, name, header, rows)
    return folder


PERSON = ["SIS ID", "School SIS ID", "First Name", "Last Name", "Username", "Password"]


SECTION = ["SIS ID", "School SIS ID", "Section Name", "Term SIS ID", "Term StartDate"]


SCHOOL = ["SIS ID", "Name"]
