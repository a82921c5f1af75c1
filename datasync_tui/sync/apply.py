"""Apply staged data to the live tables in the caller's transaction; refresh derived columns."""

from __future__ import annotations

import json

import peewee as pw

from connectors.canonical import COUNTED_TOPICS, TOPIC_ORDER
from datasync_tui.store import sqlite
from datasync_tui.store.db import create_indexes, drop_indexes
from datasync_tui.store.models import TABLES, Meta, columns
from datasync_tui.store.read import TOTALS_KEY
from datasync_tui.sync.staging import delta_table, find_delta, stage_table

# Above this share of new rows (into a table this empty), indexes are rebuilt once after the load.
REBUILD_SHARE = 0.5


def apply_topics(
    conn: sqlite.Connection,
    run_id: int,
    topics: dict[str, str],
    removed: str | None,
) -> None:
    """Apply each topic's staged rows ({topic: its staging table}) and the removals listed in
    `removed` (topic, sourcedId), in topic order (the run's change log says what they are)."""
    for topic in TOPIC_ORDER:
        if topic in topics:
            _apply_topic(conn, run_id, topic, topics[topic], removed)


def finish_apply(db: pw.Database, run_id: int, changed: set[str]) -> None:
    """Refresh what depends on the topics that changed, and keep the totals with the run."""
    if changed & {"users", "roles"}:
        refresh_primary_roles(db)
    if changed & {"classes", "enrollments"}:
        refresh_class_counts(db)
    if (
        changed
        or db.execute_sql(
            "SELECT NOT EXISTS (SELECT 1 FROM meta WHERE key = ?)", (TOTALS_KEY,)
        ).fetchone()[0]
    ):
        store_totals(db)
    db.execute_sql(
        "UPDATE sync_runs SET totals = (SELECT value FROM meta WHERE key = ?) WHERE id = ?",
        (TOTALS_KEY, run_id),
    )


def _apply_topic(
    conn: sqlite.Connection, run_id: int, topic: str, stage: str, removed: str | None
) -> None:
    """Remove, update and insert one topic's rows from its staging (or held) table: only the
    rows its delta lists (listed here for a held table)."""
    table = f'"{TABLES[topic]}"'
    if removed is not None:
        conn.execute(
            f"DELETE FROM {table} WHERE sourcedId IN "
            f"(SELECT sourcedId FROM {removed} WHERE topic = ?)",
            (topic,),
        )
    delta = delta_table(topic) if stage == stage_table(topic) else find_delta(conn, topic, stage)
    cols = columns(topic)
    col_list = ", ".join(f'"{c}"' for c in cols)
    picked = ", ".join(f's."{c}"' for c in cols)
    wanted = f"FROM {delta} d JOIN {stage} s ON s.rowid = d.s WHERE s.status IS NOT 'tobedeleted'"
    new = conn.execute(f"SELECT count(*) {wanted} AND d.l IS NULL").fetchone()[0]
    live = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] if new else 0
    if new and new > REBUILD_SHARE * (live + new):
        # Mostly new rows: the indexes are built once after the load, not row by row (the live
        # rows the staged ones replace are deleted by rowid first).
        conn.execute(
            f"DELETE FROM {table} WHERE rowid IN (SELECT d.l {wanted} AND d.l IS NOT NULL)"
        )
        drop_indexes(conn, topic)
        conn.execute(f"INSERT INTO {table} ({col_list}) SELECT {picked} {wanted} ORDER BY d.s")
        create_indexes(conn, topic)
        return
    updates = ", ".join(f'"{c}" = excluded."{c}"' for c in cols if c != "sourcedId")
    conn.execute(
        f"INSERT INTO {table} ({col_list}) SELECT {picked} {wanted} "
        f'ON CONFLICT ("sourcedId") DO UPDATE SET {updates}'
    )


def store_totals(db: pw.Database) -> None:
    """Keep the figures `status` and the dashboard show, so they never scan a big table."""
    totals = {
        "counts": {
            topic: db.execute_sql(f'SELECT count(*) FROM "{TABLES[topic]}"').fetchone()[0]
            for topic in COUNTED_TOPICS
        },
        "orgs_by_type": dict(
            db.execute_sql(
                "SELECT coalesce(type, 'unknown'), count(*) FROM orgs GROUP BY 1 ORDER BY 2 DESC, 1"
            ).fetchall()
        ),
        "users_by_role": dict(
            db.execute_sql(
                "SELECT coalesce(primary_role, 'unknown'), count(*) FROM users "
                "GROUP BY 1 ORDER BY 2 DESC, 1"
            ).fetchall()
        ),
    }
    Meta.replace(key=TOTALS_KEY, value=json.dumps(totals, separators=(",", ":"))).execute()


def refresh_primary_roles(db: pw.Database) -> None:
    """Each user's primary role: its primary role link, else the role the user row carries.

    The first link of each user (primary ones first, then in load order) is found in one pass;
    only the users whose stored value differs are written.
    """
    db.execute_sql("DROP TABLE IF EXISTS temp.first_role")
    db.execute_sql("CREATE TEMP TABLE first_role (uid TEXT PRIMARY KEY, role TEXT) WITHOUT ROWID")
    # SQLite takes a bare column from the row that gives min() its value.
    db.execute_sql(
        "INSERT INTO temp.first_role SELECT userSourcedId, role FROM ("
        "SELECT userSourcedId, role, min((CASE WHEN roleType = 'primary' THEN 0 "
        "WHEN roleType IS NOT NULL THEN 1 ELSE 2 END) * 1099511627776 + rowid) "
        "FROM roles WHERE userSourcedId IS NOT NULL GROUP BY userSourcedId)"
    )
    wanted = "coalesce((SELECT f.role FROM temp.first_role f WHERE f.uid = users.sourcedId), role)"
    db.execute_sql(f"UPDATE users SET primary_role = {wanted} WHERE primary_role IS NOT {wanted}")
    db.execute_sql("DROP TABLE temp.first_role")


def refresh_class_counts(db: pw.Database) -> None:
    """Store each class's teacher and student counts (for the explorer and the rules)."""
    db.execute_sql(
        "UPDATE classes SET "
        "teacher_count = (SELECT count(*) FROM enrollments e "
        "WHERE e.classSourcedId = classes.sourcedId AND e.role = 'teacher'), "
        "student_count = (SELECT count(*) FROM enrollments e "
        "WHERE e.classSourcedId = classes.sourcedId AND e.role = 'student')"
    )
