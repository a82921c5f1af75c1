"""Fixtures for the alerts: a real SMTP server on 127.0.0.1, a synced data dir."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from datasync_tui.paths import DataDir
from datasync_tui.store import config
from tests.helpers.bundles import district
from tests.helpers.smtp import SmtpServer
from tests.helpers.tls import self_signed, server_context


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


def rollover_district() -> dict[str, list[list[str]]]:
    """The test district, with a spring term from 2026-12-07 (9 days after the pinned today):
    k0 and k1 end with the fall term, k2 runs all year, k3 starts in spring."""
    rows = district()
    rows["academicSessions"].append(
        ["t2", "", "", "Spring", "semester", "2026-12-07", "2027-06-10", "y1", "2027"]
    )
    rows["academicSessions"][1][6] = "2026-12-04"  # the fall term ends on the Friday before
    rows["classes"][2][10] = "y1"
    rows["classes"][3][10] = "t2"
    # Students 0-4 are in k2 or k3 only; the others only in k0 and k1 (fall), or in k2.
    keep = []
    for row in rows["enrollments"]:
        user, klass = row[5], row[3]
        student = user.startswith("stu") and int(user[3:])
        if user == "tch1" or klass in ("k0", "k1") or (klass in ("k2", "k3") and student < 5):
            keep.append(row)
    rows["enrollments"] = keep
    return rows
