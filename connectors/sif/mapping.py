"""SIF objects to canonical rows: one mapper per object kind, RefIds as sourcedIds."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from connectors.sif.xml import Pairs, Raw

# Object kinds read for each canonical topic (enrollments also come from classes' lists).
TOPIC_KINDS: dict[str, tuple[str, ...]] = {
    "orgs": ("LEAInfo", "SchoolInfo"),
    "academicSessions": ("TermInfo",),
    "courses": ("SchoolCourseInfo",),
    "classes": ("SectionInfo", "TeachingGroup"),
    "users": ("StudentPersonal", "StaffPersonal"),
    "roles": ("StudentSchoolEnrollment", "StaffAssignment"),
    "enrollments": ("StudentSectionEnrollment",),
    "demographics": (),
}

_DATE8 = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_ISO = re.compile(r"^(\d{4}-\d{2}-\d{2})")


def sis_date(value: str | None) -> str | None:
    """A SIF date as YYYY-MM-DD: ISO, ISO with a time, or the 1.x form 20040901; else as sent."""
    if not value:
        return None
    m = _ISO.match(value)
    if m:
        return m.group(1)
    m = _DATE8.match(value)
    if m:
        return f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
    return value


def lookup(pairs: Pairs) -> dict[str, str]:
    """Path → first value (the first of repeated elements wins)."""
    return dict(reversed(pairs))


def every(pairs: Pairs, *paths: str) -> list[str]:
    """Every value at any of the paths, in document order, without repeats."""
    wanted = set(paths)
    return list(dict.fromkeys(v for k, v in pairs if k in wanted))


def first(d: dict[str, str], *paths: str) -> str | None:
    """The value at the first of the paths that has one."""
    for path in paths:
        value = d.get(path)
        if value:
            return value
    return None


def add_extra(extras: dict[str, Any], path: str, value: str) -> None:
    """One more value of a path already in the extras (repeats become a list)."""
    old = extras[path]
    if isinstance(old, list):
        old.append(value)
    else:
        extras[path] = [old, value]


def extras_of(
    pairs: Pairs, used: frozenset[str], skip: tuple[str, ...] = (), **more: Any
) -> dict[str, Any] | None:
    """Every path with no canonical field (nor a skipped prefix), repeats as lists, plus more."""
    extras: dict[str, Any] = {}
    for k, v in pairs:
        if k in used or (skip and k.startswith(skip)):
            continue
        if k in extras:
            add_extra(extras, k, v)
        else:
            extras[k] = v
    for k, v in more.items():
        if v:
            extras[k] = v
    return extras or None


def ref(d: dict[str, str], name: str) -> str | None:
    """A reference given as an attribute (SIF 2.x US) or a child element (SIF 3 AU)."""
    return d.get(f"@{name}") or d.get(name)


@dataclass
class MapContext:
    """What mapping one object needs from others read earlier (courses, sections)."""

    course: dict[str, tuple[str | None, str | None, str | None]] = field(default_factory=dict)
    section_school: dict[str, str | None] = field(default_factory=dict)

    def remember_course(self, raw: Raw) -> None:
        """Keep a course's school, title and code for its sections."""
        d = lookup(raw[1])
        self.course[d.get("@RefId", "")] = (
            ref(d, "SchoolInfoRefId"),
            d.get("CourseTitle"),
            d.get("CourseCode"),
        )

    def course_of(self, raw: Raw) -> tuple[str | None, str | None, str | None]:
        """The (school, title, code) of a section's course, when known."""
        d = lookup(raw[1])
        return self.course.get(ref(d, "SchoolCourseInfoRefId") or "", (None, None, None))


Mapper = Callable[[Raw, MapContext], Sequence[Any]]

# --- orgs -------------------------------------------------------------------------------------

_ORG_USED = frozenset(
    {"@RefId", "LEAName", "SchoolName", "LocalId", "LEAInfoRefId", "@LEAInfoRefId"}
)


def org(raw: Raw, _: MapContext) -> list[Any]:
    """LEAInfo → a district, SchoolInfo → a school."""
    kind, pairs, _label, _line, status = raw
    d = lookup(pairs)
    district = kind == "LEAInfo"
    identifier = first(d, "LocalId", "StateProvinceId", "StatePrId", "NCESId")
    return [
        d.get("@RefId"),
        status,
        None,
        d.get("LEAName") if district else d.get("SchoolName"),
        "district" if district else "school",
        identifier,
        None if district else ref(d, "LEAInfoRefId"),
        extras_of(pairs, _ORG_USED),
    ]


