"""The deliberate data problems of the sample district, and the sourcedIds that carry them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoProblem:
    """One deliberate problem: the rule that reports it, what it is, the file and sourcedIds."""

    rule: str
    what: str
    file: str
    sourced_ids: tuple[str, ...]


# All problems sit in the first school (a high school), on its first records.
SCHOOL = "org-101"
CLASS_NO_TEACHER = "cls-101-0001"
CLASS_NO_STUDENTS = "cls-101-0002"
CLASS_NO_PRIMARY = "cls-101-0003"
CLASS_UNKNOWN_COURSE = "cls-101-0004"
CLASS_ENDED_TERM = "cls-101-0005"
CLASS_ODD_ROWS = "cls-101-0006"
UNKNOWN_COURSE = "crs-101-ENG12-2026"  # last year's course id, left on a class after rollover
ENDED_TERM = "as-2026-sum"
STUDENTS_NO_EMAIL = ("stu-100001", "stu-100002")
STUDENT_BAD_EMAIL = "stu-100003"
STUDENTS_SAME_EMAIL = ("stu-100004", "stu-100005")
STUDENT_UNENROLLED = "stu-100006"
STUDENT_DISABLED = "stu-100007"
STUDENT_NO_FAMILY_NAME = "stu-100008"
UNKNOWN_STUDENT = "stu-099871"  # a student who left: gone from users.csv, not from enrollments
TEACHER_NO_CLASSES = "tch-0001"
TEACHER_NO_STUDENTS = "tch-0002"
TEACHER_NOT_PRIMARY = "tch-0003"
TEACHER_ODD_ROWS = "tch-0004"
TEACHER_GMAIL = "tch-0005"
STAFF_BAD_ROLE = "adm-0005"
BAD_ROLE = "staff"
ENROLLMENT_DUPLICATE = "enr-101-0006-t0004"
ENROLLMENT_UNKNOWN_USER = "enr-101-0006-s099871"

# Problem classes, created first in the first school: (sourcedId, course code, title suffix).
PROBLEM_CLASSES: tuple[tuple[str, str, str], ...] = (
    (CLASS_NO_TEACHER, "ENG09", ""),
    (CLASS_NO_STUDENTS, "ENG10", ""),
    (CLASS_NO_PRIMARY, "ENG11", ""),
    (CLASS_UNKNOWN_COURSE, "ENG12", ""),
    (CLASS_ENDED_TERM, "ENG09", " Summer Bridge"),
    (CLASS_ODD_ROWS, "ENG10", ""),
)

DEMO_PROBLEMS: list[DemoProblem] = [
    DemoProblem("class-without-teacher", "a class with students and no teacher enrollment",
                "classes", (CLASS_NO_TEACHER,)),
    DemoProblem("user-without-email", "two students with a blank email", "users",
                STUDENTS_NO_EMAIL),
    DemoProblem("email-invalid", "a student email with a dot typed for the @", "users",
                (STUDENT_BAD_EMAIL,)),
    DemoProblem("email-duplicate", "two students with the same name and the same email", "users",
                STUDENTS_SAME_EMAIL),
    DemoProblem("email-outside-domain", "a teacher with a personal gmail.com address", "users",
                (TEACHER_GMAIL,)),
    DemoProblem("class-without-students", "a class with a teacher and no students", "classes",
                (CLASS_NO_STUDENTS,)),
    DemoProblem("teacher-without-classes", "a teacher enrolled in no class", "users",
                (TEACHER_NO_CLASSES,)),
    DemoProblem("student-without-enrollments", "a new student not scheduled into any class",
                "users", (STUDENT_UNENROLLED,)),
    DemoProblem("class-without-primary-teacher", "a class whose only teacher has primary false",
                "classes", (CLASS_NO_PRIMARY,)),
    DemoProblem("duplicate-sourcedid", "an enrollment row written twice", "enrollments",
                (ENROLLMENT_DUPLICATE,)),
    DemoProblem("enrollment-unknown-user", "an enrollment of a student missing from users.csv",
                "enrollments", (ENROLLMENT_UNKNOWN_USER,)),
    DemoProblem("class-unknown-course", "a class naming last year's course id", "classes",
                (CLASS_UNKNOWN_COURSE,)),
    DemoProblem("disabled-user-enrolled", "a withdrawn student (enabledUser false) still enrolled",
                "users", (STUDENT_DISABLED,)),
    DemoProblem("class-term-ended", "a summer-school class whose only term has ended", "classes",
                (CLASS_ENDED_TERM,)),
    DemoProblem("value-not-in-vocabulary", f"a counselor exported with role {BAD_ROLE!r}",
                "users", (STAFF_BAD_ROLE,)),
    DemoProblem("user-without-name", "a student with a blank family name", "users",
                (STUDENT_NO_FAMILY_NAME,)),
]  # fmt: skip
