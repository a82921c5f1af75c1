"""Plain-text renderings of a check report, a sync result and the status, for the terminal."""

from __future__ import annotations

import sys
import time
from datetime import tzinfo
from typing import Any, TextIO

from connectors.base import CheckReport
from datasync_tui.localtime import local, local_zone, zone_name
from datasync_tui.paths import DataDir
from datasync_tui.store import config
from datasync_tui.sync import SyncResult
from datasync_tui.topics import LINE_LABELS


def check_lines(report: CheckReport, source: str) -> list[str]:
    """The check report as lines: one per topic, then what is missing."""
    version = report.detail.get("version")
    lines = [f"Checked {source}" + (f" (OneRoster {version})" if version else "")]
    if report.error:
        return [*lines, f"  ✗ {report.error}"]
    for t in report.topics:
        mark = "✗" if t.blocking else ("✓" if t.present else "·")
        rows = f"{t.rows:>10,} rows" if t.rows is not None and t.present else " " * 15
        note = "required, not found" if t.required and not t.present else ""
        if not t.required and not t.present:
            note = "recommended, not found"
        if t.problem:
            note = t.problem
        lines.append(f"  {mark} {LINE_LABELS.get(t.topic, t.topic):<15}{rows}  {note}".rstrip())
    missing = report.missing_required()
    if missing:
        lines.append("Required, missing (supply these to continue): " + ", ".join(missing))
    recommended = report.missing_recommended()
    if recommended:
        lines.append("Recommended, missing: " + ", ".join(recommended))
    lines += [f"Warning: {w}" for w in report.warnings]
    return lines


def blocking_reason(report: CheckReport) -> str:
    """Why a check does not pass, in one line: the first blocking item (and how many more),
    for the stderr of a script or a cron job."""
    reasons = [report.error] if report.error else []
    if not report.reached and not reasons:
        reasons = [f"{report.source} could not be reached"]
    for t in report.topics if not reasons else ():
        if t.problem:
            reasons.append(t.problem)
        elif t.required and not t.present:
            reasons.append(f"{t.topic}: required, not found")
        reasons += [
            f"{t.topic}.{f.name}: required, missing"
            for f in t.fields
            if f.status == "missing-required"
        ]
    if not reasons:
        return "fix what is listed above"
    more = len(reasons) - 1
    return reasons[0] + (f" ({more} more listed above)" if more else "")


def sync_lines(result: SyncResult, elapsed: float) -> list[str]:
    """A sync's summary: outcome, then per-topic changes."""
    head = {
        "succeeded": f"Sync #{result.run_id} applied in {elapsed:.1f}s.",
        "held": f"Sync #{result.run_id} held: nothing applied.",
        "failed": f"Sync #{result.run_id} failed: previous data kept.",
    }[result.status]
    lines = [head]
    for topic, c in result.changes.items():
        rekeyed = f"  {c['rekeyed']:,} re-keyed" if c.get("rekeyed") else ""
        lines.append(
            f"  {LINE_LABELS.get(topic, topic):<15} +{c['added']:,} added  "
            f"~{c['updated']:,} updated  -{c['removed']:,} removed{rekeyed}  "
            f"{c['unchanged']:,} unchanged"
        )
    if result.duplicates:
        lines.append(
            f"  {result.duplicates:,} duplicate sourcedId rows skipped (the first of each kept); "
            "`datasync-tui validate` lists them"
        )
    lines += [f"  Held: {reason}" for reason in result.held_because]
    if result.held_because:
        lines.append(
            "  Review it with `datasync-tui changes`; check the source; run "
            "`datasync-tui sync --force` to apply anyway."
        )
    lines += [f"  Warning: {w}" for w in result.warnings]
    return lines


def source_where(data_dir: DataDir) -> str | None:
    """The saved source's path or URL (None when nothing is saved or it cannot be read)."""
    try:
        saved = config.load(data_dir)
    except config.ConfigError:
        return None
    if saved is None:
        return None
    return saved.settings.get("path") or saved.settings.get("base_url")


