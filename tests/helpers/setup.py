"""Helpers of the Connection page (setup) tests."""

from __future__ import annotations

from textual.widgets import Static


def note(app: object) -> str:
    """The text beside Back and Next."""
    return str(app.screen.query_one("#wizard-note", Static).render())  # type: ignore[attr-defined]
