"""Pilot flows of the Validations page: rules, records, Explore, export, domains, busy lock."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, Static

from datasync_tui.paths import DataDir
from datasync_tui.store import config
from datasync_tui.sync import run_sync
from datasync_tui.sync.lock import FileLock
from datasync_tui.ui.app import DataSyncApp
from datasync_tui.ui.explore.domains import DomainsScreen
from datasync_tui.ui.explore.record import RecordScreen
from datasync_tui.ui.explore.screen import ExploreScreen
from datasync_tui.ui.validations import ValidationsScreen
from datasync_tui.ui.validations.dialogs import DomainsDialog, ExportDialog
from datasync_tui.ui.validations.issue_table import IssueTable
from datasync_tui.ui.validations.rule_list import RuleList
from tests.helpers.app import AppFactory, fix_run_times, settle
from tests.helpers.bundles import write_bundle
from tests.helpers.validations import EMAIL, messy_district

MESSY_RULES = [
    "class-without-teacher",
    "user-without-email",
    "email-invalid",
    "email-duplicate",
    "teacher-without-classes",
]


def notes(app: DataSyncApp) -> list[str]:
    """Every notification the app shows, in order (title and message)."""
    seen: list[str] = []
    original = app.notify

    def record(message: str, *args: object, **kw: object) -> None:
        seen.append(f"{kw.get('title') or ''}: {message}")
        original(message, *args, **kw)  # type: ignore[arg-type]

    app.notify = record  # type: ignore[method-assign]
    return seen


def text(app: DataSyncApp, selector: str) -> str:
    """What a Static of the current screen shows."""
    return str(app.screen.query_one(selector, Static).render())


async def open_validations(pilot: Pilot[int]) -> ValidationsScreen:
    """From the dashboard to the Validations page, workers done."""
    await settle(pilot)
    await pilot.press("v")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ValidationsScreen)
    return screen


def rule_ids(screen: ValidationsScreen) -> list[str | None]:
    """The option ids of the rule list, headings included."""
    rules = screen.query_one(RuleList)
    return [rules.get_option_at_index(i).id for i in range(rules.option_count)]


async def highlight(pilot: Pilot[int], rule: str) -> IssueTable:
    """Move the rule list's highlight to a rule with the arrow keys and wait for its records."""
    screen = pilot.app.screen
    rules = screen.query_one(RuleList)
    rules.focus()
    for _ in range(rules.option_count):
        if rules.highlighted_rule == rule:
            break
        await pilot.press("down")
    assert rules.highlighted_rule == rule
    await settle(pilot)
    return screen.query_one(IssueTable)


