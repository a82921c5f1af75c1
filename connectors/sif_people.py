"""SIF people: StudentPersonal and StaffPersonal → users, demographics; school links → roles."""

from __future__ import annotations

import re
from typing import Any

from connectors.sif_map import Context, Pairs, Raw, extras_of, first, lookup, ref, sis_date

_ADMIN = re.compile(r"princip|admin|superintend|director|head ?master|head of school", re.I)


# --- users and demographics -------------------------------------------------------------------

_GIVEN = ("Name/FirstName", "PersonInfo/Name/GivenName", "Name/GivenName")
_FAMILY = ("Name/LastName", "PersonInfo/Name/FamilyName", "Name/FamilyName")
_MIDDLE = ("Name/MiddleName", "PersonInfo/Name/MiddleName", "Name/MiddleName")
_PREFERRED = ("Name/PreferredName", "PersonInfo/Name/PreferredGivenName", "Name/PreferredGivenName")
_PREFERRED_FAMILY = ("PersonInfo/Name/PreferredFamilyName", "Name/PreferredFamilyName")
_EMAIL = ("EmailList/Email", "Email", "PersonInfo/EmailList/Email")
_EMAIL_TYPE = tuple(f"{p}/@Type" for p in _EMAIL)
_PHONE = (
    "PhoneNumberList/PhoneNumber/Number",
    "PersonInfo/PhoneNumberList/PhoneNumber/Number",
    "PhoneNumber",
)
_GRADE = ("MostRecent/YearLevel/Code", "MostRecent/YearLevel")
_ID_PATHS = ("ElectronicIdList/ElectronicId", "OtherIdList/OtherId", "OtherId")
_ID_TYPES = frozenset(f"{p}/@Type" for p in _ID_PATHS)
_DEMO_PREFIXES = ("Demographics/", "PersonInfo/Demographics/")
_USER_USED = frozenset(
    {
        "@RefId",
        "LocalId",
        "StateProvinceId",
        *_GIVEN,
        *_FAMILY,
        *_MIDDLE,
        *_PREFERRED,
        *_PREFERRED_FAMILY,
        *_EMAIL,
        *_EMAIL_TYPE,
        *_PHONE,
        *_GRADE,
    }
)
_PRIMARY_EMAIL = ("primary", "01")


def emails(pairs: Pairs) -> list[tuple[str | None, str]]:
    """(type, address) of every email, in document order."""
    out: list[tuple[str | None, str]] = []
    pending: str | None = None
    for k, v in pairs:
        if k in _EMAIL_TYPE:
            pending = v
        elif k in _EMAIL:
            out.append((pending, v))
            pending = None
    return out


def typed_ids(pairs: Pairs) -> list[str]:
    """Electronic and other ids as OneRoster {type:id} user ids."""
    out: list[str] = []
    pending: str | None = None
    for k, v in pairs:
        if k in _ID_TYPES:
            pending = v
        elif k in _ID_PATHS:
            out.append(f"{{{pending or 'id'}:{v}}}")
            pending = None
    return out


def user(raw: Raw, _: Context) -> list[Any]:
    """StudentPersonal → a student, StaffPersonal → a teacher (assignments may say otherwise)."""
    kind, pairs, _label, _line, status = raw
    d = lookup(pairs)
    found = emails(pairs) if ("EmailList/Email" in d or "Email" in d or _EMAIL[2] in d) else []
    email = next((a for t, a in found if (t or "").lower() in _PRIMARY_EMAIL), None)
    if email is None and found:
        email = found[0][1]
    ids = (
        typed_ids(pairs)
        if ("ElectronicIdList/ElectronicId" in d or "OtherId" in d or "OtherIdList/OtherId" in d)
        else []
    )
    grade = first(d, *_GRADE)
    extras = extras_of(
        pairs,
        _USER_USED,
        _DEMO_PREFIXES,
        emails=[{"type": t, "address": a} for t, a in found] if found else None,
    )
    return [
        d.get("@RefId"),
        status,
        None,
        None,
        None,
        "student" if kind == "StudentPersonal" else "teacher",
        None,
        ids or None,
        first(d, *_GIVEN),
        first(d, *_FAMILY),
        first(d, *_MIDDLE),
        d.get("LocalId"),
        email,
        None,
        first(d, *_PHONE),
        None,
        [grade] if grade else None,
        d.get("StateProvinceId"),
        first(d, *_PREFERRED),
        None,
        first(d, *_PREFERRED_FAMILY),
        None,
        None,
        extras,
    ]


