"""Open the SQLite store: WAL, busy timeout, schema and indexes."""

from __future__ import annotations

from pathlib import Path

import peewee as pw
from playhouse.migrate import SqliteMigrator, migrate

from datasync_tui.errors import DataSyncError
from datasync_tui.store import sqlite
from datasync_tui.store.faults import fault_message
from datasync_tui.store.models import (
    ALL_MODELS,
    INDEXES,
    RESULTS_VIEW,
    RETIRED_INDEXES,
    TABLES,
    TOPIC_MODELS,
    Meta,
    database_proxy,
)

SCHEMA_VERSION = "1"
BUSY_TIMEOUT_MS = 30_000


class StoreError(DataSyncError):
    """The store cannot be opened or is not ours."""


class SqleanDatabase(pw.SqliteDatabase):
    """Peewee's SQLite database over sqlean.py's driver (the store's one SQLite)."""

    def _connect(self) -> sqlite.Connection:
        """Open a connection through sqlean.py (peewee's own code otherwise)."""
        conn = sqlite.connect(
            self.database, timeout=self._timeout, isolation_level=None, **self.connect_params
        )
        try:
            self._add_conn_hooks(conn)
        except Exception:
            conn.close()
            raise
        return conn


def connect(path: Path) -> pw.SqliteDatabase:
    """Open (creating if needed) the database at path, bind the models, ensure the schema."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = SqleanDatabase(
        str(path),
        pragmas={
            "journal_mode": "wal",
            "busy_timeout": BUSY_TIMEOUT_MS,
            "synchronous": "normal",
            "foreign_keys": 1,
            "cache_size": -64_000,
            "temp_store": "file",  # scratch (staging, sorts) in a temp file, not RAM
        },
        timeout=BUSY_TIMEOUT_MS / 1000,
        check_same_thread=False,
    )
    database_proxy.initialize(db)
    try:
        db.connect(reuse_if_open=True)
        _ensure_schema(db)
    except pw.DatabaseError as exc:
        told = fault_message(exc, path) or f"{path}: cannot open the database ({exc})"
        raise StoreError(told) from exc
    return db


def _ensure_schema(db: pw.SqliteDatabase) -> None:
    """Create tables and indexes on a new database; refuse one of a newer schema."""
    with db.atomic():
        _results_to_counts(db)
        db.create_tables(ALL_MODELS, safe=True)
        _add_missing_columns(db)
        db.execute_sql(RESULTS_VIEW)
        for topic in TOPIC_MODELS:
            create_indexes(db, topic)
        _note_change_ranges(db)
        for name in RETIRED_INDEXES:
            db.execute_sql(f'DROP INDEX IF EXISTS "{name}"')
        row = Meta.get_or_none(Meta.key == "schema_version")
        if row is None:
            Meta.create(key="schema_version", value=SCHEMA_VERSION)
        elif row.value != SCHEMA_VERSION:
            raise StoreError(
                f"database schema {row.value} is not {SCHEMA_VERSION}; use a matching version"
            )


def _results_to_counts(db: pw.SqliteDatabase) -> None:
    """An older store kept every sync's rule figures in the table validation_results: it
    becomes validation_counts, which the view of that name reads."""
    table = db.execute_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'validation_results'"
    ).fetchone()
    if table:
        db.execute_sql("ALTER TABLE validation_results RENAME TO validation_counts")


def _note_change_ranges(db: pw.SqliteDatabase) -> None:
    """A store whose change log was indexed by run: note each run's id range (while the index
    serves) before the index goes."""
    indexed = db.execute_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'syncchange_run_id'"
    ).fetchone()
    if indexed:
        db.execute_sql(
            "UPDATE sync_runs SET "
            "changes_first = (SELECT min(id) FROM sync_changes c WHERE c.run_id = sync_runs.id), "
            "changes_last = (SELECT max(id) FROM sync_changes c WHERE c.run_id = sync_runs.id) "
            "WHERE changes_first IS NULL"
        )


def _add_missing_columns(db: pw.SqliteDatabase) -> None:
    """Additive migration: a nullable column a newer model declares is added to an older table."""
    migrator = SqliteMigrator(db)
    for model in ALL_MODELS:
        table = model._meta.table_name
        present = {c.name for c in db.get_columns(table)}
        for field in model._meta.sorted_fields:
            if field.column_name not in present and field.null:
                migrate(migrator.add_column(table, field.column_name, field))


def index_names(topic: str) -> list[str]:
    """The names of a topic table's indexes, the unique sourcedId one first."""
    return [f"{TABLES[topic]}_sourcedid", *INDEXES.get(topic, {})]


def _run(db: pw.Database | sqlite.Connection, sql: str) -> None:
    """Run one statement on a peewee database or a raw connection."""
    if isinstance(db, pw.Database):
        db.execute_sql(sql)
    else:
        db.execute(sql)


def create_indexes(db: pw.Database | sqlite.Connection, topic: str) -> None:
    """Create the unique sourcedId index and the secondary indexes of a topic (if missing)."""
    table = TABLES[topic]
    _run(db, f'CREATE UNIQUE INDEX IF NOT EXISTS "{table}_sourcedid" ON "{table}" ("sourcedId")')
    for name, target in INDEXES.get(topic, {}).items():
        _run(db, f'CREATE INDEX IF NOT EXISTS "{name}" ON {target}')


def drop_indexes(db: pw.Database | sqlite.Connection, topic: str) -> None:
    """Drop every index of a topic table (before a bulk load into an empty table)."""
    for name in index_names(topic):
        _run(db, f'DROP INDEX IF EXISTS "{name}"')
