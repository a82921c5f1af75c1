"""Run every rule over the store into a temporary table of hits, one snapshot, one connection."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from datasync_tui import clock
from datasync_tui.rules.address import domain_checker, email_ok, parse_domains
from datasync_tui.rules.base import ISSUE_FIELDS, Rule
from datasync_tui.rules.catalog import BY_ID, RANK, RULES
from datasync_tui.store import sqlite

HITS = "temp.rule_hits"

_CREATE_HITS = f"""
CREATE TEMP TABLE IF NOT EXISTS rule_hits (
    rank INTEGER NOT NULL, rule TEXT NOT NULL, severity TEXT NOT NULL, topic TEXT NOT NULL,
    sourcedId TEXT NOT NULL, field TEXT NOT NULL, value TEXT, message TEXT NOT NULL,
    PRIMARY KEY (rank, sourcedId, field, topic)
) WITHOUT ROWID;
DELETE FROM {HITS};
"""


@dataclass(frozen=True)
class Issue:
    """One offending record: which rule, where, the field and value, and what to do."""

    rule: str
    severity: str
    topic: str
    sourcedId: str  # OneRoster's name, as in the JSON and CSV exports
    field: str
    value: str | None
    message: str
    hint: str
    is_new: bool | None = None  # against the previous sync, when known

    def as_dict(self) -> dict[str, str | None]:
        """The issue as the JSON and CSV exports write it."""
        return {name: getattr(self, name) for name in ISSUE_FIELDS}


@dataclass
class Evaluation:
    """What one run of the rules found, per rule."""

    run_id: int | None  # the SyncRun whose data (and duplicate findings) were read
    today: str
    email_domains: tuple[str, ...]
    counts: dict[str, int] = field(default_factory=dict)  # every rule that ran, 0 included
    skipped: tuple[str, ...] = ()
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """How many issues in all."""
        return sum(self.counts.values())


def install_functions(conn: sqlite.Connection, email_domains: Sequence[str]) -> None:
    """Give the connection the SQL functions the rules call."""
    conn.create_function("ds_email_ok", 1, email_ok, deterministic=True)
    conn.create_function("ds_email_inside", 1, domain_checker(email_domains), deterministic=True)


def last_applied_run(conn: sqlite.Connection) -> int | None:
    """The id of the last sync that applied data, or None before the first one."""
    row = conn.execute("SELECT max(id) FROM sync_runs WHERE status = 'succeeded'").fetchone()
    return row[0] if row else None


def evaluate(
    conn: sqlite.Connection,
    *,
    email_domains: str | Sequence[str] | None = None,
    today: str | None = None,
    run_id: int | None = None,
    rules: Sequence[Rule] = RULES,
) -> Evaluation:
    """Run the rules over the store into temp.rule_hits (replacing what was there)."""
    domains = parse_domains(email_domains)
    own_txn = not conn.in_transaction
    if own_txn:
        conn.execute("BEGIN")  # one read snapshot for every rule
    try:
        if run_id is None:
            run_id = last_applied_run(conn)
        ev = Evaluation(run_id, today or clock.today(), domains)
        install_functions(conn, domains)
        _create_hits(conn)
        params = {"today": ev.today, "run_id": run_id}
        skipped: list[str] = []
        for rule in rules:
            if rule.needs_domains and not domains:
                skipped.append(rule.id)
                continue
            started = time.perf_counter()
            conn.execute(_insert_sql(conn, rule), {**params, **_rule_params(rule)})
            ev.seconds[rule.id] = time.perf_counter() - started
        ev.skipped = tuple(skipped)
        found = dict(conn.execute(f"SELECT rule, count(*) FROM {HITS} GROUP BY rule").fetchall())
        ev.counts = {r.id: found.get(r.id, 0) for r in rules if r.id not in ev.skipped}
        for rule in rules:  # a rule that lists examples counts every issue there is
            if rule.total_sql and rule.id in ev.counts:
                total = conn.execute(rule.total_sql, {"run_id": run_id}).fetchone()[0]
                ev.counts[rule.id] = max(ev.counts[rule.id], int(total or 0))
    except BaseException:
        if own_txn:
            conn.execute("ROLLBACK")
        raise
    if own_txn:
        conn.execute("COMMIT")
    return ev


def _create_hits(conn: sqlite.Connection) -> None:
    """Create (or empty) the hits table inside the open transaction."""
    for statement in _CREATE_HITS.split(";"):
        if statement.strip():
            conn.execute(statement)


def _rule_params(rule: Rule) -> dict[str, object]:
    """The bound values that describe the rule itself."""
    return {
        "rule_rank": RANK[rule.id],
        "rule_id": rule.id,
        "rule_severity": rule.severity,
        "rule_topic": rule.topic,
        "rule_message": rule.message,
    }


_columns_cache: dict[str, tuple[str, ...]] = {}


def _columns(conn: sqlite.Connection, rule: Rule) -> tuple[str, ...]:
    """The column names a rule's query returns (LIMIT 0: prepared, not run)."""
    if rule.id not in _columns_cache:
        cur = conn.execute(f"SELECT * FROM ({rule.query()}) LIMIT 0", {"today": "", "run_id": None})
        _columns_cache[rule.id] = tuple(d[0] for d in cur.description)
    return _columns_cache[rule.id]


def _insert_sql(conn: sqlite.Connection, rule: Rule) -> str:
    """INSERT … SELECT that turns a rule's rows into hits, with the message written out."""
    cols = _columns(conn, rule)
    topic = "q.topic" if "topic" in cols else ":rule_topic"
    detail = "q.detail" if "detail" in cols else "''"
    return (
        f"INSERT OR IGNORE INTO {HITS} "
        "(rank, rule, severity, topic, sourcedId, field, value, message) "
        f"SELECT :rule_rank, :rule_id, :rule_severity, {topic}, coalesce(q.sourcedId, ''), "
        "q.field, q.value, "
        "replace(replace(:rule_message, '{value}', coalesce(q.value, '')), "
        f"'{{detail}}', coalesce({detail}, '')) "
        f"FROM ({rule.query()}) q"
    )


def iter_hits(
    conn: sqlite.Connection, rule: str | None = None, batch: int = 2000
) -> Iterator[Issue]:
    """The hits of the last evaluate(), rule by rule in catalog order, then by sourcedId."""
    where, args = ("WHERE rank = ?", (RANK[rule],)) if rule else ("", ())
    cur = conn.execute(
        "SELECT rule, severity, topic, sourcedId, field, value, message "
        f"FROM {HITS} {where} ORDER BY rank, sourcedId, field, topic",
        args,
    )
    while rows := cur.fetchmany(batch):
        for r in rows:
            yield Issue(r[0], r[1], r[2], r[3], r[4], r[5], r[6], BY_ID[r[0]].hint)