async def test_rules_by_severity_with_counts_and_the_dry_run(
    make_app: AppFactory, messy: DataDir
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_validations(pilot)
        ids = rule_ids(screen)
        assert ids[0] == "sev-error"
        assert [i for i in ids if i and not i.startswith("sev-")] == MESSY_RULES
        assert ids.index("sev-warning") > ids.index("email-duplicate")
        summary = text(app, "#validations-summary")
        assert "Sync #1: 5 errors · 1 warning to fix in the SIS" in summary
        dry = text(app, "#validations-classroom")
        assert "3 classes would be created" in dry
        assert "1 class skipped (no active teacher: 1)" in dry
        assert "4 users would fail" in dry
        rules = screen.query_one(RuleList)
        lines = [str(rules.get_option_at_index(i).prompt) for i in range(rules.option_count)]
        assert any("Emails shared by several users" in line and " 2 " in line for line in lines)
        assert any("not checked, no email domains set (press m)" in line for line in lines)


async def test_a_rule_lists_its_records_with_field_value_message_and_hint(
    make_app: AppFactory, messy: DataDir
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await open_validations(pilot)
        table = await highlight(pilot, "email-duplicate")
        assert table.row_count == 2
        assert [table.get_row_at(i)[1] for i in range(2)] == ["stu2", "stu3"]
        assert table.border_subtitle == "records 1–2 of 2 · ⏎ opens one"
        await pilot.press("enter")  # into the records
        assert app.focused is table
        await pilot.press("down")
        await settle(pilot)
        detail = text(app, "#validations-detail")
        assert "stu3 · users · email = 'ann2.smith@students.lincoln.org'" in detail
        assert "Fix: " in detail and table.current_issue is not None
        assert table.current_issue.hint in detail.replace("\n", " ")
        await pilot.press("enter")  # to the record in Explore
        await settle(pilot)
        assert isinstance(app.screen, RecordScreen)
        assert app.screen.record is not None and app.screen.record.sourced_id == "stu3"
        assert app.explore_topic == "students"
        await pilot.press("escape")  # back to Validations, where the record was opened from
        await settle(pilot)
        assert isinstance(app.screen, ValidationsScreen)
        assert app.screen.query_one(IssueTable).current_issue.sourcedId == "stu3"  # type: ignore[union-attr]
        await pilot.press("e")  # Explore kept the record's topic, narrowed to it
        await settle(pilot)
        assert isinstance(app.screen, ExploreScreen) and app.explore_topic == "students"


async def test_records_come_a_keyset_page_at_a_time(make_app: AppFactory, crowded: DataDir) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_validations(pilot)
        table = await highlight(pilot, "user-without-email")
        assert (table.row_count, table.border_subtitle) == (
            100,
            "records 1–100 of 250 · ⏎ opens one",
        )
        await pilot.press("enter")
        table.move_cursor(row=99)
        await pilot.press("down")  # past the last row: the next page
        await settle(pilot)
        assert (table.row_count, table.border_subtitle) == (
            100,
            "records 101–200 of 250 · ⏎ opens one",
        )
        assert table.cursor_row == 0
        await pilot.press("ctrl+end")
        await settle(pilot)
        assert (table.row_count, table.border_subtitle) == (
            100,
            "records 151–250 of 250 · ⏎ opens one",
        )
        assert table.cursor_row == 99
        assert table.current_issue is not None and table.current_issue.sourcedId == "stu99"
        await pilot.press("down")  # nothing after the last page
        await settle(pilot)
        assert table.border_subtitle == "records 151–250 of 250 · ⏎ opens one"
        table.move_cursor(row=0)
        await pilot.press("up")  # above the first row: the page before
        await settle(pilot)
        assert table.border_subtitle == "records 51–150 of 250 · ⏎ opens one"
        assert table.cursor_row == 99
        await pilot.press("ctrl+home")
        await settle(pilot)
        assert table.border_subtitle == "records 1–100 of 250 · ⏎ opens one"
        await pilot.press("up")  # nothing before the first page
        await settle(pilot)
        assert table.border_subtitle == "records 1–100 of 250 · ⏎ opens one"


async def test_x_exports_every_issue_to_the_default_path(
    make_app: AppFactory, messy: DataDir
) -> None:
    app = make_app()
    seen = notes(app)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_validations(pilot)
        await pilot.press("x")
        assert isinstance(app.screen, ExportDialog)
        field = app.screen.query_one(Input)
        assert field.value == "data/exports/validation-issues-2026-11-28-050000.csv"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ValidationsScreen)
        path = messy.exports / "validation-issues-2026-11-28-050000.csv"
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
        assert len(rows) == 6
        assert {r["rule"] for r in rows} == set(MESSY_RULES)
        assert any(
            "6 issues written to data/exports/validation-issues-2026-11-28-050000.csv" in n
            for n in seen
        )
        assert not app.screen.query_one("#validations-exporting").display


async def test_export_of_one_rule_to_a_typed_json_path(
    make_app: AppFactory, messy: DataDir, tmp_path: Path
) -> None:
    app = make_app()
    seen = notes(app)
    target = tmp_path / "out" / "dupes.json"
    async with app.run_test(size=(100, 40)) as pilot:
        await open_validations(pilot)
        await highlight(pilot, "email-duplicate")
        await pilot.press("X")
        assert isinstance(app.screen, ExportDialog)
        assert "the 2 issues of “Emails shared by several users”" in str(
            app.screen.query_one(".dialog-title", Static).render()
        )
        app.screen.query_one(Input).value = "notes.txt"
        await pilot.press("enter")
        problem = str(app.screen.query_one("#validations-export-problem", Static).render())
        assert "must end in .csv or .json" in problem
        assert isinstance(app.screen, ExportDialog)  # still asking
        app.screen.query_one(Input).value = str(target)
        await pilot.press("enter")
        problem = str(app.screen.query_one("#validations-export-problem", Static).render())
        assert f"{target.parent}: no such folder" in problem  # an export makes no folder
        assert isinstance(app.screen, ExportDialog)
        target.parent.mkdir()
        await pilot.press("enter")
        await settle(pilot)
        records = json.loads(target.read_text("utf-8"))
        assert [(r["rule"], r["sourcedId"], r["field"]) for r in records] == [
            ("email-duplicate", "stu2", "email"),
            ("email-duplicate", "stu3", "email"),
        ]
        assert any(f"2 issues written to {target}" in n for n in seen)


async def test_email_domains_edited_and_the_rules_run_again(
    make_app: AppFactory, messy: DataDir
) -> None:
    before = config.load(messy)
    assert before is not None
    app = make_app()
    seen = notes(app)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_validations(pilot)
        assert "email-outside-domain" not in rule_ids(screen)
        await pilot.press("m")  # the email domains, as on every page
        await settle(pilot)
        assert isinstance(app.screen, DomainsScreen)
        await pilot.press("ctrl+e")  # edit the expected ones
        assert isinstance(app.screen, DomainsDialog)
        app.screen.query_one(Input).value = "lincoln"
        await pilot.press("enter")
        assert isinstance(app.screen, DomainsDialog)  # still asking, and saying why
        problem = str(app.screen.query_one("#validations-domains-problem", Static).render())
        assert "not a domain: lincoln" in problem
        app.screen.query_one(Input).value = "Lincoln.org, @students.lincoln.org"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DomainsScreen)  # counted again against the new domains
        assert "Expected: lincoln.org, students.lincoln.org" in text(app, "#domains-title")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ValidationsScreen)
        after = config.load(messy)
        assert after is not None
        assert after.settings["email_domains"] == "lincoln.org,students.lincoln.org"
        assert after.connection_id == before.connection_id
        assert "email-outside-domain" in rule_ids(screen)
        table = await highlight(pilot, "email-outside-domain")
        assert [table.get_row_at(i)[1] for i in range(table.row_count)] == ["stu4"]
        summary = text(app, "#validations-summary")
        assert "6 errors" in summary and "lincoln.org, students.lincoln.org" in summary
        assert any("the rules ran again" in n for n in seen)


