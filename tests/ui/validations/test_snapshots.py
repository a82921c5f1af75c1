"""Snapshots of the Validations page at 80x24 and 120x40 (fixed clock, paths and rules' today)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.pilot import Pilot

from datasync_tui.paths import DataDir
from tests.helpers.app import AppFactory, no_blink, settle

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
Steps = Callable[[Pilot[object]], Awaitable[None]]


def steps(*keys: str) -> Steps:
    """A run_before: open the page, press keys (waiting for workers after each), still cursors."""

    async def run(pilot: Pilot[object]) -> None:
        await settle(pilot)
        for key in ("v", *keys):
            await pilot.press(key)
            await settle(pilot)
        no_blink(pilot)

    return run


@pytest.mark.parametrize("size", SIZES)
def test_validations(
    snap_compare, make_app: AppFactory, messy: DataDir, size: tuple[int, int]
) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=steps())


@pytest.mark.parametrize("size", SIZES)
def test_validations_records(
    snap_compare, make_app: AppFactory, messy: DataDir, size: tuple[int, int]
) -> None:
    keys = ("down", "down", "down", "enter", "down")  # Emails shared by several users, 2nd record
    assert snap_compare(make_app(), terminal_size=size, run_before=steps(*keys))


def test_validations_nothing_to_report(snap_compare, make_app: AppFactory, synced: DataDir) -> None:
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=steps())


def test_validations_paged(snap_compare, make_app: AppFactory, crowded: DataDir) -> None:
    keys = ("enter", "ctrl+end")
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=steps(*keys))


def test_export_prompt(snap_compare, make_app: AppFactory, messy: DataDir) -> None:
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=steps("x"))


def test_domains_prompt(snap_compare, make_app: AppFactory, messy: DataDir) -> None:
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=steps("m", "ctrl+e"))


def test_validations_light_theme(snap_compare, make_app: AppFactory, messy: DataDir) -> None:
    app = make_app()
    app.theme = "textual-light"
    keys = ("down", "down", "down", "enter")  # the records table has the focus: its border shows
    assert snap_compare(app, terminal_size=(80, 24), run_before=steps(*keys))
