"""Email addresses: valid by a real grammar (email-validator, no DNS), and inside the domains."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache

from email_validator import SPECIAL_USE_DOMAIN_NAMES, EmailNotValidError, validate_email

# A fast path for the plain addresses nearly every district uses: a strict subset of what
# email-validator accepts (tests/rules check that with generated addresses), so only the rest
# pays for the full grammar (about 100 µs each).
_PLAIN = re.compile(
    r"(?=[^@]{1,64}@)(?=.{6,254}\Z)"  # local part up to 64, the whole up to 254 characters
    r"[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*"
    r"@(?!.*--)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+([A-Za-z]{2,63})",
    re.ASCII,
)
_SPECIAL = frozenset(SPECIAL_USE_DOMAIN_NAMES)
# And a fast way out for what no address can be (also checked against email-validator): blank
# space, two dots in a row, no @ or two, a dot or nothing next to the @ or at either end, a
# domain without a dot.
_SURELY_BAD = re.compile(r"\s|\.\.|^[^@]*$|@.*@|^\.|\.@|@\.|\.$|^@|@$|@[^.]*$")


def email_ok(email: str | None) -> bool:
    """True when the address is valid by the email grammar (syntax only, no DNS lookup)."""
    if not email:
        return False
    plain = _PLAIN.fullmatch(email)
    if plain is not None and plain.group(1).lower() not in _SPECIAL:
        return True
    if _SURELY_BAD.search(email):
        return False
    return _full_grammar(email)


@lru_cache(maxsize=65_536)
def _full_grammar(email: str) -> bool:
    """email-validator's verdict (internationalised addresses allowed, no quoted local parts)."""
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def parse_domains(text: str | Iterable[str] | None) -> tuple[str, ...]:
    """The email_domains setting as lowercase domains (comma or space separated, '@' dropped)."""
    if text is None:
        return ()
    items = re.split(r"[,\s]+", text) if isinstance(text, str) else list(text)
    out = (item.strip().lstrip("@").rstrip(".").lower() for item in items)
    return tuple(dict.fromkeys(d for d in out if d))


def domain_checker(domains: Iterable[str]) -> Callable[[str | None], bool]:
    """A function telling whether an address's domain is one of domains or a subdomain of one."""
    allowed = tuple(parse_domains(list(domains)))
    suffixes = tuple("." + d for d in allowed)
    exact = frozenset(allowed)

    def inside(email: str | None) -> bool:
        """True when the part after the last @ is an allowed domain or below one."""
        if not email or "@" not in email:
            return False
        host = email.rpartition("@")[2].strip().rstrip(".").lower()
        return host in exact or host.endswith(suffixes)

    return inside
