"""Matching a CSV header to canonical fields: case variants, aliases, near misses, duplicates."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field

from connectors.base import ConnectorError


def is_secret(column: str) -> bool:
    """True for a column whose values are never read (passwords)."""
    return column.strip().lower() == "password"


@dataclass
class HeaderMatch:
    """A header matched to canonical fields: `mapped[i]` is column i's field or None (an extra)."""

    file_name: str
    mapped: list[str | None]
    missing: list[str] = field(default_factory=list)
    near: dict[str, str] = field(default_factory=dict)

    @property
    def index(self) -> dict[str, int]:
        """The column number of each canonical field the file has."""
        return {name: i for i, name in enumerate(self.mapped) if name is not None}

    def missing_message(self) -> str:
        """One line naming the missing required columns and the near misses found."""
        parts = []
        for column in self.missing:
            near = self.near.get(column)
            hint = f" (the header has {near!r}: a typo?)" if near else ""
            parts.append(f"{column}{hint}")
        noun = "column" if len(parts) == 1 else "columns"
        return f"required {noun} missing: {', '.join(parts)}"

    def error(self) -> ConnectorError:
        """The fatal error for missing required columns, located at the header line."""
        return ConnectorError(self.missing_message(), where=f"{self.file_name}:1")


def near_miss(name: str, candidates: Iterable[str]) -> str | None:
    """The candidate that `name` most likely misspells (compared case-insensitively), or None."""
    by_lower = {c.lower(): c for c in candidates}
    cutoff = 0.8 if len(name) <= 8 else 0.85
    found = difflib.get_close_matches(name.lower(), list(by_lower), n=1, cutoff=cutoff)
    return by_lower[found[0]] if found else None


def match_header(
    file_name: str,
    header: list[str],
    fields: Collection[str],
    required: Iterable[str],
    *,
    aliases: Mapping[str, str] | None = None,
    standard_order: tuple[str, ...] = (),
    quiet: Collection[str] = (),
    warn: Callable[[str], None] = lambda _message: None,
) -> HeaderMatch:
    """Match `header` to `fields` leniently (warning as it goes); duplicate names are fatal."""
    seen: dict[str, int] = {}
    for i, raw in enumerate(header):
        name = raw.strip()
        if name and name in seen:
            raise ConnectorError(
                f"duplicate column name {name!r} (columns {seen[name] + 1} and {i + 1})",
                where=f"{file_name}:1",
            )
        seen[name] = i
    by_lower = {f.lower(): f for f in fields}
    aliases = aliases or {}
    exact = {raw.strip() for raw in header} & set(fields)
    mapped: list[str | None] = []
    for i, raw in enumerate(header):
        name = raw.strip()
        target: str | None = None
        if name != raw and name:
            warn(f"{file_name}: spaces around the column name {name!r} ignored")
        if not name:
            warn(f"{file_name}: column {i + 1} has no name; its values are kept as column{i + 1}")
        elif name in fields:
            target = name
        elif name.lower() in by_lower and by_lower[name.lower()] not in exact:
            target = by_lower[name.lower()]
            warn(f"{file_name}: column {name!r} read as {target!r} (names are case-sensitive)")
        elif aliases.get(name.lower()) in fields and aliases[name.lower()] not in exact:
            target = aliases[name.lower()]
            warn(f"{file_name}: column {name!r} (a OneRoster 1.0 name) read as {target!r}")
        if target is not None and target in mapped:
            target = None
        mapped.append(target)
    match = HeaderMatch(file_name, mapped)
    present = set(match.index)
    unknown = [h.strip() for h, m in zip(header, mapped, strict=True) if m is None and h.strip()]
    for column in required:
        if column not in present:
            match.missing.append(column)
            near = near_miss(column, [u for u in unknown if not is_secret(u)])
            if near:
                match.near[column] = near
    _warn_unknown(match, unknown, fields, present, quiet, warn)
    order = [c for c in standard_order if c in present]
    if [m for m in mapped if m in order] != order:
        warn(f"{file_name}: columns are not in the standard order (read by name)")
    return match


def _warn_unknown(
    match: HeaderMatch,
    unknown: list[str],
    fields: Collection[str],
    present: set[str],
    quiet: Collection[str],
    warn: Callable[[str], None],
) -> None:
    """Warn about each unknown column that looks like a misspelt canonical one."""
    taken = set(match.near.values())
    for name in unknown:
        if name in quiet or name in fields or name in taken or is_secret(name):
            continue
        if name.startswith(("metadata.", "ext_", "ext:")):
            continue
        near = near_miss(name, [f for f in fields if f not in present])
        if near:
            warn(
                f"{match.file_name}: unknown column {name!r} kept as an extra; "
                f"did you mean {near!r}?"
            )
