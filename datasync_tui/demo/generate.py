"""Deterministic OneRoster 1.1 sample-district generator: `python -m datasync_tui.demo.generate`."""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from . import problems as p
from .bundle import BundleWriter, write_zip
from .catalog import LEVEL_CYCLE, Course, Level
from .names import FAMILY, FEMALE_GIVEN, MALE_GIVEN, SCHOOL_NAMESAKES
from .problems import DEMO_PROBLEMS, DemoProblem

__all__ = ["DEMO_PROBLEMS", "GENERATOR_VERSION", "DemoProblem", "generate_district", "main"]

GENERATOR_VERSION = 1  # bump whenever the output for the same arguments changes
DISTRICT_NAME = "Harbor Pines Unified School District"
DISTRICT_ID = "org-1"
STAFF_DOMAIN = "harborpinesusd.org"
STUDENT_DOMAIN = f"students.{STAFF_DOMAIN}"
SCHOOL_YEAR = "as-2027"
YEAR_TERMS = "as-2027-s1,as-2027-s2"
CLASS_SIZE = 26
CO_TEACHER_RATE = 0.06
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
BIRTH_COUNTRIES = ("MX", "GT", "SV", "HN", "VN", "PH", "IN", "CN", "UA", "SO", "ET", "AF", "KR")
BIRTH_STATES = ("CA", "WA", "TX", "NY", "AZ", "ID", "NV")
RACE_SHARES = (
    0.02,
    0.10,
    0.12,
    0.01,
)  # American Indian, Asian, Black, Pacific Islander; else White


@lru_cache(maxsize=4096)
def _slug(name: str) -> str:
    """ASCII, lower-case letters and digits only: `Nguyễn` → `nguyen`, `O'Brien` → `obrien`."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(ch for ch in ascii_name.lower() if ch.isalnum())


def _split(total: int, parts: int) -> list[int]:
    """Split `total` into `parts` near-equal whole numbers, larger first."""
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


@dataclass(slots=True)
class _Person:
    """A generated user: names, login and email, and a student's grade and number."""

    sid: str
    given: str
    family: str
    middle: str
    female: bool
    local: str
    email: str
    grade: str = ""
    number: int = 0
    enabled: str = "true"


@dataclass(slots=True)
class _Class:
    """A generated class (section) with its student and teacher indexes within the school."""

    sid: str
    course: Course
    section: int
    course_sid: str
    suffix: str = ""
    terms: str = YEAR_TERMS
    students: list[int] = field(default_factory=list)
    teachers: list[tuple[int, bool]] = field(default_factory=list)


