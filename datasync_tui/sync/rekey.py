"""ID drift: a record the source removed and one it added that are the same person, class or
org under a new sourcedId become one `rekeyed` change instead of a removal and an addition.

A user is the same person when one of these is equal and not blank: the email or the username
(any case), the identifier, or the given and family names with the birth date; a class when its
classCode, school and terms are; an org when its identifier is. Only pairs that match one to
one count (two candidates for one record are left as they are).
"""

from __future__ import annotations

from datasync_tui.store import sqlite
from datasync_tui.store.models import TABLES
from datasync_tui.sync.changelog import LOG
from datasync_tui.sync.counts import TopicChanges

# Topic → the columns of a record that tell it: each key is built from them and counts when it
# is not NULL (blank parts make it NULL). {r} is where the columns are read from.
KEYS: dict[str, tuple[str, ...]] = {
    "users": (
        "nullif(lower({r}email), '')",
        "nullif(lower({r}username), '')",
        "nullif({r}identifier, '')",
        "nullif(lower({r}givenName), '') || char(31) || nullif(lower({r}familyName), '') "
        "|| char(31) || nullif({r}birthDate, '')",
    ),
    "classes": (
        "nullif({r}classCode, '') || char(31) || coalesce({r}schoolSourcedId, '') || char(31) "
        "|| coalesce({r}termSourcedIds, '')",
    ),
    "orgs": ("nullif({r}identifier, '')",),
}
COLUMNS = {
    "users": ("email", "username", "identifier", "givenName", "familyName", "birthDate"),
    "classes": ("classCode", "schoolSourcedId", "termSourcedIds"),
    "orgs": ("identifier",),
}


def find_rekeys(
    conn: sqlite.Connection, run_id: int, changes: dict[str, TopicChanges], since: int
) -> None:
    """Turn each removed-and-added pair that is one record into a `rekeyed` change of the
    run's log (the new id's entry, with the old id and its old row); counts follow. The run's
    changes are those logged after id `since`."""
    for topic in KEYS:
        c = changes.get(topic)
        if c is None or c.direct or not c.removed or not c.added:
            continue
        pairs = _pairs(conn, run_id, topic, since)
        if not pairs:
            continue
        mine = f"id > {int(since)} AND run_id = {int(run_id)} AND topic = ?"
        conn.execute("DROP TABLE IF EXISTS temp.rk_pairs")
        conn.execute("CREATE TEMP TABLE rk_pairs (old TEXT PRIMARY KEY, new TEXT UNIQUE, row TEXT)")
        conn.executemany("INSERT INTO temp.rk_pairs (old, new) VALUES (?, ?)", pairs)
        # Each statement reads the run's changes once (by their id range).
        conn.execute(
            "UPDATE temp.rk_pairs SET row = o.row FROM (SELECT sourcedId, row FROM "
            f"{LOG} WHERE {mine} AND change = 'removed' AND sourcedId IN "
            "(SELECT old FROM temp.rk_pairs)) o WHERE o.sourcedId = rk_pairs.old",
            (topic,),
        )
        conn.execute(
            f"UPDATE {LOG} SET change = 'rekeyed', "
            "previous_sourcedId = (SELECT p.old FROM temp.rk_pairs p WHERE p.new = sourcedId), "
            "row = (SELECT p.row FROM temp.rk_pairs p WHERE p.new = sourcedId) "
            f"WHERE {mine} AND change = 'added' AND sourcedId IN (SELECT new FROM temp.rk_pairs)",
            (topic,),
        )
        conn.execute(
            f"DELETE FROM {LOG} WHERE {mine} AND change = 'removed' "
            "AND sourcedId IN (SELECT old FROM temp.rk_pairs)",
            (topic,),
        )
        conn.execute("DROP TABLE temp.rk_pairs")
        c.rekeyed = len(pairs)
        c.added -= c.rekeyed
        c.removed -= c.rekeyed


def _pairs(conn: sqlite.Connection, run_id: int, topic: str, since: int) -> list[tuple[str, str]]:
    """(old id, new id) of the removed and added records that match one to one."""
    keys = KEYS[topic]
    old = ", ".join(f"{key.format(r='o.')} AS k{i}" for i, key in enumerate(keys))
    old_row = ", ".join(f"{_old_value(topic, name)} AS {name}" for name in COLUMNS[topic])
    new_row = ", ".join(f"{_new_value(conn, topic, name)} AS {name}" for name in COLUMNS[topic])
    mine = "c.id > ? AND c.run_id = ? AND c.topic = ?"
    for name in ("rk_old", "rk_new"):
        conn.execute(f"DROP TABLE IF EXISTS temp.{name}")
    conn.execute(
        f"CREATE TEMP TABLE rk_old AS SELECT o.id, {old} FROM (SELECT c.sourcedId AS id, "
        f"{old_row} FROM {LOG} c WHERE {mine} AND c.change = 'removed') o",
        (since, run_id, topic),
    )
    conn.execute(
        f"CREATE TEMP TABLE rk_new AS SELECT o.id, {old} FROM (SELECT s.sourcedId AS id, "
        f'{new_row} FROM {LOG} c JOIN temp."stage_{TABLES[topic]}" s '
        "ON s.sourcedId = c.sourcedId "
        f"WHERE {mine} AND c.change = 'added') o",
        (since, run_id, topic),
    )
    for i in range(len(keys)):
        conn.execute(f"CREATE INDEX temp.rk_new_k{i} ON rk_new (k{i})")
    matches = " UNION ".join(
        f"SELECT o.id AS old, n.id AS new FROM rk_old o JOIN rk_new n ON n.k{i} = o.k{i}"
        for i in range(len(keys))
    )
    found = conn.execute(
        f"SELECT old, new FROM (SELECT old, new, count(*) OVER (PARTITION BY old) AS o, "
        f"count(*) OVER (PARTITION BY new) AS n FROM ({matches})) WHERE o = 1 AND n = 1 "
        "ORDER BY new"
    ).fetchall()
    for name in ("rk_old", "rk_new"):
        conn.execute(f"DROP TABLE temp.{name}")
    return [(a, b) for a, b in found]


def _old_value(topic: str, name: str) -> str:
    """SQL for a column of a removed record (from its logged row; a user's birth date from
    the live demographics)."""
    if topic == "users" and name == "birthDate":
        return "(SELECT d.birthDate FROM demographics d WHERE d.sourcedId = c.sourcedId)"
    return f"json_extract(c.row, '$.{name}')"


def _new_value(conn: sqlite.Connection, topic: str, name: str) -> str:
    """SQL for a column of an added record (from its staged row; a user's birth date from the
    staged demographics when they were read in this sync, else the live ones)."""
    if topic == "users" and name == "birthDate":
        staged = conn.execute(
            "SELECT 1 FROM temp.sqlite_master WHERE name = 'stage_demographics'"
        ).fetchone()
        table = 'temp."stage_demographics"' if staged else "demographics"
        return f"(SELECT d.birthDate FROM {table} d WHERE d.sourcedId = s.sourcedId)"
    return f"s.{name}"
