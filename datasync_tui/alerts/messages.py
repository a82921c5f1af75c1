"""The words of each alert: short lines an admin reads on a phone, what happened, what to run."""

from __future__ import annotations

from collections.abc import Mapping

from datasync_tui.alerts.event import Event
from datasync_tui.alerts.facts import HeldTopic

ROLE_WORDS = {"student": "students", "teacher": "teachers", "administrator": "administrators"}
TOPIC_WORDS = {"academicSessions": "terms", "users": "users", "orgs": "orgs"}


def pct(value: float) -> str:
    """A share as the subject shows it: whole percents, a decimal under 10%."""
    return f"{value:.0f}%" if value >= 10 else f"{value:.1f}%"


def footer(data_dir: str, host: str) -> str:
    """Where it happened."""
    return f"Data dir: {data_dir}\nHost: {host}\n-- datasync-tui"


def _headline(held: list[HeldTopic], reasons: list[str]) -> str:
    """`412 students would be removed (38%)`: students when they are held, else the topic
    furthest over the limit."""
    if not held:
        return reasons[0] if reasons else "over the deletion limit"
    for t in held:
        removed, live = t.roles.get("student", (0, 0))
        if removed and live:
            return f"{removed:,} students would be removed ({pct(removed * 100 / live)})"
    top = held[0]
    word = TOPIC_WORDS.get(top.topic, top.topic)
    return f"{top.removed:,} {word} would be removed ({pct(top.pct)})"


def held_event(
    run_id: int, reasons: list[str], held: list[HeldTopic], data_dir: str, host: str
) -> Event:
    """A sync held at the deletion limit: the numbers, why, what to run."""
    lines = [f"Sync #{run_id} was held: nothing was applied, the current data stays.", ""]
    lines.append("It would remove:")
    for t in held:
        lines.append(f"- {t.removed:,} of {t.live:,} {t.topic} ({pct(t.pct)})")
        for role, (removed, live) in sorted(t.roles.items(), key=lambda kv: -kv[1][0]):
            lines.append(f"    {removed:,} of {live:,} {ROLE_WORDS.get(role, role)}")
    if not held:
        lines += [f"- {r}" for r in reasons]
    limit = f"{held[0].limit:g}%" if held else "max_removal_pct"
    lines += [
        "",
        f"Why: a sync that would remove more than {limit} (max_removal_pct) of a",
        "topic waits for you, in case the SIS export came out incomplete.",
        "",
        "What to do:",
        "1. See what it would change:",
        "   datasync-tui changes",
        "2. If the SIS is right, apply it:",
        "   datasync-tui sync --force",
        "   (or Apply on the dashboard)",
        "3. If not, fix the SIS export; Discard on the dashboard",
        "   keeps the current data, and the next sync tries again.",
        "",
        footer(data_dir, host),
    ]
    detail = {
        "run_id": run_id,
        "held_because": reasons,
        "removed": {t.topic: {"removed": t.removed, "of": t.live, "pct": t.pct} for t in held},
    }
    return Event("held", f"sync held: {_headline(held, reasons)}", "\n".join(lines), detail)


def _short(text: str, width: int = 70) -> str:
    """One line, cut to width."""
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 1] + "…"


def failed_event(
    run_id: int | None, error: str, last_good: str | None, data_dir: str, host: str
) -> Event:
    """A sync failed: the reason, that the last good data stays, what to run."""
    run = f"Sync #{run_id}" if run_id is not None else "A sync"
    lines = [
        f"{run} failed; the data from the last good sync is kept.",
        "",
        f"Reason: {error}",
        "",
        f"Last good sync: {last_good or 'never'}",
        "You get no more mail while syncs keep failing; one",
        "comes when a sync succeeds again.",
        "",
        "What to do:",
        "1. Check the source (file, server, credentials):",
        "   datasync-tui check",
        "2. Then sync by hand: datasync-tui sync",
        "   Scheduled syncs retry by themselves.",
        "",
        footer(data_dir, host),
    ]
    detail = {"run_id": run_id, "error": error, "last_success_at": last_good}
    return Event("failed", f"sync failed: {_short(error, 60)}", "\n".join(lines), detail)


def _changes_lines(changes: Mapping[str, Mapping[str, int]]) -> list[str]:
    """Per-topic added/updated/removed, the topics that changed."""
    out = []
    for topic, c in changes.items():
        a, u, r = c.get("added", 0), c.get("updated", 0), c.get("removed", 0)
        if a or u or r:
            out.append(f"- {topic}: +{a:,} ~{u:,} -{r:,}")
    return out or ["- nothing changed in the source"]


def recovered_event(
    run_id: int,
    after: str,
    changes: Mapping[str, Mapping[str, int]],
    data_dir: str,
    host: str,
    failures: int = 0,
) -> Event:
    """A sync applied again after failures (or after a hold nobody applied)."""
    lines = [f"Sync #{run_id} applied, after {after}.", "", "It changed:"]
    lines += _changes_lines(changes)
    lines += ["", "Nothing to do. Status: datasync-tui status", "", footer(data_dir, host)]
    detail = {"run_id": run_id, "after": after, "failures": failures}
    return Event("recovered", f"sync succeeded again after {after}", "\n".join(lines), detail)


def new_errors_event(
    run_id: int, rules: list[tuple[str, int, int]], data_dir: str, host: str, top: int = 5
) -> Event:
    """Validation errors that the last sync brought: the top rules and their counts."""
    total = sum(new for _, new, _ in rules)
    noun = "error" if total == 1 else "errors"
    lines = [
        f"Sync #{run_id} brought {total:,} new validation {noun}",
        "(not there at the sync before):",
        "",
    ]
    for rule, new, count in rules[:top]:
        lines.append(f"- {rule}: {new:,} new ({count:,} open)")
    if len(rules) > top:
        rest = sum(new for _, new, _ in rules[top:])
        lines.append(f"- and {rest:,} more in {len(rules) - top} other rule(s)")
    lines += [
        "",
        "They would break the Google Classroom roster sync.",
        "See them, with a hint for each:",
        "  datasync-tui validate",
        "  (or v in the app)",
        "",
        footer(data_dir, host),
    ]
    detail = {"run_id": run_id, "new": total, "rules": {r: n for r, n, _ in rules}}
    subject = f"{total:,} new validation {noun} after sync #{run_id}"
    return Event("new-errors", subject, "\n".join(lines), detail)


def stale_event(last_good: str | None, hours: float, data_dir: str, host: str) -> Event:
    """No good sync for stale_after_hours."""
    since = f"since {last_good}" if last_good else "since the source was connected"
    lines = [
        f"No sync has succeeded {since}:",
        f"the data is older than stale_after_hours ({hours:g}).",
        "",
        "What to do:",
        "1. See the last attempts: datasync-tui status",
        "2. Check the source: datasync-tui check",
        "3. Sync by hand: datasync-tui sync",
        "",
        footer(data_dir, host),
    ]
    detail = {"last_success_at": last_good, "stale_after_hours": hours}
    return Event("stale", f"data is stale: no good sync {since}", "\n".join(lines), detail)


def test_event(data_dir: str, host: str) -> Event:
    """`notify --test`: proof that the channel works."""
    lines = [
        "This is a test from `datasync-tui notify --test`.",
        "",
        "Alerts come here when a sync fails, is held, or",
        "brings new validation errors, and when the data goes stale.",
        "",
        footer(data_dir, host),
    ]
    return Event("test", "test message: alerts reach you", "\n".join(lines), {})
