"""Keep the rules' results with the SyncRun: per rule counts, new and resolved, the issues."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import peewee as pw

from datasync_tui import clock
from datasync_tui.rules.carry import carry_forward, remember_code
from datasync_tui.rules.catalog import BY_ID, RANK, RULES
from datasync_tui.rules.classroom import Classroom, dry_run
from datasync_tui.rules.runner import HITS, Evaluation, Issue, evaluate
from datasync_tui.store import sqlite

# Issue lists are kept for the last two evaluated syncs (resolved = previous minus current);
# the per-rule figures of every sync are kept (the trend).
_IDENTITY = "sourcedId || char(31) || field"


def raw(db: pw.Database | sqlite.Connection) -> sqlite.Connection:
    """The raw connection under a peewee database (or the connection itself)."""
    return db if isinstance(db, sqlite.Connection) else db.connection()


@dataclass(frozen=True)
class StoredValidation:
    """The rules' results kept with one sync."""

    run_id: int
    previous_run_id: int | None
    evaluated_at: str
    today: str
    email_domains: tuple[str, ...]
    classroom: Classroom
    seconds: float


@dataclass(frozen=True)
class RuleSummary:
    """One rule's line on the Validations page: figures at the sync, and the trend before it."""

    id: str
    title: str
    severity: str
    topic: str
    hint: str
    count: int
    new: int
    resolved: int
    skipped: bool
    trend: tuple[int, ...]  # issue counts of the last syncs, oldest first, this one last


@contextmanager
def _writing(conn: sqlite.Connection, name: str) -> Iterator[None]:
    """A write transaction of its own, or a savepoint inside the caller's: all or nothing."""
    own_txn = not conn.in_transaction
    conn.execute("BEGIN IMMEDIATE" if own_txn else f"SAVEPOINT {name}")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK" if own_txn else f"ROLLBACK TO {name}")
        if not own_txn:
            conn.execute(f"RELEASE {name}")
        raise
    conn.execute("COMMIT" if own_txn else f"RELEASE {name}")


def evaluate_and_store(
    db: pw.Database | sqlite.Connection,
    run_id: int,
    email_domains: str | None,
    today: str | None = None,
) -> StoredValidation:
    """Run the rules and the dry run, and keep them with SyncRun run_id (replacing earlier)."""
    conn = raw(db)
    started = time.perf_counter()
    with _writing(conn, "rules"):
        ev = evaluate(conn, email_domains=email_domains, today=today, run_id=run_id)
        classroom = dry_run(conn, ev.today)
        stored = _store(conn, run_id, ev, classroom, time.perf_counter() - started)
        remember_code(conn)
    return stored


def carry_or_evaluate(
    db: pw.Database | sqlite.Connection, run_id: int, email_domains: str | None
) -> StoredValidation:
    """After a sync that changed no data: the last results carried forward when nothing else
    differs (same day, settings, rules, findings), else a full evaluation."""
    conn = raw(db)
    with _writing(conn, "carry"):
        carried = carry_forward(conn, run_id, email_domains)
    if carried is None:
        return evaluate_and_store(conn, run_id, email_domains)
    prev, evaluated_at, today, domains, classroom = carried
    return StoredValidation(run_id, prev, evaluated_at, today, domains, classroom, 0.0)


