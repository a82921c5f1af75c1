"""The dry run's courses and their members, in the shape the GAM and the CSV writers both use."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field

from datasync_tui.fix.gam_quote import ALIAS_MAX, alias, clean
from datasync_tui.fix.roster import REASON_RULES, Snapshot

# The Classroom API's limits for the fields a course is created with (name: the dry run).
SECTION_MAX = 2800
ROOM_MAX = 650
TOO_LONG = "sourcedId too long for a course alias (256 characters with d:)"

Members = tuple[str, str]  # teachers, students: emails comma-separated ('' for none)


@dataclass(frozen=True)
class Course:
    """One course to create: alias, name, section, room and owner."""

    sourced_id: str
    alias: str
    name: str
    section: str
    room: str
    owner: str


@dataclass
class Plan:
    """What the fix files hold: courses, their members, what is left out and why."""

    courses: list[Course] = field(default_factory=list)
    # sourcedId, title, why, and for a class with no usable teacher: each teacher and why
    skipped: list[tuple[str, str, str, list[tuple[str, str]]]] = field(default_factory=list)
    failing: list[tuple[str, str, str, int]] = field(default_factory=list)  # user, role, why, n
    left_out: list[tuple[str, str, str, int]] = field(default_factory=list)
    members: dict[str, Members] = field(default_factory=dict)  # by class sourcedId
    teachers: int = 0  # places in all courses
    students: int = 0

    def members_of(self, course: Course) -> Members:
        """A course's teachers and students, comma-separated."""
        return self.members.get(course.sourced_id, ("", ""))

    def take_members(self, rows: list[tuple[str, str, str]]) -> None:
        """Keep the members the query read (a user enrolled twice is listed once)."""
        found: dict[str, list[str]] = {}
        for sid, role, joined in rows:
            emails = joined.split(",")
            if len(set(emails)) != len(emails):
                emails = list(dict.fromkeys(emails))
                joined = ",".join(emails)
            pair = found.setdefault(sid, ["", ""])
            if role == "teacher":
                pair[0] = joined
                self.teachers += len(emails)
            else:
                pair[1] = joined
                self.students += len(emails)
        self.members = {sid: (pair[0], pair[1]) for sid, pair in found.items()}


def build_plan(snap: Snapshot) -> Plan:
    """The courses to create and what is left out (members come with `members_loading`)."""
    plan = Plan(
        skipped=[(sid, clean(title), why, ts) for sid, title, why, ts in snap.skipped()],
        failing=snap.failing(),
        left_out=snap.left_out(),
    )
    for sid, title, code, location, owner in snap.created():
        course_alias = alias(sid)
        if len(course_alias) > ALIAS_MAX:
            plan.skipped.append((sid, clean(title), TOO_LONG, []))
            continue
        plan.courses.append(
            Course(
                sourced_id=sid,
                alias=course_alias,
                name=clean(title) or sid,
                section=clean(code)[:SECTION_MAX],
                room=clean(location)[:ROOM_MAX],
                owner=owner,
            )
        )
    return plan


@contextmanager
def members_loading(snap: Snapshot, plan: Plan) -> Iterator[Callable[[], Plan]]:
    """Read the members in a thread while the caller writes what needs none; yield a wait.

    SQLite runs the query without Python's lock, so the caller's writing goes on meanwhile;
    the snapshot's connection is not used by anything else until the query is done.
    """
    with ThreadPoolExecutor(1, thread_name_prefix="fix-members") as pool:
        future = pool.submit(snap.members)

        def wait() -> Plan:
            if not plan.members and (rows := future.result()):
                plan.take_members(rows)
            return plan

        try:
            yield wait
        finally:
            future.exception()  # the connection is free again before the snapshot closes


def rule_of(reason: str) -> str:
    """The rule behind a reason the dry run gives ('' when none)."""
    return REASON_RULES.get(reason, "")
