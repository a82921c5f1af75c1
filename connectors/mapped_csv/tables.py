"""One mapped table read from a bundle: its header resolved against the spec, ready for SQL."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from connectors.base import ConnectorError
from connectors.canonical import TOPICS, field_names
from connectors.common.csv_header import is_secret
from connectors.common.csv_reading import Bundle
from connectors.mapped_csv.fields import Columns, missing_columns
from connectors.mapped_csv.mapping import (
    DERIVED_IDS,
    REQUIRED_FIELDS,
    FieldSpec,
    MappingSpec,
    TableSpec,
)
from connectors.oneroster.csv_sql import EXTRA_COLUMNS


@dataclass(frozen=True)
class LookupFile:
    """Where a field's lookup reads its values: another file of the bundle, by column number."""

    file_name: str
    header: list[str]
    key: int
    value: int
    prefer: tuple[int, str] | None  # (column, value): the row taken first
    is_list: bool  # every distinct value of a key, comma-joined (a list field)


@dataclass
class Resolved:
    """A table's header matched to its spec: what is read, what is missing."""

    file_name: str | None  # as stored in the bundle; None when the file is absent
    header: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)  # canonical fields read, in topic order
    unmapped: list[str] = field(default_factory=list)  # required fields the mapping leaves out
    missing: dict[str, str] = field(default_factory=dict)  # field -> the column(s) not found
    column_of: dict[str, str] = field(default_factory=dict)  # field -> the column read
    skipped: str | None = None  # why a readable file gives this table no rows

    def problem(self, spec: TableSpec, mapping_id: str) -> str | None:
        """The one-line reason this table cannot be read, or None."""
        if self.file_name is None:
            if spec.optional:
                return None
            return f"{spec.file} is missing (the {mapping_id} mapping reads {spec.topic} from it)"
        if self.unmapped:
            names = ", ".join(f"{spec.topic}.{n}" for n in self.unmapped)
            return f"{names} not mapped in {self.file_name}: map a column to it"
        required = [n for n in REQUIRED_FIELDS[spec.topic] if n in self.missing]
        if required:
            cols = "; ".join(f"{self.missing[n]!r} for {spec.topic}.{n}" for n in required)
            return f"{self.file_name}:1: column missing: {cols}"
        return None


class MappedTable:
    """Reads one file of the bundle into one topic through its TableSpec."""

    def __init__(self, spec: TableSpec, mapping: MappingSpec, warn: Callable[[str], None]) -> None:
        self.spec = spec
        self.mapping = mapping
        self.warn = warn
        self.resolved = Resolved(None)
        self.columns = Columns([])
        self.specs: dict[str, FieldSpec] = {}  # each field read (but a derived sourcedId)
        self.explode: list[int] = []  # the columns of explode found, in order
        self.extras: list[int] = []  # the columns kept as extras
        self.lookups: dict[str, LookupFile] = {}
        self.derived_id: list[str] = []  # the fields a derived sourcedId is made of

    # -- header ----------------------------------------------------------------------------

    def resolve(self, bundle: Bundle) -> Resolved:
        """Find the file and match its header to the spec's fields."""
        spec = self.spec
        name = bundle.find(spec.file)
        if name is None:
            self.resolved = Resolved(None)
            return self.resolved
        table = bundle.table(name, self.warn)
        table.close()
        header = [h.strip() for h in table.header or []]
        res = Resolved(name, header)
        self.resolved = res
        if table.header is None:
            raise ConnectorError(f"{name} is empty (no header line)", where=f"{name}:1")
        columns = self.columns = Columns(header, pseudo=bool(spec.explode))
        self.explode = [i for i in (columns.find((c,)) for c in spec.explode) if i is not None]
        if spec.explode and not self.explode:
            res.missing["@each"] = " or ".join(spec.explode)
        for name_ in REQUIRED_FIELDS[spec.topic]:
            if name_ not in spec.fields and not (
                name_ == "sourcedId" and spec.topic in DERIVED_IDS
            ):
                res.unmapped.append(name_)
        used: set[int] = set(self.explode)
        for fname in field_names(spec.topic):
            fspec = spec.fields.get(fname)
            if fspec is None:
                continue
            lacking = missing_columns(fspec, columns)
            if fspec.lookup is not None and not lacking:
                lacking = self._lookup(bundle, fspec)
            if lacking:
                res.missing[fname] = ", ".join(lacking)
                continue
            used.update(i for i in (columns.find((c,)) for c in fspec.sources()) if i is not None)
            first = next((c for c in fspec.sources() if columns.find((c,)) is not None), None)
            res.column_of[fname] = first or (f"'{fspec.const}'" if fspec.const else fname)
            res.fields.append(fname)
            self.specs[fname] = fspec
        if spec.topic in DERIVED_IDS and "sourcedId" not in res.fields:
            self.derived_id = [f for f in DERIVED_IDS[spec.topic] if f in res.fields]
            res.fields.insert(0, "sourcedId")
        if spec.skip_blank and not any(f in res.fields for f in spec.skip_blank):
            res.skipped = f"{name} has no column for {', '.join(spec.skip_blank)}"
        if spec.extras:
            self.extras = [
                i for i, h in enumerate(header) if i not in used and h and not is_secret(h)
            ]
        if len(self.extras) > EXTRA_COLUMNS:  # kept as a JSON object: a bounded one
            self.warn(
                f"{name}: {len(self.extras):,} extra columns; the first {EXTRA_COLUMNS} are "
                f"kept, the rest ({header[self.extras[EXTRA_COLUMNS]]!r} on) skipped"
            )
            self.extras = self.extras[:EXTRA_COLUMNS]
        return res

    @property
    def usable(self) -> bool:
        """True when the file is there and its rows can be read into the topic."""
        res = self.resolved
        return (
            res.file_name is not None
            and res.skipped is None
            and res.problem(self.spec, self.mapping.id) is None
        )

    def _lookup(self, bundle: Bundle, fspec: FieldSpec) -> list[str]:
        """Find a lookup's file and columns; the missing file or columns when they are not."""
        lookup = fspec.lookup
        assert lookup is not None
        name = bundle.find(lookup.file)
        if name is None:
            return [lookup.file]
        table = bundle.table(name, self.warn)
        table.close()
        cols = Columns(table.header or [])
        key, value = cols.find((lookup.key,)), cols.find((lookup.value,))
        prefer = cols.find((lookup.prefer[0],)) if lookup.prefer else None
        if key is None or value is None:
            return [f"{name}: {lookup.key if key is None else lookup.value}"]
        self.lookups[fspec.name] = LookupFile(
            name,
            [h.strip() for h in table.header or []],
            key,
            value,
            None if prefer is None or lookup.prefer is None else (prefer, lookup.prefer[1]),
            dict(TOPICS[self.spec.topic])[fspec.name] == "list",
        )
        return []
