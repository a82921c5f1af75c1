"""The wizard for someone who never saw a CLI flag: messages in the form's words, folders that
are empty or of another format explained with the method that reads them, a custom mapping
file, and a Browse that starts at the typed path and goes anywhere readable."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DirectoryTree, Input, Label, Select, Static

import connectors.mapped_csv
from datasync_tui.paths import DataDir
from datasync_tui.store import config
from datasync_tui.ui.setup.mapping import CUSTOM, MappingStep
from datasync_tui.ui.setup.screen import SetupScreen
from datasync_tui.ui.widgets.path_input import PathPicker
from tests.helpers.app import AppFactory, settle
from tests.helpers.mapped_csv import sds, write_csv


def shown(app: object, selector: str) -> str:
    """What a Static of the current screen shows."""
    return str(app.screen.query_one(selector, Static).render())  # type: ignore[attr-defined]


async def choose(pilot, method: str, path: str) -> SetupScreen:  # type: ignore[no-untyped-def]
    """Pick a method by typing, type the path, Enter (the check or the mapping runs)."""
    await settle(pilot)
    await pilot.press(*method, "enter")
    await settle(pilot)
    await pilot.press(*path, "enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, SetupScreen)
    return screen


async def test_sif_messages_use_the_form_labels(make_app: AppFactory, home: DataDir) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press(*"sif", "enter")
        await settle(pilot)
        await pilot.press("ctrl+n")  # neither a folder nor a URL
        await settle(pilot)
        results = shown(app, "#check-results") + shown(app, "#wizard-note")
        assert "“SIF XML folder or .zip”" in results and "“SIF 3 environments URL”" in results
        assert "base_url" not in results and "path (" not in results


async def test_an_empty_folder_is_said_plainly(make_app: AppFactory, work: Path) -> None:
    (work / "empty").mkdir()
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await choose(pilot, "oneroster csv", "empty")
        assert screen.step == "check"
        text = shown(app, "#check-results")
        assert f"{work / 'empty'} is empty" in text
        assert "is empty" in shown(app, "#wizard-note")


async def test_oneroster_csv_at_an_sds_folder_suggests_plain_csv(
    make_app: AppFactory, work: Path
) -> None:
    sds(work / "sds")
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await choose(pilot, "oneroster csv", "sds")
        text = shown(app, "#check-results")
        assert "Microsoft SDS classic files, not OneRoster" in text
        assert "Plain CSV" in text and "sds-classic" in text


async def test_plain_csv_at_unknown_files_says_so_in_form_words(
    make_app: AppFactory, work: Path
) -> None:
    write_csv(work / "odd", "people.csv", ["id", "name"], [["1", "x"]])
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await choose(pilot, "plain", "odd")
        assert screen.step == "mapping"
        status = shown(app, "#mapping-status")
        assert "“Mapping”" in status and "mapping=" not in status
        assert "No preset matches these CSV files (people.csv)" in status
        assert "custom mapping file" in status


async def test_a_custom_mapping_file_is_accepted(
    make_app: AppFactory, home: DataDir, work: Path
) -> None:
    folder = sds(work / "sds")
    write_csv(folder, "School.csv", ["SIS ID", "School Name"], [["1", "North"]])
    mine = work / "mine.toml"  # the preset, with the school name read from "School Name"
    preset = Path(connectors.mapped_csv.__file__).parent / "presets" / "sds-classic.toml"
    text = preset.read_text("utf-8").replace('id = "sds-classic"', 'id = "mine"')
    mine.write_text(text.replace('name = "Name"', 'name = "School Name"', 1), "utf-8")
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await choose(pilot, "plain", "sds")
        step = screen.query_one(MappingStep)
        assert step.view is not None and [g.target for g in step.view.gaps] == ["orgs.name"]
        assert "mapping file" in shown(app, "#mapping-status")  # how a gap can be mapped
        step.query_one("#mapping-preset", Select).value = CUSTOM
        await settle(pilot)
        field = step.query_one("#mapping-file", Input)
        assert field.display and app.focused is field
        await pilot.press(*mine.name, "enter")
        await settle(pilot)
        assert step.view is not None and step.view.error is None and not step.view.gaps
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert screen.step == "check" and screen.query_one("#wizard-next-button").disabled is False
        await pilot.press("ctrl+n", "ctrl+n")
        await settle(pilot)
    saved = config.load(home)
    assert saved is not None and saved.settings["mapping"] == str(mine)


async def test_browse_starts_at_the_typed_folder_and_goes_up(
    make_app: AppFactory, work: Path
) -> None:
    deep = work / "srv" / "sis" / "exports"
    deep.mkdir(parents=True)
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press(*"oneroster csv", "enter")
        await settle(pilot)
        await pilot.press(*"srv/sis/exports/nothing-yet.zip")
        await pilot.click("#browse-path")
        await pilot.pause()  # no settle: the tree's loader is a worker that waits for folders
        picker = app.screen
        assert isinstance(picker, PathPicker)
        assert picker.query_one(DirectoryTree).path == deep  # the typed path's folder
        for _ in range(len(deep.parts)):
            await pilot.press("backspace")
            await pilot.pause()
        assert Path(picker.query_one(DirectoryTree).path) == Path("/")  # anywhere readable
        assert "In /" in str(picker.query_one("#picker-where", Label).render())
