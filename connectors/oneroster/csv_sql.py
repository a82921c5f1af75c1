"""OneRoster CSV files as SQL: each column's canonical field and kind, the extras, the roles.

What a file's header says (which column is which field) becomes one SQL expression per field
over the file's columns c0, c1, … (see `csv_sql`); the 1.0/1.1 role links come from users.csv,
one per org of each user, the first primary.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from connectors.canonical import TOPICS
from connectors.common import csv_sql
from connectors.common.csv_header import is_secret
from connectors.oneroster.csv_spec import ROLE_WORDS, STATUS, STATUS_ALIASES, VOCABULARIES

EXTRA_COLUMNS = 200  # extra columns kept per file (metadata.*, vendor columns); more: skipped


def field_sql(topic: str, name: str, x: str) -> str:
    """The SQL of a canonical field's value from the raw text x."""
    if name == "status":
        return csv_sql.vocabulary(x, STATUS, STATUS_ALIASES)
    words = VOCABULARIES.get((topic, name))
    if words is not None:
        return csv_sql.vocabulary(x, words)
    kind = dict(TOPICS[topic])[name]
    if kind == "bool":
        return csv_sql.boolean(x)
    if kind == "date":
        return csv_sql.iso_date(x)
    if kind == "datetime":
        return csv_sql.iso_datetime(x)
    if kind == "list":
        return csv_sql.text_list(x)
    return csv_sql.text(x)


def values_sql(
    topic: str,
    header: Sequence[str],
    mapped: Sequence[str | None],
    file_name: str,
    warn: Callable[[str], None],
) -> dict[str, str]:
    """Each canonical field the header has (and "extras") as SQL over c0, c1, …; passwords are
    never selected."""
    values = {name: field_sql(topic, name, f"c{i}") for i, name in enumerate(mapped) if name}
    extras = [
        (header[i].strip() or f"column{i + 1}", f"c{i}")
        for i, target in enumerate(mapped)
        if target is None and not is_secret(header[i])
    ]
    if len(extras) > EXTRA_COLUMNS:
        warn(
            f"{file_name}: {len(extras):,} extra columns; the first {EXTRA_COLUMNS} are kept, "
            f"the rest ({extras[EXTRA_COLUMNS][0]!r} on) skipped"
        )
        extras = extras[:EXTRA_COLUMNS]
    values["extras"] = csv_sql.extras(extras)
    return values


def roles_sql(index: dict[str, int]) -> tuple[dict[str, str], str]:
    """The role links of a 1.0/1.1 users.csv: (values, joins). One row per distinct org of each
    user (the first org primary, the others secondary); a user with no org has none."""
    user, orgs = f"c{index['sourcedId']}", csv_sql.text_list(f"c{index['orgSourcedIds']}")
    raw_role = f"c{index['role']}" if "role" in index else "''"
    role = csv_sql.vocabulary(raw_role, ROLE_WORDS)
    status = f"c{index['status']}" if "status" in index else "''"
    modified = f"c{index['dateLastModified']}" if "dateLastModified" in index else "''"
    values = {
        "sourcedId": f"{user} || ':' || j.value || ':' || coalesce({role}, '')",
        "status": csv_sql.vocabulary(status, STATUS, STATUS_ALIASES),
        "dateLastModified": csv_sql.iso_datetime(modified),
        "userSourcedId": csv_sql.text(user),
        "roleType": "CASE j.key WHEN 0 THEN 'primary' ELSE 'secondary' END",
        "role": role,
        "orgSourcedId": "j.value",
        "extras": "NULL",
    }
    # An org listed twice gives one link: each but the first checks the ones before it.
    first = (
        f"(j.key = 0 OR j.value NOT IN (SELECT k.value FROM json_each({orgs}) k "
        "WHERE k.key < j.key))"
    )
    return values, f" JOIN json_each({orgs}) AS j ON {first}"
