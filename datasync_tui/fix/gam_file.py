"""`fix gam`: a GAM batch file that creates the dry run's courses and syncs their members.

Commands (GAM7 and GAMADV-XTD3, GAM wiki "Classroom - Courses" and "Classroom - Membership"):

    gam create course alias <CourseAlias> name <String> [section <String>] [room <String>]
        teacher <UserItem>
    gam course <CourseID> sync teachers|students addonly users <UserList>

`create course` makes the owner a teacher of the course. `sync … addonly` compares the course's
roster with the list and adds who is missing, removing no one, so running the file again
changes nothing (a course that exists already fails to be created and is left as it is).
`<UserList>` is split on commas and spaces only (GAM's convertEntityToList), which no usable
address contains. `commit-batch` makes `gam batch` wait until every course exists before the
members are synced (GAM wiki "Bulk Processing").
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from datasync_tui.fix.files import atomic_file
from datasync_tui.fix.gam_quote import comment, plural, quote, quote_clean
from datasync_tui.fix.roster import TEACHERS_NAMED
from datasync_tui.fix.rows import Course, Plan, rule_of

SCOPES = ("all", "create", "members")


def write_gam(
    path: Path, plan: Plan, scope: str, about: str, members: Callable[[], Plan]
) -> dict[str, int]:
    """Write the batch file for scope (all, create or members); return what it holds.

    members() waits for the plan's members (read meanwhile) and is called only when needed.
    """
    counts = {
        "courses": len(plan.courses) if scope != "members" else 0,
        "teacher_syncs": 0,
        "student_syncs": 0,
        "skipped": len(plan.skipped),
        "failing": len(plan.failing),
        "left_out": len(plan.left_out),
    }
    with atomic_file(path) as fh:
        for chunk in _chunks(_lines(path, plan, scope, about, counts, members)):
            fh.write(chunk.encode("utf-8"))
    return counts


def _chunks(lines: Iterator[str], size: int = 4096) -> Iterator[str]:
    """The lines joined a few thousand at a time, each ending in a line feed."""
    batch: list[str] = []
    for text in lines:
        batch.append(text)
        if len(batch) >= size:
            yield "\n".join(batch) + "\n"
            batch = []
    if batch:
        yield "\n".join(batch) + "\n"


def _lines(
    path: Path,
    plan: Plan,
    scope: str,
    about: str,
    counts: dict[str, int],
    members: Callable[[], Plan],
) -> Iterator[str]:
    """Every line of the file, block by block (counts gets the member lines' figures)."""
    yield from _header(path, plan, scope, about, counts)
    yield from _left_out(plan)
    if scope != "members":
        yield ""
        yield comment(
            f"1. Create {counts['courses']:,} courses: name (class title), section (class code), "
            "room (location), owner (the primary teacher)."
        )
        yield comment("   A course whose alias exists already fails to be created and stays as is.")
        yield from map(_create, plan.courses)
    if scope == "create":
        return
    members()
    lists = [(c, *plan.members_of(c)) for c in plan.courses]
    counts["teacher_syncs"] = sum(1 for _, teachers, _ in lists if teachers)
    counts["student_syncs"] = sum(1 for _, _, students in lists if students)
    yield ""
    yield comment(
        f"2. Members: {counts['teacher_syncs']:,} teacher and {counts['student_syncs']:,} "
        f"student lists ({plan.teachers:,} teachers, {plan.students:,} students in all)."
    )
    yield comment(
        "   sync … addonly adds who is missing and removes no one; without addonly, sync also "
        "removes members the list does not name."
    )
    if scope == "all":
        yield comment("   commit-batch: wait until every course above exists.")
        yield "commit-batch"
    for course, teachers, students in lists:
        head = "gam course " + quote_clean(course.alias) + " sync "
        if teachers:
            yield head + "teachers addonly users " + quote_clean(teachers)
        if students:
            yield head + "students addonly users " + quote_clean(students)


def _header(
    path: Path, plan: Plan, scope: str, about: str, counts: dict[str, int]
) -> Iterator[str]:
    """What the file is, how to run it, how its values are written."""
    yield comment(f"GAM batch file written by datasync-tui fix gam: {about}.")
    yield comment(f"Review it, then run it from its folder: gam batch {quote(path.name)}")
    yield comment(f"Scope {scope}: " + {
        "all": "create the courses, then sync their teachers and students.",
        "create": "create the courses only.",
        "members": "sync the teachers and students of courses that exist already.",
    }[scope])  # fmt: skip
    yield comment(
        "Course aliases: d: and the class sourcedId, each character other than A-Z a-z 0-9 - . _ "
        "written as %XX (its UTF-8 bytes; any URL decoder gives the sourcedId back)."
    )
    yield comment(
        "Values are in single quotes ('\\'' is a quote inside); line breaks and control "
        "characters in names became spaces."
    )
    yield comment(
        f"Dry run: {plural(len(plan.courses), 'course')} created, "
        f"{plural(counts['skipped'], 'class', 'classes')} skipped, "
        f"{plural(counts['failing'], 'user')} failing; {counts['left_out']:,} more left out."
    )


def _left_out(plan: Plan) -> Iterator[str]:
    """The classes skipped and the users not added, each with the reason and the rule."""
    if plan.skipped:
        yield ""
        yield comment("Classes skipped (no course is created), why, and the rule that says so:")
        for sid, title, why, teachers in plan.skipped:
            if not teachers:
                rule = rule_of(why)
                yield comment(f"  {sid} {quote(title)}: {why}" + (f" ({rule})" if rule else ""))
                continue
            yield comment(f"  {sid} {quote(title)}: {why}:")
            for teacher, reason in teachers[:TEACHERS_NAMED]:
                rule = rule_of(reason)
                yield comment(f"    teacher {teacher}: {reason}" + (f" ({rule})" if rule else ""))
            if len(teachers) > TEACHERS_NAMED:
                yield comment(f"    and {len(teachers) - TEACHERS_NAMED:,} more teachers")
    if plan.failing or plan.left_out:
        yield ""
        yield comment("Users not added to any course, why, and the rule that says so:")
        for user, role, why, classes in (*plan.failing, *plan.left_out):
            rule = rule_of(why)
            what = f"{role or 'user'}, {classes:,} class{'es' * (classes != 1)}"
            yield comment(f"  {user} ({what}): {why}" + (f" ({rule})" if rule else ""))


def _create(course: Course) -> str:
    """The `gam create course` line of one course (its values are clean already)."""
    text = f"gam create course alias {quote_clean(course.alias)} name {quote_clean(course.name)}"
    if course.section:
        text += " section " + quote_clean(course.section)
    if course.room:
        text += " room " + quote_clean(course.room)
    return text + " teacher " + quote_clean(course.owner)
