"""The canonical topics and fields of every connector: OneRoster names, whatever the source."""

from __future__ import annotations

# Field kinds: "str" (text or None), "bool" (True/False/None), "list" (list[str] or None),
# "date" ("YYYY-MM-DD" text or the raw text when unreadable), "datetime" (ISO 8601 UTC text).
Field = tuple[str, str]

COMMON: tuple[Field, ...] = (
    ("sourcedId", "str"),
    ("status", "str"),
    ("dateLastModified", "datetime"),
)

TOPICS: dict[str, tuple[Field, ...]] = {
    "orgs": COMMON
    + (("name", "str"), ("type", "str"), ("identifier", "str"), ("parentSourcedId", "str")),
    "academicSessions": COMMON
    + (
        ("title", "str"),
        ("type", "str"),
        ("startDate", "date"),
        ("endDate", "date"),
        ("parentSourcedId", "str"),
        ("schoolYear", "str"),
    ),
    "courses": COMMON
    + (
        ("schoolYearSourcedId", "str"),
        ("title", "str"),
        ("courseCode", "str"),
        ("grades", "list"),
        ("orgSourcedId", "str"),
        ("subjects", "list"),
        ("subjectCodes", "list"),
    ),
    "classes": COMMON
    + (
        ("title", "str"),
        ("grades", "list"),
        ("courseSourcedId", "str"),
        ("classCode", "str"),
        ("classType", "str"),
        ("location", "str"),
        ("schoolSourcedId", "str"),
        ("termSourcedIds", "list"),
        ("subjects", "list"),
        ("subjectCodes", "list"),
        ("periods", "list"),
    ),
    "users": COMMON
    + (
        ("enabledUser", "bool"),
        ("orgSourcedIds", "list"),
        ("role", "str"),
        ("username", "str"),
        ("userIds", "list"),
        ("givenName", "str"),
        ("familyName", "str"),
        ("middleName", "str"),
        ("identifier", "str"),
        ("email", "str"),
        ("sms", "str"),
        ("phone", "str"),
        ("agentSourcedIds", "list"),
        ("grades", "list"),
        ("userMasterIdentifier", "str"),
        ("preferredGivenName", "str"),
        ("preferredMiddleName", "str"),
        ("preferredFamilyName", "str"),
        ("primaryOrgSourcedId", "str"),
        ("pronouns", "str"),
    ),
    # One row per user, org and role: 1.1 users.csv orgSourcedIds+role and 1.2 roles.csv land here.
    "roles": COMMON
    + (
        ("userSourcedId", "str"),
        ("roleType", "str"),
        ("role", "str"),
        ("beginDate", "date"),
        ("endDate", "date"),
        ("orgSourcedId", "str"),
        ("userProfileSourcedId", "str"),
    ),
    "enrollments": COMMON
    + (
        ("classSourcedId", "str"),
        ("schoolSourcedId", "str"),
        ("userSourcedId", "str"),
        ("role", "str"),
        ("primary", "bool"),
        ("beginDate", "date"),
        ("endDate", "date"),
    ),
    "demographics": COMMON
    + (
        ("birthDate", "date"),
        ("sex", "str"),
        ("americanIndianOrAlaskaNative", "bool"),
        ("asian", "bool"),
        ("blackOrAfricanAmerican", "bool"),
        ("nativeHawaiianOrOtherPacificIslander", "bool"),
        ("white", "bool"),
        ("demographicRaceTwoOrMoreRaces", "bool"),
        ("hispanicOrLatinoEthnicity", "bool"),
        ("countryOfBirthCode", "str"),
        ("stateOfBirthAbbreviation", "str"),
        ("cityOfBirth", "str"),
        ("publicSchoolResidenceStatus", "str"),
    ),
}

# Topics in the order a sync fetches and applies them (referenced objects first).
TOPIC_ORDER: tuple[str, ...] = tuple(TOPICS)

# Topics an admin sees counted (roles are links, counted through users_by_role).
COUNTED_TOPICS: tuple[str, ...] = tuple(t for t in TOPICS if t != "roles")

# Fields that are never stored, whatever the source (credentials sent along with roster data).
NEVER_STORED: frozenset[str] = frozenset({"password", "Password"})


def field_names(topic: str) -> tuple[str, ...]:
    """The canonical field names of a topic, in order."""
    return tuple(name for name, _ in TOPICS[topic])
