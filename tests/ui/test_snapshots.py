"""Snapshots of every wizard step and the dashboard at 80x24 and 120x40 (fixed clock and paths)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from datasync_tui.paths import DataDir
from tests.helpers.app import AppFactory, no_blink, settle

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
Steps = Callable[[Pilot[object]], Awaitable[None]]


def steps(*keys: str) -> Steps:
    """A run_before that presses keys (waiting for workers after each group) then stills cursors."""

    async def run(pilot: Pilot[object]) -> None:
        await settle(pilot)
        for group in keys:
            await pilot.press(*group.split(" ")) if " " in group else await pilot.press(group)
            await settle(pilot)
        no_blink(pilot)

    return run


def typed(text: str) -> str:
    """Keys that type text (spaces included)."""
    return " ".join("space" if ch == " " else ch for ch in text)


@pytest.mark.parametrize("size", SIZES)
def test_wizard_choose(snap_compare, make_app: AppFactory, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=steps())


@pytest.mark.parametrize("size", SIZES)
def test_wizard_choose_filtered(snap_compare, make_app: AppFactory, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=steps(typed("power")))


@pytest.mark.parametrize("size", SIZES)
def test_wizard_options(
    snap_compare, make_app: AppFactory, bundle: Path, size: tuple[int, int]
) -> None:
    keys = (typed("csv"), "enter", typed(bundle.name))
    assert snap_compare(make_app(), terminal_size=size, run_before=steps(*keys))


@pytest.mark.parametrize("size", SIZES)
def test_wizard_options_api(snap_compare, make_app: AppFactory, size: tuple[int, int]) -> None:
    keys = (typed("infinite"), "enter", typed("ftp://sis"))
    assert snap_compare(make_app(), terminal_size=size, run_before=steps(*keys))


@pytest.mark.parametrize("size", SIZES)
def test_wizard_check_passed(
    snap_compare, make_app: AppFactory, bundle: Path, size: tuple[int, int]
) -> None:
    keys = (typed("csv"), "enter", typed(bundle.name), "enter")
    assert snap_compare(make_app(), terminal_size=size, run_before=steps(*keys))


@pytest.mark.parametrize("size", SIZES)
def test_wizard_check_missing_required(
    snap_compare, make_app: AppFactory, bundle_without_enrollments: Path, size: tuple[int, int]
) -> None:
    keys = (typed("csv"), "enter", typed(bundle_without_enrollments.name), "enter")
    assert snap_compare(make_app(), terminal_size=size, run_before=steps(*keys))


@pytest.mark.parametrize("size", SIZES)
def test_wizard_confirm(
    snap_compare, make_app: AppFactory, bundle: Path, size: tuple[int, int]
) -> None:
    keys = (typed("csv"), "enter", typed(bundle.name), "enter", "ctrl+n")
    assert snap_compare(make_app(), terminal_size=size, run_before=steps(*keys))


@pytest.mark.parametrize("size", SIZES)
def test_dashboard(
    snap_compare, make_app: AppFactory, synced: DataDir, size: tuple[int, int]
) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=steps())


@pytest.mark.parametrize("size", SIZES)
def test_dashboard_without_source(
    snap_compare, make_app: AppFactory, size: tuple[int, int]
) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=steps("escape"))


def test_dashboard_light_theme(snap_compare, make_app: AppFactory, synced: DataDir) -> None:
    app = make_app()
    app.theme = "textual-light"
    assert snap_compare(app, terminal_size=(80, 24), run_before=steps())


def test_help_lists_the_page_keys(snap_compare, make_app: AppFactory, synced: DataDir) -> None:
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=steps("question_mark"))
