"""People mapped where they are parsed: a person object becomes its users and demographics rows.

Mapping a StudentPersonal or StaffPersonal borrows nothing from other objects, so a parse worker
does it beside the parsing (the main process then only stores the rows); a person parsed in
the main process is mapped by the same function, so both give the same rows.
"""

from __future__ import annotations

from typing import Any

from connectors.sif.mapping import MapContext, Raw
from connectors.sif.people import demographic, demographic_part, user

PERSON_KINDS = frozenset({"StudentPersonal", "StaffPersonal"})

# A person mapped: (PREMAPPED, users row, label, line, its demographics or None), the
# demographics being (PREMAPPED, demographics row, label, line).
PREMAPPED = "@premapped"
Premapped = tuple[str, list[Any], str, int, "tuple[str, list[Any], str, int] | None"]

_NO_CONTEXT = MapContext()  # people borrow nothing from other objects


def premap_person(raw: Raw) -> Premapped:
    """A person object as its users row and demographics row."""
    part = demographic_part(raw)
    demo = None
    if part is not None:
        demo = (PREMAPPED, demographic(part, _NO_CONTEXT), part[2], part[3])
    return (PREMAPPED, user(raw, _NO_CONTEXT), raw[2], raw[3], demo)


def is_premapped(item: Raw | Premapped) -> bool:
    """True for a person already mapped (it starts with the PREMAPPED mark, not its kind)."""
    return item[0] == PREMAPPED