def status_lines(
    doc: dict[str, Any], where: str | None = None, zone: tzinfo | None = None
) -> list[str]:
    """The status document for people: the source and where it is, times in local time."""
    conn = doc["connection"]
    if conn is None:
        return ["No source connected yet. Start with: datasync-tui connect METHOD --set path=…"]
    zone = zone or local_zone()
    source = f"{conn['vendor']} ({conn['method']})" if conn["vendor"] else conn["method"]
    lines = [f"Source: {source}" + (f" at {where}" if where else "")]
    c, roles = doc["counts"], doc["users_by_role"]
    schools = doc["orgs_by_type"].get("school", 0)
    staff = sum(n for r, n in roles.items() if r not in ("student", "teacher"))
    figures = [
        ("Schools", schools),
        ("Terms/sessions", c["academicSessions"]),
        ("Courses", c["courses"]),
        ("Classes", c["classes"]),
        ("Students", roles.get("student", 0)),
        ("Teachers", roles.get("teacher", 0)),
        ("Other staff", staff),
        ("Enrollments", c["enrollments"]),
        ("Demographics", c["demographics"]),
    ]
    lines += [f"  {label:<15}{n:>10,}" for label, n in figures]
    lines.append(f"Last good sync: {local(doc['last_success_at'], zone)}")
    attempt = doc["last_attempt"]
    if attempt:
        line = f"Last attempt:   {attempt['status']} (started {local(attempt['started_at'], zone)})"
        if attempt["error"]:
            line += f": {attempt['error']}"
        lines.append(line)
    upcoming = local(doc["next_run_at"], zone) if doc["next_run_at"] else "-"
    lines.append(f"Next run:       {upcoming}")
    daemon = doc["daemon"]
    running = f"running, pid {daemon['pid']}" if daemon["running"] else "not running"
    lines.append(f"Daemon:         {running}")
    if doc["stale"]:
        lines.append("STALE: no successful sync within stale_after_hours")
    lines += alert_lines(doc)
    lines.append(f"Times are local ({zone_name(zone)}).")
    return lines


def alert_lines(doc: dict[str, Any]) -> list[str]:
    """A pause, an adds-only window and the alerts, as status shows them."""
    lines = []
    paused = doc.get("paused")
    if paused is not None:
        until = f"until {paused['until']} (inclusive)" if paused["until"] else "until resumed"
        lines.append(
            f"PAUSED:         scheduled syncs paused {until}; `datasync-tui resume` restarts them"
        )
    window = doc.get("window")
    if window:
        line = f"Sync window:    adds only until {window['adds_only_until']}: removals are held"
        held = sum(window["held_removals"].values())
        if held:
            line += f" ({held:,} held at sync #{window['held_run']})"
        lines.append(line)
    alerts = doc.get("alerts") or {}
    channels = ", ".join(alerts.get("channels", [])) or "none (set smtp_url and notify_email)"
    lines.append(f"Alerts:         {channels}")
    failure = alerts.get("last_failure")
    if failure:
        lines.append(
            f"  Last {failure['event']} alert by {failure['channel']} ({failure['where']}) "
            f"failed at {failure['at']}: {failure['answer']}"
        )
    return lines


class ProgressLine:
    """A one-line progress display on a terminal (rows per topic), quiet elsewhere."""

    def __init__(self, stream: TextIO = sys.stderr) -> None:
        self.stream = stream
        self.enabled = stream.isatty()
        self._last = 0.0
        self._topic: str | None = None

    def __call__(self, topic: str, done: int, total: int | None) -> None:
        """Show rows read for a topic, at most a few times a second."""
        if not self.enabled:
            return
        now = time.monotonic()
        finished = total is not None and done >= total
        if topic == self._topic and not finished and now - self._last < 0.2:
            return
        if self._topic and topic != self._topic:
            self.stream.write("\n")
        self._topic, self._last = topic, now
        label = LINE_LABELS.get(topic, topic)
        self.stream.write(f"\r  {label:<15}{done:>12,} rows{' ✓' if finished else ''}\033[K")
        self.stream.flush()

    def close(self) -> None:
        """End the progress line."""
        if self.enabled and self._topic:
            self.stream.write("\n")
            self.stream.flush()
