"""Validation rules: what in the stored data would break a Google Classroom roster sync.

The pieces: `catalog.RULES` (24 declarations), `runner.evaluate` (all rules into a temp table),
`classroom.dry_run`, `results` (kept with each SyncRun: counts, new, resolved, issues) and
`export` (.csv / .json). The functions below are what the sync, the CLI and the TUI call.

For the Validations screen (all read the results kept with the last sync; pass the peewee
database or its raw connection): `latest` (when, domains, the Classroom dry run with its
reasons), `summaries` (every rule in order, errors first, with count, new, resolved, skipped
and trend), `issues_page` / `key_of` / `stored_count` (one rule's issues by keyset, for a
virtual list), `resolved_issues`, `export_stored` (with a progress callback) and
`default_export_path`; `set_email_domains` saves the setting and runs the rules again (the
caller holds the data dir's writer lock, as a sync does).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

import peewee as pw

from datasync_tui.paths import DataDir
from datasync_tui.rules.address import parse_domains
from datasync_tui.rules.base import ERROR, ISSUE_FIELDS, SEVERITIES, WARNING, Rule
from datasync_tui.rules.catalog import BY_ID, RULES
from datasync_tui.rules.classroom import Classroom
from datasync_tui.rules.export import (
    ExportError,
    ExportProgress,
    default_export_path,
    export_issues,
    safe_cell,
)
from datasync_tui.rules.results import (
    IssueKey,
    RuleSummary,
    StoredValidation,
    carry_or_evaluate,
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
from datasync_tui.rules.runner import (
    Evaluation,
    Issue,
    evaluate,
    iter_hits,
    last_applied_run,
)
from datasync_tui.store import config, sqlite
from datasync_tui.store.db import connect

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
    "ExportProgress",
    "Issue",
    "IssueKey",
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
    "set_email_domains",
    "stored_count",
    "summaries",
]

log = logging.getLogger(__name__)


def after_sync(
    db: pw.Database | sqlite.Connection,
    run_id: int,
    settings: Mapping[str, str] | None,
    unchanged: bool = False,
) -> StoredValidation | None:
    """Run the rules over what sync run_id applied and keep the results; never fails the sync.

    `unchanged`: the sync changed no data (the last results may then be carried forward).
    """
    try:
        domains = (settings or {}).get("email_domains")
        if unchanged:
            return carry_or_evaluate(db, run_id, domains)
        return evaluate_and_store(db, run_id, domains)
    except Exception as exc:  # the data is applied whatever the rules do; say so in the log
        log.warning("validation rules not run after sync #%s: %s", run_id, exc, exc_info=True)
        return None


def reevaluate(
    db: pw.Database | sqlite.Connection, email_domains: str | None, today: str | None = None
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
    db: pw.Database | sqlite.Connection,
    path: Path,
    *,
    rule: str | None = None,
    progress: ExportProgress | None = None,
) -> int:
    """Export the issues kept with the latest sync (or one rule's) to path; return how many."""
    total = stored_count(db, rule=rule)
    return export_issues(iter_stored(db, rule=rule), path, total=total, progress=progress)


def set_email_domains(data_dir: DataDir, domains: str) -> StoredValidation | None:
    """Save the connection's email_domains and run the rules again over the last sync.

    The caller holds the data dir's writer lock (datasync_tui.sync.lock.FileLock on
    data_dir.sync_lock), as a sync does. None when no source is saved or nothing synced yet.
    """
    saved = config.load(data_dir)
    if saved is None:
        return None
    text = ",".join(parse_domains(domains))
    config.save(data_dir, replace(saved, settings={**saved.settings, "email_domains": text}))
    db = connect(data_dir.database)
    try:
        return reevaluate(db, text)
    finally:
        db.close()