# --- academicSessions -------------------------------------------------------------------------

_TERM_USED = frozenset(
    {"@RefId", "Description", "TermCode", "StartDate", "EndDate", "@SchoolYear", "SchoolYear"}
)
_SPAN = {"0827": "schoolYear", "0828": "semester"}


def term_type(d: dict[str, str]) -> str:
    """schoolYear, semester or term, from TermSpan (code or text)."""
    span = d.get("TermSpan/@Code") or d.get("TermSpan") or ""
    words = (d.get("TermSpan") or "").lower()
    if span in _SPAN:
        return _SPAN[span]
    if "semester" in words:
        return "semester"
    if "year" in words:
        return "schoolYear"
    return "term"


def session(raw: Raw, _: MapContext) -> list[Any]:
    """TermInfo → an academic session."""
    _kind, pairs, _label, _line, status = raw
    d = lookup(pairs)
    return [
        d.get("@RefId"),
        status,
        None,
        first(d, "Description", "TermCode"),
        term_type(d),
        sis_date(d.get("StartDate")),
        sis_date(d.get("EndDate")),
        None,
        ref(d, "SchoolYear"),
        extras_of(pairs, _TERM_USED),
    ]


# --- courses ----------------------------------------------------------------------------------

_SUBJECT_PATHS = ("SubjectArea", "SubjectArea/Code", "SubjectAreaList/SubjectArea/Code")
_COURSE_USED = frozenset(
    {"@RefId", "CourseTitle", "CourseCode", "@SchoolInfoRefId", "SchoolInfoRefId"}
) | frozenset(_SUBJECT_PATHS)


def course(raw: Raw, _: MapContext) -> list[Any]:
    """SchoolCourseInfo → a course."""
    _kind, pairs, _label, _line, status = raw
    d = lookup(pairs)
    subjects = every(pairs, *_SUBJECT_PATHS) or None
    return [
        d.get("@RefId"),
        status,
        None,
        None,
        d.get("CourseTitle"),
        d.get("CourseCode"),
        None,
        ref(d, "SchoolInfoRefId"),
        subjects,
        None,
        extras_of(pairs, _COURSE_USED),
    ]


# --- classes ----------------------------------------------------------------------------------

_TITLE_OVERRIDE = (
    "SchoolCourseInfoOverride/CourseTitleOverride",
    "SchoolCourseInfoOverride/@CourseTitleOverride",
    "SchoolCourseInfoOverride/CourseTitle",
)
_CODE_OVERRIDE = (
    "SchoolCourseInfoOverride/CourseCodeOverride",
    "SchoolCourseInfoOverride/@CourseCodeOverride",
    "SchoolCourseInfoOverride/CourseCode",
)
_SECTION_USED = frozenset(
    {
        "@RefId",
        "@SchoolCourseInfoRefId",
        "SchoolCourseInfoRefId",
        "LocalId",
        "SectionCode",
        "ScheduleInfo/@TermInfoRefId",
        "TermInfoRefId",
        "ScheduleInfo/Teacher/@StaffPersonalRefId",
        "ScheduleInfo/MeetingTime/TimetablePeriod",
        *_TITLE_OVERRIDE,
        *_CODE_OVERRIDE,
    }
)
_GROUP_TEACHERS = "TeacherList/TeachingGroupTeacher/StaffPersonalRefId"
_GROUP_STUDENTS = "StudentList/TeachingGroupStudent/StudentPersonalRefId"
_GROUP_USED = frozenset(
    {
        "@RefId",
        "LongName",
        "ShortName",
        "LocalId",
        "SchoolInfoRefId",
        "SchoolCourseInfoRefId",
        "KeyLearningArea",
        "TeachingGroupPeriodList/TeachingGroupPeriod/PeriodId",
        _GROUP_TEACHERS,
        _GROUP_STUDENTS,
    }
)


