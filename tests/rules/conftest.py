"""The rules' today is pinned to a day in the test districts' school year (2026-11-28)."""

from __future__ import annotations

from datetime import date

import pytest

from datasync_tui.rules import runner


class SchoolDay(date):
    """A date whose today() is a fixed day inside the fixtures' terms."""

    @classmethod
    def today(cls) -> SchoolDay:
        """2026-11-28, whatever the clock says."""
        return cls(2026, 11, 28)


@pytest.fixture(autouse=True)
def school_day(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rules run in this process see 2026-11-28 as today (terms end in 2027)."""
    monkeypatch.setattr(runner, "date", SchoolDay)
