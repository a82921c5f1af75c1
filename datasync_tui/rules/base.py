"""What a rule is: an id, a severity, a topic, a SQL query over the store, a message and a hint."""

from __future__ import annotations

import re
from dataclasses import dataclass

ERROR, WARNING = "error", "warning"
SEVERITIES: tuple[str, ...] = (ERROR, WARNING)  # most severe first

# The fields every issue carries, in export order.
ISSUE_FIELDS: tuple[str, ...] = (
    "rule",
    "severity",
    "topic",
    "sourcedId",
    "field",
    "value",
    "message",
    "hint",
)

# Big tables: a rule may scan one once, never inside a correlated subquery (see tests/rules).
BIG_TABLES: frozenset[str] = frozenset(
    {"users", "enrollments", "classes", "roles", "courses", "demographics"}
)

# Macros a rule's SQL may use, expanded before it runs:
#   ACTIVE(x)    the record x is active (stored records are never tobedeleted; blank is active)
#   ENROLLED(e)  the enrollment e is active and has not ended before :today
#   BLANK(expr)  expr is NULL or only spaces
#   NAME(u)      the user u's given and family name
#   READABLE(d)  d is a real YYYY-MM-DD date (SQLite's date() alone lets 2026-02-30 by)
_MACROS: dict[str, str] = {
    "ACTIVE": "coalesce({0}.status, '') IN ('', 'active')",
    "ENROLLED": "coalesce({0}.status, '') IN ('', 'active') "
    "AND (coalesce({0}.endDate, '') = '' OR {0}.endDate >= :today)",
    "BLANK": "trim(coalesce({0}, '')) = ''",
    "NAME": "trim(coalesce({0}.givenName, '') || ' ' || coalesce({0}.familyName, ''))",
    "READABLE": "date({0}, '+0 days') IS {0}",
}
_MACRO_CALL = re.compile(r'\b(ACTIVE|ENROLLED|BLANK|NAME|READABLE)\(([A-Za-z_][A-Za-z_0-9."]*)\)')


def expand(sql: str) -> str:
    """The SQL with its macros written out."""
    return _MACRO_CALL.sub(lambda m: "(" + _MACROS[m.group(1)].format(m.group(2)) + ")", sql)


@dataclass(frozen=True)
class Rule:
    """One validation rule.

    `sql` selects the offending records as columns sourcedId, field, value, and optionally
    detail (for the message) and topic (when the rule spans topics); it may use the parameters
    :today (an ISO date) and the SQL functions ds_email_ok(email) and
    ds_email_inside(email). `message` may name {value} and {detail}.
    """

    id: str
    title: str  # what breaks, in a few words (the Validations page lists rules by it)
    severity: str
    topic: str
    sql: str
    message: str
    hint: str
    needs_domains: bool = False  # skipped when the connection sets no email_domains
    # When the rule lists only kept examples: SQL (with :run_id) counting every issue there is.
    total_sql: str | None = None

    def query(self) -> str:
        """The rule's SQL, macros expanded."""
        return expand(self.sql)
