"""SIF people: StudentPersonal and StaffPersonal → users, demographics; school links → roles."""

from __future__ import annotations

import re
from typing import Any

from connectors.sif.mapping import MapContext, Raw, add_extra, extras_of, lookup, ref, sis_date

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
_PRIMARY_EMAIL = ("primary", "01")

# How user() treats each path, classified once per path (not once per element).
_EXTRA, _DEMO, _EMAIL_ADDR, _EMAIL_KIND, _ID, _ID_KIND = range(6)
# Single-valued fields, each from its paths in priority order: (slot, rank) per path.
_FIELD_PATHS = (_GIVEN, _FAMILY, _MIDDLE, _PREFERRED, _PREFERRED_FAMILY, _PHONE, _GRADE)
_REFID, _LOCAL, _STATE = len(_FIELD_PATHS), len(_FIELD_PATHS) + 1, len(_FIELD_PATHS) + 2


def _slot_ranks() -> dict[str, tuple[int, int]]:
    """Each field path → (value slot, rank among the field's paths; lower wins)."""
    found = {"@RefId": (_REFID, 0), "LocalId": (_LOCAL, 0), "StateProvinceId": (_STATE, 0)}
    for slot, paths in enumerate(_FIELD_PATHS):
        for rank, path in enumerate(paths):
            found.setdefault(path, (slot, rank))
    return found


_SLOT_RANK = _slot_ranks()


class _PathClasses(dict[str, Any]):
    """Path → how user() treats it; a path is classified when first met."""

    def __missing__(self, path: str) -> Any:
        if len(self) > 50_000:  # a hostile file with endless distinct names: start over
            self.clear()
        found: Any
        if path in _SLOT_RANK:
            found = _SLOT_RANK[path]
        elif path in _EMAIL:
            found = _EMAIL_ADDR
        elif path in _EMAIL_TYPE:
            found = _EMAIL_KIND
        elif path in _ID_PATHS:
            found = _ID
        elif path in _ID_TYPES:
            found = _ID_KIND
        elif path.startswith(_DEMO_PREFIXES):
            found = _DEMO
        else:
            found = _EXTRA
        self[path] = found
        return found


_CLASSES = _PathClasses()


def user(raw: Raw, _: MapContext) -> list[Any]:
    """StudentPersonal → a student, StaffPersonal → a teacher (assignments may say otherwise)."""
    kind, pairs, _label, _line, status = raw
    values: list[str | None] = [None] * (_STATE + 1)
    ranks = [99] * (_STATE + 1)
    extras: dict[str, Any] = {}
    found: list[tuple[str | None, str]] = []
    ids: list[str] = []
    email_kind: str | None = None
    id_kind: str | None = None
    classes = _CLASSES
    # One pass: the first value of the best-ranked path of each field, emails and ids with the
    # type that precedes them, and every other path (but Demographics) into the extras.
    for path, value in pairs:
        how = classes[path]
        if how.__class__ is tuple:
            slot, rank = how
            if rank < ranks[slot]:
                values[slot], ranks[slot] = value, rank
        elif how == _EXTRA:
            if path in extras:
                add_extra(extras, path, value)
            else:
                extras[path] = value
        elif how == _DEMO:
            continue
        elif how == _EMAIL_ADDR:
            found.append((email_kind, value))
            email_kind = None
        elif how == _EMAIL_KIND:
            email_kind = value
        else:  # an id or its type: kept in the extras too
            if how == _ID:
                ids.append(f"{{{id_kind or 'id'}:{value}}}")
                id_kind = None
            else:
                id_kind = value
            if path in extras:
                add_extra(extras, path, value)
            else:
                extras[path] = value
    email = None
    for email_type, address in found:  # the primary address, else the first
        if email_type and email_type.lower() in _PRIMARY_EMAIL:
            email = address
            break
    else:
        if found:
            email = found[0][1]
    if found:
        extras["emails"] = [{"type": t, "address": a} for t, a in found]
    given, family, middle, preferred, preferred_family, phone, grade = values[:_REFID]
    return [
        values[_REFID],
        status,
        None,
        None,
        None,
        "student" if kind == "StudentPersonal" else "teacher",
        None,
        ids or None,
        given,
        family,
        middle,
        values[_LOCAL],
        email,
        None,
        phone,
        None,
        [grade] if grade else None,
        values[_STATE],
        preferred,
        None,
        preferred_family,
        None,
        None,
        extras or None,
    ]


def demographic_part(raw: Raw) -> Raw | None:
    """The demographics of a person object (its RefId and Demographics paths), or None."""
    kind, pairs, label, line, status = raw
    classes = _CLASSES
    demo = [pair for pair in pairs if classes[pair[0]] == _DEMO]
    if not demo:
        return None
    return (kind, [pairs[0], *demo] if pairs[0][0] == "@RefId" else demo, label, line, status)


_SEX = {"m": "male", "male": "male", "1": "male", "f": "female", "female": "female", "2": "female"}
_SEX.update({"3": "other", "u": "unspecified", "9": "unspecified", "x": "other"})
_YES = {"yes": True, "y": True, "true": True, "no": False, "n": False, "false": False}
_DEMO_USED = frozenset(
    {
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
)


def demographic(raw: Raw, _: MapContext) -> list[Any]:
    """The Demographics of a StudentPersonal or StaffPersonal → a demographics row."""
    _kind, pairs, _label, _line, status = raw
    d: dict[str, str] = {}
    extras: dict[str, Any] = {}
    for path, value in pairs:
        path = path.removeprefix("PersonInfo/")
        if path not in d:
            d[path] = value
        if path not in _DEMO_USED:
            if path in extras:
                add_extra(extras, path, value)
            else:
                extras[path] = value
    sex = d.get("Demographics/Gender") or d.get("Demographics/Sex")
    hispanic = d.get("Demographics/HispanicLatino")
    return [
        d.get("@RefId"),
        status,
        None,
        sis_date(d.get("Demographics/BirthDate")),
        _SEX.get(sex.lower(), sex) if sex else None,
        None,
        None,
        None,
        None,
        None,
        None,
        _YES.get(hispanic.lower()) if hispanic else None,
        d.get("Demographics/CountryOfBirth/@Code") or d.get("Demographics/CountryOfBirth") or None,
        d.get("Demographics/StateOfBirth/@Code") or d.get("Demographics/StateOfBirth") or None,
        d.get("Demographics/PlaceOfBirth"),
        None,
        extras or None,
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


def role(raw: Raw, _: MapContext) -> list[Any]:
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
