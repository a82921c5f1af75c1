"""Checks of the option kinds the alerts add: an SMTP URL, a date, a list of email addresses."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from urllib.parse import urlsplit

ADDRESS = re.compile(r"[^@\s,;<>\"]+@[^@\s,;<>\"]+\.[^@\s,;<>\".]+")


def smtp_url_problem(name: str, value: str) -> str | None:
    """smtp://host[:port] or smtps://host[:port]; credentials belong in smtp_user/smtp_password."""
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        return f"{name} must be smtp://host[:port] or smtps://host[:port] (got {value!r})"
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        return f"{name} must be smtp://host[:port] or smtps://host[:port] (got {value!r})"
    if parts.username or parts.password:
        return f"{name}: put the user in smtp_user and the password in smtp_password, not the URL"
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        return f"{name} takes no path or query: smtp://host[:port] (got {value!r})"
    if port == 0:
        return f"{name}: port 0 is not a port (got {value!r})"
    return None


def date_problem(name: str, value: str) -> str | None:
    """A calendar date written YYYY-MM-DD."""
    try:
        if len(value) == 10:
            date.fromisoformat(value)
            return None
    except ValueError:
        pass
    return f"{name} must be a date as YYYY-MM-DD (got {value!r})"


def split_addresses(value: str) -> list[str]:
    """The addresses of a comma-separated list, blanks dropped."""
    return [a.strip() for a in value.split(",") if a.strip()]


def addresses_problem(name: str, value: str) -> str | None:
    """One or more email addresses, comma-separated."""
    found = split_addresses(value)
    if not found:
        return f"{name} must name at least one email address"
    bad = [a for a in found if not ADDRESS.fullmatch(a)]
    if bad:
        return f"{name}: {bad[0]!r} is not an email address (comma-separate several)"
    return None


# Option kind → its check (name, value) → a one-line problem or None.
KIND_CHECKS: dict[str, Callable[[str, str], str | None]] = {
    "smtp": smtp_url_problem,
    "date": date_problem,
    "emails": addresses_problem,
}
