"""Quoting for GAM batch files, and the course alias a class sourcedId maps to.

`gam batch FILE` reads FILE a line at a time, skips lines that start with `#`, and splits each
other line into arguments with Python's `shlex.split` (POSIX rules, no comments), then runs
the arguments as a GAM command without a shell (GAM's `doBatch`; GAM wiki "Bulk Processing").
So every value here is written inside single quotes, where nothing is special, and a `'` in a
value is written `'\\''` (close, an escaped quote, reopen: GAM wiki "Command Line Parsing",
Linux and MacOS). Line breaks, other control characters and Unicode bidirectional controls
are turned into a space (or dropped) first: a line break would end the command, and a bidi
control would make a line read differently from what GAM gets. What a reviewer sees in the
file is what GAM runs, and the same line pasted into bash or zsh runs the same.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

# C0 and C1 controls (line feed, carriage return, tab, vertical tab, form feed, NEL, …) and
# the Unicode line and paragraph separators: each becomes a space.
_BREAKS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# Bidirectional marks, embeddings, overrides and isolates: dropped (the letters of
# right-to-left scripts stay as they are).
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")

# Course aliases: `d:` (domain-scoped) and the class sourcedId with every character other than
# ASCII letters, digits, '-', '.' and '_' written as %XX, the bytes of its UTF-8 encoding
# (RFC 3986 percent-encoding; urllib.parse.unquote gives the sourcedId back). A bare number
# would be read as a Classroom course id, so the `d:` is always written.
ALIAS_PREFIX = "d:"
ALIAS_MAX = 256  # the Classroom API's limit for an alias, prefix included
_ALIAS_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._")


def clean(text: str | None) -> str:
    """The text as one line: breaks and controls become spaces, bidi controls go, ends trimmed."""
    if not text:
        return ""
    if text.isascii() and text.isprintable():  # nothing to replace (most names)
        return text.strip()
    return _BIDI.sub("", _BREAKS.sub(" ", text)).strip()


def quote(value: str) -> str:
    """One GAM argument: the cleaned value in single quotes, a ' inside written '\\''."""
    return "'" + clean(value).replace("'", "'\\''") + "'"


def quote_clean(value: str) -> str:
    """A value clean() already made one line (or a valid email address) as one argument."""
    return "'" + value.replace("'", "'\\''") + "'"


def command(*parts: tuple[str, bool]) -> str:
    """A command line from (text, is_value) parts: values quoted, keywords written as they are."""
    return " ".join(quote(text) if is_value else text for text, is_value in parts)


def comment(text: str) -> str:
    """A comment line (GAM skips lines that start with #)."""
    return "# " + _BIDI.sub("", _BREAKS.sub(" ", text)).rstrip() if text else "#"


def alias(sourced_id: str) -> str:
    """The course alias of a class: d: and its sourcedId percent-encoded (see above)."""
    return ALIAS_PREFIX + "".join(
        ch if ch in _ALIAS_SAFE else "".join(f"%{b:02X}" for b in ch.encode("utf-8"))
        for ch in sourced_id
    )


def sourced_id(course_alias: str) -> str:
    """The class sourcedId an alias was made from (the inverse of alias())."""
    body = course_alias.removeprefix(ALIAS_PREFIX)
    return unquote(body, errors="strict")


def plural(n: int, word: str, many: str | None = None) -> str:
    """'1 class', '2 classes' (with thousands separators)."""
    return f"{n:,} {word if n == 1 else (many or word + 's')}"
