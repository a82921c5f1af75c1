"""Fix files from the Validations page: the key, the prompt, the worker, the preview, proposals."""

from __future__ import annotations

import html
import re
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from datasync_tui.paths import DataDir
from datasync_tui.ui.commands import page_commands
from datasync_tui.ui.validations import ValidationsScreen
from datasync_tui.ui.validations.fix_dialog import FixFilesDialog, FixPreviewDialog
from tests.helpers.app import AppFactory, connect_and_sync, no_blink, settle
from tests.helpers.bundles import write_bundle
from tests.helpers.validations import messy_district

PATTERN = "student={given}.{family}{n}@students.lincoln.org;teacher={given1}{family}@lincoln.org"
STAMP = "2026-11-28-050000"  # the UI tests' clock


@pytest.fixture
def patterned(home: DataDir, work: Path) -> DataDir:
    """The messy district, synced, with email_pattern and email_domains set."""
    bundle = write_bundle(work / "messy.zip", messy_district())
    connect_and_sync(home, bundle, email_pattern=PATTERN, email_domains="lincoln.org")
    return home


async def open_page(pilot: Pilot[object]) -> ValidationsScreen:
    """The Validations page with its workers done."""
    await settle(pilot)
    await pilot.press("v")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ValidationsScreen)
    return screen


def detail(pilot: Pilot[object]) -> str:
    """What the record's detail shows."""
    return str(pilot.app.screen.query_one("#validations-detail", Static).render())


async def test_write_a_gam_file(make_app: AppFactory, patterned: DataDir, work: Path) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        page = await open_page(pilot)
        binding = page.active_bindings["g"]
        assert binding.binding.description == "Fix files" and binding.binding.show
        assert binding.enabled
        palette = {title: help_text for title, help_text, _ in page_commands(app, page)}
        assert palette["Fix files"].startswith("Validations · key g")
        await pilot.press("g")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, FixFilesDialog)
        assert dialog.query_one(Input).value == f"data/exports/classroom-{STAMP}.gam"
        await pilot.press("enter")
        await settle(pilot)
        preview = app.screen
        assert isinstance(preview, FixPreviewDialog)
        written = work / "data" / "exports" / f"classroom-{STAMP}.gam"
        assert written.is_file()
        where = str(preview.query_one("#validations-fix-where", Static).render())
        assert where == f"Written to data/exports/classroom-{STAMP}.gam"
        counts = str(preview.query_one("#validations-fix-counts", Static).render())
        assert counts.startswith("3 courses to create, 3 teacher and 3 student lists to sync.")
        assert any(line.startswith("# GAM batch file") for line in preview.lines)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is page


async def test_other_kinds_and_bad_paths(
    make_app: AppFactory, patterned: DataDir, work: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_page(pilot)
        await pilot.press("g")
        await settle(pilot)
        await pilot.click("#validations-fix-classroom")
        field = app.screen.query_one(Input)
        assert field.value == f"data/exports/classroom-{STAMP}"
        field.value = str(work / "missing" / "folder")
        await pilot.click("#validations-fix-go")
        await settle(pilot)
        problem = str(app.screen.query_one("#validations-fix-problem", Static).render())
        assert "does not exist (create it first)" in problem
        assert isinstance(app.screen, FixFilesDialog)
        field.value = "rosters"
        field.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FixPreviewDialog), str(
            app.screen.query_one("#validations-fix-problem", Static).render()
        )
        assert (work / "rosters" / "courses.csv").is_file()
        assert (work / "rosters" / "members.csv").is_file()
        await pilot.press("escape")
        await pilot.press("g")
        await settle(pilot)
        await pilot.click("#validations-fix-emails")
        assert app.screen.query_one(Input).value == f"data/exports/email-proposals-{STAMP}.csv"
        await pilot.click("#validations-fix-go")
        await settle(pilot)
        assert isinstance(app.screen, FixPreviewDialog)
        assert app.screen.lines[0].startswith("sourcedId,name,role,issue")


def on_screen(pilot: Pilot[object]) -> str:
    """The text the terminal shows, line by line (read from the app's own screenshot)."""
    rows: dict[float, list[str]] = {}
    svg = pilot.app.export_screenshot()
    for y, text in re.findall(r'<text[^>]*?y="([\d.]+)"[^>]*>(.*?)</text>', svg):
        rows.setdefault(float(y), []).append(html.unescape(text))
    return "\n".join("".join(rows[y]).replace("\xa0", " ") for y in sorted(rows))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_proposal_beside_the_issue(
    make_app: AppFactory, patterned: DataDir, size: tuple[int, int]
) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await open_page(pilot)
        await pilot.press("down")  # Students and teachers without an email
        await settle(pilot)
        assert "stu0" in detail(pilot)
        assert "Proposed: ann0.smith@students.lincoln.org" in detail(pilot)
        # On screen, above the footer: the hint and the proposal, whole.
        shown = on_screen(pilot).splitlines()
        assert any(line.strip().startswith("Fix: ") for line in shown[:-1]), shown
        assert any("Proposed: ann0.smith@students.lincoln.org" in line for line in shown[:-1])
        await pilot.press("down")  # Emails that are not valid addresses: stu1
        await settle(pilot)
        assert "Proposed: ann1.smith@students.lincoln.org" in detail(pilot)


async def test_no_pattern_says_how(make_app: AppFactory, messy: DataDir) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_page(pilot)
        await pilot.press("down")
        await settle(pilot)
        assert "Proposed: none yet: set the email_pattern option" in detail(pilot)


async def test_a_failure_is_told(
    make_app: AppFactory, patterned: DataDir, work: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datasync_tui.fix.files import FixError
    from datasync_tui.ui.validations import fix_action

    def broken(*_: object) -> None:
        raise FixError("/x/classroom.gam: cannot write the file (No space left on device)")

    monkeypatch.setattr(fix_action, "write_fix", broken)
    app = make_app()
    seen: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        page = await open_page(pilot)
        original = app.notify
        app.notify = lambda message, *a, **kw: (seen.append(message), original(message, *a, **kw))  # type: ignore[method-assign]
        await pilot.press("g")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is page
        assert "No space left on device" in seen[-1]
        assert page.check_action("fix_files", ()) is True


Steps = Callable[[Pilot[object]], Awaitable[None]]


def preview_steps() -> Steps:
    """Open the page, write the GAM file with the default path, stop on the preview."""

    async def run(pilot: Pilot[object]) -> None:
        await settle(pilot)
        for key in ("v", "g", "enter"):
            await pilot.press(key)
            await settle(pilot)
        # The page clears its "Writing …" toast when the file is written; a toast still fading
        # out at that moment would make the picture depend on timing.
        pilot.app.clear_notifications()
        while any(screen.query("Toast") for screen in pilot.app.screen_stack):
            await pilot.pause()  # until the toast has left every screen's rack
        await settle(pilot)
        no_blink(pilot)

    return run


@pytest.mark.parametrize(
    "size", [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
)
def test_preview_snapshot(
    snap_compare, make_app: AppFactory, patterned: DataDir, size: tuple[int, int]
) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=preview_steps())


def test_prompt_snapshot(snap_compare, make_app: AppFactory, patterned: DataDir) -> None:
    async def run(pilot: Pilot[object]) -> None:
        await settle(pilot)
        for key in ("v", "g"):
            await pilot.press(key)
            await settle(pilot)
        no_blink(pilot)

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run)