def _store(
    conn: sqlite.Connection, run_id: int, ev: Evaluation, classroom: Classroom, seconds: float
) -> StoredValidation:
    """Write the hits of ev as run_id's issues, figures and dry run; drop older issue lists."""
    prev = conn.execute(
        "SELECT max(run_id) FROM validation_runs WHERE run_id < ?", (run_id,)
    ).fetchone()[0]
    conn.execute("DELETE FROM validation_issues WHERE run_id = ?", (run_id,))
    conn.execute(
        "INSERT INTO validation_issues "
        "(run_id, rank, rule, severity, topic, sourcedId, field, value, message, is_new) "
        "SELECT :run, h.rank, h.rule, h.severity, h.topic, h.sourcedId, h.field, h.value, "
        "h.message, NOT EXISTS (SELECT 1 FROM validation_issues p WHERE p.run_id = :prev "
        "AND p.rank = h.rank AND p.sourcedId = h.sourcedId AND p.field = h.field) "
        f"FROM {HITS} h ORDER BY h.rank, h.sourcedId, h.field, h.topic",
        {"run": run_id, "prev": prev},
    )
    new = dict(
        conn.execute(
            f"SELECT rule, count(DISTINCT {_IDENTITY}) FROM validation_issues "
            "WHERE run_id = ? AND is_new GROUP BY rule",
            (run_id,),
        ).fetchall()
    )
    resolved = dict(
        conn.execute(
            "SELECT p.rule, count(DISTINCT p.sourcedId || char(31) || p.field) "
            "FROM validation_issues p WHERE p.run_id = :prev AND NOT EXISTS ("
            "SELECT 1 FROM validation_issues c WHERE c.run_id = :run AND c.rank = p.rank "
            "AND c.sourcedId = p.sourcedId AND c.field = p.field) GROUP BY p.rule",
            {"run": run_id, "prev": prev},
        ).fetchall()
    )
    conn.execute("DELETE FROM validation_counts WHERE run_id = ?", (run_id,))
    conn.executemany(
        "INSERT INTO validation_counts (run_id, rule, severity, count, new, resolved, skipped) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (
                run_id,
                rule.id,
                rule.severity,
                ev.counts.get(rule.id, 0),
                new.get(rule.id, 0),
                resolved.get(rule.id, 0),
                rule.id in ev.skipped,
            )
            for rule in RULES
        ],
    )
    evaluated_at = clock.iso_z()
    conn.execute(
        "INSERT OR REPLACE INTO validation_runs "
        "(id, run_id, evaluated_at, today, email_domains, classroom, seconds) VALUES ("
        "(SELECT id FROM validation_runs WHERE run_id = ?), ?, ?, ?, ?, ?, ?)",
        (
            run_id,
            run_id,
            evaluated_at,
            ev.today,
            ",".join(ev.email_domains),
            json.dumps(classroom.to_stored()),
            seconds,
        ),
    )
    conn.execute(
        "DELETE FROM validation_issues WHERE run_id NOT IN (?, ?)", (run_id, prev or run_id)
    )
    return StoredValidation(
        run_id, prev, evaluated_at, ev.today, ev.email_domains, classroom, seconds
    )


def latest(db: pw.Database | sqlite.Connection) -> StoredValidation | None:
    """The results kept with the most recent evaluated sync, or None before the first."""
    conn = raw(db)
    row = conn.execute(
        "SELECT run_id, evaluated_at, today, email_domains, classroom, seconds "
        "FROM validation_runs ORDER BY run_id DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    prev = conn.execute(
        "SELECT max(run_id) FROM validation_runs WHERE run_id < ?", (row[0],)
    ).fetchone()[0]
    domains = tuple(d for d in row[3].split(",") if d)
    classroom = Classroom.from_json(json.loads(row[4]))
    return StoredValidation(row[0], prev, row[1], row[2], domains, classroom, row[5])


def summaries(
    db: pw.Database | sqlite.Connection, run_id: int | None = None, trend: int = 7
) -> list[RuleSummary]:
    """Every rule in catalog order (errors first) with its figures at the sync and its trend."""
    conn = raw(db)
    if run_id is None:
        found = latest(conn)
        if found is None:
            return []
        run_id = found.run_id
    runs = [
        r[0]
        for r in conn.execute(
            "SELECT run_id FROM validation_runs WHERE run_id <= ? ORDER BY run_id DESC LIMIT ?",
            (run_id, max(trend, 1)),
        ).fetchall()
    ][::-1]
    marks = ",".join("?" * len(runs))
    history: dict[str, dict[int, int]] = {}
    for rid, rule, count in conn.execute(
        f"SELECT run_id, rule, count FROM validation_results WHERE run_id IN ({marks})", runs
    ).fetchall():
        history.setdefault(rule, {})[rid] = count
    rows = {
        r[0]: r[1:]
        for r in conn.execute(
            "SELECT rule, count, new, resolved, skipped FROM validation_results WHERE run_id = ?",
            (run_id,),
        ).fetchall()
    }
    out = []
    for rule in RULES:
        count, new, resolved, skipped = rows.get(rule.id, (0, 0, 0, False))
        points = tuple(history.get(rule.id, {}).get(rid, 0) for rid in runs)
        out.append(
            RuleSummary(
                id=rule.id,
                title=rule.title,
                severity=rule.severity,
                topic=rule.topic,
                hint=rule.hint,
                count=count,
                new=new,
                resolved=resolved,
                skipped=bool(skipped),
                trend=points,
            )
        )
    return out


IssueKey = tuple[str, str, str]  # (sourcedId, field, topic): an issue's place within its rule


