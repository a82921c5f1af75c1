"""People mapped where they are parsed: a person object becomes its users and demographics rows.

Mapping a StudentPersonal or StaffPersonal borrows nothing from other objects, so a parse worker
does it beside the parsing (the main process then only stores the rows); a person parsed in
the main process is mapped by the same function, so both give the same rows and fingerprints.
"""

from __future__ import annotations

from itertools import chain
from typing import Any

import xxhash

from connectors.sif_map import Context, Raw
from connectors.sif_people import demographic, demographic_part, user

MASK = (1 << 63) - 1
# Bumped whenever the mapping changes, so every row is normalized again on the next sync.
MAPPING_VERSION = 1
PERSON_KINDS = frozenset({"StudentPersonal", "StaffPersonal"})

# A person mapped: (fingerprint, users row, label, line, its demographics or None), the
# demographics being (fingerprint, demographics row, label, line).
Premapped = tuple[int, list[Any], str, int, "tuple[int, list[Any], str, int] | None"]

_HEADS: dict[tuple[str, str], str] = {}  # the few fingerprint heads, by (kind, status)
_NO_CONTEXT = Context()  # people borrow nothing from other objects


def plain_fingerprint(raw: Raw) -> int:
    """The fingerprint of an object whose mapping borrows nothing: its kind, status and text."""
    kind, status = raw[0], raw[4]
    head = _HEADS.get((kind, status)) or _HEADS.setdefault(
        (kind, status), f"{MAPPING_VERSION}\0{kind}\0{status}\0None\0"
    )
    # Paths and values alternate, joined by NUL (which XML text can never hold).
    text = "\0".join(chain.from_iterable(raw[1]))
    return xxhash.xxh3_64_intdigest((head + text).encode()) & MASK


def premap_person(raw: Raw) -> Premapped:
    """A person object as its users row and demographics row, each with its fingerprint."""
    part = demographic_part(raw)
    demo = None
    if part is not None:
        demo = (plain_fingerprint(part), demographic(part, _NO_CONTEXT), part[2], part[3])
    return (plain_fingerprint(raw), user(raw, _NO_CONTEXT), raw[2], raw[3], demo)


def is_premapped(item: Raw | Premapped) -> bool:
    """True for a person already mapped (it starts with its fingerprint, not its kind)."""
    return item[0].__class__ is int
