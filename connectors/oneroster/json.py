"""OneRoster 1.1/1.2 REST JSON records turned into canonical values and role rows; pages; errors."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from connectors.base import ConnectorError
from connectors.canonical import NEVER_STORED, field_names
from connectors.oneroster.json_values import (
    Convert,
    boolean,
    iso_date,
    iso_datetime,
    ref,
    refs,
    scrub,
    str_list,
    text,
    user_ids,
)

# A field: canonical name, the JSON keys it may come under (first non-null wins), its converter.
# No keys means the converter takes the whole record.
FieldSpec = tuple[str, tuple[str, ...], Convert]


def _primary_role(raw: dict[str, Any]) -> dict[str, Any] | None:
    """A 1.2 user's primary role entry (else its first)."""
    roles = raw.get("roles")
    if not isinstance(roles, list) or not roles:
        return None
    for entry in roles:
        if isinstance(entry, dict) and entry.get("roleType") == "primary":
            return entry
    return roles[0] if isinstance(roles[0], dict) else None


def _user_role(raw: dict[str, Any]) -> str | None:
    """1.1 `role`, else the role of the 1.2 primary roles[] entry."""
    if raw.get("role"):
        return text(raw["role"])
    entry = _primary_role(raw)
    return text(entry.get("role")) if entry else None


def _user_orgs(raw: dict[str, Any]) -> list[str] | None:
    """1.1 `orgs`, else the orgs of the 1.2 roles[] entries (primary first, no repeats)."""
    if raw.get("orgs"):
        return refs(raw["orgs"])
    roles = raw.get("roles")
    if not isinstance(roles, list):
        return None
    ordered = sorted(
        (e for e in roles if isinstance(e, dict)), key=lambda e: e.get("roleType") != "primary"
    )
    out = list(dict.fromkeys(sid for sid in (ref(e.get("org")) for e in ordered) if sid))
    return out or None


def _common(*rest: FieldSpec) -> tuple[FieldSpec, ...]:
    """sourcedId, status and dateLastModified, then the topic's own fields."""
    return (
        ("sourcedId", ("sourcedId",), text),
        ("status", ("status",), text),
        ("dateLastModified", ("dateLastModified",), iso_datetime),
        *rest,
    )


