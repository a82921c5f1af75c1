"""What the Validations page shows and does, without Textual: figures, pages, export, domains.

Reads open their own read-only connection (never the peewee proxy), so a worker can
read while another writes; the domain edit takes the data dir's writer lock as a sync does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from datasync_tui import rules
from datasync_tui.paths import DataDir
from datasync_tui.rules import ERROR, WARNING, Classroom, Issue, IssueKey, RuleSummary
from datasync_tui.rules.address import parse_domains
from datasync_tui.rules.export import folder_problem
from datasync_tui.store import config, sqlite
from datasync_tui.sync.lock import FileLock
from datasync_tui.viewmodels.classroom_advice import classroom_advice
from datasync_tui.viewmodels.explore import SPECS

PAGE_SIZE = 100
_DOMAIN = re.compile(
    r"(?=.{1,253}\Z)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}"
)
SPARKS = "▁▂▃▄▅▆▇█"
LAST_KEY: IssueKey = ("\U0010ffff", "", "")  # sorts after every real key: "before" it is the end

# Where Explore lists a record of a store topic (Explore's topics are the dashboard's tiles).
EXPLORE_TOPICS: dict[str, str] = {
    "orgs": "schools",
    "academicSessions": "terms",
    "courses": "courses",
    "classes": "classes",
    "enrollments": "enrollments",
    "demographics": "demographics",
}
ROLE_TOPICS: dict[str, str] = {"student": "students", "teacher": "teachers"}


@dataclass(frozen=True)
class Overview:
    """The Validations page's figures: the latest results, every rule's line, the domains."""

    connected: bool
    synced: bool  # some sync applied data
    stored: rules.StoredValidation | None  # None: the rules have not run yet
    summaries: list[RuleSummary] = field(default_factory=list)
    email_domains: str = ""  # the saved setting, as typed
    advice: list[str] = field(default_factory=list)  # why the dry run skips classes, the fix

    @property
    def total(self) -> int:
        """Every open issue."""
        return sum(s.count for s in self.summaries)

    def by_severity(self) -> dict[str, int]:
        """Open issues per severity, errors first."""
        return severity_counts(self.summaries)

    def shown(self, severity: str) -> list[RuleSummary]:
        """The rules of a severity worth a line: with issues now, or resolved since before."""
        return [s for s in self.summaries if s.severity == severity and (s.count or s.resolved)]

    @property
    def passing(self) -> int:
        """How many rules ran and found nothing."""
        return sum(1 for s in self.summaries if not s.count and not s.skipped)

    @property
    def skipped(self) -> list[RuleSummary]:
        """The rules that did not run (email-outside-domain without domains)."""
        return [s for s in self.summaries if s.skipped]


@dataclass(frozen=True)
class Page:
    """One keyset page of a rule's issues and where it sits among all of them."""

    rule: str
    issues: list[Issue]
    offset: int  # the index of the first issue among the rule's issues
    total: int
    at_start: bool
    at_end: bool


@contextmanager
def reading(data_dir: DataDir) -> Iterator[sqlite.Connection | None]:
    """A connection that only reads the store (None when there is no store yet)."""
    path = data_dir.database
    if not path.exists():
        yield None
        return
    conn = sqlite.reader(path)
    try:
        yield conn
    finally:
        conn.close()


def _has_results(conn: sqlite.Connection) -> bool:
    """True when the store has the tables the rules keep their results in."""
    row = conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE name IN ('validation_runs', 'sync_runs')"
    ).fetchone()
    return bool(row and row[0] == 2)


def load_overview(data_dir: DataDir) -> Overview:
    """Read the latest results and every rule's figures."""
    try:
        saved = config.load(data_dir)
    except config.ConfigError:
        saved = None
    domains = saved.settings.get("email_domains", "") if saved else ""
    with reading(data_dir) as conn:
        if conn is None or not _has_results(conn):
            return Overview(saved is not None, False, None, [], domains)
        synced = conn.execute(
            "SELECT 1 FROM sync_runs WHERE status = 'succeeded' LIMIT 1"
        ).fetchone()
        stored = rules.latest(conn)
        found = rules.summaries(conn, stored.run_id) if stored else []
        advice = classroom_advice(conn, stored.classroom) if stored else []
    return Overview(saved is not None, synced is not None, stored, found, domains, advice)


