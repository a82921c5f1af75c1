"""Fixtures for the alerts: a real SMTP server on 127.0.0.1, a synced data dir."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from datasync_tui.paths import DataDir
from datasync_tui.store import config
from tests.alerts.smtp import SmtpServer
from tests.connectors.oneroster.api.tls import self_signed, server_context


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """A plain SMTP server on 127.0.0.1, stopped after the test."""
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (cert.pem is also the CA bundle) and its key."""
    folder = tmp_path / "tls"
    folder.mkdir()
    return self_signed(folder)


@pytest.fixture
def tls_smtp(certificate: tuple[Path, Path]) -> Iterator[SmtpServer]:
    """An SMTP server on 127.0.0.1 that requires STARTTLS (self-signed) and a login."""
    server = SmtpServer("starttls", server_context(*certificate), login=True).start()
    yield server
    server.stop()


def connect(data_dir: Path, bundle: Path, **settings: str) -> DataDir:
    """Save a OneRoster CSV connection with these settings (smtp_password goes to secrets)."""
    dd = DataDir(data_dir)
    secrets = {k: settings.pop(k) for k in ("smtp_password", "client_secret") if k in settings}
    config.save(
        dd,
        config.Connection("oneroster-csv", None, {"path": str(bundle), **settings}, secrets),
    )
    return dd
