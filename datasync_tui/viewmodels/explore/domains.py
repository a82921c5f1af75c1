"""The users' email domains: counts by role, users without an email apart, outsiders flagged."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from datasync_tui.rules.address import domain_checker, parse_domains
from datasync_tui.store import sqlite
from datasync_tui.viewmodels.explore.topics import EMAIL_DOMAIN, NOT_AN_ADDRESS


@dataclass(frozen=True)
class DomainRow:
    """One email domain: how many users of each role have it, and whether it is expected."""

    domain: str
    by_role: dict[str, int]
    outside: bool  # not one of email_domains (nor below one), when they are set

    @property
    def total(self) -> int:
        """Users with this domain."""
        return sum(self.by_role.values())


@dataclass(frozen=True)
class DomainSummary:
    """Every domain (most users first) and the users without an email, by role."""

    rows: list[DomainRow]
    no_email: dict[str, int] = field(default_factory=dict)
    configured: tuple[str, ...] = ()

    @property
    def no_email_total(self) -> int:
        """Users without an email."""
        return sum(self.no_email.values())

    @property
    def flagged(self) -> int:
        """Domains outside the configured ones."""
        return sum(1 for r in self.rows if r.outside)


def domain_summary(
    conn: sqlite.Connection, email_domains: str | Iterable[str] | None
) -> DomainSummary:
    """Group the users by email domain and primary role (one pass over the users)."""
    configured = parse_domains(email_domains)
    inside = domain_checker(configured)
    rows = conn.execute(
        "SELECT CASE WHEN ifnull(trim(email),'') = '' THEN NULL "
        f"WHEN instr(email,'@') = 0 THEN '{NOT_AN_ADDRESS}' ELSE {EMAIL_DOMAIN} END, "
        "ifnull(primary_role,'unknown'), count(*) FROM users GROUP BY 1, 2"
    ).fetchall()
    domains: dict[str, dict[str, int]] = {}
    no_email: dict[str, int] = {}
    for domain, role, count in rows:
        target = no_email if domain is None else domains.setdefault(domain, {})
        target[role] = target.get(role, 0) + count
    out = [
        DomainRow(
            d,
            roles,
            d == NOT_AN_ADDRESS or (bool(configured) and not inside(f"x@{d}")),
        )
        for d, roles in domains.items()
    ]
    out.sort(key=lambda r: (-r.total, r.domain))
    return DomainSummary(out, no_email, configured)
