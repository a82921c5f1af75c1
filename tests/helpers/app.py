"""UI fixtures: a fixed clock and zone, bundles under a fixed folder, apps wired for tests."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot
from textual.widgets import Input

from datasync_tui.paths import DataDir
from datasync_tui.store import config
from datasync_tui.store.db import connect
from datasync_tui.store.models import SyncRun
from datasync_tui.sync import run_sync
from datasync_tui.ui.app import DataSyncApp
from datasync_tui.ui.context import Context
from tests.helpers.bundles import district, write_bundle

NOW = datetime(2026, 11, 28, 5, 0, tzinfo=UTC)  # the clock every UI test sees
SYNCED_AT = ("2026-11-28T01:59:58Z", "2026-11-28T02:00:41Z")  # a sync 3 hours before NOW

AppFactory = Callable[..., DataSyncApp]


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run `async def` tests in a fresh event loop (no async plugin needed)."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    asyncio.run(pyfuncitem.obj(**{name: pyfuncitem.funcargs[name] for name in names}))
    return True


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The working folder (paths show relative to it, so screens read the same every run)."""
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.chdir(folder)
    monkeypatch.setenv("HOME", str(tmp_path / "home-of-admin"))
    return folder


@pytest.fixture
def bundle(work: Path) -> Path:
    """A clean OneRoster 1.1 zip: 2 orgs, 4 classes, 21 users, 84 enrollments."""
    return write_bundle(work / "district.zip")


@pytest.fixture
def bundle_without_enrollments(work: Path) -> Path:
    """A zip missing the required enrollments.csv."""
    rows = district()
    del rows["enrollments"]
    return write_bundle(work / "nx.zip", rows)


@pytest.fixture
def home(work: Path) -> DataDir:
    """An empty data dir inside the working folder."""
    return DataDir(work / "data")


@pytest.fixture
def make_app(home: DataDir) -> AppFactory:
    """Build the app over home with the fixed clock and zone, no timed refresh."""

    def build(data_dir: DataDir | None = None, **kw: object) -> DataSyncApp:
        ctx = Context(
            data_dir or home, clock=lambda: NOW, tz=UTC, refresh_every=None, browse_root=home.root
        )
        return DataSyncApp(ctx, **kw)  # type: ignore[arg-type]

    return build


def connect_and_sync(data_dir: DataDir, bundle: Path, **settings: str) -> None:
    """Save a connection to bundle and sync it once, with fixed timestamps for the run."""
    conn = config.Connection(
        method="oneroster-csv",
        vendor=None,
        settings={"path": str(bundle), **settings},
        connected_at="2026-11-01T00:00:00Z",
    )
    config.save(data_dir, conn)
    result = run_sync(data_dir)
    assert result.status == "succeeded", result.error
    fix_run_times(data_dir)


def fix_run_times(data_dir: DataDir) -> None:
    """Give every run the same fixed start and end (screens show them)."""
    db = connect(data_dir.database)
    try:
        SyncRun.update(started_at=SYNCED_AT[0], finished_at=SYNCED_AT[1]).execute()
    finally:
        db.close()


@pytest.fixture
def synced(home: DataDir, bundle: Path) -> DataDir:
    """A data dir connected to the clean bundle and synced once."""
    connect_and_sync(home, bundle)
    return home


async def settle(pilot: Pilot[object]) -> None:
    """Wait until no worker runs and every message they posted is handled."""
    app = pilot.app
    for _ in range(20):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not any(w.is_running for w in app.workers):
            await pilot.pause()
            return
    raise AssertionError("workers kept running")


def no_blink(pilot: Pilot[object]) -> None:
    """Stop cursors blinking so screenshots are stable."""
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False


async def palette_hits(pilot: Pilot[int], text: str) -> list[str]:
    """Open the palette, type text, return the titles it lists (the palette stays open)."""
    await pilot.press("ctrl+p")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CommandPalette)
    await pilot.press(*text.replace(" ", "\0").split("\0")[0])
    for word in text.split(" ")[1:]:
        await pilot.press("space", *word)
    await settle(pilot)
    found = pilot.app.screen.query_one(CommandList)
    return [str(found.get_option_at_index(i).prompt) for i in range(found.option_count)]


SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
