"""The real SDS sample files (shared samples) load with the right counts."""

from __future__ import annotations

import pytest

from tests.helpers.mapped_csv import check, fetch, sample


@pytest.mark.parametrize("variant", ["SDS Format/100 Users", "UK Format/100 Users"])
def test_sds_classic_100_users_counts(variant: str) -> None:
    path = sample(variant)
    report = check(path)
    assert report.ok, report.to_dict()
    assert report.detail["mapping"] == "sds-classic (detected from the headers)"
    data = fetch(path, mapping="sds-classic")
    counts = {topic: len(rows) for topic, rows in data.items() if topic != "warnings"}
    # users = 86 students + 12 teachers; classes = sections; enrollments = 602 + 28 rows
    assert counts == {
        "orgs": 2,
        "academicSessions": 1,
        "courses": 28,
        "classes": 28,
        "users": 98,
        "roles": 98,
        "enrollments": 630,
        "demographics": 86,
    }
    assert {r["sourcedId"] for r in data["classes"]} == {str(11001 + i) for i in range(28)}
    roles = {r["role"] for r in data["users"]}
    assert roles == {"student", "teacher"}
    assert sum(r["role"] == "teacher" for r in data["enrollments"]) == 28


def test_sds_classic_user_fields() -> None:
    data = fetch(sample("SDS Format/100 Users"))
    ora = next(u for u in data["users"] if u["sourcedId"] == "13001")
    assert ora["givenName"] == "Ora" and ora["familyName"] == "Klein"
    assert ora["username"] == ora["email"] == "OKlein"  # the sign-in name becomes the email
    assert ora["orgSourcedIds"] == ["10001"] and ora["grades"] == ["9"]
    assert ora["enabledUser"] is True and ora["status"] == "active"
    assert "Password" not in (ora["extras"] or {})
    assert all("P@ss" not in str(u) for u in data["users"])
    term = data["academicSessions"][0]
    assert (term["sourcedId"], term["startDate"], term["endDate"]) == (
        "12000",
        "2017-07-01",
        "2018-06-30",
    )
    birth = next(d for d in data["demographics"] if d["sourcedId"] == "13001")
    assert birth["birthDate"] == "2000-04-02"
    assert data["roles"][0]["sourcedId"] == "13001:10001:student"
    assert data["roles"][0]["roleType"] == "primary"
    assert data["warnings"] == []


@pytest.mark.parametrize("variant", ["SDS Format/25 Users", "UK Format/25 Users"])
def test_sds_classic_25_users(variant: str) -> None:
    path = sample(variant)
    report = check(path)
    assert report.ok, report.to_dict()
    users = next(t for t in report.topics if t.topic == "users")
    assert users.rows == 24


def test_sds_classic_minimum_attributes_pass_with_recommendations() -> None:
    report = check(sample("UK Format/Min Required Attributes"))
    assert report.ok, report.to_dict()
    recommended = report.missing_recommended()
    assert "users.givenName" in recommended and "academicSessions" in recommended
    assert any("Term SIS ID" in w for w in report.warnings)


def test_sds_v21_sample() -> None:
    path = sample("SDS v2.1")
    report = check(path)
    assert report.ok, report.to_dict()
    assert report.detail["mapping"].startswith("sds-v2.1")
    assert report.detail["ignored"] == "relationships.csv, userFlags.csv"
    data = fetch(path)
    jack = next(u for u in data["users"] if u["sourcedId"] == "114001")
    assert jack["role"] == "student" and jack["orgSourcedIds"] == ["110003"]
    assert jack["email"] == "jcraig@classrmtest31.org"  # falls back to the username
    assert len(data["roles"]) == 7 and data["roles"][0]["roleType"] == "primary"
    demo = next(d for d in data["demographics"] if d["sourcedId"] == "114003")
    assert demo["asian"] is True and demo["white"] is False


def test_sds_v2_sample() -> None:
    path = sample("SDS v2")
    data = fetch(path)
    assert len(data["users"]) == 29 and len(data["enrollments"]) == 29
    assert data["enrollments"][0]["sourcedId"] == "11001:13001:student"
    assert data["enrollments"][0]["role"] == "student"
