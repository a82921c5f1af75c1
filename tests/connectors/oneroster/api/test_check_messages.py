"""What a failing OneRoster API check says: once, naming the URL, the status and the cause."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from connectors.oneroster.api import OneRosterApiConnector
from connectors.sif.connector import SifConnector
from tests.helpers.cli import CliRunner
from tests.helpers.oneroster_api import SECRET, ServerFactory, connect_args, sync_env
from tests.helpers.oneroster_server import Faults


def test_a_refused_token_is_the_reason(
    serve: ServerFactory, cli: CliRunner, tmp_path: Path
) -> None:
    server = serve(version="1.2")
    wrong = tmp_path / "wrong"
    wrong.write_text("not-the-secret\n", encoding="utf-8")
    done = cli(*connect_args(server, wrong, "oauth2"), env=sync_env())
    assert done.returncode == 3
    assert done.stderr.startswith(
        f"Not saved: {server.token_url}: the token URL refused client_id 'datasync'"
    )
    assert "(HTTP 401, invalid_client" in done.stderr
    assert len(done.stderr.splitlines()) == 1
    assert "not-the-secret" not in done.stderr + done.stdout and SECRET not in done.stderr


def test_a_token_endpoint_s_description_is_shown(
    serve: ServerFactory, cli: CliRunner, tmp_path: Path
) -> None:
    server = serve(version="1.2")
    wrong = tmp_path / "wrong"
    wrong.write_text("not-the-secret\n", encoding="utf-8")
    done = cli(*connect_args(server, wrong, "oauth2"), env=sync_env())
    assert "(HTTP 401, invalid_client: bad client credentials)" in done.stderr


def test_an_oauth1_refusal_names_the_signature_method(
    serve: ServerFactory, cli: CliRunner, tmp_path: Path
) -> None:
    server = serve(version="1.1")
    wrong = tmp_path / "wrong"
    wrong.write_text("not-the-secret\n", encoding="utf-8")
    done = cli(*connect_args(server, wrong, "oauth1"), env=sync_env())
    assert done.returncode == 3
    assert "refused the OAuth 1.0a signature of client_id 'datasync', signed with HMAC-SHA256" in (
        done.stderr
    )
    assert "takes HMAC-SHA256 signatures" in done.stderr


def test_a_wrong_base_url_is_told_once_with_its_status(
    serve: ServerFactory, cli: CliRunner, secret_file: Path
) -> None:
    server = serve(version="1.1")
    args = connect_args(server, secret_file, "oauth1")
    wrong = f"{server.origin}/api/oneroster/v1p1"
    args[args.index(f"base_url={server.base_url}")] = f"base_url={wrong}"
    done = cli(*args, env=sync_env())
    assert done.returncode == 3
    assert "required, not found" not in done.stdout
    problems = [line for line in done.stdout.splitlines() if "✗" in line]
    assert len(problems) == 1 and "HTTP 404 Not Found" in problems[0]
    assert f"under base_url {wrong}; check base_url" in problems[0]
    assert done.stderr.startswith(f"Not saved: {wrong}/") and "HTTP 404" in done.stderr


@pytest.mark.parametrize(("version", "tail"), [("1.2", "/v1p1"), ("1.1", "/v1p2")])
def test_a_version_that_does_not_match_the_url_is_warned(
    serve: ServerFactory, cli: CliRunner, secret_file: Path, version: str, tail: str
) -> None:
    server = serve(version="1.2" if tail == "/v1p2" else "1.1")
    args = connect_args(server, secret_file, "oauth2")
    args[args.index(f"version={server.version}")] = f"version={version}"
    done = cli(*args, env=sync_env())
    other = "1.1" if version == "1.2" else "1.2"
    assert (
        f"Warning: version={version} but base_url ends in {tail}, OneRoster {other}'s path: "
        f"set version={other}, or give the OneRoster {version} base URL"
    ) in done.stdout


def test_the_check_makes_no_retry_on_a_server_error(
    serve: ServerFactory, cli: CliRunner, secret_file: Path
) -> None:
    server = serve(version="1.1", faults=Faults(server_errors=5))
    done = cli(*connect_args(server, secret_file, "oauth1"), env=sync_env())
    assert done.returncode == 3
    assert server.stats.api_requests == 1  # a sync would have retried (5 more)
    assert "HTTP 500" in done.stderr and "gave up after 1 try" in done.stderr


@pytest.fixture
def dropping() -> Iterator[tuple[str, list[int]]]:
    """A TCP server on 127.0.0.1 that closes every connection at once; its URL and a counter
    of the connections it accepted."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted: list[int] = []
    stop = threading.Event()

    def serve_forever() -> None:
        listener.settimeout(0.05)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            accepted.append(1)
            conn.close()

    thread = threading.Thread(target=serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}", accepted
    finally:
        stop.set()
        thread.join()
        listener.close()


def test_the_check_makes_one_connection_to_a_dropping_server(
    dropping: tuple[str, list[int]],
) -> None:
    origin, accepted = dropping
    for connector in (
        OneRosterApiConnector(
            {
                "base_url": f"{origin}/ims/oneroster/v1p1",
                "auth": "oauth1",
                "client_id": "x",
                "client_secret": "y",
            }
        ),
        SifConnector({"base_url": origin, "application_key": "x", "secret": "y"}),
    ):
        accepted.clear()
        try:
            report = connector.check()
        finally:
            connector.close()
        assert not report.ok and "the connection dropped" in (report.error or "")
        assert len(accepted) == 1, (type(connector).__name__, len(accepted))


def test_a_refused_connection_fails_at_once(cli: CliRunner) -> None:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]  # closed again below: nothing listens there
    connector = OneRosterApiConnector(
        {
            "base_url": f"http://127.0.0.1:{port}/ims/oneroster/v1p1",
            "auth": "oauth1",
            "client_id": "x",
            "client_secret": "y",
        }
    )
    try:
        report = connector.check()
        assert "cannot connect" in (report.error or "")
        assert connector._client().sent == 1 and connector._client().retried == {}
    finally:
        connector.close()
    done = cli(  # the CLI's check, with the real backoff of a sync: it must not wait
        "connect",
        "oneroster-api",
        "--set",
        f"base_url=http://127.0.0.1:{port}/ims/oneroster/v1p1",
        "--set",
        "auth=oauth1",
        "--set",
        "client_id=x",
        "--set",
        "client_secret=y",
        env={"DATASYNC_HTTP_BACKOFF_SCALE": "1"},
    )
    assert done.returncode == 3
    assert done.stderr.startswith(f"Not saved: http://127.0.0.1:{port}/")
    assert "cannot connect" in done.stderr and "(gave up after 1 try, 0s of waiting)" in done.stderr
