"""The email_pattern option's grammar: what is accepted, and one line naming what is not."""

from __future__ import annotations

import pytest

from connectors.base import COMMON_OPTIONS
from connectors.common.email_pattern import parse

OPTION = next(o for o in COMMON_OPTIONS if o.name == "email_pattern")


def test_accepted() -> None:
    found = parse(
        " student = {given}.{family}{n}@Students.Example.org ; "
        "teacher={given1}{family}@example.org;"
    )
    assert set(found) == {"student", "teacher"}
    pieces, domain = found["student"]
    assert domain == "students.example.org"
    assert pieces == [("field", "given"), ("text", "."), ("field", "family"), ("field", "n")]
    assert OPTION.validate("aide=x_{identifier}@example.org") is None
    assert OPTION.validate("") is None  # optional


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("student", "is not role=pattern"),
        ("pupil={given}@x.org", "'pupil' is not a OneRoster role"),
        ("student={given}@x.org;student={family}@x.org", "role student is given twice"),
        ("student={given}", "has no '@'"),
        ("student={given}@{family}.org", "is not a domain name"),
        ("student={given}@localhost", "is not a domain name"),
        ("student={first}@x.org", "unknown {first}"),
        ("student={given}{n}{n}@x.org", "{n} more than once"),
        ("student=office{n}@x.org", "names no one"),
        ("student={given} {family}@x.org", "has ' ' in its local part"),
        ("student={given}+{family}@x.org", "has '+' in its local part"),
        (";", "no pattern given"),
    ],
)
def test_refused_with_one_line(value: str, says: str) -> None:
    problem = OPTION.validate(value)
    assert problem is not None and problem.startswith("email_pattern is not usable: ")
    assert says in problem and "\n" not in problem
