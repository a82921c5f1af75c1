"""Connector messages told in the form's language: option labels, never option ids."""

from __future__ import annotations

import re
from collections.abc import Iterable

from connectors.base import Option

# The words before an option id that make it one ("set exactly one of path or base_url").
_LEAD = r"(?:set|of|or|and|needs|need|with|give|choose)"


def in_form_words(message: str, options: Iterable[Option]) -> str:
    """message with each option id (`name=`, or named after set/of/or/needs…) as its “Label”."""
    found = sorted(options, key=lambda o: -len(o.name))
    for opt in found:
        label = f"“{opt.label}”"
        message = re.sub(rf"\b{re.escape(opt.name)}=(?=\s|$)", label, message)
        message = re.sub(rf"\b{re.escape(opt.name)}=", f"{label} = ", message)
        message = re.sub(rf"\b({_LEAD}) {re.escape(opt.name)}\b(?!\.)", rf"\1 {label}", message)
        if "_" in opt.name:  # a snake_case id is never an ordinary word
            message = re.sub(rf"\b{re.escape(opt.name)}\b", label, message)
    return re.sub(r"  +", " ", message)
