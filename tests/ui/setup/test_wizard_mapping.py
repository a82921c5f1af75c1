"""The wizard's Mapping step for plain CSV, by keyboard; snapshots at 80x24 and 120x40."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Static

from datasync_tui.paths import DataDir
from datasync_tui.store import config
from datasync_tui.ui.setup.mapping import MappingStep
from datasync_tui.ui.setup.screen import SetupScreen
from tests.helpers.app import AppFactory, no_blink, settle
from tests.helpers.mapped_csv import sds, write_csv

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.fixture
def exports(work: Path) -> Path:
    """An SDS classic folder whose School.csv calls its name column 'School Name'."""
    folder = sds(work / "sds")
    write_csv(folder, "School.csv", ["SIS ID", "School Name", "Zone"], [["1", "North", "2"]])
    return folder


async def to_mapping(pilot: Pilot[object], folder: Path) -> None:
    """Choose Plain CSV, type the folder, go on to the Mapping step."""
    await settle(pilot)
    await pilot.press(*"plain", "enter")
    await pilot.press(*folder.name, "enter")
    await settle(pilot)


async def test_mapping_step_fills_a_gap_by_keyboard(
    make_app: AppFactory, home: DataDir, exports: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await to_mapping(pilot, exports)
        screen = app.screen
        assert isinstance(screen, SetupScreen) and screen.step == "mapping"
        step = screen.query_one(MappingStep)
        assert step.view is not None and step.view.suggested == "sds-classic"
        assert [g.target for g in step.view.gaps] == ["orgs.name"]
        assert step.view.gaps[0].suggested == "School Name"  # the near miss is preselected
        assert "School.csv" in str(screen.query_one("#mapping-files", Static).render())
        assert app.focused is not None and app.focused.id == "gap-0"
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert screen.step == "check"
        assert screen.query_one("#wizard-next-button", Button).disabled is False
        await pilot.press("ctrl+n")
        assert screen.step == "confirm"
        await pilot.press("ctrl+n")
        await settle(pilot)
        saved = config.load(home)
        assert saved is not None and saved.method == "csv"
        assert saved.settings["mapping"] == "sds-classic"
        assert saved.settings["columns"] == "School.csv:orgs.name=School Name"


async def test_unmapped_gap_keeps_the_step(make_app: AppFactory, exports: Path) -> None:
    write_csv(exports, "School.csv", ["SIS ID", "Zone"], [["1", "2"]])
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await to_mapping(pilot, exports)
        screen = app.screen
        assert isinstance(screen, SetupScreen)
        await pilot.press("ctrl+n")
        assert screen.step == "mapping"
        assert "orgs.name" in str(screen.query_one("#wizard-note", Static).render())
        await pilot.press("enter", "down", "enter")  # open the picker, take 'Zone'
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert screen.step == "check"
        await pilot.press("ctrl+b")
        assert screen.step == "mapping"


def steps_to_mapping(folder: str):
    """A run_before that reaches the Mapping step and stills the cursor."""

    async def run(pilot: Pilot[object]) -> None:
        await settle(pilot)
        await pilot.press(*"plain", "enter")
        await pilot.press(*folder, "enter")
        await settle(pilot)
        await settle(pilot)
        no_blink(pilot)

    return run


@pytest.mark.parametrize("size", SIZES)
def test_mapping_step_snapshot(
    snap_compare, make_app: AppFactory, exports: Path, size: tuple[int, int]
) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=steps_to_mapping(exports.name))
