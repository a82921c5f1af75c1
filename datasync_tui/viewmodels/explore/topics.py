"""What each topic shows: its columns (names resolved), its indexed sorts and its filters."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

# Sort and search keys: each is written exactly as its index in store.models.INDEXES, so SQLite
# walks the index (keyset pages, prefix ranges) instead of scanning the table.
USER_NAME = "lower(ifnull(familyName,'')||' '||ifnull(givenName,''))"
USER_GIVEN = "lower(ifnull(givenName,'')||' '||ifnull(familyName,''))"
USER_EMAIL = "ifnull(lower(email),'')"
EMAIL_DOMAIN = "lower(substr(email, instr(email,'@')+1))"
TITLE = "ifnull(lower(title),'')"
ORG_NAME = "ifnull(lower(name),'')"
START_DATE = "ifnull(startDate,'')"

# Pseudo-roles and statuses a filter can take besides a stored value.
STAFF = "staff"  # every role but student and teacher (the dashboard's Admins & staff)
NO_EMAIL = "(no email)"
NOT_AN_ADDRESS = "(no @)"  # an email with no @ in it (a username, say)
STATUSES = ("active", "not active", "disabled")


@dataclass(frozen=True)
class Column:
    """A column of a topic's table: its heading, its SQL over the row `t`, its width."""

    id: str
    label: str
    sql: str
    width: int
    numeric: bool = False


@dataclass(frozen=True)
class Sort:
    """A sort order backed by an index: the key expression (never NULL) and the rowid after it."""

    id: str
    label: str
    expr: str | None  # None: the order records were received in (the rowid alone)

    @property
    def keys(self) -> tuple[str, ...]:
        """The key expressions, the rowid last (it makes every key unique)."""
        return ("rowid",) if self.expr is None else (self.expr, "rowid")


@dataclass(frozen=True)
class TopicSpec:
    """One store table as Explore shows it."""

    topic: str
    table: str
    columns: tuple[Column, ...]
    sorts: tuple[Sort, ...]
    filters: frozenset[str]  # which of role, school, status, domain apply
    title_sql: str  # how a record of this topic is named in lists (over `t`)

    def sort(self, sort_id: str | None) -> Sort:
        """The sort with that id, else the first (the default)."""
        return next((s for s in self.sorts if s.id == sort_id), self.sorts[0])


@dataclass(frozen=True)
class Filters:
    """The filters of a view; None means any."""

    role: str | None = None
    school: str | None = None  # an org sourcedId
    status: str | None = None  # one of STATUSES
    domain: str | None = None  # an email domain, NO_EMAIL or NOT_AN_ADDRESS

    def active(self) -> bool:
        """True when any filter is set."""
        return any((self.role, self.school, self.status, self.domain is not None))

    def describe(self, school_name: str | None = None) -> str:
        """'role teacher · school Lincoln High · domain gmail.com', or ''."""
        parts = []
        if self.role:
            parts.append(f"role {self.role}")
        if self.school:
            parts.append(f"school {school_name or self.school}")
        if self.status:
            parts.append(f"status {self.status}")
        if self.domain is not None:
            parts.append(f"domain {self.domain or '(nothing after @)'}")
        return " · ".join(parts)


@dataclass(frozen=True)
class View:
    """What the table shows: a topic, a sort and its direction, a search and filters."""

    topic: str
    sort: str | None = None
    descending: bool = False
    search: str = ""
    filters: Filters = field(default_factory=Filters)

    @property
    def spec(self) -> TopicSpec:
        """The topic's spec."""
        return SPECS[self.topic]

    def narrowed(self) -> bool:
        """True when a search or a filter leaves rows out."""
        return bool(self.search.strip()) or self.filters.active()

    def with_(self, **changes: object) -> View:
        """A copy with changes."""
        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Entry:
    """A line of the topic picker: a label, a topic and the filter it starts with."""

    id: str
    label: str
    topic: str
    role: str | None = None

    def view(self) -> View:
        """The view this entry opens."""
        return View(self.topic, filters=Filters(role=self.role))


PERSON = "trim(ifnull(x.givenName,'') || ' ' || ifnull(x.familyName,''))"


def _yes_no(sql: str) -> str:
    """'yes'/'no'/'' for a 0/1 column."""
    return f"CASE {sql} WHEN 1 THEN 'yes' WHEN 0 THEN 'no' ELSE '' END"


def _names(list_sql: str, table: str, name: str) -> str:
    """The names of the records a JSON list of sourcedIds points at (the id when unknown)."""
    return (
        f"(SELECT group_concat(ifnull(x.{name}, j.value), ', ') FROM json_each({list_sql}) j "
        f"LEFT JOIN {table} x ON x.sourcedId = j.value)"
    )


def _name_of(table: str, name: str, id_sql: str) -> str:
    """The name of the record id_sql points at, '? id' when it does not exist."""
    shown = name if "(" in name else f"x.{name}"
    return (
        f"ifnull((SELECT {shown} FROM {table} x WHERE x.sourcedId = {id_sql}), "
        f"CASE WHEN {id_sql} IS NULL THEN '' ELSE '? ' || {id_sql} END)"
    )


GRADES = "(SELECT group_concat(value, ',') FROM json_each(t.grades))"
SOURCED_ID = Column("sourcedId", "sourcedId", "t.sourcedId", 14)
BY_ID = Sort("sourcedId", "sourcedId", "sourcedId")

