"""`fix classroom`: the dry run's courses and members as Classroom-ready CSV files.

courses.csv: alias, name, section, room, owner; members.csv: alias, email, role. UTF-8 with a
BOM, spreadsheet-safe like the validation export (a cell starting with = + - @ or a tab gets a
leading '), and ready for GAM's csv mode, e.g.

    gam csv courses.csv gam create course alias "~alias" name "~name" teacher "~owner"
    gam csv members.csv gam course "~alias" add "~role" "~email"
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

from datasync_tui.fix.files import atomic_file, make_dir
from datasync_tui.fix.rows import Plan
from datasync_tui.rules.export import FORMULA_STARTS, safe_cell

COURSES, MEMBERS = "courses.csv", "members.csv"
COURSE_COLUMNS = ("alias", "name", "section", "room", "owner")
MEMBER_COLUMNS = ("alias", "email", "role")
_BOM = "\ufeff"
assert FORMULA_STARTS == ("=", "+", "-", "@", "\t", "\r")  # each checked in _formula_in


def write_classroom(folder: Path, plan: Plan, members: Callable[[], Plan]) -> dict[str, int]:
    """Write courses.csv and members.csv into folder (made if missing); return the counts.

    members() waits for the plan's members, read while courses.csv is written.
    """
    make_dir(folder)
    with atomic_file(folder / COURSES) as fh:
        text = io.StringIO()
        out = csv.writer(text)
        out.writerow(COURSE_COLUMNS)
        out.writerows(
            [safe_cell(c.alias), safe_cell(c.name), safe_cell(c.section), safe_cell(c.room),
             safe_cell(c.owner)]
            for c in plan.courses
        )  # fmt: skip
        fh.write((_BOM + text.getvalue()).encode("utf-8"))
    members()
    with atomic_file(folder / MEMBERS) as fh:
        fh.write((_BOM + ",".join(MEMBER_COLUMNS) + "\r\n").encode("utf-8"))
        batch: list[str] = []
        for course in plan.courses:
            teachers, students = plan.members_of(course)
            if teachers:
                batch.append(_member_rows(course.alias, "teacher", teachers))
            if students:
                batch.append(_member_rows(course.alias, "student", students))
            if len(batch) >= 2048:
                fh.write("".join(batch).encode("utf-8"))
                batch = []
        fh.write("".join(batch).encode("utf-8"))
    return {
        "courses": len(plan.courses),
        "teachers": plan.teachers,
        "students": plan.students,
        "skipped": len(plan.skipped),
        "failing": len(plan.failing),
        "left_out": len(plan.left_out),
    }


def _formula_in(joined: str) -> bool:
    """True when an address of the comma-separated list starts like a formula (rare)."""
    return joined.startswith(FORMULA_STARTS) or (
        ",=" in joined
        or ",+" in joined
        or ",-" in joined
        or ",@" in joined
        or ",\t" in joined
        or ",\r" in joined
    )


def _member_rows(alias: str, role: str, joined: str) -> str:
    """The rows of one course and role: alias,email,role (no cell needs CSV quoting).

    Aliases are letters, digits and - . _ % : only, and usable addresses have no comma, quote
    or line break; an address starting like a formula gets the leading ' the others get.
    """
    if _formula_in(joined):
        joined = ",".join(safe_cell(e) for e in joined.split(","))
    head, tail = f"{alias},", f",{role}\r\n"
    return head + joined.replace(",", tail + head) + tail
