"""One mapped table read from a bundle: its header resolved, rows derived, a TablePlan to shape."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from connectors.base import ConnectorError
from connectors.canonical import TOPICS, field_names
from connectors.csv_oneroster_spec import ROLE_WORDS
from connectors.csv_plan import SEP, Row, TablePlan, is_secret, seed_for
from connectors.csv_reading import Bundle
from connectors.csv_values import text_list, vocabulary
from connectors.mapping import (
    DERIVED_IDS,
    RECOMMENDED_FIELDS,
    REQUIRED_FIELDS,
    FieldSpec,
    MappingSpec,
    TableSpec,
)
from connectors.mapping_fields import Columns, Getter, compile_field, missing_columns
from connectors.oneroster_csv import converters_for


@dataclass
class BadValues:
    """Unreadable values of one field: how many, and the first one with its place."""

    column: str
    count: int = 0
    first: str = ""
    where: str = ""


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
        self.bad: dict[str, BadValues] = {}
        self.merged = 0
        self._getters: list[Getter] = []
        self._extras: list[int] = []
        self._explode: list[int] = []
        self._lookups: dict[str, dict[str, str]] = {}
        self._pending: list[tuple[str, str]] = []
        self.plan: TablePlan | None = None

    # -- header ----------------------------------------------------------------------------

    def resolve(self, bundle: Bundle) -> Resolved:
        """Find the file and match its header; build the getters and the plan."""
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
        columns = Columns(header, pseudo=bool(spec.explode))
        self._explode = [i for i in (columns.find((c,)) for c in spec.explode) if i is not None]
        if spec.explode and not self._explode:
            res.missing["@each"] = " or ".join(spec.explode)
        specs: dict[str, FieldSpec] = dict(spec.fields)
        for name_ in REQUIRED_FIELDS[spec.topic]:
            if name_ not in specs and not (name_ == "sourcedId" and spec.topic in DERIVED_IDS):
                res.unmapped.append(name_)
        used: set[int] = set(self._explode)
        for fname in field_names(spec.topic):
            fspec = specs.get(fname)
            if fspec is None:
                continue
            lacking = missing_columns(fspec, columns)
            if fspec.lookup is not None and not lacking:
                lacking = self._load_lookup(bundle, fspec)
            if lacking:
                res.missing[fname] = ", ".join(lacking)
                continue
            for col in fspec.sources():
                i = columns.find((col,))
                if i is not None:
                    used.add(i)
            first = next((c for c in fspec.sources() if columns.find((c,)) is not None), None)
            res.column_of[fname] = first or (f"'{fspec.const}'" if fspec.const else fname)
            res.fields.append(fname)
            self._getters.append(
                compile_field(fspec, columns, self.mapping.dates, self._lookups, self._record_bad)
            )
        if spec.topic in DERIVED_IDS and "sourcedId" not in res.fields:
            parts = [res.fields.index(f) for f in DERIVED_IDS[spec.topic] if f in res.fields]
            res.fields.insert(0, "sourcedId")
            self._getters.insert(0, lambda _v: "")  # filled from the other fields
            self._derived_id = [p + 1 for p in parts]
        else:
            self._derived_id = []
        if spec.skip_blank and not any(f in res.fields for f in spec.skip_blank):
            res.skipped = f"{name} has no column for {', '.join(spec.skip_blank)}"
        if spec.extras:
            self._extras = [
                i for i, h in enumerate(header) if i not in used and h and not is_secret(h)
            ]
        names = res.fields + [header[i] for i in self._extras]
        mapped: list[str | None] = [*res.fields, *([None] * len(self._extras))]
        seed = seed_for("mapped", self.mapping.id, spec.label, SEP.join(header), SEP.join(names))
        self.plan = TablePlan(
            name, field_names(spec.topic), names, mapped, converters_for(spec.topic), seed
        )
        return res

    @property
    def usable(self) -> bool:
        """True when the file is there and its rows can be read into the topic."""
        res = self.resolved
        return (
            res.file_name is not None
            and self.plan is not None
            and res.skipped is None
            and res.problem(self.spec, self.mapping.id) is None
        )

    def _load_lookup(self, bundle: Bundle, fspec: FieldSpec) -> list[str]:
        """Read a lookup table into memory; the missing file or columns when it cannot be."""
        lookup = fspec.lookup
        assert lookup is not None
        name = bundle.find(lookup.file)
        if name is None:
            return [lookup.file]
        table = bundle.table(name, self.warn)
        cols = Columns(table.header or [])
        key, value = cols.find((lookup.key,)), cols.find((lookup.value,))
        prefer = cols.find((lookup.prefer[0],)) if lookup.prefer else None
        if key is None or value is None:
            table.close()
            return [f"{name}: {lookup.key if key is None else lookup.value}"]
        is_list = dict(TOPICS[self.spec.topic])[fspec.name] == "list"
        found: dict[str, str] = {}
        for _, row in table.rows():
            k, v = row[key].strip(), row[value].strip()
            if not k or not v:
                continue
            if is_list:
                items = found.get(k)
                if items is None:
                    found[k] = v
                elif v not in items.split(","):
                    found[k] = f"{items},{v}"
            elif k not in found or (
                prefer is not None
                and lookup.prefer is not None
                and row[prefer].strip().lower() == lookup.prefer[1].lower()
            ):
                found[k] = v
        self._lookups[fspec.name] = found
        return []

    def _record_bad(self, fname: str, raw: str) -> None:
        """Note an unreadable value (its place is added once the row is known)."""
        self._pending.append((fname, raw))

    # -- rows ------------------------------------------------------------------------------

    def rows(self, bundle: Bundle) -> Iterator[Row]:
        """Each output row as (source line, derived raw values then extras)."""
        res = self.resolved
        if not self.usable:
            return
        spec = self.spec
        merged: dict[str, list[str]] = {}
        if spec.distinct and spec.merge:
            merged = self._merged(bundle)
        merge_at = [res.fields.index(f) for f in spec.merge if f in res.fields]
        sid = res.fields.index("sourcedId") if "sourcedId" in res.fields else None
        skip_at = [res.fields.index(f) for f in spec.skip_blank if f in res.fields]
        seen: set[str] = set()
        for line, values in self._derived(bundle):
            if skip_at and not any(values[k] for k in skip_at):
                continue
            if spec.distinct and sid is not None:
                key = values[sid]
                if not key or key in seen:
                    continue
                seen.add(key)
                for k in merge_at:
                    more = merged.get(f"{k}{SEP}{key}")
                    if more is not None:
                        values[k] = ",".join(more)
            yield line, values
        self._report_bad()

    def _derived(self, bundle: Bundle) -> Iterator[Row]:
        """Derived rows before de-duplication (exploded rows share their source line)."""
        res = self.resolved
        assert res.file_name is not None
        getters, extras, explode = self._getters, self._extras, self._explode
        derived_id, pending = self._derived_id, self._pending
        role_of = vocabulary(ROLE_WORDS)
        table = bundle.table(res.file_name, self.warn)
        if [h.strip() for h in table.header or []] != res.header:
            table.close()
            raise ConnectorError(
                "the header changed while the bundle was read", where=f"{res.file_name}:1"
            )
        for line, v in table.rows():
            sources = [v]
            if explode:
                sources = [
                    [*v, v[i].strip(), str(k), "true" if k == 0 else "false"]
                    for k, i in enumerate(explode)
                    if v[i].strip()
                ]
            for src in sources:
                values = [g(src) for g in getters]
                if derived_id:
                    parts = [values[p] for p in derived_id]
                    parts[-1] = role_of(parts[-1]) or ""
                    values[0] = ":".join(parts)
                if pending:
                    self._place_bad(line)
                if extras:
                    values += [v[i] for i in extras]
                yield line, values

    def _place_bad(self, line: int) -> None:
        """Count the unreadable values of the row just derived, keeping the first's place."""
        for fname, raw in self._pending:
            column = self.resolved.column_of.get(fname, fname)
            bad = self.bad.setdefault(fname, BadValues(column))
            bad.count += 1
            if bad.count == 1:
                bad.first, bad.where = raw, f"{self.resolved.file_name}:{line}"
        self._pending.clear()

    def _report_bad(self) -> None:
        """One located warning per field with unreadable values."""
        order = {"mdy": "month/day/year", "dmy": "day/month/year", "ymd": "year-month-day"}
        for fname, bad in self.bad.items():
            spec = self.spec.fields.get(fname)
            how = order[(spec.date if spec and spec.date else None) or self.mapping.dates]
            more = f" ({bad.count} such values)" if bad.count > 1 else ""
            self.warn(
                f"{bad.where}: {bad.column} {bad.first!r} is not a date as {how}; "
                f"kept as sent{more}"
            )
        self.bad = {}

    def _merged(self, bundle: Bundle) -> dict[str, list[str]]:
        """For keys listed on several rows: the merged items of each merge field."""
        res = self.resolved
        sid = res.fields.index("sourcedId")
        at = [res.fields.index(f) for f in self.spec.merge if f in res.fields]
        firsts: dict[str, list[str]] = {}
        out: dict[str, list[str]] = {}
        people = 0
        for _, values in self._derived(bundle):
            key = values[sid]
            if not key:
                continue
            if key not in firsts:
                firsts[key] = [values[k] for k in at]
                continue
            if not any(f"{k}{SEP}{key}" in out for k in at):
                people += 1
            for n, k in enumerate(at):
                items = out.get(f"{k}{SEP}{key}")
                if items is None:
                    items = out[f"{k}{SEP}{key}"] = list(text_list(firsts[key][n]) or [])
                for item in text_list(values[k]) or []:
                    if item not in items:
                        items.append(item)
        self.pending_bad_reset()
        self.merged = people
        return out

    def pending_bad_reset(self) -> None:
        """Forget unreadable values seen by a pre-pass (the main pass reports them)."""
        self.bad = {}
        self._pending.clear()

    def fields_report(self) -> tuple[list[str], list[str]]:
        """(recommended fields read, recommended fields not read) of this table."""
        wanted = RECOMMENDED_FIELDS.get(self.spec.topic, ())
        have = [f for f in wanted if f in self.resolved.fields]
        return have, [f for f in wanted if f not in have]