def section(raw: Raw, ctx: MapContext) -> list[Any]:
    """SectionInfo → a class (title and school through its course; teachers give enrollments)."""
    _kind, pairs, _label, _line, status = raw
    d = lookup(pairs)
    school, course_title, course_code = ctx.course_of(raw)
    terms = every(pairs, "ScheduleInfo/@TermInfoRefId", "TermInfoRefId") or None
    periods = every(pairs, "ScheduleInfo/MeetingTime/TimetablePeriod") or None
    return [
        d.get("@RefId"),
        status,
        None,
        first(d, *_TITLE_OVERRIDE) or course_title,
        None,
        ref(d, "SchoolCourseInfoRefId"),
        first(d, "LocalId", "SectionCode", *_CODE_OVERRIDE) or course_code,
        "scheduled",
        None,
        school,
        terms,
        None,
        None,
        periods,
        extras_of(pairs, _SECTION_USED),
    ]


def teaching_group(raw: Raw, _: MapContext) -> list[Any]:
    """TeachingGroup (SIF AU) → a class."""
    _kind, pairs, _label, _line, status = raw
    d = lookup(pairs)
    periods = every(pairs, "TeachingGroupPeriodList/TeachingGroupPeriod/PeriodId") or None
    subject = d.get("KeyLearningArea")
    return [
        d.get("@RefId"),
        status,
        None,
        first(d, "LongName", "ShortName", "LocalId"),
        None,
        d.get("SchoolCourseInfoRefId"),
        first(d, "ShortName", "LocalId"),
        "scheduled",
        None,
        d.get("SchoolInfoRefId"),
        None,
        [subject] if subject else None,
        None,
        periods,
        extras_of(pairs, _GROUP_USED),
    ]


def class_school(raw: Raw, ctx: MapContext) -> str | None:
    """The school of a section or teaching group."""
    if raw[0] == "TeachingGroup":
        return lookup(raw[1]).get("SchoolInfoRefId")
    return ctx.course_of(raw)[0]


def class_links(raw: Raw) -> list[tuple[str, str, bool]]:
    """(user RefId, role, primary) of the teachers and students a class lists."""
    pairs = raw[1]
    if raw[0] == "TeachingGroup":
        teachers = every(pairs, _GROUP_TEACHERS)
        students = every(pairs, _GROUP_STUDENTS)
    else:
        teachers = every(pairs, "ScheduleInfo/Teacher/@StaffPersonalRefId")
        students = []
    links = [(t, "teacher", i == 0) for i, t in enumerate(teachers)]
    return links + [(s, "student", False) for s in students]


# --- enrollments ------------------------------------------------------------------------------

_ENROLL_USED = frozenset(
    {
        "@RefId",
        "@StudentPersonalRefId",
        "StudentPersonalRefId",
        "@SectionInfoRefId",
        "SectionInfoRefId",
        "EntryDate",
        "ExitDate",
    }
)

# A teacher or student a class listed, as a raw object of its own (spooled by the connector).
LINK_KIND = "ClassLink"


def link_raw(
    class_raw: Raw, school: str | None, user_ref: str, role_name: str, primary: bool
) -> Raw:
    """The raw enrollment link of one user a class lists."""
    kind, pairs, label, line, status = class_raw
    link = [
        ("ClassRefId", pairs[0][1]),
        ("SchoolRefId", school or ""),
        ("UserRefId", user_ref),
        ("Role", role_name),
        ("Primary", "1" if primary else "0"),
        ("From", kind),
    ]
    return (LINK_KIND, link, label, line, status)


def enrollment(raw: Raw, ctx: MapContext) -> list[Any]:
    """StudentSectionEnrollment, or a teacher/student a class listed → an enrollment."""
    kind, pairs, _label, _line, status = raw
    d = lookup(pairs)
    if kind == LINK_KIND:
        return [
            f"{d['ClassRefId']}:{d['UserRefId']}",
            status,
            None,
            d["ClassRefId"],
            d["SchoolRefId"] or None,
            d["UserRefId"],
            d["Role"],
            d["Primary"] == "1",
            None,
            None,
            {"from": d["From"]},
        ]
    class_ref = ref(d, "SectionInfoRefId")
    return [
        d.get("@RefId"),
        status,
        None,
        class_ref,
        ctx.section_school.get(class_ref or ""),
        ref(d, "StudentPersonalRefId"),
        "student",
        False,
        sis_date(d.get("EntryDate")),
        sis_date(d.get("ExitDate")),
        extras_of(pairs, _ENROLL_USED),
    ]
