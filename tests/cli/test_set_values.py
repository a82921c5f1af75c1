"""Settings from --set pairs: validation, secrets from files, env and prompts, and their storage."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from connectors.base import Option
from datasync_tui.cli.set_values import UsageError, build_settings
from datasync_tui.connection import split_secrets
from datasync_tui.paths import DataDir
from datasync_tui.store import config

OPTIONS = (
    Option("base_url", "Base URL", "url", required=True),
    Option("client_secret", "Client secret", "secret", required=True, secret=True),
    Option("sync_at", "Daily sync time", "time", default="02:00"),
    Option("page_size", "Page size", "int", default="1000"),
    Option("auth", "Auth", "choice", default="oauth2", choices=("oauth2", "oauth1")),
)


def test_secret_from_file_and_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret_file = tmp_path / "secret"
    secret_file.write_text("s3cr3t\n")
    got = build_settings(OPTIONS, {"base_url": "https://x", "client_secret": f"@{secret_file}"})
    assert got["client_secret"] == "s3cr3t"
    monkeypatch.setenv("SIS_SECRET", "from-env")
    got = build_settings(OPTIONS, {"base_url": "https://x", "client_secret": "env:SIS_SECRET"})
    assert got["client_secret"] == "from-env"


def test_secret_problems_are_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(UsageError, match="cannot read"):
        build_settings(OPTIONS, {"base_url": "https://x", "client_secret": "@/no/such/file"})
    monkeypatch.delenv("NOPE", raising=False)
    with pytest.raises(UsageError, match="NOPE is not set"):
        build_settings(OPTIONS, {"base_url": "https://x", "client_secret": "env:NOPE"})
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    with pytest.raises(UsageError, match="asks on a terminal"):
        build_settings(OPTIONS, {"base_url": "https://x", "client_secret": "-"})


def test_secret_prompted_without_echo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda prompt: "typed")
    got = build_settings(OPTIONS, {"base_url": "https://x", "client_secret": "-"})
    assert got["client_secret"] == "typed"


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        ({"client_secret": "x"}, "missing --set base_url"),
        ({"base_url": "ftp://x", "client_secret": "x"}, "must be a URL"),
        ({"base_url": "https://x", "client_secret": "x", "sync_at": "25:00"}, "HH:MM"),
        ({"base_url": "https://x", "client_secret": "x", "page_size": "many"}, "whole number"),
        ({"base_url": "https://x", "client_secret": "x", "auth": "basic"}, "one of oauth2"),
        ({"base_url": "https://x", "client_secret": "x", "bse_url": "y"}, "did you mean"),
    ],
)
def test_bad_values_name_the_option(pairs: dict[str, str], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        build_settings(OPTIONS, pairs)


def test_secrets_stored_apart_owner_only(tmp_path: Path) -> None:
    settings = build_settings(OPTIONS, {"base_url": "https://x", "client_secret": "hush"})
    public, secrets = split_secrets(OPTIONS, settings)
    dd = DataDir(tmp_path / "home")
    config.save(dd, config.Connection("oneroster-api", None, public, secrets))
    assert "hush" not in dd.config.read_text()
    assert stat.S_IMODE(dd.secrets.stat().st_mode) == 0o600
    loaded = config.load(dd)
    assert loaded is not None and loaded.all_settings()["client_secret"] == "hush"
