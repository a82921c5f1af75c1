"""Validation rules: what in the stored data would break a Google Classroom roster sync.

The pieces: `catalog.RULES` (24 declarations), `runner.evaluate` (all rules into a temp table),
`classroom.dry_run`, `results` (kept with each SyncRun: counts, new, resolved, issues) and
`export` (.csv / .json). The functions below are what the sync, the CLI and the TUI call.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Mapping
from pathlib import Path

import peewee as pw

from datasync_tui.rules.base import ERROR, ISSUE_FIELDS, SEVERITIES, WARNING, Rule
from datasync_tui.rules.catalog import BY_ID, RULES
from datasync_tui.rules.classroom import Classroom
from datasync_tui.rules.export import (
    ExportError,
    Progress,
    default_export_path,
    export_issues,
    safe_cell,
)
from datasync_tui.rules.results import (
    IssueKey,
    RuleSummary,
    StoredValidation,
    evaluate_and_store,
    issues_page,
    iter_stored,
    key_of,
    latest,
    raw,
    resolved_issues,
    stored_count,
    summaries,
)
from datasync_tui.rules.runner import Evaluation, Issue, evaluate, iter_hits, last_applied_run

__all__ = [
    "BY_ID",
    "ERROR",
    "ISSUE_FIELDS",
    "RULES",
    "SEVERITIES",
    "WARNING",
    "Classroom",
    "Evaluation",
    "ExportError",
    "Issue",
    "IssueKey",
    "Progress",
    "Rule",
    "RuleSummary",
    "StoredValidation",
    "after_sync",
    "default_export_path",
    "evaluate",
    "export_issues",
    "export_stored",
    "issues_page",
    "iter_hits",
    "iter_stored",
    "key_of",
    "latest",
    "reevaluate",
    "resolved_issues",
    "safe_cell",
    "stored_count",
    "summaries",
]

log = logging.getLogger(__name__)


def after_sync(
    db: pw.Database | sqlite3.Connection, run_id: int, settings: Mapping[str, str] | None
) -> StoredValidation | None:
    """Run the rules over what sync run_id applied and keep the results; never fails the sync."""
    try:
        return evaluate_and_store(db, run_id, (settings or {}).get("email_domains"))
    except Exception as exc:  # the data is applied whatever the rules do; say so in the log
        log.warning("validation rules not run after sync #%s: %s", run_id, exc, exc_info=True)
        return None


def reevaluate(
    db: pw.Database | sqlite3.Connection, email_domains: str | None, today: str | None = None
) -> StoredValidation | None:
    """Run the rules again over the last applied sync (e.g. after email_domains changed).

    The caller holds the data dir's writer lock, as a sync does. New and resolved still compare
    with the sync before. None when nothing has been synced yet.
    """
    conn = raw(db)
    run_id = last_applied_run(conn)
    if run_id is None:
        return None
    return evaluate_and_store(conn, run_id, email_domains, today)


def export_stored(
    db: pw.Database | sqlite3.Connection,
    path: Path,
    *,
    rule: str | None = None,
    progress: Progress | None = None,
) -> int:
    """Export the issues kept with the latest sync (or one rule's) to path; return how many."""
    total = stored_count(db, rule=rule)
    return export_issues(iter_stored(db, rule=rule), path, total=total, progress=progress)
