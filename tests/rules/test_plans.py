"""EXPLAIN QUERY PLAN: no rule scans a big table inside a correlated subquery or a nested loop.

Unindexed, "classes without teacher" took ~77 minutes at a million enrollments; indexed, 69 ms.
The plans are read on a real store (the indexes a sync leaves), with the rules' own SQL.
"""

from __future__ import annotations

import re

import pytest

from datasync_tui.rules import RULES
from datasync_tui.rules.base import BIG_TABLES, expand
from datasync_tui.rules.classroom import _BAD_EMAIL, _CLASS_FATE, _FAILING
from datasync_tui.rules.runner import install_functions
from datasync_tui.store import sqlite
from datasync_tui.store.models import TABLES
from tests.helpers.rules_store import Store

PARAMS = {"today": "2026-11-28", "run_id": 1, "not_a_user": "", "unknown_user_rank": 8}
SCAN = re.compile(r"^SCAN (\w+)")
AUTOMATIC = re.compile(r"^SEARCH (\w+) USING AUTOMATIC")


def plan(conn: sqlite.Connection, sql: str) -> list[tuple[int, int, str]]:
    """(id, parent, detail) rows of the query plan."""
    return [(r[0], r[1], r[3]) for r in conn.execute("EXPLAIN QUERY PLAN " + sql, PARAMS)]


def aliases(sql: str) -> dict[str, str]:
    """alias -> table for every `FROM/JOIN table alias` in the SQL (tables named as themselves)."""
    found = {t: t for t in TABLES.values()}
    for table, alias in re.findall(r"\b(?:FROM|JOIN)\s+(\w+)\s+(?:AS\s+)?(\w+)", sql, re.I):
        if table in found and alias.upper() not in {"WHERE", "ON", "JOIN", "GROUP", "ORDER"}:
            found[alias] = table
    return found


def bad_scans(conn: sqlite.Connection, sql: str) -> list[str]:
    """Scans of a big table in a correlated subquery or a join's inner loop; ad hoc indexes on one.

    An automatic index is SQLite building an index on the fly (a sort of the whole table)
    each time the query runs: on a big table that means an index is missing.
    """
    rows = plan(conn, sql)
    names = aliases(sql)
    parent = {i: p for i, p, _ in rows}
    detail = {i: d for i, _, d in rows}

    def correlated(i: int) -> bool:
        while i in parent:
            i = parent[i]
            if detail.get(i, "").startswith("CORRELATED"):
                return True
        return False

    problems = []
    loops_seen: dict[int, int] = {}
    for i, p, d in rows:
        is_loop = d.startswith(("SCAN ", "SEARCH "))
        m = SCAN.match(d)
        big = m is not None and names.get(m.group(1)) in BIG_TABLES and "VIRTUAL" not in d
        if big and correlated(i):
            problems.append(f"correlated: {d}")
        if big and loops_seen.get(p, 0) > 0:
            problems.append(f"inner loop of a join: {d}")
        auto = AUTOMATIC.match(d)
        if auto is not None and names.get(auto.group(1)) in BIG_TABLES:
            problems.append(f"automatic index: {d}")
        if is_loop:
            loops_seen[p] = loops_seen.get(p, 0) + 1
    return problems


@pytest.fixture(scope="module")
def conn(tmp_path_factory: pytest.TempPathFactory) -> sqlite.Connection:
    """A store with the schema and indexes, the functions and the temp tables the rules use."""
    store = Store(tmp_path_factory.mktemp("plans") / "datasync.db")
    install_functions(store.conn, ["lincoln.org"])
    store.hits()  # creates temp.rule_hits
    for statement in expand(_BAD_EMAIL + _CLASS_FATE).split(";"):
        if statement.strip():
            store.conn.execute(statement, PARAMS)
    return store.conn


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_no_rule_scans_a_big_table_in_a_loop(conn: sqlite.Connection, rule) -> None:
    assert bad_scans(conn, rule.query()) == []


@pytest.mark.parametrize("name", ["class_fate", "failing"])
def test_the_dry_run_does_not_either(conn: sqlite.Connection, name: str) -> None:
    sql = expand(_CLASS_FATE.split(";")[-2] if name == "class_fate" else _FAILING)
    assert bad_scans(conn, sql) == []


def test_the_checker_catches_an_unindexed_correlated_scan(conn: sqlite.Connection) -> None:
    sql = (
        "SELECT c.sourcedId FROM classes c WHERE NOT EXISTS (SELECT 1 FROM enrollments e "
        "WHERE e.endDate = c.title)"
    )
    assert bad_scans(conn, sql)
    nested = "SELECT u.sourcedId FROM classes c JOIN users u ON u.email LIKE c.title"
    assert bad_scans(conn, nested)
    adhoc = "SELECT u.sourcedId FROM classes c JOIN users u ON u.email = c.title"
    assert bad_scans(conn, adhoc)


def test_rules_search_enrollments_by_index(conn: sqlite.Connection) -> None:
    for rule in RULES:
        for _, _, d in plan(conn, rule.query()):
            if d.startswith("SEARCH e ") and "enrollments" in rule.sql:
                assert "INDEX" in d, (rule.id, d)
