"""Apply staged data to the live tables in the caller's transaction; refresh derived columns."""

from __future__ import annotations

import json

import peewee as pw

from connectors.canonical import COUNTED_TOPICS, TOPIC_ORDER
from datasync_tui.store.db import create_indexes, drop_indexes
from datasync_tui.store.models import TABLES, Meta, columns
from datasync_tui.sync.staging import STAGE_REMOVED, stage_table, staged_topics

# Above this share of new rows (into a table this empty), indexes are rebuilt once after the load.
REBUILD_SHARE = 0.5
TOTALS_KEY = "totals"


def apply_staged(
    db: pw.Database, run_id: int, changed: set[str], done: frozenset[str] = frozenset()
) -> None:
    """Move every staged topic into the live tables; the caller holds the transaction.

    `changed` names the topics that change (staged or loaded directly): derived columns and
    totals are refreshed for those only. `done`: the topics `apply_ready` already applied.
    """
    _apply_topics(db, run_id, changed - done)
    if changed & {"users", "roles"} and not {"users", "roles"} <= done:
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


def apply_ready(
    db: pw.Database, run_id: int, changed: set[str], waiting: set[str]
) -> frozenset[str]:
    """Apply now what does not wait for the `waiting` topics (still loading); what it applied."""
    ready = frozenset(TOPIC_ORDER) - waiting
    _apply_topics(db, run_id, changed & ready)
    if changed & {"users", "roles"} and {"users", "roles"} <= ready:
        refresh_primary_roles(db)
    return ready


def _apply_topics(db: pw.Database, run_id: int, topics: set[str]) -> None:
    """Apply the staged rows of these topics, in topic order."""
    staged = set(staged_topics(db))
    for topic in TOPIC_ORDER:
        if topic in staged and topic in topics:
            _apply_topic(db, run_id, topic)


def _apply_topic(db: pw.Database, run_id: int, topic: str) -> None:
    """Remove, update and insert one topic's rows from its staging table."""
    table, stage = TABLES[topic], stage_table(topic)
    db.execute_sql(
        f"INSERT INTO sync_removals (run_id, topic, sourcedId) "
        f"SELECT ?, topic, sourcedId FROM {STAGE_REMOVED} WHERE topic = ?",
        (run_id, topic),
    )
    db.execute_sql(
        f'DELETE FROM "{table}" WHERE rowid IN '
        f"(SELECT live_rowid FROM {STAGE_REMOVED} WHERE topic = ?)",
        (topic,),
    )
    staged = db.execute_sql(f'SELECT count(*) FROM "{stage}"').fetchone()[0]
    if not staged:
        return
    live = db.execute_sql(f'SELECT count(*) FROM "{table}"').fetchone()[0]
    cols = columns(topic)
    col_list = ", ".join(f'"{c}"' for c in cols)
    rebuild = staged > REBUILD_SHARE * (live + staged)
    if rebuild:
        drop_indexes(db, topic)
        # Without the unique index: replace updated rows by deleting them first.
        db.execute_sql(
            f'DELETE FROM "{table}" WHERE sourcedId IN (SELECT sourcedId FROM "{stage}")'
        )
        db.execute_sql(
            f'INSERT INTO "{table}" ({col_list}) SELECT {col_list} FROM "{stage}" ORDER BY rowid'
        )
        create_indexes(db, topic)
        return
    updates = ", ".join(f'"{c}" = excluded."{c}"' for c in cols if c != "sourcedId")
    db.execute_sql(
        f'INSERT INTO "{table}" ({col_list}) SELECT {col_list} FROM "{stage}" WHERE true '
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
    Meta.replace(key=TOTALS_KEY, value=json.dumps(totals)).execute()


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
