"""Proposed addresses for users without a usable email, from the `email_pattern` option.

Each placeholder's value is folded to ASCII (accents dropped, ß→ss, æ→ae, ø→o, …), lowercased,
and stripped of everything but a–z, 0–9, '-' and '_'; dots never lead, trail or double. The
first user (by sourcedId) whose address is free gets it bare; when the address is taken, by
any existing user or an earlier proposal (letter case ignored), {n} becomes the lowest number
from 2 up that makes it free (at the end of the local part when the pattern has no {n}).
The same data always gives the same proposals.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from dataclasses import dataclass

from connectors.email_pattern import Piece, parse
from datasync_tui.rules.address import email_ok
from datasync_tui.rules.base import expand
from datasync_tui.rules.catalog import RANK
from datasync_tui.rules.runner import HITS

LOCAL_MAX = 64
_FOLD = str.maketrans(
    {"ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ø": "o", "Ø": "o", "đ": "d",
     "Đ": "d", "ð": "d", "Ð": "d", "ł": "l", "Ł": "l", "þ": "th", "Þ": "th", "ı": "i"}
)  # fmt: skip
_OUTSIDE = re.compile(r"[^a-z0-9_-]")
_DOTS = re.compile(r"\.{2,}")

# Every user a proposal is for: flagged by user-without-email or email-invalid.
_FLAGGED = f"""
SELECT u.sourcedId, u.givenName, u.familyName, u.middleName, u.username, u.identifier,
       coalesce(u.primary_role, u.role, ''), u.email, min(h.rank)
FROM {HITS} h JOIN users u ON u.sourcedId = h.sourcedId
WHERE h.rank IN (:no_email, :invalid) AND h.topic = 'users'
GROUP BY u.sourcedId
ORDER BY u.sourcedId
"""
_TAKEN = "SELECT DISTINCT lower(trim(email)) FROM users WHERE NOT BLANK(email)"


@dataclass(frozen=True)
class Proposal:
    """The address proposed for one user, or why there is none (note)."""

    sourced_id: str
    given: str
    family: str
    role: str
    rule: str  # user-without-email or email-invalid
    email: str  # the current (invalid) address, blank when none
    proposed: str
    collided: bool
    note: str = ""

    @property
    def name(self) -> str:
        """Given and family name."""
        return f"{self.given} {self.family}".strip()


def fold(text: str | None) -> str:
    """A name as letters a–z, digits, '-' and '_' only: accents folded, the rest dropped."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return _OUTSIDE.sub("", plain)


def propose(conn: sqlite3.Connection, pattern_text: str) -> list[Proposal]:
    """A proposal for each flagged user (the email rules' hits must be in the temp table)."""
    patterns = parse(pattern_text)
    params = {"no_email": RANK["user-without-email"], "invalid": RANK["email-invalid"]}
    rule_of = {rank: rule for rule, rank in RANK.items()}
    taken = {row[0] for row in conn.execute(expand(_TAKEN))}
    found: list[Proposal] = []
    for sid, given, family, middle, username, ident, role, email, rank in conn.execute(
        _FLAGGED, params
    ):
        values = {
            "given": fold(given),
            "family": fold(family),
            "middle": fold(middle),
            "username": fold((username or "").partition("@")[0]),
            "identifier": fold(ident),
        }
        for name in ("given", "family", "middle"):
            values[name + "1"] = values[name][:1]
        base = Proposal(sid, given or "", family or "", role, rule_of[rank], email or "", "", False)
        if role not in patterns:
            found.append(_note(base, f"email_pattern has no pattern for role {role or '(none)'}"))
            continue
        found.append(_one(base, *patterns[role], values, taken))
    return found


def _note(base: Proposal, note: str) -> Proposal:
    """The proposal without an address, saying why."""
    return Proposal(**{**base.__dict__, "note": note})


def _one(
    base: Proposal, pieces: list[Piece], domain: str, values: dict[str, str], taken: set[str]
) -> Proposal:
    """One user's address: bare when free, else with the lowest free number; marks it taken."""
    left, right, named = "", "", False
    after_n = False
    for kind, text in pieces:
        if kind == "field" and text == "n":
            after_n = True
            continue
        part = values[text] if kind == "field" else text
        named = named or (kind == "field" and bool(part))
        if after_n:
            right += part
        else:
            left += part
    if not named:
        return _note(base, "the name has no letters a-z or digits to build an address from")
    room = LOCAL_MAX - 6 - len(right)
    left = left[: max(room, 1)]
    address, number = _tidy(left + right) + "@" + domain, 1
    if not email_ok(address):
        return _note(base, f"the pattern gives {address!r}, not a valid address")
    while address in taken:
        number += 1
        address = _tidy(f"{left}{number}{right}") + "@" + domain
    taken.add(address)
    return Proposal(**{**base.__dict__, "proposed": address, "collided": number > 1})


def _tidy(local: str) -> str:
    """A local part without leading, trailing or doubled dots."""
    return _DOTS.sub(".", local).strip(".")
