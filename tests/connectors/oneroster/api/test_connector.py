"""The connector in-process: check, normalising 1.1 and 1.2 JSON, delta planning, streaming."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from connectors.base import ConnectorError, SyncState
from connectors.canonical import TOPIC_ORDER, field_names
from connectors.oneroster.api import OneRosterApiConnector
from connectors.oneroster.json import normalizer, role_rows
from tests.helpers.oneroster_api import SECRET, ServerFactory
from tests.helpers.oneroster_district import District
from tests.helpers.oneroster_server import Faults, OneRosterServer
from tests.helpers.tls import self_signed, server_context


def connector(server: OneRosterServer, **settings: str) -> OneRosterApiConnector:
    """A connector for the server (OAuth 2 for 1.2, OAuth 1 for 1.1 unless told)."""
    auth = "oauth2" if server.version == "1.2" else "oauth1"
    base = {
        "base_url": server.base_url,
        "version": server.version,
        "auth": auth,
        "client_id": "datasync",
        "client_secret": SECRET,
        "token_url": server.token_url,
        "page_size": "30",
    }
    return OneRosterApiConnector({**base, **settings})


def values(topic: str, raw: dict[str, Any]) -> dict[str, Any]:
    """A record normalised, as a dict by field name (extras under 'extras')."""
    out = normalizer(topic)(raw)
    return {**dict(zip(field_names(topic), out, strict=False)), "extras": out[-1]}


def test_check_counts_topics_and_fields(serve: ServerFactory, district: District) -> None:
    server = serve(version="1.2")
    report = connector(server).check()
    assert report.ok, report.error
    rows = {t.topic: t.rows for t in report.topics}
    assert rows["users"] == len(district["users"])
    assert rows["enrollments"] == len(district["enrollments"])
    assert report.detail["roles"] == "derived from users"
    users = next(t for t in report.topics if t.topic == "users")
    assert {f.name: f.status for f in users.fields}["email"] == "present"


def test_check_lists_missing_fields(serve: ServerFactory, district: District) -> None:
    data = {t: [dict(r) for r in rows] for t, rows in district.items()}
    for row in data["classes"]:
        row["termSourcedIds"] = ""
    for row in data["users"]:
        row["email"] = ""
    report = connector(serve(data, version="1.2")).check()
    assert not report.ok
    assert "classes.termSourcedIds" in report.missing_required()
    assert "users.email" in report.missing_recommended()


def test_check_never_raises(serve: ServerFactory) -> None:
    server = serve(version="1.2")
    report = connector(server, client_secret="wrong").check()
    assert report.error and "refused client_id 'datasync'" in report.error
    assert connector(server, token_url="").check().error == (
        "token_url is required with auth=oauth2 (the OAuth 2 token endpoint URL)"
    )
    gone = connector(server, base_url="http://127.0.0.1:9/ims", auth="oauth1").check()
    assert not gone.reached and gone.error and "cannot connect" in gone.error


def test_check_reports_an_unreadable_optional_topic(serve: ServerFactory) -> None:
    server = serve(version="1.2", faults=Faults(forbidden=("demographics",)))
    conn = connector(server)
    report = conn.check()
    assert report.ok
    demo = next(t for t in report.topics if t.topic == "demographics")
    assert not demo.present
    assert any("403" in w and "scope" in w for w in report.warnings)
    server.faults = Faults(forbidden=("users",))
    report = connector(server).check()
    assert not report.ok and report.error and "403" in report.error and "scope" in report.error


def test_users_11_normalise() -> None:
    raw = {
        "sourcedId": "u1",
        "status": "active",
        "dateLastModified": "2020-11-30T17:53:51.777+01:00",
        "enabledUser": True,
        "orgs": [{"href": "h", "sourcedId": "s1", "type": "org"}, {"sourcedId": "s2"}],
        "role": "teacher",
        "userIds": [{"type": "LDAP", "identifier": "mlee"}],
        "givenName": "Mary",
        "familyName": "Lee",
        "password": "pw",
        "grades": ["09", "10"],
        "x-custom": {"a": 1},
    }
    got = values("users", raw)
    assert got["dateLastModified"] == "2020-11-30T16:53:51.777Z"
    assert got["enabledUser"] is True
    assert got["orgSourcedIds"] == ["s1", "s2"]
    assert got["role"] == "teacher"
    assert got["userIds"] == ["{LDAP:mlee}"]
    assert got["grades"] == ["09", "10"]
    assert got["extras"] == {"x-custom": {"a": 1}}
    assert "pw" not in repr(got)
    links = list(role_rows(raw))
    assert [(r["sourcedId"], r["roleType"]) for r in links] == [
        ("u1:s1:teacher", "primary"),
        ("u1:s2:teacher", "secondary"),
    ]


def test_users_12_normalise() -> None:
    raw = {
        "sourcedId": "u2",
        "status": "active",
        "dateLastModified": "2024-01-02T03:04:05Z",
        "enabledUser": "FALSE",
        "givenName": "Ann",
        "familyName": "Smith",
        "preferredFirstName": "Annie",
        "roles": [
            {"roleType": "secondary", "role": "aide", "org": {"sourcedId": "s9"}},
            {
                "roleType": "primary",
                "role": "student",
                "org": {"sourcedId": "s1"},
                "beginDate": "2024-08-15",
                "ext": 1,
            },
        ],
        "primaryOrg": {"sourcedId": "s1", "href": "h", "type": "org"},
        "userProfiles": [{"profileId": "p", "credentials": [{"username": "a", "password": "x"}]}],
    }
    got = values("users", raw)
    assert got["enabledUser"] is False
    assert got["role"] == "student"
    assert got["orgSourcedIds"] == ["s1", "s9"]
    assert got["primaryOrgSourcedId"] == "s1"
    assert got["preferredGivenName"] == "Annie"
    assert got["extras"] == {
        "userProfiles": [{"profileId": "p", "credentials": [{"username": "a"}]}]
    }
    links = [values("roles", r) for r in role_rows(raw)]
    assert [(r["orgSourcedId"], r["roleType"], r["role"]) for r in links] == [
        ("s9", "secondary", "aide"),
        ("s1", "primary", "student"),
    ]
    assert links[1]["beginDate"] == "2024-08-15" and links[1]["extras"] == {"ext": 1}


def test_classes_enrollments_demographics_normalise() -> None:
    cls = values(
        "classes",
        {"sourcedId": "k1", "title": "Alg", "course": {"sourcedId": "c1"},
         "school": {"sourcedId": "s1"}, "terms": [{"sourcedId": "t1"}, {"sourcedId": "t2"}],
         "periods": "1,2", "resources": [{"sourcedId": "r"}]},
    )  # fmt: skip
    assert cls["courseSourcedId"] == "c1" and cls["schoolSourcedId"] == "s1"
    assert cls["termSourcedIds"] == ["t1", "t2"] and cls["periods"] == ["1", "2"]
    assert cls["extras"] == {"resources": [{"sourcedId": "r"}]}
    enr = values(
        "enrollments", {"sourcedId": "e", "primary": "true", "beginDate": "2024-08-15T00:00:00Z"}
    )
    assert enr["primary"] is True and enr["beginDate"] == "2024-08-15" and enr["extras"] is None
    demo = values(
        "demographics", {"sourcedId": "d", "white": "false", "asian": True, "sex": "female"}
    )
    assert demo["white"] is False and demo["asian"] is True and demo["sex"] == "female"


def test_full_or_delta_plan(serve: ServerFactory) -> None:
    conn = connector(serve(version="1.2"), full_sync_days="7")
    now = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)
    assert conn.plan(None, now) is None
    assert conn.plan(SyncState(), now) is None
    recent = SyncState("2026-11-27T02:00:00Z", "2026-11-25T02:00:00Z")
    # The window opens a safety margin (5 minutes unless set) before the last sync started.
    assert conn.plan(recent, now) == "2026-11-27T01:55:00Z"
    exact = connector(serve(version="1.2"), full_sync_days="7", delta_margin_minutes="0")
    assert exact.plan(recent, now) == "2026-11-27T02:00:00Z"
    wide = connector(serve(version="1.2"), full_sync_days="7", delta_margin_minutes="90")
    assert wide.plan(recent, now) == "2026-11-27T00:30:00Z"
    old = SyncState("2026-11-27T02:00:00Z", "2026-11-21T01:59:00Z")
    assert conn.plan(old, now) is None
    assert connector(serve(version="1.2"), full_sync_days="0").plan(recent, now) is None


def test_fetch_streams_every_topic_in_order(serve: ServerFactory, district: District) -> None:
    server = serve(version="1.1")
    conn = connector(server)
    streams = list(conn.fetch(None))
    assert [s.topic for s in streams] == list(TOPIC_ORDER)
    got: dict[str, list[Any]] = {}
    for stream in streams:  # consumed in order, as the engine does
        assert stream.mode == "bulk"
        got[stream.topic] = [stream.normalize(r) for r in stream.rows]
        if stream.topic != "roles":
            assert stream.expected_rows == len(district[stream.topic])
    assert len(got["enrollments"]) == len(district["enrollments"])
    assert len(got["roles"]) == sum(len(r["orgSourcedIds"].split(",")) for r in district["users"])
    conn.close()


def test_delta_fetch_sends_the_filter(serve: ServerFactory, district: District) -> None:
    data = {t: [dict(r) for r in rows] for t, rows in district.items()}
    data["users"][0]["dateLastModified"] = "2026-11-27T12:00:00Z"
    data["enrollments"][3]["dateLastModified"] = "2026-11-27T12:00:00Z"
    data["enrollments"][3]["status"] = "tobedeleted"
    server = serve(data, version="1.2")
    conn = connector(server)
    state = SyncState("2026-11-27T02:00:00Z", datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    streams = {s.topic: (s, list(s.rows)) for s in conn.fetch(state)}
    assert {t for t, (s, _) in streams.items() if s.mode == "bulk"} == {"roles"}
    assert server.stats.filters[0] == "dateLastModified>'2026-11-27T01:55:00Z'"
    assert [r["sourcedId"] for r in streams["users"][1]] == [data["users"][0]["sourcedId"]]
    assert [r["status"] for r in streams["enrollments"][1]] == ["tobedeleted"]
    # Role links come from every user, so links a changed or deleted user lost go too.
    links = sum(len(r["orgSourcedIds"].split(",")) for r in district["users"])
    assert len(streams["roles"][1]) == links
    conn.close()


def test_fetch_fails_with_a_located_line(serve: ServerFactory) -> None:
    server = serve(version="1.2", faults=Faults(repeat_page=True))
    conn = connector(server)
    with pytest.raises(ConnectorError) as caught:
        for stream in conn.fetch(None):
            list(stream.rows)
    assert str(caught.value).startswith(f"{server.base_url}/")
    conn.close()


def test_tls_is_verified_and_a_ca_bundle_can_be_given(serve: ServerFactory, tmp_path: Path) -> None:
    cert, key = self_signed(tmp_path)
    server = serve(version="1.2", tls=server_context(cert, key))
    assert server.base_url.startswith("https://")
    untrusted = connector(server).check()
    assert not untrusted.reached
    assert untrusted.error and untrusted.error.startswith(server.token_url)
    assert "TLS certificate not trusted" in untrusted.error and "ca_bundle" in untrusted.error
    trusted = connector(server, ca_bundle=str(cert)).check()
    assert trusted.ok, trusted.error
    assert trusted.warnings == []
    missing = connector(server, ca_bundle=str(tmp_path / "nope.pem")).check()
    assert missing.error and "nope.pem is not a readable file" in missing.error
