"""Every option is checked when it is set, by its declaration: ranges, types, URLs, domains."""

from __future__ import annotations

from pathlib import Path

import pytest

from connectors.base import COMMON_OPTIONS
from connectors.registry import METHODS
from datasync_tui.connection import InvalidSetting, save_connection
from datasync_tui.paths import DataDir
from datasync_tui.store import config
from datasync_tui.ui.setup.options import problem_of
from tests.helpers.bundles import write_bundle
from tests.helpers.cli import CliRunner
from tests.helpers.tls import self_signed


def option(method: str, name: str):
    """The declared option of a method (common ones included)."""
    return next(o for o in METHODS[method].load().all_options() if o.name == name)


@pytest.mark.parametrize(
    ("method", "name", "value", "problem"),
    [
        ("oneroster-csv", "max_removal_pct", "-1", "must be between 0 and 100 (got '-1')"),
        ("oneroster-csv", "max_removal_pct", "101", "must be between 0 and 100 (got '101')"),
        ("oneroster-csv", "max_removal_pct", "1_0", "must be a whole number (got '1_0')"),
        ("sif", "stale_after_hours", "-5", "must be between 1 and 8784 (got '-5')"),
        ("sif", "stale_after_hours", "0", "must be between 1 and 8784 (got '0')"),
        (
            "csv",
            "notify_url",
            "http://",
            "must be a URL with a host, e.g. https://sis.example.org/…",
        ),
        ("csv", "notify_url", "https://:443/x", "must be a URL with a host"),
        ("csv", "notify_url", "https://a b.org/", "must be a URL with a host"),
        (
            "csv",
            "notify_url",
            "https://h.org:99999/",
            "must be a URL with a host and, if any, a numeric port",
        ),
        ("csv", "notify_url", "ftp://h.org/", "must be a URL starting with https://"),
        ("oneroster-api", "base_url", "https:///ims/oneroster/v1p1", "must be a URL with a host"),
        ("oneroster-api", "token_url", "http://", "must be a URL with a host"),
        ("oneroster-api", "page_size", "0", "must be between 1 and 100000"),
        ("oneroster-api", "parallel_pages", "64", "must be between 1 and 16"),
        ("oneroster-api", "full_sync_days", "-1", "must be between 0 and 366"),
        ("oneroster-api", "timeout", "0", "must be between 1 and 3600"),
        ("sif", "page_size", "-3", "must be between 1 and 100000"),
        ("sif", "sync_at", "7:5", "must be a time as HH:MM"),
        (
            "sif",
            "email_domains",
            "lincoln",
            "must be domain names like lincoln.org, comma-separated (not lincoln)",
        ),
    ],
)
def test_a_bad_value_is_refused_naming_the_option(
    method: str, name: str, value: str, problem: str
) -> None:
    found = option(method, name).validate(value)
    assert found is not None and found.startswith(f"{name} {problem}")
    # The wizard's form asks the very same declaration.
    assert problem_of(option(method, name), value) == found


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("max_removal_pct", "0"),
        ("max_removal_pct", "100"),
        ("stale_after_hours", "1"),
        ("notify_url", "http://127.0.0.1:8080/hook"),
        ("notify_url", "https://[::1]/hook"),
        ("notify_url", "https://hooks.example.org/a?b=c"),
        ("email_domains", "lincoln.org, @students.lincoln.org"),
        ("sync_at", "23:59"),
    ],
)
def test_good_values_pass(name: str, value: str) -> None:
    opt = next(o for o in COMMON_OPTIONS if o.name == name)
    assert opt.validate(value) is None


def test_a_secret_is_never_echoed_in_a_problem() -> None:
    opt = option("oneroster-api", "client_secret")
    assert opt.validate("") == "client_secret is required"


@pytest.mark.parametrize(
    ("pair", "line"),
    [
        ("max_removal_pct=-1", "max_removal_pct must be between 0 and 100 (got '-1')"),
        ("stale_after_hours=-5", "stale_after_hours must be between 1 and 8784 (got '-5')"),
        (
            "notify_url=http://",
            "notify_url must be a URL with a host, e.g. https://sis.example.org/…",
        ),
    ],
)
def test_connect_set_refuses_it_with_one_line(
    cli: CliRunner, tmp_path: Path, data_dir: Path, pair: str, line: str
) -> None:
    bundle = write_bundle(tmp_path / "b")
    done = cli("connect", "oneroster-csv", "--set", f"path={bundle}", "--set", pair)
    assert done.returncode == 2
    assert done.stderr.strip().startswith(f"datasync-tui: --set {line}")
    assert len(done.stderr.strip().splitlines()) == 1
    assert not (data_dir / "connection.json").exists()


def test_nothing_refused_is_ever_saved(tmp_path: Path) -> None:
    home = DataDir(tmp_path / "home")
    conn = config.Connection("oneroster-csv", None, {"path": "x", "max_removal_pct": "-1"})
    with pytest.raises(InvalidSetting, match="max_removal_pct must be between 0 and 100"):
        save_connection(home, conn)
    assert not home.config.exists()


@pytest.mark.parametrize("method", ["oneroster-csv", "oneroster-api", "sif"])
def test_a_ca_bundle_is_checked_when_set(method: str, tmp_path: Path) -> None:
    opt = option(method, "ca_bundle")
    not_pem = tmp_path / "notes.txt"
    not_pem.write_text("not a certificate\n")
    assert opt.validate(str(tmp_path)) == (
        f"ca_bundle must be a CA file ({tmp_path} is not a readable file) (got '{tmp_path}')"
    )
    assert "is not a readable file" in (opt.validate(str(tmp_path / "nope.pem")) or "")
    assert "must be a file of PEM certificates" in (opt.validate(str(not_pem)) or "")
    assert "must be a CA file" in (opt.validate("/dev/zero") or "")


def test_a_real_ca_bundle_passes(tmp_path: Path) -> None:
    cert, _key = self_signed(tmp_path)
    assert option("oneroster-api", "ca_bundle").validate(str(cert)) is None
