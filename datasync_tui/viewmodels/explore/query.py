"""The WHERE of a view: prefix search on indexes (never a LIKE over a big table) and the filters."""

from __future__ import annotations

from datasync_tui.viewmodels.explore.topics import (
    EMAIL_DOMAIN,
    NO_EMAIL,
    NOT_AN_ADDRESS,
    ORG_NAME,
    STAFF,
    TITLE,
    USER_GIVEN,
    USER_NAME,
    View,
)

Params = dict[str, object]
TOP = "\U0010ffff"  # sorts after every character: 'abc' <= x < 'abc' + TOP is "starts with abc"


def _prefix(expr: str, table: str, lowered: bool = True) -> str:
    """Rowids of table whose expr starts with the search (a range on expr's index)."""
    low, high = (":q", ":qe") if lowered else (":raw", ":rawe")
    return f"SELECT rowid FROM {table} WHERE {expr} >= {low} AND {expr} < {high}"


def _user_matches() -> str:
    """Users whose name (either order), email, username, identifier or sourcedId starts so."""
    return " UNION ".join(
        (
            _prefix(USER_NAME, "users"),
            _prefix(USER_GIVEN, "users"),
            _prefix("lower(email)", "users"),
            _prefix("lower(username)", "users"),
            _prefix("lower(identifier)", "users"),
            _prefix("sourcedId", "users", lowered=False),
        )
    )


def _small_table_matches(table: str, name: str, code: str) -> str:
    """A small table (a few thousand rows): name or code contains it, or sourcedId starts so."""
    return (
        f"SELECT rowid FROM {table} WHERE instr(lower({name}), :q) > 0 "
        f"OR instr(lower({code}), :q) > 0 OR (sourcedId >= :raw AND sourcedId < :rawe)"
    )


def search_sql(topic: str) -> str:
    """Rowids of a topic's records matching the search (:q lowered, :raw as typed)."""
    if topic == "users":
        return _user_matches()
    if topic == "classes":
        return " UNION ".join(
            (_prefix(TITLE, "classes"), _prefix("sourcedId", "classes", lowered=False))
        )
    if topic == "enrollments":
        return " UNION ".join(
            (
                "SELECT rowid FROM enrollments WHERE userSourcedId IN "
                f"(SELECT sourcedId FROM users WHERE rowid IN ({_user_matches()}))",
                "SELECT rowid FROM enrollments WHERE classSourcedId IN "
                f"(SELECT sourcedId FROM classes WHERE {TITLE} >= :q AND {TITLE} < :qe)",
                _prefix("sourcedId", "enrollments", lowered=False),
            )
        )
    if topic == "demographics":
        return " UNION ".join(
            (
                "SELECT rowid FROM demographics WHERE sourcedId IN "
                f"(SELECT sourcedId FROM users WHERE rowid IN ({_user_matches()}))",
                _prefix("sourcedId", "demographics", lowered=False),
            )
        )
    if topic == "orgs":
        return " UNION ".join(
            (
                _prefix(ORG_NAME, "orgs"),
                _small_table_matches("orgs", "name", "identifier"),
            )
        )
    if topic == "courses":
        return _small_table_matches("courses", "title", "courseCode")
    return _small_table_matches("academic_sessions", "title", "schoolYear")


def _role(view: View, staff_roles: list[str] | None) -> str | None:
    """The role filter's condition (staff: the stored roles besides student and teacher)."""
    role = view.filters.role
    if not role:
        return None
    if view.topic == "users":
        if role != STAFF:
            return "primary_role = :role"
        if staff_roles is None:
            return "ifnull(primary_role,'') NOT IN ('student','teacher')"
        listed = ", ".join("'" + r.replace("'", "''") + "'" for r in staff_roles if r != "unknown")
        unknown = " OR primary_role IS NULL" if "unknown" in staff_roles else ""
        return f"primary_role IN ({listed}){unknown}" if listed else unknown[4:] or "false"
    return "role = :role"


def _school(view: View) -> str | None:
    """The school filter's condition."""
    if not view.filters.school:
        return None
    return {
        "users": "sourcedId IN (SELECT userSourcedId FROM roles WHERE orgSourcedId = :school)",
        "classes": "schoolSourcedId = :school",
        "courses": "orgSourcedId = :school",
        "enrollments": "classSourcedId IN "
        "(SELECT sourcedId FROM classes WHERE schoolSourcedId = :school)",
    }.get(view.topic)


def _status(view: View) -> str | None:
    """The status filter's condition."""
    status = view.filters.status
    if status == "active":
        return "status = 'active'"
    if status == "not active":
        return "ifnull(status,'') <> 'active'"
    if status == "disabled" and view.topic == "users":
        return "enabledUser = 0"
    return None


def _domain(view: View) -> str | None:
    """The email-domain filter's condition (users only)."""
    domain = view.filters.domain
    if domain is None or view.topic != "users":
        return None
    if domain == NO_EMAIL:
        return "ifnull(trim(email),'') = ''"
    if domain == NOT_AN_ADDRESS:  # the breakdown's row of emails without an @
        return "ifnull(trim(email),'') <> '' AND instr(email,'@') = 0"
    return f"{EMAIL_DOMAIN} = :domain AND instr(email,'@') > 0"


def where(view: View, staff_roles: list[str] | None = None) -> tuple[str, Params]:
    """The view's condition over its table (no alias) and its parameters; 'true' when none."""
    conditions: list[str] = []
    params: Params = {}
    text = view.search.strip()
    if text:
        conditions.append(f"rowid IN ({search_sql(view.topic)})")
        params.update(q=text.lower(), qe=text.lower() + TOP, raw=text, rawe=text + TOP)
    filters = view.filters
    for condition in (_role(view, staff_roles), _school(view), _status(view), _domain(view)):
        if condition:
            conditions.append(condition)
    if filters.role:
        params["role"] = filters.role
    if filters.school:
        params["school"] = filters.school
    if filters.domain is not None:
        params["domain"] = filters.domain.lower()
    return (" AND ".join(f"({c})" for c in conditions) or "true"), params