def issues_page(
    db: pw.Database | sqlite.Connection,
    rule: str,
    *,
    run_id: int | None = None,
    after: IssueKey | None = None,
    before: IssueKey | None = None,
    limit: int = 100,
) -> list[Issue]:
    """One page of a rule's issues by keyset (after or before a key), sorted by sourcedId."""
    conn = raw(db)
    run_id = run_id if run_id is not None else _latest_id(conn)
    sql = (
        "SELECT rule, severity, topic, sourcedId, field, value, message, is_new "
        "FROM validation_issues WHERE run_id = ? AND rank = ?"
    )
    args: list[object] = [run_id, RANK[rule]]
    order = "ASC"
    if after is not None:
        sql += " AND (sourcedId, field, topic) > (?, ?, ?)"
        args += after
    elif before is not None:
        sql += " AND (sourcedId, field, topic) < (?, ?, ?)"
        args += before
        order = "DESC"
    sql += f" ORDER BY sourcedId {order}, field {order}, topic {order} LIMIT ?"
    rows = conn.execute(sql, [*args, limit]).fetchall()
    if order == "DESC":
        rows.reverse()
    return [_issue(r) for r in rows]


def key_of(issue: Issue) -> IssueKey:
    """The keyset key of an issue (to ask for the page after or before it)."""
    return (issue.sourcedId, issue.field, issue.topic)


def resolved_issues(
    db: pw.Database | sqlite.Connection, rule: str, run_id: int | None = None, limit: int = 1000
) -> list[Issue]:
    """Issues of a rule at the previous sync that this sync no longer has."""
    conn = raw(db)
    run_id = run_id if run_id is not None else _latest_id(conn)
    prev = conn.execute(
        "SELECT max(run_id) FROM validation_runs WHERE run_id < ?", (run_id,)
    ).fetchone()[0]
    rows = conn.execute(
        "SELECT p.rule, p.severity, p.topic, p.sourcedId, p.field, p.value, p.message, 0 "
        "FROM validation_issues p WHERE p.run_id = :prev AND p.rank = :rank AND NOT EXISTS ("
        "SELECT 1 FROM validation_issues c WHERE c.run_id = :run AND c.rank = p.rank "
        "AND c.sourcedId = p.sourcedId AND c.field = p.field) "
        "ORDER BY p.sourcedId, p.field LIMIT :limit",
        {"prev": prev, "run": run_id, "rank": RANK[rule], "limit": limit},
    ).fetchall()
    return [_issue(r) for r in rows]


def iter_stored(
    db: pw.Database | sqlite.Connection,
    run_id: int | None = None,
    rule: str | None = None,
    batch: int = 2000,
) -> Iterator[Issue]:
    """Every kept issue of a sync (or of one rule), errors first, in the export order."""
    conn = raw(db)
    run_id = run_id if run_id is not None else _latest_id(conn)
    where, args = "run_id = ?", [run_id]
    if rule is not None:
        where += " AND rank = ?"
        args.append(RANK[rule])
    cur = conn.execute(
        "SELECT rule, severity, topic, sourcedId, field, value, message, is_new "
        f"FROM validation_issues WHERE {where} ORDER BY rank, sourcedId, field, topic",
        args,
    )
    while rows := cur.fetchmany(batch):
        yield from (_issue(r) for r in rows)


def stored_count(
    db: pw.Database | sqlite.Connection, run_id: int | None = None, rule: str | None = None
) -> int:
    """How many issues are kept for a sync (or one of its rules)."""
    conn = raw(db)
    run_id = run_id if run_id is not None else _latest_id(conn)
    if rule is None:
        sql, args = (
            "SELECT coalesce(sum(count), 0) FROM validation_results WHERE run_id = ?",
            [run_id],
        )
    else:
        sql = "SELECT coalesce(sum(count), 0) FROM validation_results WHERE run_id = ? AND rule = ?"
        args = [run_id, rule]
    return int(conn.execute(sql, args).fetchone()[0])


def _latest_id(conn: sqlite.Connection) -> int | None:
    """The id of the latest evaluated sync."""
    return conn.execute("SELECT max(run_id) FROM validation_runs").fetchone()[0]


def _issue(row: tuple) -> Issue:
    """An Issue from a stored row (rule, severity, topic, sourcedId, field, value, message, new)."""
    return Issue(*row[:7], hint=BY_ID[row[0]].hint, is_new=bool(row[7]))
