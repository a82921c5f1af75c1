"""OneRoster CSV tables: file names, columns and required flags by version, and vocabularies."""

from __future__ import annotations

from connectors.canonical import TOPICS, field_names

FILES: dict[str, str] = {topic: f"{topic}.csv" for topic in TOPICS}

_COMMON = ("sourcedId", "status", "dateLastModified")

# Standard column order of the files this connector reads (1.1 from the 1.1 tables, 1.2.1 [S]).
_HEADERS_11: dict[str, tuple[str, ...]] = {
    "orgs": (*_COMMON, "name", "type", "identifier", "parentSourcedId"),
    "academicSessions": (
        *_COMMON,
        *("title", "type", "startDate", "endDate", "parentSourcedId", "schoolYear"),
    ),
    "courses": (
        *_COMMON,
        *("schoolYearSourcedId", "title", "courseCode", "grades", "orgSourcedId"),
        *("subjects", "subjectCodes"),
    ),
    "classes": (
        *_COMMON,
        *("title", "grades", "courseSourcedId", "classCode", "classType", "location"),
        *("schoolSourcedId", "termSourcedIds", "subjects", "subjectCodes", "periods"),
    ),
    "users": (
        *_COMMON,
        *("enabledUser", "orgSourcedIds", "role", "username", "userIds", "givenName"),
        *("familyName", "middleName", "identifier", "email", "sms", "phone"),
        *("agentSourcedIds", "grades", "password"),
    ),
    "enrollments": (
        *_COMMON,
        *("classSourcedId", "schoolSourcedId", "userSourcedId", "role", "primary"),
        *("beginDate", "endDate"),
    ),
    "demographics": field_names("demographics"),
}

_HEADERS_12: dict[str, tuple[str, ...]] = {
    **_HEADERS_11,
    "users": (
        *_COMMON,
        *("enabledUser", "username", "userIds", "givenName", "familyName", "middleName"),
        *("identifier", "email", "sms", "phone", "agentSourcedIds", "grades", "password"),
        *("userMasterIdentifier", "preferredGivenName", "preferredMiddleName"),
        *("preferredFamilyName", "primaryOrgSourcedId", "pronouns"),
    ),
    "roles": (
        *_COMMON,
        *("userSourcedId", "roleType", "role", "beginDate", "endDate", "orgSourcedId"),
        "userProfileSourcedId",
    ),
}

HEADERS: dict[str, dict[str, tuple[str, ...]]] = {
    "1.0": _HEADERS_11,
    "1.1": _HEADERS_11,
    "1.2": _HEADERS_12,
}

# Columns the spec marks "Yes" (status and dateLastModified are required only in delta files).
_REQUIRED_11: dict[str, tuple[str, ...]] = {
    "orgs": ("sourcedId", "name", "type"),
    "academicSessions": ("sourcedId", "title", "type", "startDate", "endDate", "schoolYear"),
    "courses": ("sourcedId", "title", "orgSourcedId"),
    "classes": (
        *("sourcedId", "title", "courseSourcedId", "classType", "schoolSourcedId"),
        "termSourcedIds",
    ),
    "users": (
        *("sourcedId", "enabledUser", "orgSourcedIds", "role", "username", "givenName"),
        "familyName",
    ),
    "enrollments": ("sourcedId", "classSourcedId", "schoolSourcedId", "userSourcedId", "role"),
    "demographics": ("sourcedId",),
}

_REQUIRED_12: dict[str, tuple[str, ...]] = {
    **_REQUIRED_11,
    "users": ("sourcedId", "enabledUser", "username", "givenName", "familyName"),
    "roles": ("sourcedId", "userSourcedId", "roleType", "role", "orgSourcedId"),
}

# OneRoster 1.0 users.csv had no enabledUser.
_REQUIRED_10 = {
    **_REQUIRED_11,
    "users": tuple(c for c in _REQUIRED_11["users"] if c != "enabledUser"),
}

SPEC_REQUIRED: dict[str, dict[str, tuple[str, ...]]] = {
    "1.0": _REQUIRED_10,
    "1.1": _REQUIRED_11,
    "1.2": _REQUIRED_12,
}

DELTA_REQUIRED = ("status", "dateLastModified")

# Fields the spec requires that a sync can do without: reported as recommended, never blocking.
RECOMMENDED_FIELDS: dict[str, tuple[str, ...]] = {
    "users": ("email", "username", "identifier", "grades"),
    "classes": ("classCode", "termSourcedIds", "courseSourcedId"),
}

REQUIRED_TOPICS: dict[str, tuple[str, ...]] = {
    "1.0": ("orgs", "users", "classes", "enrollments"),
    "1.1": ("orgs", "users", "classes", "enrollments"),
    "1.2": ("orgs", "users", "roles", "classes", "enrollments"),
}
RECOMMENDED_TOPICS = ("academicSessions", "courses", "demographics")

# OneRoster 1.0 column names (and a few common variants) read as their 1.1 field, in every file
# that had them (lower-case keys). 1.0 keyed demographics by userSourcedId (1.1: sourcedId) and
# named a course's school year schoolYearId.
ALIASES: dict[str, dict[str, str]] = {
    "users": {"userid": "userIds", "agents": "agentSourcedIds", "grade": "grades"},
    "classes": {"grade": "grades", "termsourcedid": "termSourcedIds"},
    "courses": {"grade": "grades", "schoolyearid": "schoolYearSourcedId"},
    "demographics": {"birthdate": "birthDate", "usersourcedid": "sourcedId"},
}

# Spec columns that are not canonical fields: kept in extras without a near-miss warning.
KNOWN_EXTRA = frozenset({"resourceSourcedIds", "password"})

STATUS = ("active", "tobedeleted")
STATUS_ALIASES = {"inactive": "tobedeleted"}
ROLE_WORDS = (
    *("administrator", "aide", "counselor", "districtAdministrator", "guardian", "parent"),
    *("principal", "proctor", "relative", "siteAdministrator", "student"),
    *("systemAdministrator", "teacher"),
)
VOCABULARIES: dict[tuple[str, str], tuple[str, ...]] = {
    ("orgs", "type"): ("department", "school", "district", "local", "state", "national"),
    ("academicSessions", "type"): ("gradingPeriod", "semester", "schoolYear", "term"),
    ("classes", "classType"): ("homeroom", "scheduled"),
    ("users", "role"): ROLE_WORDS,
    ("roles", "role"): ROLE_WORDS,
    ("roles", "roleType"): ("primary", "secondary"),
    ("enrollments", "role"): ROLE_WORDS,
    ("demographics", "sex"): ("male", "female", "unspecified", "other"),
}


def required_columns(version: str, topic: str, mode: str) -> tuple[str, ...]:
    """The columns a file must have to be read (recommended fields left out)."""
    soft = RECOMMENDED_FIELDS.get(topic, ())
    cols = tuple(c for c in SPEC_REQUIRED[version].get(topic, ("sourcedId",)) if c not in soft)
    return cols + DELTA_REQUIRED if mode == "delta" else cols
