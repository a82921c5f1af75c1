"""SIF 3 REST against a real loopback provider: environment, both auth schemes, zone, paging."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from connectors.sif.connector import SifConnector
from tests.helpers.cli import CliRunner
from tests.helpers.sif import by_id, read_all
from tests.helpers.sif_gen import District, au_objects, uid
from tests.helpers.sif_server import SifServer

DISTRICT = District(students=23, teachers=2, sections=3)


@pytest.fixture(autouse=True)
def _no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retries never sleep for real in tests."""
    monkeypatch.setenv("DATASYNC_HTTP_BACKOFF_SCALE", "0")


@pytest.fixture
def server() -> Iterator[SifServer]:
    """A SIF 3 provider with a generated AU district, stopped after the test."""
    srv = SifServer(au_objects(DISTRICT)).start()
    yield srv
    srv.stop()


def settings(srv: SifServer, **more: str) -> dict[str, str]:
    """Connector settings for the server."""
    return {
        "base_url": srv.url,
        "application_key": srv.application_key,
        "secret": srv.secret,
        "page_size": "5",
        **more,
    }


def gets(srv: SifServer, service: str) -> list[dict]:
    """The GET requests the server saw for a service."""
    return [e for e in srv.log if e["method"] == "GET" and f"/requests/{service}" in e["path"]]


@pytest.mark.parametrize("auth", ["basic", "hmac"])
def test_rest_reads_every_page_with_either_auth(server: SifServer, auth: str) -> None:
    connector = SifConnector(settings(server, auth=auth, zone=server.zone))
    rows = read_all(connector)
    connector.close()
    assert len(rows["users"]) == 25
    assert len(rows["classes"]) == 3
    assert len(rows["enrollments"]) == DISTRICT.enrollments
    assert len(rows["roles"]) == 25
    assert by_id(rows["users"])[uid("5", 4)]["email"] == "s4@school.example.edu.au"
    pages = [int(e["headers"]["navigationPage"]) for e in gets(server, "StudentPersonals")]
    assert pages == [1, 2, 3, 4, 5]  # 23 students, 5 a page, stopped at navigationLastPage
    assert all(e["headers"]["navigationPageSize"] == "5" for e in gets(server, "StudentPersonals"))
    students = gets(server, "StudentPersonals")
    assert all(f";zoneId={server.zone}" in e["path"] for e in students)
    scheme = "SIF_HMACSHA256 " if auth == "hmac" else "Basic "
    assert all(e["headers"]["Authorization"].startswith(scheme) for e in students)
    assert all(e["headers"].get("timestamp") for e in students)
    create = [e for e in server.log if e["method"] == "POST"]
    assert len(create) == 1 and b"<applicationKey>DataSyncKey</applicationKey>" in create[0]["body"]
    assert [e["method"] for e in server.log][-1] == "DELETE"  # the session is ended on close
    assert rows["users"][0]["_where"].startswith(f"{server.url}/requests/")


def test_rest_context_and_services_not_provided(server: SifServer) -> None:
    server.context = "SCHOOL2027"
    connector = SifConnector(settings(server, zone=server.zone, context="SCHOOL2027"))
    rows = read_all(connector)
    assert len(rows["users"]) == 25
    assert all(";contextId=SCHOOL2027" in e["path"] for e in gets(server, "StaffPersonals"))
    # LEAInfos and SectionInfos are not provisioned: never asked for, noted as warnings.
    assert not gets(server, "LEAInfos") and not gets(server, "SectionInfos")
    assert any("LEAInfos" in w for w in connector.warnings)
    connector.close()


def test_rest_retries_a_busy_page(server: SifServer) -> None:
    server.fail_once = {2: 503}
    rows = read_all(SifConnector(settings(server)))
    assert len(rows["users"]) == 25


def test_rest_wrong_secret_is_one_clear_line(server: SifServer) -> None:
    report = SifConnector(settings(server, secret="wrong")).check()
    assert not report.ok and not report.reached
    assert "401" in (report.error or "") and "secret" in (report.error or "")
    assert "wrong" not in (report.error or "")
    assert "\n" not in (report.error or "")


def test_rest_check_passes(server: SifServer) -> None:
    report = SifConnector(settings(server, auth="hmac")).check()
    assert report.ok, report.to_dict()
    assert {t.topic: t.rows for t in report.topics}["users"] == 25


def test_cli_sync_over_rest(
    server: SifServer, cli: CliRunner, tmp_path: Path, data_dir: Path
) -> None:
    env = {"SIF_SECRET": server.secret}
    out = cli(
        "connect",
        "sif",
        "--set",
        f"base_url={server.url}",
        "--set",
        f"application_key={server.application_key}",
        "--set",
        "secret=env:SIF_SECRET",
        "--set",
        "auth=hmac",
        "--set",
        f"zone={server.zone}",
        env=env,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert server.secret not in out.stdout + out.stderr
    out = cli("sync", env=env)
    assert out.returncode == 0, out.stdout + out.stderr
    doc = json.loads(cli("status", "--json").stdout)
    assert doc["counts"]["users"] == 25
    assert doc["counts"]["enrollments"] == DISTRICT.enrollments
    assert doc["users_by_role"] == {"student": 23, "teacher": 2}
    stored = b"".join(p.read_bytes() for p in data_dir.rglob("*") if p.is_file())
    assert server.secret.encode() not in stored or _secret_file_only(data_dir, server.secret)


def _secret_file_only(data_dir: Path, secret: str) -> bool:
    """The secret may sit only in the owner-only secrets file, never in the database or logs."""
    holders = [p for p in data_dir.rglob("*") if p.is_file() and secret.encode() in p.read_bytes()]
    return all("secret" in p.name and (p.stat().st_mode & 0o077) == 0 for p in holders)
