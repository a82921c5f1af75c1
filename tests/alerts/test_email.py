"""Email alerts from real syncs to a real SMTP server on 127.0.0.1: each episode once."""

from __future__ import annotations

import json
import time
from pathlib import Path

from datasync_tui.alerts import send_test
from datasync_tui.alerts.event import host_name
from datasync_tui.status import collect
from datasync_tui.sync import run_sync
from tests.helpers.alerts import connect
from tests.helpers.bundles import district, write_bundle
from tests.helpers.daemon import Hook
from tests.helpers.smtp import PASSWORD, USER, SilentServer, SmtpServer, free_port
from tests.helpers.tls import server_context

TO = "it-alerts@district.example.org"


def test_a_hold_is_announced_once_and_its_end_once(
    tmp_path: Path, data_dir: Path, smtp: SmtpServer
) -> None:
    hook = Hook().start()
    try:
        bundle = write_bundle(tmp_path / "b")
        dd = connect(data_dir, bundle, smtp_url=smtp.url, notify_email=TO, notify_url=hook.url)
        assert run_sync(dd).status == "succeeded"
        assert smtp.received == []  # a first sync, nothing wrong: nothing to say
        write_bundle(bundle, district(students=10))  # 10 of 20 students gone: held
        held = run_sync(dd)
        assert held.status == "held"
        assert len(smtp.received) == 1
        mail = smtp.received[0]
        assert (
            mail.subject
            == f"[DataSync {host_name()}] sync held: 10 students would be removed (50%)"
        )
        assert mail.recipients == [TO]
        body = mail.body
        assert f"Sync #{held.run_id} was held: nothing was applied" in body
        assert "It would remove:\n- 10 of 21 users (48%)\n    10 of 20 students\n" in body
        assert "- 40 of 84 enrollments (48%)" in body
        assert "datasync-tui changes" in body and "datasync-tui sync --force" in body
        assert f"Data dir: {data_dir}" in body
        assert mail.message.get_content_type() == "text/plain"
        lines = [line for line in body.splitlines() if not line.startswith("Data dir:")]
        assert max(len(line) for line in lines) <= 72  # a phone's width

        # The same figures again (the daily retry of a source still short): no new mail.
        assert run_sync(dd).status == "held"
        assert len(smtp.received) == 1

        # The source is whole again: one mail says the hold is over.
        write_bundle(bundle, district())
        assert run_sync(dd).status == "succeeded"
        assert len(smtp.received) == 2
        assert smtp.received[1].subject.endswith(
            f"sync succeeded again after a held sync (#{held.run_id}, not applied)"
        )
        assert [doc["event"] for doc in hook.received] == ["held", "recovered"]
        assert hook.received[0]["removed"]["users"] == {"removed": 10, "of": 21, "pct": 47.6}
    finally:
        hook.stop()


def test_failures_are_announced_once_and_the_recovery_once(
    tmp_path: Path, data_dir: Path, smtp: SmtpServer
) -> None:
    bundle = write_bundle(tmp_path / "b")
    dd = connect(data_dir, bundle, smtp_url=smtp.url, notify_email=TO)
    assert run_sync(dd).status == "succeeded"
    bundle.rename(tmp_path / "gone")
    for _ in range(3):
        assert run_sync(dd).status == "failed"
    assert len(smtp.received) == 1
    assert "sync failed: " in smtp.received[0].subject
    assert "the data from the last good sync is kept" in smtp.received[0].body
    (tmp_path / "gone").rename(bundle)
    assert run_sync(dd).status == "succeeded"
    assert len(smtp.received) == 2
    assert smtp.received[1].subject.endswith("sync succeeded again after 3 failures")


def test_new_validation_errors_are_announced_with_the_top_rules(
    tmp_path: Path, data_dir: Path, smtp: SmtpServer
) -> None:
    bundle = write_bundle(tmp_path / "b")
    dd = connect(data_dir, bundle, smtp_url=smtp.url, notify_email=TO)
    assert run_sync(dd).status == "succeeded"
    rows = district()
    for row in rows["users"][1:4]:  # three students lose their email
        row[12] = ""
    write_bundle(bundle, rows)
    run = run_sync(dd)
    assert run.status == "succeeded"
    assert [m.subject.split("] ")[1] for m in smtp.received] == [
        f"3 new validation errors after sync #{run.run_id}"
    ]
    assert "- user-without-email: 3 new (3 open)" in smtp.received[0].body
    assert run_sync(dd).status == "succeeded"  # the same errors: not new any more
    assert len(smtp.received) == 1