class _Generator:
    """Writes one district through a BundleWriter, school by school, from one seeded RNG."""

    def __init__(self, out: BundleWriter, seed: int, problems: bool, per_student: tuple[int, int]):
        """Start with empty email registries and id counters."""
        self.out = out
        self.rng = random.Random(seed)
        self.problems = problems
        self.per_student = per_student
        self.locals: dict[str, dict[str, int]] = {STUDENT_DOMAIN: {}, STAFF_DOMAIN: {}}
        self.next = {"stu": 100001, "tch": 1, "adm": 1}

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

    def _local(self, domain: str, base: str) -> str:
        """A login unique within its email domain: `ana.silva`, then `ana.silva2`, …"""
        seen = self.locals[domain]
        count = seen.get(base, 0) + 1
        seen[base] = count
        return base if count == 1 else f"{base}{count}"

    def _person(self, kind: str, domain: str) -> _Person:
        """A new person with a random name and the next sourcedId of its kind."""
        rng = self.rng
        number = self.next[kind]
        self.next[kind] += 1
        female = rng.random() < 0.5
        given = rng.choice(FEMALE_GIVEN if female else MALE_GIVEN)
        family = rng.choice(FAMILY)
        middle = rng.choice(FEMALE_GIVEN if female else MALE_GIVEN) if rng.random() < 0.3 else ""
        local = self._local(domain, f"{_slug(given)}.{_slug(family)}")
        sid = f"stu-{number}" if kind == "stu" else f"{kind}-{number:04d}"
        return _Person(
            sid, given, family, middle, female, local, f"{local}@{domain}", number=number
        )

    def _staff_row(self, person: _Person, org: str, role: str) -> None:
        """Write a teacher's or administrator's users.csv row."""
        ident = f"E{(90000 if role != 'teacher' else 10000) + person.number}"
        self.out.row("users", (
            person.sid, "", "", person.enabled, org, role, person.local,
            f"{{LDAP:{person.local}}}", person.given, person.family, person.middle, ident,
            person.email, "", "", "", "", "",
        ))  # fmt: skip

    def _admin(self, org: str, role: str) -> None:
        """Write one administrator (or, for a problem, a staff member with an odd role)."""
        self._staff_row(self._person("adm", STAFF_DOMAIN), org, role)

    def _school(self, num: int, level: Level, n_students: int, n_teachers: int) -> None:
        """Write one school: its staff, students, courses, classes and enrollments."""
        school = f"org-{100 + num}"
        first = self.problems and num == 1
        self._admin(school, "administrator")
        self._admin(school, "administrator")
        if first:
            self._admin(school, p.BAD_ROLE)
        teachers = [self._person("tch", STAFF_DOMAIN) for _ in range(n_teachers)]
        grades = [level.grades[i % len(level.grades)] for i in range(n_students)]
        self.rng.shuffle(grades)
        students = [self._person("stu", STUDENT_DOMAIN) for _ in range(n_students)]
        for student, grade in zip(students, grades, strict=True):
            student.grade = grade
        if first:
            self._break_people(teachers, students)
        for teacher in teachers:
            self._staff_row(teacher, school, "teacher")
        for student in students:
            self._student_rows(student, school)
        choices = [self._choose(level, student.grade) for student in students]
        if first:
            unenrolled = [s.sid for s in students].index(p.STUDENT_UNENROLLED)
            choices[unenrolled] = []
        classes = self._sections(num, level, choices, first)
        self._assign(classes, len(teachers), first)
        self._write_classes(num, school, level, classes, teachers, students, first)

    def _break_people(self, teachers: list[_Person], students: list[_Person]) -> None:
        """Give the first school's first users their deliberate problems (see problems.py)."""
        by_sid = {person.sid: person for person in teachers + students}
        for sid in p.STUDENTS_NO_EMAIL:
            by_sid[sid].email = ""
        bad = by_sid[p.STUDENT_BAD_EMAIL]
        bad.email = f"{bad.local}.{STUDENT_DOMAIN}"
        original, twin = (by_sid[sid] for sid in p.STUDENTS_SAME_EMAIL)
        twin.given, twin.family, twin.middle = original.given, original.family, original.middle
        twin.female = original.female
        twin.local = self._local(STUDENT_DOMAIN, original.local)
        twin.email = original.email
        by_sid[p.STUDENT_DISABLED].enabled = "false"
        nameless = by_sid[p.STUDENT_NO_FAMILY_NAME]
        nameless.family = ""
        nameless.local = self._local(STUDENT_DOMAIN, f"{_slug(nameless.given)}{nameless.number}")
        nameless.email = f"{nameless.local}@{STUDENT_DOMAIN}"
        gmail = by_sid[p.TEACHER_GMAIL]
        year = self.rng.randint(70, 99)
        gmail.email = f"{_slug(gmail.given)}{_slug(gmail.family)}{year}@gmail.com"

    def _student_rows(self, student: _Person, school: str) -> None:
        """Write a student's users.csv and demographics.csv rows."""
        out, rng = self.out, self.rng
        out.row("users", (
            student.sid, "", "", student.enabled, school, "student", student.local,
            f"{{LDAP:{student.local}}},{{SIS:{student.number}}}", student.given, student.family,
            student.middle, str(student.number), student.email, "", "", "", student.grade, "",
        ))  # fmt: skip
        age = 0 if student.grade == "KG" else int(student.grade)
        born = date(2020 - age, 9, 2).toordinal() + rng.randrange(365)
        flags = ["false"] * 6  # five races, then two-or-more
        roll = rng.random()
        if roll < 0.06:
            for index in rng.sample(range(5), 2):
                flags[index] = "true"
            flags[5] = "true"
        else:
            index, bound = 4, 0.06
            for i, share in enumerate(RACE_SHARES):
                bound += share
                if roll < bound:
                    index = i
                    break
            flags[index] = "true"
        hispanic = "true" if rng.random() < 0.28 else "false"
        if rng.random() < 0.9:
            country, state = "US", "OR" if rng.random() < 0.8 else rng.choice(BIRTH_STATES)
        else:
            country, state = rng.choice(BIRTH_COUNTRIES), ""
        out.row("demographics", (
            student.sid, "", "", date.fromordinal(born).isoformat(),
            "female" if student.female else "male", *flags, hispanic, country, state, "", "",
        ))  # fmt: skip

    def _choose(self, level: Level, grade: str) -> list[str]:
        """The course codes one student takes: the grade's required slots, then electives."""
        rng = self.rng
        picks: list[str] = []
        for slot in level.required[grade]:
            code = slot[0][0]
            if len(slot) > 1:
                roll, bound = rng.random(), 0.0
                for code, share in slot:  # noqa: B007 - the last alternative is the fallback
                    bound += share
                    if roll < bound:
                        break
            picks.append(code)
        wanted = rng.randint(*self.per_student)
        if wanted <= len(picks):
            return picks[:wanted]
        extra = min(wanted - len(picks), len(level.electives))
        return picks + rng.sample(level.electives, extra)

    def _sections(
        self, num: int, level: Level, choices: list[list[str]], first: bool
    ) -> list[_Class]:
        """Cut each course's students into sections of about CLASS_SIZE, problem classes first."""
        classes: list[_Class] = []
        sections_of: dict[str, int] = {}

        def new(code: str) -> _Class:
            sections_of[code] = sections_of.get(code, 0) + 1
            sid = f"cls-{100 + num}-{len(classes) + 1:04d}"
            made = _Class(sid, level.courses[code], sections_of[code], f"crs-{100 + num}-{code}")
            classes.append(made)
            return made

        members: dict[str, list[int]] = {code: [] for code in level.courses}
        for index, codes in enumerate(choices):
            for code in codes:
                members[code].append(index)
        receiving: dict[str, list[_Class]] = {}
        if first:
            for sid, code, suffix in p.PROBLEM_CLASSES:
                made = new(code)
                assert made.sid == sid, (made.sid, sid)
                made.suffix = suffix
                if sid == p.CLASS_UNKNOWN_COURSE:
                    made.course_sid = p.UNKNOWN_COURSE
                if sid == p.CLASS_ENDED_TERM:
                    made.terms = p.ENDED_TERM
                if sid != p.CLASS_NO_STUDENTS:
                    receiving.setdefault(code, []).append(made)
        for code, taking in members.items():
            extra = receiving.get(code, [])
            if len(taking) < len(extra):
                raise ValueError(f"too few students take {code} for the demo problems")
            regular = min(max(1, round(len(taking) / CLASS_SIZE)), len(taking) - len(extra))
            sections = extra + [new(code) for _ in range(regular)]
            for j, student in enumerate(taking):
                sections[j % len(sections)].students.append(student)
        return classes

    def _assign(self, classes: list[_Class], n_teachers: int, first: bool) -> None:
        """Give every class a primary teacher (by department), and some a co-teacher."""
        pool = list(range(n_teachers))
        todo = classes
        if first:
            fixed = {p.CLASS_NO_STUDENTS: (1, True), p.CLASS_NO_PRIMARY: (2, False),
                     p.CLASS_ODD_ROWS: (3, True)}  # fmt: skip
            for made in classes:
                if made.sid in fixed:
                    made.teachers.append(fixed[made.sid])
            pool = pool[1:]  # the first teacher teaches nothing
            todo = [c for c in classes if c.sid not in fixed and c.sid != p.CLASS_NO_TEACHER]
        todo = sorted(todo, key=lambda made: made.course.subject)
        n, m = len(todo), len(pool)
        if m <= n:
            for j, teacher in enumerate(pool):
                for made in todo[j * n // m : (j + 1) * n // m]:
                    made.teachers.append((teacher, True))
        else:
            for j, made in enumerate(todo):
                made.teachers.append((pool[j], True))
            for j, teacher in enumerate(pool[n:]):
                todo[j % n].teachers.append((teacher, False))
        for made in todo:
            if m > 1 and self.rng.random() < CO_TEACHER_RATE:
                teacher = self.rng.choice(pool)
                if all(teacher != t for t, _ in made.teachers):
                    made.teachers.append((teacher, False))

    def _write_classes(
        self,
        num: int,
        school: str,
        level: Level,
        classes: list[_Class],
        teachers: list[_Person],
        students: list[_Person],
        first: bool,
    ) -> None:
        """Write the school's courses, classes and enrollments."""
        out = self.out
        used = {made.course.code for made in classes}
        for code, course in level.courses.items():
            if code in used:
                grades = ",".join(level.grades_of[code])
                out.row("courses", (f"crs-{100 + num}-{code}", "", "", SCHOOL_YEAR, course.title,
                                    code, grades, school, course.subject, ""))  # fmt: skip
        taught = [0] * len(teachers)
        t_short = [f"t{teacher.sid[4:]}" for teacher in teachers]
        s_short = [f"s{student.number}" for student in students]
        for made in classes:
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
