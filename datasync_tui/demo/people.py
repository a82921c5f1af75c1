"""Generated people: names, unique logins and emails, and their users and demographics rows."""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from .names import FAMILY, FEMALE_GIVEN, MALE_GIVEN

BIRTH_COUNTRIES = ("MX", "GT", "SV", "HN", "VN", "PH", "IN", "CN", "UA", "SO", "ET", "AF", "KR")
BIRTH_STATES = ("CA", "WA", "TX", "NY", "AZ", "ID", "NV")
RACE_SHARES = (
    0.02,
    0.10,
    0.12,
    0.01,
)  # American Indian, Asian, Black, Pacific Islander; else White
TWO_OR_MORE_SHARE = 0.06
HISPANIC_SHARE = 0.28


@lru_cache(maxsize=4096)
def slug(name: str) -> str:
    """ASCII, lower-case letters and digits only: `Nguyễn` → `nguyen`, `O'Brien` → `obrien`."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(ch for ch in ascii_name.lower() if ch.isalnum())


@dataclass(slots=True)
class Person:
    """A generated user: names, login and email, and a student's grade and number."""

    sid: str
    given: str
    family: str
    middle: str
    female: bool
    local: str
    email: str
    grade: str = ""
    number: int = 0
    enabled: str = "true"


class People:
    """Makes people with sequential sourcedIds and logins unique within each email domain."""

    def __init__(self, rng: random.Random, domains: tuple[str, ...]) -> None:
        """Start every id counter and login registry empty."""
        self.rng = rng
        self.locals: dict[str, dict[str, int]] = {domain: {} for domain in domains}
        self.next = {"stu": 100001, "tch": 1, "adm": 1}

    def local(self, domain: str, base: str) -> str:
        """A login unique within its email domain: `ana.silva`, then `ana.silva2`, …"""
        seen = self.locals[domain]
        count = seen.get(base, 0) + 1
        seen[base] = count
        return base if count == 1 else f"{base}{count}"

    def person(self, kind: str, domain: str) -> Person:
        """A new person (kind `stu`, `tch` or `adm`) with a random name and the next sourcedId."""
        rng = self.rng
        number = self.next[kind]
        self.next[kind] += 1
        female = rng.random() < 0.5
        given = rng.choice(FEMALE_GIVEN if female else MALE_GIVEN)
        family = rng.choice(FAMILY)
        middle = rng.choice(FEMALE_GIVEN if female else MALE_GIVEN) if rng.random() < 0.3 else ""
        local = self.local(domain, f"{slug(given)}.{slug(family)}")
        sid = f"stu-{number}" if kind == "stu" else f"{kind}-{number:04d}"
        return Person(sid, given, family, middle, female, local, f"{local}@{domain}", number=number)


def staff_row(person: Person, org: str, role: str) -> tuple[str, ...]:
    """A teacher's or administrator's users.csv row."""
    ident = f"E{(10000 if role == 'teacher' else 90000) + person.number}"
    return (
        person.sid, "", "", person.enabled, org, role, person.local, f"{{LDAP:{person.local}}}",
        person.given, person.family, person.middle, ident, person.email, "", "", "", "", "",
    )  # fmt: skip


def student_row(student: Person, school: str) -> tuple[str, ...]:
    """A student's users.csv row."""
    return (
        student.sid, "", "", student.enabled, school, "student", student.local,
        f"{{LDAP:{student.local}}},{{SIS:{student.number}}}", student.given, student.family,
        student.middle, str(student.number), student.email, "", "", "", student.grade, "",
    )  # fmt: skip


def demographics_row(rng: random.Random, student: Person) -> tuple[str, ...]:
    """A student's demographics.csv row: birth date fitting the grade, sex, race, birthplace."""
    age = 0 if student.grade == "KG" else int(student.grade)
    born = date(2020 - age, 9, 2).toordinal() + rng.randrange(365)
    flags = ["false"] * 6  # five races, then two-or-more
    roll = rng.random()
    if roll < TWO_OR_MORE_SHARE:
        for index in rng.sample(range(5), 2):
            flags[index] = "true"
        flags[5] = "true"
    else:
        index, bound = 4, TWO_OR_MORE_SHARE
        for i, share in enumerate(RACE_SHARES):
            bound += share
            if roll < bound:
                index = i
                break
        flags[index] = "true"
    hispanic = "true" if rng.random() < HISPANIC_SHARE else "false"
    if rng.random() < 0.9:
        country, state = "US", "OR" if rng.random() < 0.8 else rng.choice(BIRTH_STATES)
    else:
        country, state = rng.choice(BIRTH_COUNTRIES), ""
    return (
        student.sid, "", "", date.fromordinal(born).isoformat(),
        "female" if student.female else "male", *flags, hispanic, country, state, "", "",
    )  # fmt: skip
