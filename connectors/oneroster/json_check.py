"""What the check samples in a OneRoster API's first pages: required and recommended fields."""

from __future__ import annotations

from typing import Any

from connectors.base import FieldReport, FieldStatus
from connectors.canonical import field_names
from connectors.oneroster.json import normalizer

REQUIRED_TOPICS = frozenset(
    {"orgs", "academicSessions", "courses", "classes", "users", "enrollments"}
)
REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    "orgs": ("sourcedId", "name", "type"),
    "academicSessions": ("sourcedId", "title", "type", "startDate", "endDate"),
    "courses": ("sourcedId", "title"),
    "classes": ("sourcedId", "title", "courseSourcedId", "schoolSourcedId", "termSourcedIds"),
    "users": ("sourcedId", "role", "givenName", "familyName"),
    "enrollments": ("sourcedId", "classSourcedId", "userSourcedId", "role"),
    "demographics": ("sourcedId",),
}
RECOMMENDED_FIELDS: dict[str, tuple[str, ...]] = {
    "orgs": ("identifier",),
    "academicSessions": ("schoolYear",),
    "courses": ("courseCode", "orgSourcedId"),
    "classes": ("classCode",),
    "users": ("email", "username", "orgSourcedIds", "enabledUser"),
    "enrollments": ("schoolSourcedId", "primary"),
    "demographics": ("birthDate",),
}


def field_reports(topic: str, records: list[dict[str, Any]]) -> list[FieldReport]:
    """Required and recommended fields in a sample: missing from every row, or from some."""
    names = field_names(topic)
    normalize = normalizer(topic)
    rows = [normalize(r) for r in records if isinstance(r, dict)]
    out: list[FieldReport] = []
    wanted: tuple[tuple[tuple[str, ...], FieldStatus], ...] = (
        (REQUIRED_FIELDS.get(topic, ()), "missing-required"),
        (RECOMMENDED_FIELDS.get(topic, ()), "missing-recommended"),
    )
    for fields, missing in wanted:
        for name in fields:
            at = names.index(name)
            blank = sum(1 for row in rows if row[at] in (None, "", []))
            out.append(FieldReport(name, missing if blank == len(rows) else "present", blank))
    return out