def demographic_part(raw: Raw) -> Raw | None:
    """The demographics of a person object (its RefId and Demographics paths), or None."""
    kind, pairs, label, line, status = raw
    demo = [(k, v) for k, v in pairs if k.startswith(_DEMO_PREFIXES)]
    if not demo:
        return None
    return (kind, [pairs[0], *demo] if pairs[0][0] == "@RefId" else demo, label, line, status)


_SEX = {"m": "male", "male": "male", "1": "male", "f": "female", "female": "female", "2": "female"}
_SEX.update({"3": "other", "u": "unspecified", "9": "unspecified", "x": "other"})
_YES = {"yes": True, "y": True, "true": True, "no": False, "n": False, "false": False}


def demographic(raw: Raw, _: Context) -> list[Any]:
    """The Demographics of a StudentPersonal or StaffPersonal → a demographics row."""
    _kind, pairs, _label, _line, status = raw
    d = {k.removeprefix("PersonInfo/"): v for k, v in reversed(pairs)}
    sex = d.get("Demographics/Gender") or d.get("Demographics/Sex")
    hispanic = d.get("Demographics/HispanicLatino")
    used = {
        "@RefId",
        "Demographics/Gender",
        "Demographics/Sex",
        "Demographics/BirthDate",
        "Demographics/HispanicLatino",
        "Demographics/CountryOfBirth",
        "Demographics/CountryOfBirth/@Code",
        "Demographics/StateOfBirth",
        "Demographics/StateOfBirth/@Code",
        "Demographics/PlaceOfBirth",
    }
    rest = [(k.removeprefix("PersonInfo/"), v) for k, v in pairs]
    return [
        d.get("@RefId"),
        status,
        None,
        sis_date(d.get("Demographics/BirthDate")),
        _SEX.get((sex or "").lower(), sex) if sex else None,
        None,
        None,
        None,
        None,
        None,
        None,
        _YES.get(hispanic.lower()) if hispanic else None,
        first(d, "Demographics/CountryOfBirth/@Code", "Demographics/CountryOfBirth"),
        first(d, "Demographics/StateOfBirth/@Code", "Demographics/StateOfBirth"),
        d.get("Demographics/PlaceOfBirth"),
        None,
        extras_of(rest, frozenset(used)),
    ]


# --- roles (user ↔ org links) -----------------------------------------------------------------

_ROLE_USED = frozenset(
    {
        "@RefId",
        "@StudentPersonalRefId",
        "StudentPersonalRefId",
        "@StaffPersonalRefId",
        "StaffPersonalRefId",
        "@SchoolInfoRefId",
        "SchoolInfoRefId",
        "EntryDate",
        "ExitDate",
        "JobStartDate",
        "JobEndDate",
    }
)
_HOME = ("", "home", "01")


def staff_role(d: dict[str, str]) -> str:
    """teacher, or administrator when the assignment's function or description says so."""
    said = " ".join(
        filter(None, (d.get("JobFunction"), d.get("Description"), d.get("PositionTitle")))
    )
    return "administrator" if _ADMIN.search(said) else "teacher"


def role(raw: Raw, _: Context) -> list[Any]:
    """StudentSchoolEnrollment / StaffAssignment → a user↔school role."""
    kind, pairs, _label, _line, status = raw
    d = lookup(pairs)
    if kind == "StudentSchoolEnrollment":
        membership = (ref(d, "MembershipType") or "").lower()
        primary = membership in _HOME
        user_ref, role_name = ref(d, "StudentPersonalRefId"), "student"
        begin, end = d.get("EntryDate"), d.get("ExitDate")
    else:
        primary = (d.get("PrimaryAssignment") or "Y").upper().startswith("Y")
        user_ref, role_name = ref(d, "StaffPersonalRefId"), staff_role(d)
        begin, end = d.get("JobStartDate"), d.get("JobEndDate")
    return [
        d.get("@RefId"),
        status,
        None,
        user_ref,
        "primary" if primary else "secondary",
        role_name,
        sis_date(begin),
        sis_date(end),
        ref(d, "SchoolInfoRefId"),
        None,
        extras_of(pairs, _ROLE_USED),
    ]
