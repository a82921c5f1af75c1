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
import unicodedata
from dataclasses import dataclass

from connectors.common.email_pattern import Piece, parse
from datasync_tui.rules.address import email_ok
from datasync_tui.rules.base import expand
from datasync_tui.rules.catalog import RANK
from datasync_tui.rules.runner import HITS
from datasync_tui.store import sqlite

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
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
        text = decomposed.encode("ascii", "ignore").decode("ascii")  # marks and the rest go
    return _OUTSIDE.sub("", text.lower())


# Where each placeholder's value comes from: a column of the flagged row, and how much of it.
_SOURCES: dict[str, tuple[int, int | None]] = {
    "given": (1, None),
    "given1": (1, 1),
    "family": (2, None),
    "family1": (2, 1),
    "middle": (3, None),
    "middle1": (3, 1),
    "username": (4, None),
    "identifier": (5, None),
}


class _Pattern:
    """One role's pattern, ready to fill: the pieces before {n}, after it, and the domain."""

    def __init__(self, pieces: list[Piece], domain: str) -> None:
        cut = next((i for i, p in enumerate(pieces) if p == ("field", "n")), len(pieces))
        specs = [
            text if kind == "text" else _SOURCES[text]
            for kind, text in pieces
            if (kind, text) != ("field", "n")
        ]
        self.left, self.right = specs[:cut], specs[cut:]
        self.columns = sorted({s[0] for s in specs if isinstance(s, tuple)})
        self.username = _SOURCES["username"][0]
        self.domain = domain
        self.next: dict[tuple[str, str], int] = {}  # per bare address: the number to try next

    def address(self, row: tuple, taken: set[str]) -> tuple[str, bool, str]:
        """(address, numbered, note): bare when free, else the lowest free number from 2."""
        folded = {}
        for column in self.columns:
            raw = row[column] or ""
            folded[column] = fold(raw.partition("@")[0] if column == self.username else raw)
        if not any(folded.values()):
            return "", False, "the name has no letters a-z or digits to build an address from"
        left = "".join(s if isinstance(s, str) else folded[s[0]][: s[1]] for s in self.left)
        right = "".join(s if isinstance(s, str) else folded[s[0]][: s[1]] for s in self.right)
        left = left[: max(LOCAL_MAX - 6 - len(right), 1)]
        bare = _tidy(left + right) + "@" + self.domain
        if not email_ok(bare):
            return "", False, f"the pattern gives {bare!r}, not a valid address"
        if bare not in taken:
            taken.add(bare)
            return bare, False, ""
        number = self.next.get((left, right), 2)
        while (found := _tidy(f"{left}{number}{right}") + "@" + self.domain) in taken:
            number += 1
        self.next[(left, right)] = number + 1
        taken.add(found)
        return found, True, ""


def propose(conn: sqlite.Connection, pattern_text: str) -> list[Proposal]:
    """A proposal for each flagged user (the email rules' hits must be in the temp table)."""
    patterns = {role: _Pattern(*pattern) for role, pattern in parse(pattern_text).items()}
    params = {"no_email": RANK["user-without-email"], "invalid": RANK["email-invalid"]}
    rule_of = {rank: rule for rule, rank in RANK.items()}
    taken = {row[0] for row in conn.execute(expand(_TAKEN))}
    found: list[Proposal] = []
    for row in conn.execute(_FLAGGED, params):
        sid, given, family, role, email, rank = row[0], row[1], row[2], row[6], row[7], row[8]
        pattern = patterns.get(role)
        if pattern is None:
            address, numbered = "", False
            note = f"email_pattern has no pattern for role {role or '(none)'}"
        else:
            address, numbered, note = pattern.address(row, taken)
        found.append(
            Proposal(
                sid, given or "", family or "", role, rule_of[rank], email or "", address,
                numbered, note,
            )
        )  # fmt: skip
    return found


def _tidy(local: str) -> str:
    """A local part without leading, trailing or doubled dots."""
    return _DOTS.sub(".", local).strip(".")
