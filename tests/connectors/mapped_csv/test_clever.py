"""Generated Clever-format files: co-teachers, people listed per school, words and dates."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.mapped_csv import check, fetch, write_csv

STUDENTS = [
    "School_id",
    "Student_id",
    "Student_number",
    "State_id",
    "Last_name",
    "Middle_name",
    "First_name",
    "Grade",
    "Gender",
    "Graduation_year",
    "DOB",
    "Race",
    "Hispanic_Latino",
    "Home_language",
    "Ell_status",
    "Frl_status",
    "IEP_status",
    "Student_street",
    "Student_city",
    "Student_state",
    "Student_zip",
    "Student_email",
    "Contact_relationship",
    "Contact_type",
    "Contact_email",
    "Contact_sis_id",
    "Username",
    "Password",
]
TEACHERS = [
    "School_id",
    "Teacher_id",
    "Teacher_number",
    "State_teacher_id",
    "Last_name",
    "Middle_name",
    "First_name",
    "Teacher_email",
    "Title",
    "Username",
    "Password",
]
SECTIONS = [
    "School_id",
    "Section_id",
    "Teacher_id",
    "Teacher_2_id",
    "Teacher_3_id",
    "Teacher_4_id",
    "Name",
    "Grade",
    "Course_name",
    "Course_number",
    "Period",
    "Term_name",
    "Term_start",
    "Term_end",
]


def student(school: str, sid: str, first: str, grade: str, **extra: str) -> list[str]:
    """One students.csv row."""
    row = dict.fromkeys(STUDENTS, "")
    row.update(School_id=school, Student_id=sid, First_name=first, Last_name="Lee", Grade=grade)
    row.update(Student_email=f"{first.lower()}@lincoln.org", Password="hunter2", **extra)
    return [row[c] for c in STUDENTS]


@pytest.fixture
def clever(tmp_path: Path) -> Path:
    """A small Clever export: 2 schools, 4 students (one at both schools), 3 teachers."""
    folder = tmp_path / "clever"
    write_csv(
        folder,
        "schools.csv",
        ["School_id", "School_name", "School_number", "Principal"],
        [["s1", "Lincoln High", "101", "Ann Bee"], ["s2", "Lincoln Middle", "102", ""]],
    )
    write_csv(
        folder,
        "students.csv",
        STUDENTS,
        [
            student("s1", "st1", "Ada", "9", DOB="8/1/05", Gender="F", Race="Asian"),
            student("s1", "st2", "Bo", "Kindergarten", Hispanic_Latino="Y", Race="Caucasian"),
            student("s1", "st3", "Cy", "10"),
            student("s2", "st3", "Cy", "10"),  # listed once per school: one person
            student("s2", "st4", "Di", "7", DOB="12/31/2009"),
        ],
    )
    teacher = ["t@lincoln.org", "", "tuser", "secret"]
    write_csv(
        folder,
        "teachers.csv",
        TEACHERS,
        [
            ["s1", "t1", "1", "", "Ng", "", "Tam", *teacher],
            ["s1", "t2", "2", "", "Ox", "", "Uma", *teacher],
            ["s2", "t3", "3", "", "Po", "", "Vic", *teacher],
        ],
    )
    term = ["Fall", "8/1/15", "12/20/15"]
    write_csv(
        folder,
        "sections.csv",
        SECTIONS,
        [
            ["s1", "sec1", "t1", "t2", "", "", "Algebra - Ng", "9", "Algebra", "MA1", "1", *term],
            ["s1", "sec2", "t2", "", "", "", "Biology - Ox", "9", "Biology", "SC1", "2", *term],
            ["s2", "sec3", "", "t3", "t1", "", "Art - Po", "7", "Art", "AR1", "3", *term],
        ],
    )
    write_csv(
        folder,
        "enrollments.csv",
        ["School_id", "Section_id", "Student_id"],
        [
            ["s1", "sec1", "st1"],
            ["s1", "sec1", "st2"],
            ["s1", "sec2", "st3"],
            ["s2", "sec3", "st4"],
        ],
    )
    return folder


def test_clever_is_detected_and_counted(clever: Path) -> None:
    report = check(clever)
    assert report.ok, report.to_dict()
    assert report.detail["mapping"] == "clever (detected from the headers)"
    counts = {t.topic: t.rows for t in report.topics}
    assert counts["users"] == 7  # 4 distinct students + 3 teachers
    assert counts["roles"] == 8  # st3 belongs to both schools
    assert counts["enrollments"] == 4 + 5  # students + one per teacher column
    assert "staff" not in str(report.to_dict()["topics"])  # optional staff.csv absent
    assert any("1 people listed on several rows" in w for w in report.warnings)


def test_clever_rows(clever: Path) -> None:
    data = fetch(clever)
    users = {u["sourcedId"]: u for u in data["users"]}
    assert users["st3"]["orgSourcedIds"] == ["s1", "s2"]
    assert users["st2"]["grades"] == ["KG"] and users["st1"]["grades"] == ["09"]
    assert users["t1"]["role"] == "teacher" and users["st1"]["email"] == "ada@lincoln.org"
    assert all("hunter2" not in str(u) and "secret" not in str(u) for u in data["users"])
    roles = [(r["userSourcedId"], r["orgSourcedId"], r["roleType"]) for r in data["roles"]]
    assert ("st3", "s1", "primary") in roles and ("st3", "s2", "secondary") in roles
    teachers = [
        (e["classSourcedId"], e["userSourcedId"], e["primary"])
        for e in data["enrollments"]
        if e["role"] == "teacher"
    ]
    assert teachers == [
        ("sec1", "t1", True),
        ("sec1", "t2", False),
        ("sec2", "t2", True),
        ("sec3", "t3", False),  # Teacher_id is blank: t3 sits in Teacher_2_id
        ("sec3", "t1", False),
    ]
    assert {e["sourcedId"] for e in data["enrollments"]} >= {"sec1:t1:teacher", "sec1:st1:student"}
    (term,) = data["academicSessions"]
    assert (term["startDate"], term["endDate"]) == ("2015-08-01", "2015-12-20")
    assert [c["sourcedId"] for c in data["courses"]] == ["MA1", "SC1", "AR1"]
    demo = {d["sourcedId"]: d for d in data["demographics"]}
    assert demo["st1"]["birthDate"] == "2005-08-01" and demo["st1"]["sex"] == "female"
    assert demo["st1"]["asian"] is True and demo["st1"]["white"] is False
    assert demo["st4"]["birthDate"] == "2009-12-31"
    assert "st3" not in demo  # no birth date nor sex: no demographics row


def test_reads_are_stable_and_a_password_changes_nothing(clever: Path, tmp_path: Path) -> None:
    """Unchanged records are found by comparing values: the same files give the same values,
    and a password (never read) changing leaves every value as it was."""
    first = fetch(clever)
    assert fetch(clever)["users"] == first["users"]
    text = (clever / "students.csv").read_text().replace("hunter2", "changed")
    (clever / "students.csv").write_text(text)
    assert fetch(clever)["users"] == first["users"]
    assert "hunter2" not in repr(first)
