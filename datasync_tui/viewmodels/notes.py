"""What the dashboard says of the schedule and the alerts, computed without Textual: a pause,
an adds-only window, a failing alert channel, the rollover preview."""

from __future__ import annotations

from typing import Any

from datasync_tui.paths import DataDir
from datasync_tui.rollover import RolloverPreview, preview
from datasync_tui.store import sqlite

Note = tuple[str, str]  # (kind: paused | window | alert | rollover, text)


def load_rollover(data_dir: DataDir, today: str) -> RolloverPreview | None:
    """The rollover preview over the store, or None (no store, no term starting soon)."""
    if not data_dir.database.exists():
        return None
    conn = sqlite.connect(f"file:{data_dir.database}?mode=ro", uri=True, timeout=5)
    try:
        return preview(conn, today)
    finally:
        conn.close()


def demo_note(root: object) -> str:
    """What the demo says first: where its data lives, and that it goes on quit."""
    return (
        f"Demo: the sample district lives in a throwaway data dir ({root}), deleted when you "
        "quit; nothing you change is kept."
    )


def notes(status: dict[str, Any], rollover: RolloverPreview | None) -> list[Note]:
    """The lines to show, most pressing first; none when all is ordinary."""
    found: list[Note] = []
    paused = status.get("paused")
    if paused is not None:
        until = f"until {paused['until']} (inclusive)" if paused.get("until") else "until resumed"
        found.append(
            ("paused", f"Paused: scheduled syncs are paused {until}; r still syncs by hand.")
        )
    window = status.get("window")
    if window:
        text = f"Adds-only window until {window['adds_only_until']}: syncs hold every removal."
        held = sum(window.get("held_removals", {}).values())
        if held:
            text += f" {held:,} held at sync #{window['held_run']}."
        found.append(("window", text))
    failure = (status.get("alerts") or {}).get("last_failure")
    if failure:
        found.append(
            (
                "alert",
                f"Alerts: the last {failure['event']} alert by {failure['channel']} failed "
                f"({failure['answer']}).",
            )
        )
    if rollover is not None:
        found += [("rollover", line) for line in rollover.lines()]
    return found
