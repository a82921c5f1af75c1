"""`fix emails`: the proposals as a CSV file and, when asked, as `gam create user` lines.

No password is ever written: `gam create user` without one gives the account a random password
(GAM wiki "Users", Create a user), which the admin resets or sends by their own process.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from datasync_tui.fix.emails import Proposal
from datasync_tui.fix.files import atomic_file
from datasync_tui.fix.gam_quote import comment, plural, quote, quote_clean
from datasync_tui.rules.export import safe_cell

COLUMNS = ("sourcedId", "name", "role", "issue", "current_email", "proposed_email", "collided")


def write_csv(path: Path, proposals: list[Proposal]) -> dict[str, int]:
    """One row per flagged user; UTF-8 with BOM, spreadsheet-safe; return the counts."""
    text = io.StringIO()
    out = csv.writer(text)
    out.writerow(COLUMNS)
    out.writerows(
        [safe_cell(p.sourced_id), safe_cell(p.name), p.role, p.rule, safe_cell(p.email),
         safe_cell(p.proposed or p.note), ("yes" if p.collided else "no") if p.proposed else ""]
        for p in proposals
    )  # fmt: skip
    with atomic_file(path) as fh:
        fh.write(("\ufeff" + text.getvalue()).encode("utf-8"))
    return counts(proposals)


def counts(proposals: list[Proposal]) -> dict[str, int]:
    """Users flagged, addresses proposed, of them numbered after a collision, none possible."""
    proposed = [p for p in proposals if p.proposed]
    return {
        "users": len(proposals),
        "proposed": len(proposed),
        "collided": sum(1 for p in proposed if p.collided),
        "without": len(proposals) - len(proposed),
    }


def write_gam(path: Path, proposals: list[Proposal], about: str) -> dict[str, int]:
    """`gam create user` for each proposal with a given and family name; the rest as comments."""
    lines = list(_gam_lines(path, proposals, about))
    with atomic_file(path) as fh:
        fh.write(("\n".join(lines) + "\n").encode("utf-8"))
    made = sum(1 for line in lines if line.startswith("gam "))
    return {**counts(proposals), "create_user": made}


def _ready(p: Proposal) -> bool:
    """True when the user gets a create line: an address, a given and a family name."""
    return bool(p.proposed and p.given.strip() and p.family.strip())


def _gam_lines(path: Path, proposals: list[Proposal], about: str) -> Iterator[str]:
    """Header, the users left out and why, then one create line per account."""
    ready = [p for p in proposals if _ready(p)]
    yield comment(f"GAM batch file written by datasync-tui fix emails: {about}.")
    yield comment(f"Review it, then run it from its folder: gam batch {quote(path.name)}")
    yield comment(
        f"{plural(len(ready), 'account')} to create with the proposed address; no password is "
        "written here: GAM gives each new account a random one."
    )
    yield comment(
        "A user whose SIS email was invalid may have an account already: check before creating."
    )
    left = [p for p in proposals if not _ready(p)]
    if left:
        yield ""
        yield comment("Users without an account line, and why:")
        for p in left:
            why = p.note or "blank given or family name (Google requires both)"
            yield comment(f"  {p.sourced_id} ({p.role or 'user'}): {why}")
    yield ""
    for p in ready:
        yield (
            f"gam create user {quote_clean(p.proposed)} firstname {quote(p.given)} "
            f"lastname {quote(p.family)}"
        )