SPECS: dict[str, tuple[FieldSpec, ...]] = {
    "orgs": _common(
        ("name", ("name",), text),
        ("type", ("type",), text),
        ("identifier", ("identifier",), text),
        ("parentSourcedId", ("parent", "parentSourcedId"), ref),
    ),
    "academicSessions": _common(
        ("title", ("title",), text),
        ("type", ("type",), text),
        ("startDate", ("startDate",), iso_date),
        ("endDate", ("endDate",), iso_date),
        ("parentSourcedId", ("parent", "parentSourcedId"), ref),
        ("schoolYear", ("schoolYear",), text),
    ),
    "courses": _common(
        ("schoolYearSourcedId", ("schoolYear", "schoolYearSourcedId"), ref),
        ("title", ("title",), text),
        ("courseCode", ("courseCode",), text),
        ("grades", ("grades",), str_list),
        ("orgSourcedId", ("org", "orgSourcedId"), ref),
        ("subjects", ("subjects",), str_list),
        ("subjectCodes", ("subjectCodes",), str_list),
    ),
    "classes": _common(
        ("title", ("title",), text),
        ("grades", ("grades",), str_list),
        ("courseSourcedId", ("course", "courseSourcedId"), ref),
        ("classCode", ("classCode",), text),
        ("classType", ("classType",), text),
        ("location", ("location",), text),
        ("schoolSourcedId", ("school", "schoolSourcedId"), ref),
        ("termSourcedIds", ("terms", "termSourcedIds"), refs),
        ("subjects", ("subjects",), str_list),
        ("subjectCodes", ("subjectCodes",), str_list),
        ("periods", ("periods",), str_list),
    ),
    "users": _common(
        ("enabledUser", ("enabledUser",), boolean),
        ("orgSourcedIds", (), _user_orgs),
        ("role", (), _user_role),
        ("username", ("username",), text),
        ("userIds", ("userIds",), user_ids),
        ("givenName", ("givenName",), text),
        ("familyName", ("familyName",), text),
        ("middleName", ("middleName",), text),
        ("identifier", ("identifier",), text),
        ("email", ("email",), text),
        ("sms", ("sms",), text),
        ("phone", ("phone",), text),
        ("agentSourcedIds", ("agents", "agentSourcedIds"), refs),
        ("grades", ("grades",), str_list),
        ("userMasterIdentifier", ("userMasterIdentifier",), text),
        ("preferredGivenName", ("preferredFirstName", "preferredGivenName"), text),
        ("preferredMiddleName", ("preferredMiddleName",), text),
        ("preferredFamilyName", ("preferredLastName", "preferredFamilyName"), text),
        ("primaryOrgSourcedId", ("primaryOrg", "primaryOrgSourcedId"), ref),
        ("pronouns", ("pronouns",), text),
    ),
    "roles": _common(
        ("userSourcedId", ("userSourcedId",), text),
        ("roleType", ("roleType",), text),
        ("role", ("role",), text),
        ("beginDate", ("beginDate",), iso_date),
        ("endDate", ("endDate",), iso_date),
        ("orgSourcedId", ("orgSourcedId",), text),
        ("userProfileSourcedId", ("userProfileSourcedId",), text),
    ),
    "enrollments": _common(
        ("classSourcedId", ("class", "classSourcedId"), ref),
        ("schoolSourcedId", ("school", "schoolSourcedId"), ref),
        ("userSourcedId", ("user", "userSourcedId"), ref),
        ("role", ("role",), text),
        ("primary", ("primary",), boolean),
        ("beginDate", ("beginDate",), iso_date),
        ("endDate", ("endDate",), iso_date),
    ),
    "demographics": _common(
        ("birthDate", ("birthDate",), iso_date),
        ("sex", ("sex",), text),
        *(
            (name, (name,), boolean)
            for name in (
                "americanIndianOrAlaskaNative",
                "asian",
                "blackOrAfricanAmerican",
                "nativeHawaiianOrOtherPacificIslander",
                "white",
                "demographicRaceTwoOrMoreRaces",
                "hispanicOrLatinoEthnicity",
            )
        ),
        ("countryOfBirthCode", ("countryOfBirthCode",), text),
        ("stateOfBirthAbbreviation", ("stateOfBirthAbbreviation",), text),
        ("cityOfBirth", ("cityOfBirth",), text),
        ("publicSchoolResidenceStatus", ("publicSchoolResidenceStatus",), text),
    ),
}

# Keys read into canonical fields besides those named in SPECS (1.1 users' orgs and role).
CONSUMED_EXTRA = {"users": {"orgs", "role", "roles"}}

for _topic, _spec in SPECS.items():
    assert tuple(name for name, _, _ in _spec) == field_names(_topic), _topic


def _expression(keys: tuple[str, ...], conv: Convert, slot: int) -> str:
    """Python source of one field's value: text inlined, other converters called."""
    if not keys:
        return f"c{slot}(raw)"
    value = " or ".join(f"get({k!r})" for k in keys)
    value = f"({value})" if len(keys) > 1 else value
    # The common cases without a call: a non-blank string, a JSON boolean, a GUIDRef's id.
    if conv is text:
        return f"(v if (v := {value}).__class__ is str and v else text(v))"
    if conv is boolean:
        return f"(v if (v := {value}).__class__ is bool else c{slot}(v))"
    if conv is ref:
        return (
            f"(s if (v := {value}).__class__ is dict and (s := v.get('sourcedId')).__class__ "
            f"is str and s else c{slot}(v))"
        )
    return f"c{slot}({value})"


