"""Fix fixtures: data dirs over real stores (built row by row, or synced from a real bundle)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from datasync_tui.paths import DataDir
from datasync_tui.store import config
from datasync_tui.store.models import SyncRun
from tests.helpers.rules_store import Store

DOMAINS = "lincoln.org"
PATTERN = "student={given}.{family}{n}@students.lincoln.org;teacher={given1}{family}@lincoln.org"

# Titles and names that must come out as inert arguments.
HOSTILE = [
    "Math 'Honors'",
    'Say "hi"',
    "Art # not a comment",
    "Line one\nrm -rf / #",
    "Bio\r\ngam delete course d:k1",
    "$(touch /tmp/pwned) `id` ${HOME}",
    "back\\slash \\' end",
    "%datetime% 50% off",
    "עברית ‮txt.exe‬ مرحبا",
    "Ünïcödé — 数学 😀",
    "semi; colon && pipe | amp &",
    "   spaced   ",
]


class Home:
    """A data dir whose store is built row by row, then marked as synced once."""

    def __init__(self, root: Path, **settings: str) -> None:
        self.data_dir = DataDir(root).ensure()
        self.store = Store(self.data_dir.database)
        self.settings = {"path": str(root / "bundle"), "email_domains": DOMAINS, **settings}

    def done(self) -> DataDir:
        """Derived columns refreshed, a succeeded sync recorded, the connection saved."""
        self.store.refresh()
        SyncRun.create(
            started_at="2026-11-28T02:00:00Z",
            finished_at="2026-11-28T02:00:09Z",
            status="succeeded",
        )
        config.save(self.data_dir, config.Connection("oneroster-csv", None, self.settings))
        return self.data_dir


@pytest.fixture
def make_home(tmp_path: Path) -> Iterator[Callable[..., Home]]:
    """A Home under tmp_path (the clean little district of tests/helpers/rules_store.py in it)."""
    made: list[Home] = []

    def make(**settings: str) -> Home:
        home = Home(tmp_path / f"home{len(made)}", **settings)
        made.append(home)
        return home

    yield make
    for home in made:
        home.store.db.close()
