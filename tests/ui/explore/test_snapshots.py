"""Snapshots of the explorer table, a record's detail and the email domains (80x24, 120x40)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.pilot import Pilot

from datasync_tui.paths import DataDir
from datasync_tui.ui.widgets.virtual_table import VirtualTable
from tests.helpers.app import SIZES, AppFactory, no_blink, settle


def explore(topic: str, *keys: str) -> Callable[[Pilot[object]], Awaitable[None]]:
    """A run_before: open Explore on topic, focus its table, press keys (settling after each)."""

    async def run(pilot: Pilot[object]) -> None:
        await settle(pilot)
        pilot.app.explore(topic)  # type: ignore[attr-defined]
        await settle(pilot)
        pilot.app.screen.query_one(VirtualTable).focus()
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        no_blink(pilot)

    return run


@pytest.mark.parametrize("size", SIZES)
def test_explorer_table(
    snap_compare, make_app: AppFactory, synced: DataDir, size: tuple[int, int]
) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=explore("students", "down"))


@pytest.mark.parametrize("size", SIZES)
def test_record_detail(
    snap_compare, make_app: AppFactory, synced: DataDir, size: tuple[int, int]
) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=explore("students", "enter"))


@pytest.mark.parametrize("size", SIZES)
def test_email_domains(
    snap_compare, make_app: AppFactory, synced: DataDir, size: tuple[int, int]
) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=explore("users", "m"))
