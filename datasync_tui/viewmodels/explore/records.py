"""One record with every field (extension fields included) and the records related to it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from datasync_tui.store import sqlite
from datasync_tui.viewmodels.explore.topics import SPECS

RELATED_MAX = 500  # related records listed per kind (the full count is shown)
HIDDEN = {"id", "row_hash", "extras"}
PERSON = "trim(ifnull(u.givenName,'') || ' ' || ifnull(u.familyName,''))"


@dataclass(frozen=True)
class Related:
    """A record related to the one shown: what it is to it, and how to open it."""

    kind: str  # "School", "Class", "Teacher", ...
    topic: str
    sourced_id: str
    title: str
    detail: str = ""  # a role, a type, a date
    found: bool = True  # False: the record names it but the store has no such record


@dataclass(frozen=True)
class Record:
    """A record's fields in store order, its extension fields, and its related records."""

    topic: str
    sourced_id: str
    title: str
    fields: list[tuple[str, str]]
    related: list[Related] = field(default_factory=list)
    more: dict[str, int] = field(default_factory=dict)  # kind -> how many were not listed


def _value(value: object) -> str:
    """A stored value as text (JSON lists joined with ', ')."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith("["):
        try:
            items = json.loads(value)
        except ValueError:
            return value
        if isinstance(items, list):
            return ", ".join(str(i) for i in items)
    return str(value)


def load_record(
    conn: sqlite.Connection, topic: str, *, rowid: int | None = None, sourced_id: str = ""
) -> Record | None:
    """The record of topic with that rowid (or sourcedId), or None when it is not there."""
    spec = SPECS[topic]
    cur = (
        conn.execute(f"SELECT * FROM {spec.table} WHERE rowid = ?", (rowid,))
        if rowid is not None
        else conn.execute(f"SELECT * FROM {spec.table} WHERE sourcedId = ?", (sourced_id,))
    )
    row = cur.fetchone()
    if row is None:
        return None
    names = [d[0] for d in cur.description]
    values = dict(zip(names, row, strict=True))
    fields = [(n, _value(values[n])) for n in names if n not in HIDDEN]
    try:
        extras = json.loads(values.get("extras") or "{}")
    except ValueError:
        extras = {}
    fields += [(f"extras.{k}", _value(v)) for k, v in sorted(extras.items())]
    title = conn.execute(
        f"SELECT {spec.title_sql} FROM {spec.table} t WHERE t.rowid = ?", (values["id"],)
    ).fetchone()[0]
    record = Record(topic, values["sourcedId"], title or values["sourcedId"], fields)
    _RELATED[topic](conn, values, record)
    return record


def _add(
    conn: sqlite.Connection, record: Record, kind: str, topic: str, sql: str, args: tuple
) -> None:
    """List the related records sql finds (sourcedId, title, detail, found), at most the max."""
    rows = conn.execute(f"{sql} LIMIT {RELATED_MAX + 1}", args).fetchall()
    for sid, title, detail, found in rows[:RELATED_MAX]:
        record.related.append(
            Related(
                kind,
                topic,
                sid,
                title or ("(not in the store)" if not found else sid),
                detail or "",
                bool(found),
            )
        )
    if len(rows) > RELATED_MAX:
        total = conn.execute(f"SELECT count(*) FROM ({sql})", args).fetchone()[0]
        record.more[kind] = total - RELATED_MAX


def _ref(kind: str, topic: str, table: str, name: str, sid: str | None) -> tuple:
    """(kind, topic, SQL, args) of one record named by sourcedId, found or not."""
    sql = (
        f"SELECT :sid, (SELECT {name} FROM {table} WHERE sourcedId = :sid), '', "
        f"EXISTS (SELECT 1 FROM {table} WHERE sourcedId = :sid) WHERE :sid IS NOT NULL"
    )
    return kind, topic, sql, {"sid": sid}


def _list_refs(kind: str, topic: str, table: str, name: str, ids: str | None) -> tuple:
    """(kind, topic, SQL, args) of the records a JSON list names."""
    sql = (
        f"SELECT j.value, x.{name}, '', x.sourcedId IS NOT NULL FROM json_each(:ids) j "
        f"LEFT JOIN {table} x ON x.sourcedId = j.value"
    )
    return kind, topic, sql, {"ids": ids or "[]"}


def _run(conn: sqlite.Connection, record: Record, *parts: tuple) -> None:
    """Add each (kind, topic, sql, args)."""
    for kind, topic, sql, args in parts:
        _add(conn, record, kind, topic, sql, args)


def _users(conn: sqlite.Connection, v: dict, record: Record) -> None:
    """A user's schools (with role) and classes (with role)."""
    sid = v["sourcedId"]
    roles = conn.execute("SELECT count(*) FROM roles WHERE userSourcedId = ?", (sid,)).fetchone()
    school_part = (
        (
            "School",
            "orgs",
            "SELECT r.orgSourcedId, o.name, r.role || CASE WHEN r.roleType = 'primary' "
            "THEN ' (primary)' ELSE '' END, o.sourcedId IS NOT NULL FROM roles r "
            "LEFT JOIN orgs o ON o.sourcedId = r.orgSourcedId WHERE r.userSourcedId = :sid "
            "ORDER BY r.roleType = 'primary' DESC, o.name",
            {"sid": sid},
        )
        if roles[0]
        else _list_refs("School", "orgs", "orgs", "name", v.get("orgSourcedIds"))
    )
    _run(
        conn,
        record,
        school_part,
        (
            "Class",
            "classes",
            'SELECT e.classSourcedId, c.title, e.role || CASE WHEN e."primary" = 1 '
            "THEN ' (primary)' ELSE '' END, c.sourcedId IS NOT NULL FROM enrollments e "
            "LEFT JOIN classes c ON c.sourcedId = e.classSourcedId WHERE e.userSourcedId = :sid "
            "ORDER BY c.title",
            {"sid": sid},
        ),
        (
            "Enrollment",
            "enrollments",
            "SELECT e.sourcedId, c.title, e.role, 1 FROM enrollments e "
            "LEFT JOIN classes c ON c.sourcedId = e.classSourcedId WHERE e.userSourcedId = :sid "
            "ORDER BY c.title",
            {"sid": sid},
        ),
        (
            "Demographics",
            "demographics",
            "SELECT sourcedId, birthDate, sex, 1 FROM demographics WHERE sourcedId = :sid",
            {"sid": sid},
        ),
    )


