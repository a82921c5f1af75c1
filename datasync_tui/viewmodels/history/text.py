"""The history in words: a sync's figures and line, a change and what it changed."""

from __future__ import annotations

import json
from datetime import tzinfo
from typing import Any

from datasync_tui.history import KINDS, Change, RunSummary
from datasync_tui.localtime import local

SIGNS = {"added": "+", "updated": "~", "removed": "−", "rekeyed": "⇄"}
KIND_LABELS = {"added": "added", "updated": "updated", "removed": "removed", "rekeyed": "re-keyed"}
LEGEND = "+ added  ~ updated  − removed  ⇄ re-keyed (a new id)"


def figures_text(changes: dict[str, dict[str, int]], labels: dict[str, str] | None = None) -> str:
    """'users +1 ~1 ⇄1 · enrollments −1', or 'no change'; topics named by labels when given
    (the screen's names), else as in the JSON."""
    parts = []
    for topic, figures in changes.items():
        shown = " ".join(f"{SIGNS[k]}{figures[k]:,}" for k in KINDS if figures.get(k))
        if shown:
            parts.append(f"{(labels or {}).get(topic, topic)} {shown}")
    return " · ".join(parts) or "no change"


def run_line(r: RunSummary, zone: tzinfo) -> str:
    """One sync for people: id, start (local), status, who started it, changes, issues, note."""
    issues = "" if r.issues is None else f"  {r.issues:,} issue{'s' * (r.issues != 1)}"
    note = r.note()
    pruned = "  (changes pruned)" if r.pruned else ""
    return (
        f"#{r.id:<5} {local(r.started_at, zone)}  {r.status:<9}  {r.started_by or '—':<12}  "
        f"{figures_text(r.changes) if r.status != 'failed' else '—'}{issues}"
        f"{f'  [{note}]' if note else ''}{pruned}"
    )


def _value(value: Any) -> str:
    """A field value for people: JSON-like (strings quoted, null for none)."""
    return json.dumps(value, ensure_ascii=False)


def fields_text(fields: dict[str, list[Any]] | None) -> str:
    """'givenName "Ann0" → "Anne"; email … → …'."""
    if not fields:
        return ""
    return "; ".join(
        f"{name} {_value(pair[0])} → {_value(pair[1])}" for name, pair in fields.items()
    )


def describe(topic: str, row: dict[str, Any] | None) -> str:
    """A record in a few words: a user's name and email, a class's title, an enrollment's ends."""
    if not row:
        return ""

    def get(name: str) -> str:
        return str(row.get(name) or "")

    if topic == "users":
        return " · ".join(p for p in (f"{get('givenName')} {get('familyName')}".strip(),
                                      get("email")) if p)  # fmt: skip
    if topic == "enrollments":
        return f"{get('userSourcedId')} in {get('classSourcedId')} as {get('role')}"
    if topic == "roles":
        return f"{get('userSourcedId')} {get('role')} at {get('orgSourcedId')}"
    if topic == "orgs":
        return get("name")
    return get("title")


def change_detail(c: Change, live: dict[str, Any] | None = None) -> str:
    """What changed, for people: the fields of an update, the old id of a re-key, the record."""
    if c.change == "updated":
        return fields_text(c.fields)
    if c.change == "rekeyed":
        return f"was {c.previous_sourcedId}" + (f" · {describe(c.topic, c.row)}" if c.row else "")
    if c.change == "removed":
        return describe(c.topic, c.row)
    return describe(c.topic, live)


def change_line(c: Change, live: dict[str, Any] | None = None) -> str:
    """One change for people: topic, kind, sourcedId, what changed."""
    detail = change_detail(c, live)
    return f"  {c.topic:<16} {c.change:<8} {c.sourcedId:<14}" + (f" {detail}" if detail else "")


def rollback_lines(
    target: RunSummary | None, undone: list[RunSummary], held: int | None, zone: tzinfo
) -> list[str]:
    """What a rollback to target will do: the syncs it undoes (with figures), the pause."""
    when = f" ({local(target.started_at, zone)})" if target else ""
    n = len(undone)
    lines = [
        f"Rolling back to sync #{target.id if target else '?'}{when} undoes "
        f"{n} sync{'s' * (n != 1)}:"
    ]
    lines += ["  " + run_line(r, zone) for r in undone]
    if held is not None:
        lines.append(f"The held sync #{held} is discarded (nothing of it was applied).")
    lines.append(
        "Scheduled syncs are then paused: the source still holds what is undone, so the next "
        "sync would bring it back. `datasync-tui resume` restarts them."
    )
    return lines
