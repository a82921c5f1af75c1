"""A per-file plan that turns raw CSV rows into canonical values, extras and fingerprints."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from operator import itemgetter
from typing import Any

import xxhash

from connectors.csv_values import Converter, none, text

# Bump when normalisation changes, so every stored fingerprint is recomputed on the next sync.
NORMALISE_VERSION = 1

MASK63 = (1 << 63) - 1
SEP = "\x1f"
Row = tuple[int, list[str]]


def is_secret(column: str) -> bool:
    """True for a column whose values are never returned nor hashed (passwords)."""
    return column.strip().lower() == "password"


def seed_for(*parts: str) -> int:
    """A fingerprint seed from the header line, the format version and NORMALISE_VERSION."""
    return xxhash.xxh3_64_intdigest(SEP.join((str(NORMALISE_VERSION), *parts)).encode())


class TablePlan:
    """How one file's columns map to a topic's canonical fields, built once per file."""

    def __init__(
        self,
        file_name: str,
        fields: Sequence[str],
        header: Sequence[str],
        mapped: Sequence[str | None],
        converters: Mapping[str, Converter],
        seed: int,
    ) -> None:
        """`mapped[i]` names the canonical field of column i, or None for an extra column."""
        self.file_name = file_name
        self.fields = tuple(fields)
        self.header = list(header)
        self.seed = seed
        index = {name: i for i, name in enumerate(mapped) if name is not None}
        self.index = index
        self._plan: list[tuple[int, Converter]] = [
            (index[f], converters.get(f, text)) if f in index else (0, none) for f in self.fields
        ]
        self.secret = tuple(i for i, name in enumerate(header) if is_secret(name))
        self.extras = tuple(
            (name.strip() or f"column{i + 1}", i)
            for i, (name, target) in enumerate(zip(header, mapped, strict=True))
            if target is None and i not in self.secret
        )
        self.fingerprint = self._fingerprinter()
        self.normalize = self._normalizer()

    def _fingerprinter(self) -> Callable[[Row], int]:
        """fingerprint(row): a stable 63-bit number of the row's text, secret columns left out."""
        digest, join, seed = xxhash.xxh3_64_intdigest, SEP.join, self.seed
        if not self.secret:
            return lambda row: digest(join(row[1]).encode(), seed) & MASK63
        kept = [i for i in range(len(self.header)) if i not in self.secret]
        if len(kept) < 2:  # itemgetter of one index gives the value, not a tuple
            return lambda row: digest(join([row[1][i] for i in kept]).encode(), seed) & MASK63
        keep = itemgetter(*kept)
        return lambda row: digest(join(keep(row[1])).encode(), seed) & MASK63

    def _normalizer(self) -> Callable[[Row], tuple[Any, ...]]:
        """normalize(row): canonical values in `fields` order, then a dict of extras or None.

        The function is generated once per file so that a row costs one call per converted value
        and none for plain text; only column numbers and generated names enter its source.
        """
        namespace: dict[str, Any] = {"extras": self._extras}
        parts: list[str] = []
        for k, (i, convert) in enumerate(self._plan):
            if convert is text:
                parts.append(f"v[{i}] or None")
            elif convert is none:
                parts.append("None")
            else:  # every converter gives None for an empty value: it is not called for one
                namespace[f"c{k}"] = convert
                parts.append(f"(c{k}(x) if (x := v[{i}]) else None)")
        parts.append("extras(v)" if self.extras else "None")
        source = f"def normalize(row):\n    v = row[1]\n    return ({', '.join(parts)},)\n"
        exec(compile(source, f"<normalize {self.file_name}>", "exec"), namespace)
        return namespace["normalize"]

    def _extras(self, values: list[str]) -> dict[str, str] | None:
        """Every non-canonical, non-secret column with a non-empty value, or None."""
        return {name: values[i] for name, i in self.extras if values[i]} or None

    def where(self, row: Row) -> str:
        """The row's place, as file:line."""
        return f"{self.file_name}:{row[0]}"