def _members(role: str, kind: str) -> tuple:
    """(kind, topic, SQL, args) of a class's members with one role."""
    sql = (
        f"SELECT e.userSourcedId, {PERSON}, CASE WHEN e.\"primary\" = 1 THEN 'primary' "
        "ELSE '' END, u.sourcedId IS NOT NULL FROM enrollments e "
        "LEFT JOIN users u ON u.sourcedId = e.userSourcedId "
        f"WHERE e.classSourcedId = :sid AND e.role {role} ORDER BY 2"
    )
    return kind, "users", sql, {"sid": None}


def _classes(conn: sqlite.Connection, v: dict, record: Record) -> None:
    """A class's course, school, terms, teachers, students and other members."""
    sid = v["sourcedId"]
    members = [
        _members("= 'teacher'", "Teacher"),
        _members("= 'student'", "Student"),
        _members("NOT IN ('teacher','student')", "Member"),
    ]
    _run(
        conn,
        record,
        _ref("Course", "courses", "courses", "title", v.get("courseSourcedId")),
        _ref("School", "orgs", "orgs", "name", v.get("schoolSourcedId")),
        _list_refs(
            "Term", "academicSessions", "academic_sessions", "title", v.get("termSourcedIds")
        ),
        *((k, t, s, {"sid": sid}) for k, t, s, _ in members),
    )


def _enrollments(conn: sqlite.Connection, v: dict, record: Record) -> None:
    """An enrollment's user, class and school."""
    _run(
        conn,
        record,
        _ref("User", "users", "users", PERSON.replace("u.", ""), v.get("userSourcedId")),
        _ref("Class", "classes", "classes", "title", v.get("classSourcedId")),
        _ref("School", "orgs", "orgs", "name", v.get("schoolSourcedId")),
    )


def _orgs(conn: sqlite.Connection, v: dict, record: Record) -> None:
    """An org's parent, its child orgs, its classes and its people (with role)."""
    sid = v["sourcedId"]
    _run(
        conn,
        record,
        _ref("Parent", "orgs", "orgs", "name", v.get("parentSourcedId")),
        (
            "Org",
            "orgs",
            "SELECT sourcedId, name, type, 1 FROM orgs WHERE parentSourcedId = :sid ORDER BY name",
            {"sid": sid},
        ),
        (
            "Class",
            "classes",
            "SELECT sourcedId, title, classCode, 1 FROM classes WHERE schoolSourcedId = :sid "
            "ORDER BY ifnull(lower(title),'')",
            {"sid": sid},
        ),
        (
            "Person",
            "users",
            f"SELECT r.userSourcedId, {PERSON}, r.role, u.sourcedId IS NOT NULL FROM roles r "
            "LEFT JOIN users u ON u.sourcedId = r.userSourcedId WHERE r.orgSourcedId = :sid",
            {"sid": sid},
        ),
    )


def _courses(conn: sqlite.Connection, v: dict, record: Record) -> None:
    """A course's org, school year and classes."""
    _run(
        conn,
        record,
        _ref("Org", "orgs", "orgs", "name", v.get("orgSourcedId")),
        _ref(
            "School year",
            "academicSessions",
            "academic_sessions",
            "title",
            v.get("schoolYearSourcedId"),
        ),
        (
            "Class",
            "classes",
            "SELECT sourcedId, title, classCode, 1 FROM classes WHERE courseSourcedId = :sid "
            "ORDER BY ifnull(lower(title),'')",
            {"sid": v["sourcedId"]},
        ),
    )


def _sessions(conn: sqlite.Connection, v: dict, record: Record) -> None:
    """A term's parent and its child terms."""
    _run(
        conn,
        record,
        _ref("Parent", "academicSessions", "academic_sessions", "title", v.get("parentSourcedId")),
        (
            "Term",
            "academicSessions",
            "SELECT sourcedId, title, type, 1 FROM academic_sessions "
            "WHERE parentSourcedId = :sid ORDER BY startDate",
            {"sid": v["sourcedId"]},
        ),
    )


def _demographics(conn: sqlite.Connection, v: dict, record: Record) -> None:
    """The user these demographics describe."""
    _run(conn, record, _ref("User", "users", "users", PERSON.replace("u.", ""), v["sourcedId"]))


_RELATED = {
    "users": _users,
    "classes": _classes,
    "enrollments": _enrollments,
    "orgs": _orgs,
    "courses": _courses,
    "academicSessions": _sessions,
    "demographics": _demographics,
}