def normalizer(topic: str) -> Callable[[dict[str, Any]], list[Any]]:
    """The normalize function of a topic: canonical values in field order, then extras.

    It is generated once per topic as straight-line code (a million records go through it).
    """
    spec = SPECS[topic]
    consumed = frozenset({k for _, keys, _ in spec for k in keys} | NEVER_STORED)
    consumed |= CONSUMED_EXTRA.get(topic, set())
    values = ",\n        ".join(
        _expression(keys, conv, i) for i, (_, keys, conv) in enumerate(spec)
    )
    source = (
        "def normalize(raw):\n"
        "    get = raw.get\n"
        f"    out = [\n        {values},\n    ]\n"
        "    if raw.keys() - consumed:\n"
        "        out.append(scrub({k: v for k, v in raw.items() if k not in consumed}))\n"
        "    else:\n"
        "        out.append(None)\n"
        "    return out\n"
    )
    scope: dict[str, Any] = {"text": text, "scrub": scrub, "consumed": consumed}
    scope |= {f"c{i}": conv for i, (_, _, conv) in enumerate(spec)}
    exec(compile(source, f"<normalize {topic}>", "exec"), scope)
    return scope["normalize"]


def role_rows(user: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """A user's role links: 1.2 roles[] entries, else 1.1 role with each org (first primary)."""
    uid = text(user.get("sourcedId"))
    base = {"status": user.get("status"), "dateLastModified": user.get("dateLastModified")}
    entries = user.get("roles")
    if isinstance(entries, list) and entries:
        for entry in entries:
            if not isinstance(entry, dict):
                continue
            org, role = ref(entry.get("org")), text(entry.get("role"))
            row = {
                "sourcedId": f"{uid}:{org}:{role}",
                **base,
                "userSourcedId": uid,
                "roleType": entry.get("roleType"),
                "role": role,
                "beginDate": entry.get("beginDate"),
                "endDate": entry.get("endDate"),
                "orgSourcedId": org,
                "userProfileSourcedId": ref(entry.get("userProfile")),
            }
            known = {"roleType", "role", "org", "beginDate", "endDate", "userProfile"}
            row.update({k: v for k, v in entry.items() if k not in known})
            yield row
        return
    role = text(user.get("role"))
    for i, org in enumerate(refs(user.get("orgs")) or ()):
        yield {
            "sourcedId": f"{uid}:{org}:{role}",
            **base,
            "userSourcedId": uid,
            "roleType": "primary" if i == 0 else "secondary",
            "role": role,
            "orgSourcedId": org,
        }


def error_detail(body: Any) -> str | None:
    """One line from an imsx_StatusInfo payload (either CodeMinor casing) or an OAuth error."""
    if not isinstance(body, dict):
        return None
    info = body
    if "imsx_codeMajor" not in info:
        nested = [v for v in body.values() if isinstance(v, dict) and "imsx_codeMajor" in v]
        info = nested[0] if nested else body
    if "imsx_codeMajor" in info:
        minor = info.get("imsx_CodeMinor") or info.get("imsx_codeMinor") or {}
        items = minor.get("imsx_codeMinorField", []) if isinstance(minor, dict) else []
        items = items if isinstance(items, list) else [items]
        codes = [str(i.get("imsx_codeMinorFieldValue")) for i in items if isinstance(i, dict)]
        desc = " ".join(str(info.get("imsx_description") or "").split())[:200]
        head = f"imsx {info.get('imsx_codeMajor')}" + (f" ({', '.join(codes)})" if codes else "")
        return f"{head}: {desc}" if desc else head
    error = body.get("error")
    if isinstance(error, str):
        desc = " ".join(str(body.get("error_description") or body.get("message") or "").split())
        return f"{error}: {desc[:200]}" if desc else error
    return None


def page_records(body: Any, key: str) -> list[dict[str, Any]]:
    """The records of one page: the envelope's list (a bare list is taken too)."""
    if isinstance(body, list):
        return [r for r in body if isinstance(r, dict)]
    if not isinstance(body, dict):
        raise ConnectorError(f"the answer is not a JSON object with a {key!r} list")
    records = body.get(key)
    if records is None:
        detail = error_detail(body)
        if detail:
            raise ConnectorError(detail)
        lists = [v for v in body.values() if isinstance(v, list)]
        if len(lists) != 1:
            raise ConnectorError(f"the answer has no {key!r} list (keys: {', '.join(body)[:120]})")
        records = lists[0]
    if not isinstance(records, list):
        raise ConnectorError(f"{key!r} in the answer is not a list")
    return [r for r in records if isinstance(r, dict)]
