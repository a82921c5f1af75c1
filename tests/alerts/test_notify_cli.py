"""`datasync-tui notify --test` and the email options given to `connect --set`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from connectors.base import COMMON_OPTIONS
from datasync_tui.alerts.email import email_settings
from datasync_tui.alerts.webhook import where
from tests.helpers.alerts import connect
from tests.helpers.bundles import write_bundle
from tests.helpers.cli import CliRunner
from tests.helpers.daemon import Hook
from tests.helpers.smtp import PASSWORD, USER, SmtpServer, free_port

OPTIONS = {o.name: o for o in COMMON_OPTIONS}


def test_every_channel_answers(
    cli: CliRunner, data_dir: Path, tmp_path: Path, smtp: SmtpServer
) -> None:
    hook = Hook().start()
    try:
        connect(
            data_dir,
            write_bundle(tmp_path / "b"),
            smtp_url=smtp.url,
            notify_email="a@x.org, b@x.org",
            notify_url=hook.url,
        )
        out = cli("notify", "--test")
    finally:
        hook.stop()
    assert out.returncode == 0, out.stderr
    lines = sorted(out.stdout.splitlines())
    assert lines == [
        f"email ({smtp.url}): sent: 250 2.0.0 queued as T35T",
        f"notify_url ({where(hook.url)}): sent: HTTP 200 OK",
    ]
    assert smtp.received[0].recipients == ["a@x.org", "b@x.org"]
    assert "test message" in smtp.received[0].subject
    assert hook.received[0]["event"] == "test"
    assert "/hooks/" not in out.stdout  # a webhook's path is its secret


def test_a_failing_channel_exits_1_naming_it(
    cli: CliRunner, data_dir: Path, tmp_path: Path
) -> None:
    port = free_port()
    connect(
        data_dir,
        write_bundle(tmp_path / "b"),
        smtp_url=f"smtp://127.0.0.1:{port}",
        smtp_user=USER,
        smtp_password=PASSWORD,
        notify_email="a@x.org",
    )
    out = cli("notify", "--test")
    assert out.returncode == 1 and out.stdout == ""
    assert out.stderr.strip() == (
        f"datasync-tui: notify: email (smtp://127.0.0.1:{port}): Connection refused"
    )
    assert PASSWORD not in out.stderr
    status = json.loads(cli("status", "--json").stdout)
    assert status["alerts"]["channels"] == ["email"]
    assert status["alerts"]["last_failure"]["answer"] == "Connection refused"
    assert "Last test alert by email" in cli("status").stdout


def test_without_channels_or_flag(cli: CliRunner, data_dir: Path, tmp_path: Path) -> None:
    connect(data_dir, write_bundle(tmp_path / "b"))
    none = cli("notify", "--test")
    assert none.returncode == 1 and "no alert channel is set up" in none.stderr
    bare = cli("notify")
    assert bare.returncode == 2 and "--test" in bare.stderr


def test_plain_smtp_without_starttls_never_sends_the_password(
    data_dir: Path, tmp_path: Path, smtp: SmtpServer
) -> None:
    from datasync_tui.alerts import send_test

    dd = connect(
        data_dir,
        write_bundle(tmp_path / "b"),
        smtp_url=smtp.url,
        smtp_user=USER,
        smtp_password=PASSWORD,
        notify_email="a@x.org",
    )
    [answer] = send_test(dd)
    assert not answer.ok and "the password is not sent in clear" in answer.text
    assert smtp.received == []


@pytest.mark.parametrize(
    ("name", "value", "problem"),
    [
        ("smtp_url", "https://mail.x.org", "must be smtp://host[:port] or smtps://host[:port]"),
        ("smtp_url", "smtp://", "must be smtp://host[:port]"),
        ("smtp_url", "smtp://u:pw@mail.x.org", "put it in smtp_user and smtp_password"),
        ("smtp_url", "smtp://mail.x.org:99999", "must be smtp://host[:port]"),
        ("digest_at", "7am", "must be a time as HH:MM"),
        ("adds_only_until", "2026-13-01", "must be a date as YYYY-MM-DD"),
        ("adds_only_until", "1/9/2026", "must be a date as YYYY-MM-DD"),
        ("notify_email", "it@x.org; boss", "is not an email address"),
        ("notify_email", " , ", "at least one email address"),
    ],
)
def test_options_are_checked_when_set(name: str, value: str, problem: str) -> None:
    found = OPTIONS[name].validate(value)
    assert found is not None and problem in found
    assert ":pw@" not in found  # a password in a URL is never shown


def test_good_values_pass_and_make_an_email_channel() -> None:
    good = {
        "smtp_url": "smtps://mail.x.org",
        "smtp_user": "alerts",
        "notify_email": "a@x.org, b@y.org",
        "digest_at": "07:00",
        "adds_only_until": "2026-09-01",
    }
    assert all(OPTIONS[k].validate(v) is None for k, v in good.items())
    assert OPTIONS["smtp_password"].secret
    mail = email_settings(good)
    assert mail is not None and mail.where == "smtps://mail.x.org:465"
    assert mail.recipients == ("a@x.org", "b@y.org")
    assert email_settings({"smtp_url": "smtp://m.x.org"}) is None  # no recipients: off


def test_connect_takes_the_email_options(cli: CliRunner, data_dir: Path, tmp_path: Path) -> None:
    bundle = write_bundle(tmp_path / "b.zip")
    secret = tmp_path / "smtp.secret"
    secret.write_text(PASSWORD)
    out = cli(
        "connect",
        "oneroster-csv",
        "--set",
        f"path={bundle}",
        "--set",
        "smtp_url=smtp://mail.x.org",
        "--set",
        f"smtp_password=@{secret}",
        "--set",
        "notify_email=it@x.org",
    )
    assert out.returncode == 0, out.stderr
    assert PASSWORD not in (data_dir / "connection.json").read_text()
    assert json.loads((data_dir / "secrets.json").read_text())["smtp_password"] == PASSWORD
    bad = cli("connect", "oneroster-csv", "--set", f"path={bundle}", "--set", "digest_at=25:00")
    assert bad.returncode == 2 and "digest_at must be a time as HH:MM" in bad.stderr
