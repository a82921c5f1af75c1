"""The Validations page tests' districts (messy ones, crowded ones) and their fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from datasync_tui.paths import DataDir
from tests.helpers.app import connect_and_sync
from tests.helpers.bundles import district, write_bundle

Rows = dict[str, list[list[str]]]
EMAIL = 12  # the email column of a 1.1 users row
TEACHER_ROW = 0  # district(): tch1 first, then stu0, stu1, …


def messy_district() -> Rows:
    """A small district with a few issues of each kind an admin meets first."""
    rows = district()
    users = rows["users"]
    users[1][EMAIL] = ""  # stu0: no email
    users[2][EMAIL] = "ann1@@students.lincoln.org"  # stu1: not an address
    users[4][EMAIL] = users[3][EMAIL]  # stu3 shares stu2's email
    users[5][EMAIL] = "ann4@gmail.com"  # stu4: outside the district's domains (when set)
    rows["enrollments"] = [
        e for e in rows["enrollments"] if not (e[3] == "k3" and e[6] == "teacher")
    ]  # k3: no teacher
    tch2 = list(users[TEACHER_ROW])
    tch2[0], tch2[6], tch2[EMAIL] = "tch2", "jdoe", "jane.doe@lincoln.org"
    users.append(tch2)  # a teacher in no class
    return rows


def many_without_email(students: int = 250) -> Rows:
    """A district whose students all lack an email: one rule with many records."""
    rows = district(students=students)
    for row in rows["users"][1:]:
        row[EMAIL] = ""
    return rows


@pytest.fixture
def messy(home: DataDir, work: Path) -> DataDir:
    """A data dir synced once from the messy district."""
    connect_and_sync(home, write_bundle(work / "messy.zip", messy_district()))
    return home


@pytest.fixture
def crowded(home: DataDir, work: Path) -> DataDir:
    """A data dir synced once from a district with 250 students without email."""
    connect_and_sync(home, write_bundle(work / "crowded.zip", many_without_email()))
    return home
