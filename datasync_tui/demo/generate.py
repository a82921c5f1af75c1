"""Deterministic OneRoster 1.1 sample-district generator: `python -m datasync_tui.demo.generate`."""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

from . import EMAIL_DOMAIN
from . import problems as p
from .bundle import BundleWriter, write_zip
from .catalog import LEVEL_CYCLE, Level
from .names import SCHOOL_NAMESAKES
from .people import People, Person, demographics_row, slug, staff_row, student_row
from .problems import DEMO_PROBLEMS, DemoProblem
from .schedule import Section, assign_teachers, choose_courses, cut_sections

__all__ = ["DEMO_PROBLEMS", "GENERATOR_VERSION", "DemoProblem", "generate_district", "main"]

GENERATOR_VERSION = 1  # bump whenever the output for the same arguments changes
DISTRICT_NAME = "Harbor Pines Unified School District"
DISTRICT_ID = "org-1"
STAFF_DOMAIN = EMAIL_DOMAIN
STUDENT_DOMAIN = f"students.{STAFF_DOMAIN}"
SCHOOL_YEAR = "as-2027"
SESSIONS: tuple[tuple[str, ...], ...] = (
    (SCHOOL_YEAR, "2026-2027", "schoolYear", "2026-08-17", "2027-06-11", "", "2027"),
    ("as-2027-s1", "Fall 2026", "semester", "2026-08-17", "2027-01-15", SCHOOL_YEAR, "2027"),
    ("as-2027-s2", "Spring 2027", "semester", "2027-01-19", "2027-06-11", SCHOOL_YEAR, "2027"),
    ("as-2027-q1", "Quarter 1", "gradingPeriod", "2026-08-17", "2026-10-16", "as-2027-s1", "2027"),
    ("as-2027-q2", "Quarter 2", "gradingPeriod", "2026-10-19", "2027-01-15", "as-2027-s1", "2027"),
    ("as-2027-q3", "Quarter 3", "gradingPeriod", "2027-01-19", "2027-03-26", "as-2027-s2", "2027"),
    ("as-2027-q4", "Quarter 4", "gradingPeriod", "2027-03-29", "2027-06-11", "as-2027-s2", "2027"),
)
ENDED_SESSION = (p.ENDED_TERM, "Summer School 2026", "term", "2026-06-22", "2026-07-31", "", "2026")


def _split(total: int, parts: int) -> list[int]:
    """Split `total` into `parts` near-equal whole numbers, larger first."""
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


