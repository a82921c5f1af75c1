"""Issue 21 and 19 on screen: the dashboard's notes (paused, the window, a failing alert, the
rollover) and the wizard's email dialog, tested against a real SMTP server on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Button, Input, Static

from datasync_tui import pause
from datasync_tui.paths import DataDir
from datasync_tui.store import config
from datasync_tui.ui.dashboard.notes_panel import NotesPanel
from datasync_tui.ui.dashboard.screen import DashboardScreen
from datasync_tui.ui.setup.email import EmailScreen
from datasync_tui.ui.setup.screen import SetupScreen
from tests.helpers.alerts import rollover_district
from tests.helpers.app import AppFactory, connect_and_sync, settle
from tests.helpers.bundles import write_bundle
from tests.helpers.smtp import SmtpServer


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """A plain SMTP server on 127.0.0.1, stopped after the test."""
    server = SmtpServer().start()
    yield server
    server.stop()


def notes_text(app: object) -> str:
    """What the dashboard's notes say ('' when hidden)."""
    panel = app.screen.query_one(NotesPanel)  # type: ignore[attr-defined]
    return str(panel.render()) if panel.display else ""


async def test_the_dashboard_says_nothing_when_all_is_ordinary(
    make_app: AppFactory, synced: DataDir
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert notes_text(app) == ""


async def test_the_dashboard_shows_a_pause_and_an_adds_only_window(
    make_app: AppFactory, home: DataDir, bundle: Path
) -> None:
    connect_and_sync(home, bundle, adds_only_until="2026-12-20")
    pause.pause(home, "2026-12-01")
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        text = notes_text(app)
        assert "Paused: scheduled syncs are paused until 2026-12-01 (inclusive)" in text
        assert "Adds-only window until 2026-12-20: syncs hold every removal." in text
        pause.resume(home)
        app.reload()
        await settle(pilot)
        assert "Paused" not in notes_text(app) and "Adds-only window" in notes_text(app)


async def test_the_dashboard_shows_a_failing_alert_channel(
    make_app: AppFactory, home: DataDir, bundle: Path
) -> None:
    connect_and_sync(home, bundle, smtp_url="smtp://127.0.0.1:9", notify_email="it@x.org")
    state = {
        "channels": {
            "email": {
                "ok": False,
                "where": "smtp://127.0.0.1:9",
                "answer": "Connection refused",
                "at": "2026-11-28T02:00:45Z",
                "event": "held",
            }
        }
    }
    (home.root / "alerts.json").write_text(json.dumps(state))
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        assert "Alerts: the last held alert by email failed (Connection refused)." in notes_text(
            app
        )


async def test_the_dashboard_previews_the_rollover(
    make_app: AppFactory, home: DataDir, work: Path
) -> None:
    connect_and_sync(home, write_bundle(work / "rollover.zip", rollover_district()))
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        text = notes_text(app)
    assert "Rollover: Spring starts 2026-12-07." in text
    assert "Classes ending before it: 2 · starting with it: 1" in text
    assert "Active students with no class in it yet: 15" in text


async def test_the_connection_page_changes_email_alerts_keeping_the_password(
    make_app: AppFactory, home: DataDir, bundle: Path, smtp: SmtpServer
) -> None:
    connect_and_sync(
        home, bundle, smtp_url=smtp.url, notify_email="it@lincoln.org", smtp_password="s3cret"
    )
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("c", "enter")  # the saved source, filled in
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SetupScreen) and screen.step == "options"
        await pilot.press("ctrl+n")  # the check
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert screen.step == "confirm"
        summary = screen.query_one("#email-summary", Static)
        assert str(summary.render()) == f"Email alerts to it@lincoln.org via {smtp.url}"
        await pilot.click("#email-open")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, EmailScreen)
        assert dialog.query_one("#email-notify_email", Input).value == "it@lincoln.org"
        dialog.query_one("#email-notify_email", Input).value = "it@lincoln.org, ops@lincoln.org"
        dialog.query_one("#email-test", Button).press()
        await pilot.pause()
        await settle(pilot)
        assert len(smtp.received) == 1 and "test message" in smtp.received[0].subject
        dialog.query_one("#email-save", Button).press()
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("ctrl+n")  # Save and sync
        await settle(pilot)
    saved = config.load(home)
    assert saved is not None
    assert saved.settings["notify_email"] == "it@lincoln.org, ops@lincoln.org"
    assert saved.all_settings()["smtp_password"] == "s3cret"  # kept, never retyped


async def test_the_wizard_sets_and_tests_email_alerts(
    make_app: AppFactory, home: DataDir, bundle: Path, smtp: SmtpServer
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SetupScreen)
        await pilot.press(*"csv", "enter", *bundle.name, "enter")
        await settle(pilot)
        await pilot.press("ctrl+n")
        assert screen.step == "confirm"
        summary = screen.query_one("#email-summary", Static)
        assert str(summary.render()) == "Email alerts: off"
        await pilot.click("#email-open")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, EmailScreen)
        dialog.query_one("#email-smtp_url", Input).value = "ftp://nowhere"
        dialog.query_one("#email-test", Button).press()
        await pilot.pause()
        answer = dialog.query_one("#email-answer", Static)
        assert "smtp_url must be smtp://host[:port]" in str(answer.render())
        dialog.query_one("#email-smtp_url", Input).value = smtp.url
        dialog.query_one("#email-notify_email", Input).value = "it@lincoln.org"
        dialog.query_one("#email-digest_at", Input).value = "07:00"
        dialog.query_one("#email-test", Button).press()
        await pilot.pause()
        await settle(pilot)
        assert str(answer.render()) == "✓ sent: 250 2.0.0 queued as T35T"
        assert len(smtp.received) == 1 and "test message" in smtp.received[0].subject
        dialog.query_one("#email-save", Button).press()
        await settle(pilot)
        assert app.screen is screen
        assert str(summary.render()) == (
            f"Email alerts to it@lincoln.org via {smtp.url}, digest at 07:00"
        )
        await pilot.press("ctrl+n")  # Connect and sync
        await settle(pilot)
    saved = config.load(home)
    assert saved is not None
    assert saved.settings["smtp_url"] == smtp.url
    assert saved.settings["notify_email"] == "it@lincoln.org"
    assert saved.settings["digest_at"] == "07:00"