def test_starttls_with_a_self_signed_certificate_needs_ca_bundle(
    tmp_path: Path, data_dir: Path, tls_smtp: SmtpServer, certificate: tuple[Path, Path]
) -> None:
    bundle = write_bundle(tmp_path / "b")
    common = {
        "smtp_url": tls_smtp.url,
        "smtp_user": USER,
        "smtp_password": PASSWORD,
        "notify_email": TO,
    }
    dd = connect(data_dir, bundle, **common)
    refused = send_test(dd)
    assert [(a.channel, a.ok) for a in refused] == [("email", False)]
    assert "certificate" in refused[0].text and "ca_bundle" in refused[0].text
    assert tls_smtp.received == []

    dd = connect(data_dir, bundle, ca_bundle=str(certificate[0]), **common)
    sent = send_test(dd)
    assert [(a.channel, a.ok) for a in sent] == [("email", True)], sent
    assert sent[0].text == "250 2.0.0 queued as T35T"
    assert len(tls_smtp.received) == 1
    assert tls_smtp.received[0].sender == USER
    assert PASSWORD not in tls_smtp.handler.raw[0].decode()
    assert PASSWORD not in (data_dir / "logs" / "alerts.log").read_text()


def test_an_unreachable_server_never_fails_a_sync_and_costs_seconds_at_most(
    tmp_path: Path, data_dir: Path
) -> None:
    silent = SilentServer().start()
    try:
        bundle = write_bundle(tmp_path / "b")
        dd = connect(data_dir, bundle, smtp_url=f"smtp://127.0.0.1:{silent.port}", notify_email=TO)
        assert run_sync(dd).status == "succeeded"
        write_bundle(bundle, district(students=10))
        started = time.monotonic()
        held = run_sync(dd)
        elapsed = time.monotonic() - started
        assert held.status == "held"  # the result stands
        assert elapsed < 8, elapsed  # the alert waits 5 s at most
        doc = collect(dd)
        assert doc["last_attempt"]["status"] == "held"
        failure = doc["alerts"]["last_failure"]
        assert failure["channel"] == "email" and failure["event"] == "held"
        assert failure["answer"] == "no answer within 5s"
        assert failure["where"] == f"smtp://127.0.0.1:{silent.port}"
        log = (data_dir / "logs" / "alerts.log").read_text()
        assert "held alert NOT sent by email" in log
    finally:
        silent.stop()


def test_a_refused_connection_is_recorded_and_cleared_by_the_next_send(
    tmp_path: Path, data_dir: Path, smtp: SmtpServer
) -> None:
    bundle = write_bundle(tmp_path / "b")
    closed = f"smtp://127.0.0.1:{free_port()}"
    dd = connect(data_dir, bundle, smtp_url=closed, notify_email=TO)
    run_sync(dd)
    bundle.rename(tmp_path / "gone")
    started = time.monotonic()
    assert run_sync(dd).status == "failed"
    assert time.monotonic() - started < 5
    failure = collect(dd)["alerts"]["last_failure"]
    assert failure["answer"] == "Connection refused" and failure["event"] == "failed"
    state = json.loads((data_dir / "alerts.json").read_text())
    assert state["outcome"] == "failed"
    dd = connect(data_dir, tmp_path / "gone", smtp_url=smtp.url, notify_email=TO)
    assert run_sync(dd).status == "succeeded"  # recovery goes out on the working server
    assert collect(dd)["alerts"]["last_failure"] is None
    assert len(smtp.received) == 1


def test_smtps_is_verified_with_ca_bundle(
    tmp_path: Path, data_dir: Path, certificate: tuple[Path, Path]
) -> None:
    server = SmtpServer("smtps", server_context(*certificate)).start()
    try:
        bundle = write_bundle(tmp_path / "b")
        dd = connect(data_dir, bundle, smtp_url=server.url, notify_email=TO)
        [refused] = send_test(dd)
        assert not refused.ok and "not trusted" in refused.text
        dd = connect(
            data_dir, bundle, smtp_url=server.url, notify_email=TO, ca_bundle=str(certificate[0])
        )
        [sent] = send_test(dd)
        assert sent.ok, sent.text
        assert sent.where == server.url and len(server.received) == 1
    finally:
        server.stop()


def test_the_daemon_does_not_announce_again_what_its_child_did(
    tmp_path: Path, data_dir: Path, smtp: SmtpServer
) -> None:
    from datasync_tui.alerts import outcome_events
    from datasync_tui.daemon.child import Outcome

    bundle = write_bundle(tmp_path / "b")
    dd = connect(data_dir, bundle, smtp_url=smtp.url, notify_email=TO)
    run_sync(dd)
    bundle.rename(tmp_path / "gone")
    failed = run_sync(dd)  # what the daemon's child runs: the engine announces it
    assert len(smtp.received) == 1
    told = Outcome(status="failed", run_id=failed.run_id, error=failed.error)
    assert outcome_events(dd, told) == []  # the daemon hears of it after: nothing more
    crashed = Outcome(status="failed", error="the sync process ended with status -9")
    assert outcome_events(dd, crashed) == []  # still the same series of failures