class _Generator:
    """Writes one district through a BundleWriter, school by school, from one seeded RNG."""

    def __init__(self, out: BundleWriter, seed: int, problems: bool, per_student: tuple[int, int]):
        """Start with empty id counters and login registries."""
        self.out = out
        self.rng = random.Random(seed)
        self.people = People(self.rng, (STUDENT_DOMAIN, STAFF_DOMAIN))
        self.problems = problems
        self.per_student = per_student

    def run(self, students: int, teachers: int, schools: int) -> None:
        """Write the district org, the sessions, then every school."""
        levels = [LEVEL_CYCLE[i % len(LEVEL_CYCLE)] for i in range(schools)]
        names = self._school_names(levels)
        self.out.row("orgs", (DISTRICT_ID, "", "", DISTRICT_NAME, "district", "4101230", ""))
        for i, name in enumerate(names, start=1):
            ident = f"41012300{i:04d}"
            self.out.row("orgs", (f"org-{100 + i}", "", "", name, "school", ident, DISTRICT_ID))
        for session in SESSIONS + ((ENDED_SESSION,) if self.problems else ()):
            self.out.row("academicSessions", (session[0], "", "", *session[1:]))
        for _ in range(2):
            self._admin(DISTRICT_ID, "administrator")
        shares = zip(_split(students, schools), _split(teachers, schools), strict=True)
        for i, (n_students, n_teachers) in enumerate(shares, start=1):
            self._school(i, levels[i - 1], n_students, n_teachers)

    def _school_names(self, levels: list[Level]) -> list[str]:
        """Real-sounding unique school names: `Cedar Ridge High School`."""
        namesakes = list(SCHOOL_NAMESAKES)
        self.rng.shuffle(namesakes)
        names: list[str] = []
        for i, level in enumerate(levels):
            base = f"{namesakes[i % len(namesakes)]} {level.name.title()} School"
            names.append(base if base not in names else f"{base} {i // len(namesakes) + 1}")
        return names

    def _admin(self, org: str, role: str) -> None:
        """Write one administrator (or, for a problem, a staff member with an odd role)."""
        self.out.row("users", staff_row(self.people.person("adm", STAFF_DOMAIN), org, role))

    def _school(self, num: int, level: Level, n_students: int, n_teachers: int) -> None:
        """Write one school: its staff, students, courses, classes and enrollments."""
        out, rng, people = self.out, self.rng, self.people
        school = f"org-{100 + num}"
        first = self.problems and num == 1
        self._admin(school, "administrator")
        self._admin(school, "administrator")
        if first:
            self._admin(school, p.BAD_ROLE)
        teachers = [people.person("tch", STAFF_DOMAIN) for _ in range(n_teachers)]
        grades = [level.grades[i % len(level.grades)] for i in range(n_students)]
        rng.shuffle(grades)
        students = [people.person("stu", STUDENT_DOMAIN) for _ in range(n_students)]
        for student, grade in zip(students, grades, strict=True):
            student.grade = grade
        if first:
            self._break_people(teachers, students)
        for teacher in teachers:
            out.row("users", staff_row(teacher, school, "teacher"))
        for student in students:
            out.row("users", student_row(student, school))
            out.row("demographics", demographics_row(rng, student))
        choices = [choose_courses(rng, level, s.grade, self.per_student) for s in students]
        if first:
            choices[[s.sid for s in students].index(p.STUDENT_UNENROLLED)] = []
        sections = cut_sections(num, level, choices, first)
        assign_teachers(rng, sections, len(teachers), first)
        self._write_classes(num, school, level, sections, teachers, students, first)

    def _break_people(self, teachers: list[Person], students: list[Person]) -> None:
        """Give the first school's first users their deliberate problems (see problems.py)."""
        by_sid = {person.sid: person for person in teachers + students}
        for sid in p.STUDENTS_NO_EMAIL:
            by_sid[sid].email = ""
        bad = by_sid[p.STUDENT_BAD_EMAIL]
        bad.email = f"{bad.local}.{STUDENT_DOMAIN}"
        original, twin = (by_sid[sid] for sid in p.STUDENTS_SAME_EMAIL)
        twin.given, twin.family, twin.middle = original.given, original.family, original.middle
        twin.female = original.female
        twin.local = self.people.local(STUDENT_DOMAIN, original.local)
        twin.email = original.email
        by_sid[p.STUDENT_DISABLED].enabled = "false"
        nameless = by_sid[p.STUDENT_NO_FAMILY_NAME]
        nameless.family = ""
        nameless.local = self.people.local(
            STUDENT_DOMAIN, f"{slug(nameless.given)}{nameless.number}"
        )
        nameless.email = f"{nameless.local}@{STUDENT_DOMAIN}"
        gmail = by_sid[p.TEACHER_GMAIL]
        year = self.rng.randint(70, 99)
        gmail.email = f"{slug(gmail.given)}{slug(gmail.family)}{year}@gmail.com"

    def _write_classes(
        self,
        num: int,
        school: str,
        level: Level,
        sections: list[Section],
        teachers: list[Person],
        students: list[Person],
        first: bool,
    ) -> None:
        """Write the school's courses, classes and enrollments."""
        out = self.out
        used = {made.course.code for made in sections}
        for code, course in level.courses.items():
            if code in used:
                grades = ",".join(level.grades_of[code])
                out.row("courses", (f"crs-{100 + num}-{code}", "", "", SCHOOL_YEAR, course.title,
                                    code, grades, school, course.subject, ""))  # fmt: skip
        taught = [0] * len(teachers)
        t_short = [f"t{teacher.sid[4:]}" for teacher in teachers]
        s_short = [f"s{student.number}" for student in students]
        for made in sections:
            lead = made.teachers[0][0] if made.teachers else None
            if lead is None:
                period, location = 2, "Portable 2"
            else:
                taught[lead] += 1
                period, location = (taught[lead] - 1) % 7 + 1, f"Room {101 + lead}"
            title = f"{made.course.title}{made.suffix}"
            if level.name == "elementary" and lead is not None:
                title += f" - {teachers[lead].family}"
            else:
                title += f" - P{period}"
            code = made.course.code
            out.row("classes", (
                made.sid, "", "", title, ",".join(level.grades_of[code]), made.course_sid,
                f"{code}-{made.section:02d}", made.course.class_type, location, school, made.terms,
                made.course.subject, "", str(period),
            ))  # fmt: skip
            base = f"enr-{made.sid[4:]}-"
            rows = [
                [base + t_short[t], "", "", made.sid, school, teachers[t].sid, "teacher",
                 "true" if primary else "false", "", ""]
                for t, primary in made.teachers
            ]  # fmt: skip
            rows += [
                [base + s_short[s], "", "", made.sid, school, students[s].sid, "student", "false",
                 "", ""]
                for s in made.students
            ]  # fmt: skip
            if first and made.sid == p.CLASS_ODD_ROWS:
                rows.append(list(rows[0]))
                rows.append([p.ENROLLMENT_UNKNOWN_USER, "", "", made.sid, school,
                             p.UNKNOWN_STUDENT, "student", "false", "", ""])  # fmt: skip
            out.rows("enrollments", rows)