SPECS: dict[str, TopicSpec] = {
    "users": TopicSpec(
        "users",
        "users",
        (
            SOURCED_ID,
            Column("role", "Role", "t.primary_role", 13),
            Column("given", "Given name", "t.givenName", 12),
            Column("family", "Family name", "t.familyName", 14),
            Column("email", "Email", "t.email", 32),
            Column("username", "Username", "t.username", 16),
            Column("schools", "Schools", _names("t.orgSourcedIds", "orgs", "name"), 24),
            Column("grades", "Grades", GRADES, 7),
            Column("enabled", "Enabled", _yes_no("t.enabledUser"), 7),
        ),
        (Sort("name", "name", USER_NAME), BY_ID, Sort("email", "email", USER_EMAIL)),
        frozenset({"role", "school", "status", "domain"}),
        "trim(ifnull(t.givenName,'') || ' ' || ifnull(t.familyName,''))",
    ),
    "classes": TopicSpec(
        "classes",
        "classes",
        (
            Column("title", "Title", "t.title", 28),
            Column("code", "Code", "t.classCode", 12),
            Column("school", "School", _name_of("orgs", "name", "t.schoolSourcedId"), 22),
            Column("course", "Course", _name_of("courses", "title", "t.courseSourcedId"), 20),
            Column("terms", "Terms", _names("t.termSourcedIds", "academic_sessions", "title"), 16),
            Column("teachers", "Teachers", "t.teacher_count", 8, numeric=True),
            Column("students", "Students", "t.student_count", 8, numeric=True),
            SOURCED_ID,
        ),
        (Sort("title", "title", TITLE), BY_ID),
        frozenset({"school", "status"}),
        "t.title",
    ),
    "enrollments": TopicSpec(
        "enrollments",
        "enrollments",
        (
            Column("user", "User", _name_of("users", PERSON, "t.userSourcedId"), 22),
            Column("class", "Class", _name_of("classes", "title", "t.classSourcedId"), 26),
            Column("role", "Role", "t.role", 9),
            Column("primary", "Primary", _yes_no('t."primary"'), 7),
            Column("begin", "Begins", "t.beginDate", 10),
            Column("end", "Ends", "t.endDate", 10),
            SOURCED_ID,
        ),
        (BY_ID, Sort("received", "order received", None)),
        frozenset({"role", "school", "status"}),
        "t.sourcedId",
    ),
    "orgs": TopicSpec(
        "orgs",
        "orgs",
        (
            Column("name", "Name", "t.name", 28),
            Column("type", "Type", "t.type", 10),
            Column("identifier", "Identifier", "t.identifier", 12),
            Column("parent", "Parent", _name_of("orgs", "name", "t.parentSourcedId"), 22),
            SOURCED_ID,
        ),
        (Sort("name", "name", ORG_NAME), BY_ID),
        frozenset({"status"}),
        "t.name",
    ),
    "academicSessions": TopicSpec(
        "academicSessions",
        "academic_sessions",
        (
            Column("title", "Title", "t.title", 22),
            Column("type", "Type", "t.type", 12),
            Column("start", "Starts", "t.startDate", 10),
            Column("end", "Ends", "t.endDate", 10),
            Column("year", "Year", "t.schoolYear", 6),
            Column(
                "parent", "Parent", _name_of("academic_sessions", "title", "t.parentSourcedId"), 18
            ),
            SOURCED_ID,
        ),
        (Sort("start", "start date", START_DATE), BY_ID),
        frozenset({"status"}),
        "t.title",
    ),
    "courses": TopicSpec(
        "courses",
        "courses",
        (
            Column("title", "Title", "t.title", 26),
            Column("code", "Code", "t.courseCode", 12),
            Column("grades", "Grades", GRADES, 8),
            Column("org", "Org", _name_of("orgs", "name", "t.orgSourcedId"), 22),
            SOURCED_ID,
        ),
        (Sort("title", "title", TITLE), BY_ID),
        frozenset({"school", "status"}),
        "t.title",
    ),
    "demographics": TopicSpec(
        "demographics",
        "demographics",
        (
            SOURCED_ID,
            Column("user", "User", _name_of("users", PERSON, "t.sourcedId"), 20),
            Column("birth", "Birth date", "t.birthDate", 10),
            Column("sex", "Sex", "t.sex", 7),
            Column("hispanic", "Hispanic", _yes_no("t.hispanicOrLatinoEthnicity"), 8),
            Column("country", "Country", "t.countryOfBirthCode", 7),
            Column("state", "State", "t.stateOfBirthAbbreviation", 5),
        ),
        (BY_ID,),
        frozenset({"status"}),
        "t.sourcedId",
    ),
}

# The topic picker, in the dashboard's tile order (the tile ids open the same line).
ENTRIES: tuple[Entry, ...] = (
    Entry("students", "Students", "users", "student"),
    Entry("teachers", "Teachers", "users", "teacher"),
    Entry("staff", "Admins & staff", "users", STAFF),
    Entry("users", "All users", "users"),
    Entry("schools", "Schools & orgs", "orgs"),
    Entry("terms", "Terms", "academicSessions"),
    Entry("courses", "Courses", "courses"),
    Entry("classes", "Classes", "classes"),
    Entry("enrollments", "Enrollments", "enrollments"),
    Entry("demographics", "Demographics", "demographics"),
)


def entry(entry_id: str | None) -> Entry:
    """The picker line with that id (the first when unknown)."""
    return next((e for e in ENTRIES if e.id == entry_id), ENTRIES[0])
