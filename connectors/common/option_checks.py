"""The checks an option's value passes when it is set, one per kind (plus a declared range).

Each check returns what is wrong as the end of a sentence that starts with the option's name
(`Option.validate` writes the whole line), or None.
"""

from __future__ import annotations

import re
import ssl
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from connectors.base import Option

WHOLE = re.compile(r"[+-]?[0-9]+")
DOMAIN = re.compile(
    r"(?=.{1,253}\Z)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}"
)
# A host as a URL may name it: a name, an IPv4 address or a bracketed IPv6 one.
HOST = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\]")


def check_int(opt: Option, value: str) -> str | None:
    """A whole number within the option's declared range."""
    if not WHOLE.fullmatch(value.strip()):
        return "must be a whole number"
    number = int(value)
    low, high = opt.minimum, opt.maximum
    if low is not None and high is not None and not low <= number <= high:
        return f"must be between {low} and {high}"
    if low is not None and number < low:
        return f"must be at least {low}"
    if high is not None and number > high:
        return f"must be at most {high}"
    return None


def check_choice(opt: Option, value: str) -> str | None:
    """One of the declared choices."""
    if opt.choices and value not in opt.choices:
        return f"must be one of {', '.join(opt.choices)}"
    return None


def check_time(_: Option, value: str) -> str | None:
    """A local time of day as HH:MM."""
    hh, _sep, mm = value.partition(":")
    if hh.isdigit() and mm.isdigit() and int(hh) < 24 and int(mm) < 60 and len(mm) == 2:
        return None
    return "must be a time as HH:MM"


def check_url(_: Option, value: str) -> str | None:
    """An http(s) URL with a host (and a port that is a number)."""
    if not value.startswith(("https://", "http://")):
        return "must be a URL starting with https://"
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        return "must be a URL with a host and, if any, a numeric port"
    host = parts.netloc.rpartition("@")[2]
    if port is not None:
        host = host.rpartition(":")[0]
    if not host or not HOST.fullmatch(host) or any(c.isspace() for c in value):
        return "must be a URL with a host, e.g. https://sis.example.org/…"
    return None


def check_domains(_: Option, value: str) -> str | None:
    """Comma- or space-separated domain names (a leading '@' is allowed)."""
    names = [d.strip().lstrip("@").lower() for d in re.split(r"[,\s]+", value) if d.strip()]
    bad = [d for d in names if not DOMAIN.fullmatch(d)]
    if bad:
        return f"must be domain names like lincoln.org, comma-separated (not {', '.join(bad)})"
    return None


ADDRESS = re.compile(r"[^@\s,;<>\"]+@[^@\s,;<>\"]+\.[^@\s,;<>\".]+")


def check_smtp(_: Option, value: str) -> str | None:
    """smtp://host[:port] or smtps://host[:port]; the login belongs in smtp_user/smtp_password."""
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        return "must be smtp://host[:port] or smtps://host[:port]"
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        return "must be smtp://host[:port] or smtps://host[:port]"
    if parts.username or parts.password:
        return "must not hold a login: put it in smtp_user and smtp_password"
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        return "takes no path or query: smtp://host[:port]"
    if port == 0:
        return "has port 0, which is not a port"
    return None


def check_date(_: Option, value: str) -> str | None:
    """A calendar date written YYYY-MM-DD."""
    try:
        if len(value) == 10:
            date.fromisoformat(value)
            return None
    except ValueError:
        pass
    return "must be a date as YYYY-MM-DD"


def split_addresses(value: str) -> list[str]:
    """The addresses of a comma-separated list, blanks dropped."""
    return [a.strip() for a in value.split(",") if a.strip()]


def check_addresses(_: Option, value: str) -> str | None:
    """One or more email addresses, comma-separated."""
    found = split_addresses(value)
    if not found:
        return "must name at least one email address"
    bad = [a for a in found if not ADDRESS.fullmatch(a)]
    if bad:
        return f"has {bad[0]!r}, which is not an email address (comma-separate several)"
    return None


def check_pattern(_: Option, value: str) -> str | None:
    """Email patterns per role (see connectors.common.email_pattern)."""
    from connectors.common.email_pattern import PatternError, parse

    try:
        parse(value)
    except PatternError as exc:
        return f"is not usable: {exc}"
    return None


def check_ca_file(_: Option, value: str) -> str | None:
    """A regular file of PEM certificates that TLS can load (checked now, not at the first send)."""
    path = Path(value).expanduser()
    if not path.is_file():
        return f"must be a CA file ({path} is not a readable file)"
    try:
        ssl.create_default_context(cafile=str(path))
    except (OSError, ssl.SSLError, ValueError) as exc:
        return f"must be a file of PEM certificates ({path}: {exc})"
    return None


KIND_CHECKS: dict[str, Callable[[Option, str], str | None]] = {
    "int": check_int,
    "choice": check_choice,
    "time": check_time,
    "url": check_url,
    "smtp": check_smtp,
    "date": check_date,
    "emails": check_addresses,
    "pattern": check_pattern,
}