def _defaults(students: int, teachers: int | None, schools: int | None) -> tuple[int, int]:
    """Teachers and schools scaled with the student count when not given."""
    schools = schools if schools is not None else max(3, round(students / 800))
    teachers = teachers if teachers is not None else max(schools, round(students / 15))
    return teachers, schools


def _check_sizes(
    students: int, teachers: int, schools: int, problems: bool, per_student: tuple[int, int]
) -> None:
    """Refuse sizes that could not give a clean district (or one with all its problems)."""
    if schools < 1 or students < 20 * schools:
        raise ValueError("need at least one school and 20 students per school")
    if teachers < schools:
        raise ValueError("need at least one teacher per school")
    if not 1 <= per_student[0] <= per_student[1]:
        raise ValueError("classes per student must be a range like 6-7, starting at 1 or more")
    if problems and (students // schools < 60 or teachers // schools < 6):
        raise ValueError("the demo problems need 60 students and 6 teachers per school")


def generate_district(
    out: Path,
    *,
    students: int = 1200,
    teachers: int | None = None,
    schools: int | None = None,
    seed: int = 2026,
    problems: bool = True,
    classes_per_student: tuple[int, int] = (6, 7),
) -> dict[str, int]:
    """Write a OneRoster 1.1 bulk bundle (a folder, or a reproducible zip) and return row counts.

    Teachers default to one per 15 students (80 for 1,200) and schools to one per 800 students,
    at least 3. With `problems`, the records listed in DEMO_PROBLEMS carry their data problems.
    """
    out = Path(out)
    teachers, schools = _defaults(students, teachers, schools)
    _check_sizes(students, teachers, schools, problems, classes_per_student)

    def write(folder: Path) -> dict[str, int]:
        with BundleWriter(folder) as writer:
            _Generator(writer, seed, problems, classes_per_student).run(students, teachers, schools)
        return writer.counts

    if out.suffix.lower() != ".zip":
        return write(out)
    with tempfile.TemporaryDirectory(prefix="datasync-demo-") as tmp:
        counts = write(Path(tmp))
        comment = f"OneRoster 1.1 sample district, datasync-tui generator {GENERATOR_VERSION}"
        write_zip(Path(tmp), out, comment)
    return counts


def _range(text: str) -> tuple[int, int]:
    """Parse `6-7` (or `6`) into a (low, high) pair."""
    low, _, high = text.partition("-")
    try:
        return int(low), int(high or low)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a range like 6-7, got {text!r}") from None


def main(argv: list[str] | None = None) -> int:
    """Command line: write a sample district to --out and print what was written."""
    parser = argparse.ArgumentParser(
        prog="python -m datasync_tui.demo.generate",
        description="Write a deterministic OneRoster 1.1 sample district (folder or .zip).",
    )
    parser.add_argument("--out", required=True, type=Path, help="folder, or a path ending in .zip")
    parser.add_argument("--students", type=int, default=1200, help="students (default 1200)")
    parser.add_argument("--teachers", type=int, help="teachers (default: one per 15 students)")
    parser.add_argument("--schools", type=int, help="schools (default: one per 800, at least 3)")
    parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
    parser.add_argument("--no-problems", action="store_true", help="no deliberate data problems")
    parser.add_argument(
        "--classes-per-student", type=_range, default=(6, 7), metavar="MIN-MAX",
        help="classes each student takes (default 6-7)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        counts = generate_district(
            args.out,
            students=args.students,
            teachers=args.teachers,
            schools=args.schools,
            seed=args.seed,
            problems=not args.no_problems,
            classes_per_student=args.classes_per_student,
        )
    except (ValueError, OSError) as error:
        print(f"generate: {args.out}: {error}", file=sys.stderr)
        return 1
    summary = ", ".join(f"{count:,} {topic}" for topic, count in counts.items())
    print(f"wrote {args.out} in {time.perf_counter() - started:.1f} s: {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