def severity_counts(summaries: list[RuleSummary]) -> dict[str, int]:
    """Open issues per severity, errors first."""
    counts = {ERROR: 0, WARNING: 0}
    for s in summaries:
        counts[s.severity] = counts.get(s.severity, 0) + s.count
    return counts


def open_issues(data_dir: DataDir) -> dict[str, int] | None:
    """Open issues per severity at the latest results, or None before the rules ran."""
    with reading(data_dir) as conn:
        if conn is None or not _has_results(conn):
            return None
        stored = rules.latest(conn)
        if stored is None:
            return None
        rows = conn.execute(
            "SELECT severity, sum(count) FROM validation_results WHERE run_id = ? "
            "GROUP BY severity",
            (stored.run_id,),
        ).fetchall()
    counts = {ERROR: 0, WARNING: 0}
    counts.update({severity: int(n or 0) for severity, n in rows})
    return counts


def severity_text(counts: dict[str, int]) -> str:
    """'3 errors · 1 warning', or 'none' when both are 0."""
    if not any(counts.values()):
        return "none"
    parts = []
    for severity, n in counts.items():
        if n:
            parts.append(f"{n:,} {severity}{'' if n == 1 else 's'}")
    return " · ".join(parts)


def plural(n: int, word: str, many: str | None = None) -> str:
    """'1 class', '2 classes'."""
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


def classroom_lines(dry: Classroom) -> list[str]:
    """The dry run in words: classes created, skipped and why, users failing and why."""
    created = f"{plural(dry.classes_created, 'class', 'classes')} would be created"
    skipped = f"{plural(dry.classes_skipped, 'class', 'classes')} skipped"
    if dry.skipped_because:
        skipped += " (" + ", ".join(f"{why}: {n:,}" for why, n in dry.skipped_because.items())
        skipped += ")"
    failing = f"{plural(dry.users_failing, 'user')} would fail"
    if dry.failing_because:
        failing += " (" + ", ".join(f"{why}: {n:,}" for why, n in dry.failing_because.items())
        failing += ")"
    return [created, skipped, failing]


def sparkline(points: tuple[int, ...]) -> str:
    """The issue counts of the last syncs as block characters (oldest first)."""
    if not points:
        return ""
    top = max(points)
    if top == 0:
        return SPARKS[0] * len(points)
    return "".join(SPARKS[min(len(SPARKS) - 1, round(p / top * (len(SPARKS) - 1)))] for p in points)


def load_page(
    data_dir: DataDir,
    rule: str,
    run_id: int,
    *,
    after: Issue | None = None,
    before: Issue | None = None,
    offset: int = 0,
    limit: int = PAGE_SIZE,
) -> Page:
    """A page of a rule's issues after (or before) an issue, or the first or last page.

    offset is the index the page's first issue has among all (for `before`, of the issue
    given; -1 asks for the last page).
    """
    with reading(data_dir) as conn:
        if conn is None:
            return Page(rule, [], 0, 0, True, True)
        total = rules.stored_count(conn, run_id=run_id, rule=rule)
        if offset < 0:
            found = rules.issues_page(conn, rule, run_id=run_id, before=LAST_KEY, limit=limit)
            offset = total - len(found)
        elif before is not None:
            found = rules.issues_page(
                conn, rule, run_id=run_id, before=rules.key_of(before), limit=limit
            )
            offset = max(0, offset - len(found))
        else:
            key = rules.key_of(after) if after is not None else None
            found = rules.issues_page(conn, rule, run_id=run_id, after=key, limit=limit)
    at_start = offset == 0
    return Page(rule, found, offset, total, at_start, offset + len(found) >= total)


