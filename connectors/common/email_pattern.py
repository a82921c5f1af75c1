"""The grammar of the `email_pattern` option: one address pattern per role, checked when set.

`student={given}.{family}{n}@students.example.org;teacher={given1}{family}@example.org`

Roles are separated by `;` (a character no email address can contain, so it never occurs in a
pattern); each item is `role=pattern`, split on its first `=`. A pattern is one address whose
local part mixes literal letters, digits, `.`, `_`, `-` with placeholders in braces, and whose
domain is literal. `{n}` (at most once) marks where a number goes when the address collides;
without it the number goes at the end of the local part.
"""

from __future__ import annotations

import re

ROLE_SEPARATOR = ";"
PLACEHOLDERS: dict[str, str] = {
    "given": "the given name",
    "given1": "the given name's first letter",
    "family": "the family name",
    "family1": "the family name's first letter",
    "middle": "the middle name",
    "middle1": "the middle name's first letter",
    "username": "the SIS username (before any @)",
    "identifier": "the SIS identifier (e.g. student number)",
    "n": "a number, only when the address is already taken",
}
ROLES = (
    *("administrator", "aide", "counselor", "districtAdministrator", "guardian", "parent"),
    *("principal", "proctor", "relative", "siteAdministrator", "student"),
    *("systemAdministrator", "teacher"),
)
EXAMPLE = "student={given}.{family}{n}@students.example.org;teacher={given1}{family}@example.org"

_TOKEN = re.compile(r"\{([^{}]*)\}|([A-Za-z0-9._-]+)|(.)", re.DOTALL)
_DOMAIN = re.compile(r"(?=.{1,253}\Z)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")

Piece = tuple[str, str]  # ("text", literal) or ("field", placeholder name)


class PatternError(ValueError):
    """The email_pattern value does not follow the grammar (the message says where)."""


def parse(value: str) -> dict[str, tuple[list[Piece], str]]:
    """role -> (local-part pieces, domain); raises PatternError naming what is wrong."""
    found: dict[str, tuple[list[Piece], str]] = {}
    items = [item.strip() for item in value.split(ROLE_SEPARATOR)]
    for item in items:
        if not item:
            continue
        role, sep, pattern = item.partition("=")
        role, pattern = role.strip(), pattern.strip()
        if not sep or not role:
            raise PatternError(f"{item!r} is not role=pattern (e.g. {EXAMPLE})")
        if role not in ROLES:
            raise PatternError(f"{role!r} is not a OneRoster role ({', '.join(ROLES)})")
        if role in found:
            raise PatternError(f"role {role} is given twice")
        found[role] = _pattern(role, pattern)
    if not found:
        raise PatternError(f"no pattern given (e.g. {EXAMPLE})")
    return found


def _pattern(role: str, pattern: str) -> tuple[list[Piece], str]:
    """One role's pattern as local-part pieces and a domain."""
    local, at, domain = pattern.rpartition("@")
    if not at:
        raise PatternError(f"the {role} pattern {pattern!r} has no '@' (e.g. {EXAMPLE})")
    domain = domain.lower()
    if "{" in domain or not _DOMAIN.fullmatch(domain):
        raise PatternError(f"the {role} pattern's domain {domain!r} is not a domain name")
    pieces: list[Piece] = []
    for match in _TOKEN.finditer(local):
        name, text, other = match.groups()
        if name is not None:
            if name not in PLACEHOLDERS:
                known = ", ".join("{" + p + "}" for p in PLACEHOLDERS)
                raise PatternError(f"the {role} pattern has an unknown {{{name}}} (known: {known})")
            pieces.append(("field", name))
        elif text is not None:
            pieces.append(("text", text.lower()))
        else:
            raise PatternError(
                f"the {role} pattern has {other!r} in its local part; use letters, digits, "
                "'.', '_', '-' and placeholders in braces"
            )
    fields = [name for kind, name in pieces if kind == "field"]
    if fields.count("n") > 1:
        raise PatternError(f"the {role} pattern has {{n}} more than once")
    if not [name for name in fields if name != "n"]:
        raise PatternError(f"the {role} pattern names no one: use a placeholder such as {{given}}")
    return pieces, domain
