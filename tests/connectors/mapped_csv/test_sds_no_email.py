"""SDS classic carries usernames, not emails: one issue with the fix instead of one per user, and
a Classroom dry run that says why no class would be created and what would change that."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from datasync_tui.paths import DataDir
from datasync_tui.store import config
from datasync_tui.sync import run_sync
from datasync_tui.ui.explore.screen import ExploreScreen
from datasync_tui.ui.validations import ValidationsScreen
from datasync_tui.ui.validations.issue_table import IssueTable
from tests.helpers.app import AppFactory, settle
from tests.helpers.cli import CliRunner
from tests.helpers.mapped_csv import PERSON, sample, sds, write_csv

STUDENTS = 6


def usernames_only(folder: Path) -> Path:
    """An SDS classic folder whose people have sign-in names (no @), as SDS exports do."""
    sds(folder)
    students = [[str(100 + i), "1", f"Al{i}", "Bo", f"ABo{i}", "pw"] for i in range(STUDENTS)]
    write_csv(folder, "Student.csv", PERSON, students)
    write_csv(folder, "Teacher.csv", PERSON, [["200", "1", "Cy", "Di", "CDi", "pw"]])
    write_csv(folder, "StudentEnrollment.csv", ["Section SIS ID", "SIS ID"],
              [["10", s[0]] for s in students])  # fmt: skip
    return folder


def issues(cli: CliRunner) -> list[dict]:
    """`validate --json` issues."""
    out = cli("validate", "--json")
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)["issues"]


def test_usernames_as_emails_are_one_issue_with_the_fix(tmp_path: Path, cli: CliRunner) -> None:
    folder = usernames_only(tmp_path / "sds")
    assert cli("connect", "csv", "--set", f"path={folder}", "--set",
               "email_domains=x.org").returncode == 0  # fmt: skip
    assert cli("sync").returncode == 0
    found = [i for i in issues(cli) if i["rule"] == "email-invalid"]
    assert len(found) == 1 and found[0]["sourcedId"] == ""
    assert (
        f"{STUDENTS + 1} users have their username where the email belongs" in found[0]["message"]
    )
    assert "template" in found[0]["message"] and "users.email=" in found[0]["message"]
    text = cli("validate").stdout
    assert "No class would be created: 1 of 1 have no teacher with a usable email." in text
    assert "Teachers' emails are usernames (e.g. 'ABo0')" in text
    assert "TeacherRoster.csv:enrollments.primary=const:true" in text


def test_the_primary_flag_from_the_hint_takes(tmp_path: Path, cli: CliRunner) -> None:
    folder = usernames_only(tmp_path / "sds")
    columns = "columns=TeacherRoster.csv:enrollments.primary=const:true"
    assert cli("connect", "csv", "--set", f"path={folder}", "--set", columns).returncode == 0
    assert cli("sync").returncode == 0
    assert "class-without-primary-teacher" not in {i["rule"] for i in issues(cli)}
    assert "marked primary" not in cli("validate").stdout


def test_the_real_sds_sample_gives_one_email_issue(tmp_path: Path, cli: CliRunner) -> None:
    folder = sample("SDS Format/100 Users")
    assert cli("connect", "csv", "--set", f"path={folder}").returncode == 0
    assert cli("sync").returncode == 0
    found = [i for i in issues(cli) if i["rule"] == "email-invalid"]
    assert len(found) == 1 and found[0]["message"].startswith("98 users have their username")


@pytest.fixture
def usernames(home: DataDir, work: Path) -> DataDir:
    """A data dir synced from the SDS folder of usernames."""
    folder = usernames_only(work / "sds")
    settings = {"path": str(folder), "email_domains": "x.org"}
    config.save(home, config.Connection(method="csv", vendor=None, settings=settings))
    assert run_sync(home).status == "succeeded"
    return home


async def test_the_page_explains_and_enter_lists_those_users(
    make_app: AppFactory, usernames: DataDir
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ValidationsScreen)
        dry = str(screen.query_one("#validations-classroom").render())
        assert "No class would be created" in dry and "emails are usernames" in dry
        assert screen.query_one(IssueTable).current_issue.sourcedId == ""  # type: ignore[union-attr]
        await pilot.press("enter", "enter")  # into the records, then the one record
        await settle(pilot)
        explore = app.screen
        assert isinstance(explore, ExploreScreen) and explore.pager is not None
        assert explore.pager.total == STUDENTS + 1  # every user the issue counts
