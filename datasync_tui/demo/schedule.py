"""Scheduling: which courses each student takes, sections of them, and who teaches each one."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from . import problems as p
from .catalog import Course, Level

YEAR_TERMS = "as-2027-s1,as-2027-s2"
CLASS_SIZE = 26
CO_TEACHER_RATE = 0.06


@dataclass(slots=True)
class Section:
    """A class (section) with its student and teacher indexes within the school."""

    sid: str
    course: Course
    section: int
    course_sid: str
    suffix: str = ""
    terms: str = YEAR_TERMS
    students: list[int] = field(default_factory=list)
    teachers: list[tuple[int, bool]] = field(default_factory=list)


def choose_courses(
    rng: random.Random, level: Level, grade: str, per_student: tuple[int, int]
) -> list[str]:
    """The course codes one student takes: the grade's required slots, then electives."""
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
    wanted = rng.randint(*per_student)
    if wanted <= len(picks):
        return picks[:wanted]
    extra = min(wanted - len(picks), len(level.electives))
    return picks + rng.sample(level.electives, extra)


def cut_sections(num: int, level: Level, choices: list[list[str]], first: bool) -> list[Section]:
    """Cut each course's students into sections of about CLASS_SIZE, problem classes first."""
    sections: list[Section] = []
    count_of: dict[str, int] = {}

    def new(code: str) -> Section:
        count_of[code] = count_of.get(code, 0) + 1
        sid = f"cls-{100 + num}-{len(sections) + 1:04d}"
        made = Section(sid, level.courses[code], count_of[code], f"crs-{100 + num}-{code}")
        sections.append(made)
        return made

    members: dict[str, list[int]] = {code: [] for code in level.courses}
    for index, codes in enumerate(choices):
        for code in codes:
            members[code].append(index)
    receiving: dict[str, list[Section]] = {}
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
        pool = extra + [new(code) for _ in range(regular)]
        for j, student in enumerate(taking):
            pool[j % len(pool)].students.append(student)
    return sections


def assign_teachers(
    rng: random.Random, sections: list[Section], n_teachers: int, first: bool
) -> None:
    """Give every section a primary teacher (by department), and some a co-teacher."""
    pool = list(range(n_teachers))
    todo = sections
    if first:
        fixed = {p.CLASS_NO_STUDENTS: (1, True), p.CLASS_NO_PRIMARY: (2, False),
                 p.CLASS_ODD_ROWS: (3, True)}  # fmt: skip
        for made in sections:
            if made.sid in fixed:
                made.teachers.append(fixed[made.sid])
        pool = pool[1:]  # the first teacher teaches nothing
        todo = [s for s in sections if s.sid not in fixed and s.sid != p.CLASS_NO_TEACHER]
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
        if m > 1 and rng.random() < CO_TEACHER_RATE:
            teacher = rng.choice(pool)
            if all(teacher != t for t, _ in made.teachers):
                made.teachers.append((teacher, False))