def resolved(data_dir: DataDir, rule: str, run_id: int, limit: int = 5) -> list[Issue]:
    """A few of the rule's issues the previous sync had and this one no longer has."""
    with reading(data_dir) as conn:
        if conn is None:
            return []
        return rules.resolved_issues(conn, rule, run_id=run_id, limit=limit)


def resolved_text(found: list[Issue], total: int) -> str:
    """'stu0 (email), stu7 (email) and 3 more'."""
    names = ", ".join(f"{i.sourcedId} ({i.field})" for i in found)
    more = total - len(found)
    return f"{names} and {more:,} more" if more > 0 else names


def record_topic(issue: Issue) -> str | None:
    """The store topic Explore can open the issue's record in (None: it has no record view)."""
    return issue.topic if issue.topic in SPECS else None


def explore_topic(data_dir: DataDir, issue: Issue) -> str:
    """The Explore topic that lists the issue's record (a user's by its primary role)."""
    if issue.topic not in ("users", "roles"):
        return EXPLORE_TOPICS.get(issue.topic, "users")
    role = None
    with reading(data_dir) as conn:
        if conn is not None:
            try:
                row = conn.execute(
                    "SELECT primary_role FROM users WHERE sourcedId = ?", (issue.sourcedId,)
                ).fetchone()
            except sqlite.Error:
                row = None
            role = row[0] if row else None
    if role is None:
        return "users"
    return ROLE_TOPICS.get(role, "staff")


def default_export(data_dir: DataDir, now: datetime, suffix: str = ".csv") -> Path:
    """exports/validation-issues-<date>-<time>.csv under the data dir (its folder made)."""
    data_dir.ensure()
    return rules.default_export_path(data_dir.exports, suffix, now)


def export_target(
    text: str, cwd: Path | None = None, suffixes: tuple[str, ...] = (".csv", ".json")
) -> Path:
    """The path typed in the prompt: ~ expanded, relative to the working dir, made absolute.

    Raises rules.ExportError when the name does not end in one of suffixes, or its folder is
    not there.
    """
    ends = " or ".join(suffixes)
    value = text.strip()
    if not value:
        raise rules.ExportError(f"type a file name ending in {ends}")
    path = Path(value).expanduser()
    if not path.is_absolute():
        path = (cwd or Path.cwd()) / path
    if path.suffix.lower() not in suffixes:
        raise rules.ExportError(f"{path.name}: the export name must end in {ends}")
    if path.is_dir():
        raise rules.ExportError(f"{path}: is a folder; add a file name ending in {ends}")
    problem = folder_problem(path)  # an export makes no folder: a typo stays a typo
    if problem:
        raise rules.ExportError(problem)
    return path


def export(
    data_dir: DataDir,
    path: Path,
    rule: str | None = None,
    progress: rules.ExportProgress | None = None,
) -> int:
    """Export the latest results (or one rule's) to path; return how many issues were written."""
    with reading(data_dir) as conn:
        if conn is None or not _has_results(conn) or rules.latest(conn) is None:
            raise rules.ExportError("nothing to export yet: run a sync first")
        return rules.export_stored(conn, path, rule=rule, progress=progress)


def domains_problem(text: str) -> str | None:
    """Why the typed email_domains cannot be saved (None: they can; blank stops the check)."""
    bad = [d for d in parse_domains(text) if not _DOMAIN.fullmatch(d)]
    if bad:
        return f"not a domain: {', '.join(bad)} (type names like lincoln.org, comma-separated)"
    return None


def save_domains(
    data_dir: DataDir, text: str, guard: AbstractContextManager[object] | None = None
) -> rules.StoredValidation | None:
    """Save email_domains and re-run the rules under the writer lock (BusyError when taken).

    guard (the app's in-process store lock) is taken once the writer lock is held.
    """
    with FileLock(data_dir.sync_lock), guard or nullcontext():
        return rules.set_email_domains(data_dir, text)
