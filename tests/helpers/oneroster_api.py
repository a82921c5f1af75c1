"""Fixtures: a generated district and loopback OneRoster servers that every test stops."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.helpers.bundles import district as bundle_rows
from tests.helpers.oneroster_district import District, from_bundle, from_rows
from tests.helpers.oneroster_server import Faults, OneRosterServer

SECRET = "s3cret-Value-7f2e9a"
# Every wait of the HTTP client is scaled by this in tests: never sleep for real on Retry-After.
FAST_RETRIES = {"DATASYNC_HTTP_BACKOFF_SCALE": "0.001"}


def _generated(folder: Path) -> District:
    """A small district from the demo generator (else the one of tests/helpers/bundles.py)."""
    try:
        from datasync_tui.demo.generate import generate_district
    except ImportError:
        return from_rows(bundle_rows())
    generate_district(folder, students=100, problems=False)
    return from_bundle(folder)


@pytest.fixture(scope="session")
def district(tmp_path_factory: pytest.TempPathFactory) -> District:
    """The district every server serves (do not modify: copy it first)."""
    return _generated(tmp_path_factory.mktemp("district") / "bundle")


@pytest.fixture(autouse=True)
def fast_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process clients scale their waits down too."""
    for key, value in FAST_RETRIES.items():
        monkeypatch.setenv(key, value)


ServerFactory = Callable[..., OneRosterServer]


@pytest.fixture
def serve(district: District) -> Iterator[ServerFactory]:
    """Start servers (stopped when the test ends): serve(version=..., faults=Faults(...))."""
    started: list[OneRosterServer] = []

    def start(data: District | None = None, **kwargs: object) -> OneRosterServer:
        kwargs.setdefault("client_secret", SECRET)
        kwargs.setdefault("faults", Faults())
        server = OneRosterServer(data or district, **kwargs).start()  # type: ignore[arg-type]
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    """The client secret in an owner-only file, for --set client_secret=@PATH."""
    path = tmp_path / "client_secret"
    path.write_text(SECRET + "\n", encoding="utf-8")
    os.chmod(path, 0o600)
    return path


def connect_args(server: OneRosterServer, secret: Path, auth: str, *extra: str) -> list[str]:
    """The `connect oneroster-api` command line for a server."""
    args = ["connect", "oneroster-api", "--set", f"base_url={server.base_url}"]
    args += ["--set", f"version={server.version}", "--set", f"auth={auth}"]
    args += ["--set", "client_id=datasync", "--set", f"client_secret=@{secret}"]
    if auth == "oauth2":
        args += ["--set", f"token_url={server.token_url}"]
    return args + ["--set", "page_size=40", *extra]


def sync_env() -> dict[str, str]:
    """The CLI's environment: retries scaled down so no test sleeps for real."""
    return dict(FAST_RETRIES)