async def test_a_busy_writer_lock_is_told_and_nothing_is_saved(
    make_app: AppFactory, messy: DataDir
) -> None:
    app = make_app()
    seen = notes(app)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_validations(pilot)
        with FileLock(messy.sync_lock):
            await pilot.press("m")
            await settle(pilot)
            await pilot.press("ctrl+e")
            app.screen.query_one(Input).value = "lincoln.org"
            await pilot.press("enter")
            await settle(pilot)
        saved = config.load(messy)
        assert saved is not None and "email_domains" not in saved.settings
        assert any(n.startswith(": Email domains not saved: another sync") for n in seen), seen
        await pilot.press("escape")
        await settle(pilot)
        assert "domains (m): none set" in text(app, "#validations-summary")


async def test_empty_states_say_what_to_do(
    make_app: AppFactory, home: DataDir, bundle: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("escape", "v")
        await settle(pilot)
        assert "press c to connect your SIS" in text(app, "#validations-summary")
    config.save(
        home, config.Connection(method="oneroster-csv", vendor=None, settings={"path": str(bundle)})
    )
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_validations(pilot)
        assert "No data yet — press r to run a sync" in text(app, "#validations-summary")


async def test_a_clean_district_has_nothing_to_report(
    make_app: AppFactory, synced: DataDir
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_validations(pilot)
        assert "Sync #1 found nothing to report: every rule passes" in text(
            app, "#validations-summary"
        )
        assert "4 classes would be created · 0 classes skipped · 0 users would fail" in text(
            app, "#validations-classroom"
        )
        assert not screen.query_one(IssueTable).display
        assert "Nothing to fix" in text(app, "#validations-detail")
        await pilot.press("X")  # no rule with issues: nothing happens
        assert app.screen is screen


async def test_dashboard_shows_open_issues_by_severity(
    make_app: AppFactory, messy: DataDir
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        facts = text(app, "#sync-facts")
        assert "Validation issues" in facts
        assert "5 errors · 1 warning — press v" in facts


async def test_new_and_resolved_since_the_previous_sync(
    make_app: AppFactory, messy: DataDir, work: Path
) -> None:
    rows = messy_district()
    rows["users"][1][EMAIL] = "ann0.smith@students.lincoln.org"  # stu0 fixed
    rows["users"][6][EMAIL] = "ann5 smith@students.lincoln.org"  # stu5 broken
    write_bundle(work / "messy.zip", rows)
    assert run_sync(messy).status == "succeeded"
    fix_run_times(messy)
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_validations(pilot)
        rules = screen.query_one(RuleList)
        lines = {
            rules.get_option_at_index(i).id: str(rules.get_option_at_index(i).prompt)
            for i in range(rules.option_count)
        }
        assert lines["user-without-email"].split()[-4:] == ["0", "0", "−1", "█▁"]
        assert lines["email-invalid"].split()[-4:] == ["2", "+1", "0", "▅█"]
        assert "Sync #2" in text(app, "#validations-summary")
        table = await highlight(pilot, "email-invalid")
        marks = {table.get_row_at(i)[1]: table.get_row_at(i)[0] for i in range(table.row_count)}
        assert marks == {"stu1": "", "stu5": "new"}
        await highlight(pilot, "user-without-email")
        assert not table.display
        assert "No open issues; 1 resolved since the previous sync: stu0 (email)." in text(
            app, "#validations-detail"
        )


async def test_keys_are_in_the_help_and_the_palette(make_app: AppFactory, messy: DataDir) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_validations(pilot)
        keys = dict(app.page_keys(screen))
        assert keys["x"] == "Export issues"
        assert keys["X"] == "Export rule"
        assert keys["m"] == "Email domains"
        assert [title for title, _, _ in screen.palette_commands()] == ["Open record in Explore"]
        await pilot.press("ctrl+p")
        await pilot.press(*"email")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DomainsScreen)


async def test_export_reports_progress_from_its_worker(
    make_app: AppFactory, messy: DataDir, tmp_path: Path
) -> None:
    posted: list[str] = []
    app = make_app()
    async with app.run_test(
        size=(100, 40), message_hook=lambda m: posted.append(type(m).__name__)
    ) as pilot:
        await open_validations(pilot)
        await pilot.press("x")
        app.screen.query_one(Input).value = str(tmp_path / "all.csv")
        await pilot.press("enter")
        await settle(pilot)
    assert "ExportProgressed" in posted
    assert posted.index("ExportProgressed") < posted.index("ExportFinished")
    assert (tmp_path / "all.csv").read_text("utf-8-sig").count("\n") == 7  # header + 6
