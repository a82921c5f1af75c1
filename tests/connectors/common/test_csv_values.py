"""Value converters: blanks, booleans, dates, datetimes, lists and vocabularies."""

from __future__ import annotations

import pytest

from connectors.common.csv_values import (
    boolean,
    iso_date,
    iso_datetime,
    text,
    text_list,
    vocabulary,
)


def test_text_blank_is_none() -> None:
    assert text("") is None
    assert text("Ann") == "Ann"
    assert text(" ") == " "


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("TRUE", True),
        ("true", True),
        ("False", False),
        ("1", True),
        ("0", False),
        ("yes", True),
        ("No", False),
        (" true ", True),
        ("", None),
        ("maybe", "maybe"),
    ],
)
def test_boolean(raw: str, value: object) -> None:
    assert boolean(raw) == value


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("2023-05-01", "2023-05-01"),
        ("2023-05-01T18:25:43.511Z", "2023-05-01"),
        ("2023-05-01 08:01:05", "2023-05-01"),
        ("", None),
        ("8/1/15", "8/1/15"),
        ("2023-02-30", "2023-02-30"),
    ],
)
def test_date(raw: str, value: object) -> None:
    assert iso_date(raw) == value


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("2012-04-23T18:25:43.511Z", "2012-04-23T18:25:43.511Z"),
        ("2024-01-15T10:30:00Z", "2024-01-15T10:30:00Z"),
        ("2017-05-06 08:01:05", "2017-05-06T08:01:05Z"),
        ("2023-05-01", "2023-05-01T00:00:00Z"),
        ("2024-01-15T12:30:00+02:00", "2024-01-15T10:30:00Z"),
        ("2024-01-15T10:30:00.123456Z", "2024-01-15T10:30:00.123Z"),
        ("0999-01-01T00:00:00Z", "0999-01-01T00:00:00Z"),
        ("yesterday", "yesterday"),
        ("", None),
    ],
)
def test_datetime(raw: str, value: object) -> None:
    assert iso_datetime(raw) == value


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("09,10,11", ["09", "10", "11"]),
        ("{LDAP:12},{LTI:15}", ["{LDAP:12}", "{LTI:15}"]),
        (" t1 , ,y1,", ["t1", "y1"]),
        ("s1", ["s1"]),
        (" ", None),
        (",", None),
        ("", None),
    ],
)
def test_list(raw: str, value: object) -> None:
    assert text_list(raw) == value


def test_vocabulary_normalises_case_and_keeps_the_rest() -> None:
    kinds = vocabulary(["gradingPeriod", "semester"])
    assert kinds("GRADINGPERIOD") == "gradingPeriod"
    assert kinds("Semester ") == "semester"
    assert kinds("ext:trimester") == "ext:trimester"
    assert kinds("Quarter") == "Quarter"
    assert kinds("") is None


def test_status_alias() -> None:
    status = vocabulary(["active", "tobedeleted"], {"inactive": "tobedeleted"})
    assert status("Inactive") == "tobedeleted"
    assert status("ACTIVE") == "active"
    assert status("") is None


def test_every_field_is_null_for_an_empty_value() -> None:
    # An empty CSV value is no value, whatever the field's kind (the SQL both CSV loads use).
    from connectors.canonical import TOPICS
    from connectors.oneroster.csv_sql import field_sql
    from datasync_tui.store import sqlite

    conn = sqlite.connect(":memory:")
    for topic, fields in TOPICS.items():
        for name, _ in fields:
            got = conn.execute(f"SELECT {field_sql(topic, name, '?1')}", ("",)).fetchone()[0]
            assert got is None, (topic, name)
