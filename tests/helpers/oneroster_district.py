"""A district's OneRoster CSV rows rendered as OneRoster 1.1 or 1.2 REST JSON records."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tests.helpers.bundles import HEADERS_11

Row = dict[str, str]
District = dict[str, list[Row]]
TOPICS = ("orgs", "academicSessions", "courses", "classes", "users", "enrollments", "demographics")
REF_TYPES = {
    "parentSourcedId": "org",
    "schoolYearSourcedId": "academicSession",
    "orgSourcedId": "org",
    "courseSourcedId": "course",
    "schoolSourcedId": "org",
    "classSourcedId": "class",
    "userSourcedId": "user",
}
PATHS = {"org": "orgs", "academicSession": "academicSessions", "course": "courses"}
PATHS |= {"class": "classes", "user": "users"}
DEFAULT_DLM = "2026-08-01T00:00:00.000Z"


def from_rows(rows: dict[str, list[list[str]]]) -> District:
    """A district from tests/helpers/bundles.py rows (OneRoster 1.1 CSV columns, no header)."""
    out: District = {}
    for topic in TOPICS:
        header = HEADERS_11[topic].split(",")
        out[topic] = [dict(zip(header, r, strict=True)) for r in rows.get(topic, [])]
    return out


def from_bundle(folder: Path) -> District:
    """A district from a OneRoster 1.1 CSV folder (e.g. the demo generator's output)."""
    out: District = {}
    for topic in TOPICS:
        path = folder / f"{topic}.csv"
        if not path.exists():
            out[topic] = []
            continue
        with path.open(encoding="utf-8", newline="") as fh:
            out[topic] = list(csv.DictReader(fh))
    return out


class Renderer:
    """Turns CSV rows into the JSON records a OneRoster 1.1 or 1.2 provider sends."""

    def __init__(self, base_url: str, version: str) -> None:
        self.base, self.version = base_url.rstrip("/"), version

    def guid(self, sid: str, kind: str) -> dict[str, str]:
        """A GUIDRef."""
        return {"href": f"{self.base}/{PATHS.get(kind, kind + 's')}/{sid}", "sourcedId": sid,
                "type": kind}  # fmt: skip

    def common(self, row: Row) -> dict[str, Any]:
        """sourcedId, status, dateLastModified (required in REST)."""
        return {
            "sourcedId": row["sourcedId"],
            "status": row.get("status") or "active",
            "dateLastModified": row.get("dateLastModified") or DEFAULT_DLM,
        }

    def record(self, topic: str, row: Row) -> dict[str, Any]:
        """One JSON record of a topic."""
        rec = self.common(row)
        for key, value in row.items():
            if key in rec or value in (None, "") or (key == "password" and self.version == "1.2"):
                continue
            if key in REF_TYPES:
                rec[key.removesuffix("SourcedId")] = self.guid(value, REF_TYPES[key])
            elif key == "termSourcedIds":
                rec["terms"] = [self.guid(v, "academicSession") for v in value.split(",")]
            elif key == "orgSourcedIds":
                rec["orgs"] = [self.guid(v, "org") for v in value.split(",")]
            elif key == "agentSourcedIds":
                rec["agents"] = [self.guid(v, "user") for v in value.split(",")]
            elif key in ("grades", "subjects", "subjectCodes", "periods"):
                rec[key] = value.split(",")
            elif key == "userIds":
                rec[key] = [_user_id(v) for v in value.split(",")]
            elif key == "enabledUser":
                rec[key] = value.lower() == "true"  # a JSON boolean, as many vendors send
            else:
                rec[key] = value
        if topic == "users" and self.version == "1.2":
            self._as_12_user(rec)
        return rec

    def _as_12_user(self, rec: dict[str, Any]) -> None:
        """1.2: roles[] instead of role + orgs, primaryOrg, string booleans, unknown fields."""
        role, orgs = rec.pop("role", None), rec.pop("orgs", [])
        rec["enabledUser"] = "true" if rec.get("enabledUser", True) else "false"
        rec["roles"] = [
            {"roleType": "primary" if i == 0 else "secondary", "role": role, "org": org}
            for i, org in enumerate(orgs)
        ]
        if orgs:
            rec["primaryOrg"] = orgs[0]
        rec["userProfiles"] = [
            {"profileId": "p1", "profileType": "lms", "vendorId": "v", "credentials": [
                {"type": "password", "username": rec.get("username", ""), "password": "hunter2"}
            ]}
        ]  # fmt: skip
        rec["metadata"] = {"ext.vendor.homeroom": "H1"}

    def records(self, district: District, topic: str) -> Iterator[dict[str, Any]]:
        """Every JSON record of a topic."""
        for row in district.get(topic, []):
            yield self.record(topic, row)


def _user_id(text: str) -> dict[str, str]:
    """CSV "{type:identifier}" as a 1.x userIds entry."""
    kind, _, ident = text.strip("{}").partition(":")
    return {"type": kind, "identifier": ident}
