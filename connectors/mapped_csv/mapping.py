"""Column mappings as data: presets and custom files (TOML or JSON) read into checked specs."""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from connectors.base import ConnectorError
from connectors.canonical import TOPICS, field_names

DATE_ORDERS = ("mdy", "dmy", "ymd")
PSEUDO_COLUMNS = ("@each", "@index", "@first")
_FIELD_KEYS = {
    *("column", "const", "template", "join", "coalesce", "sep", "split", "part"),
    *("map", "else", "date", "has", "lookup"),
}
_TABLE_KEYS = {
    *("topic", "file", "fields", "optional", "distinct", "merge", "explode", "extras"),
    *("skip_blank", "note"),
}
_MAPPING_KEYS = {"id", "label", "help", "dates", "signature", "tables", "extends", "sources"}

# Fields a mapped table must fill for its topic; the check names each one that is not mapped.
REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    "orgs": ("sourcedId", "name"),
    "academicSessions": ("sourcedId",),
    "courses": ("sourcedId",),
    "classes": ("sourcedId", "title", "schoolSourcedId"),
    "users": ("sourcedId", "role"),
    "roles": ("userSourcedId", "orgSourcedId", "role"),
    "enrollments": ("classSourcedId", "userSourcedId", "role"),
    "demographics": ("sourcedId",),
}

# Fields reported when missing or blank (they matter to a Classroom roster).
RECOMMENDED_FIELDS: dict[str, tuple[str, ...]] = {
    "orgs": ("type",),
    "academicSessions": ("title", "startDate", "endDate"),
    "courses": ("title",),
    "classes": ("courseSourcedId", "termSourcedIds"),
    "users": ("givenName", "familyName", "email", "username", "orgSourcedIds"),
    "enrollments": ("sourcedId",),
}

REQUIRED_TOPICS = ("orgs", "classes", "users", "enrollments")

# sourcedIds made from other fields when a table does not map one (links have no id of their own).
DERIVED_IDS: dict[str, tuple[str, ...]] = {
    "enrollments": ("classSourcedId", "userSourcedId", "role"),
    "roles": ("userSourcedId", "orgSourcedId", "role"),
}


@dataclass(frozen=True)
class Lookup:
    """Values read from another file of the bundle, found by a key column."""

    file: str
    key: str
    value: str
    prefer: tuple[str, str] | None = None  # (column, value): the row to take first


@dataclass(frozen=True)
class FieldSpec:
    """How one canonical field is made from a row: a column, a constant or a transform."""

    name: str
    columns: tuple[str, ...] = ()  # alternatives: the first one the header has
    const: str | None = None
    template: str | None = None  # "{Section SIS ID}:{SIS ID}"
    join: tuple[str, ...] = ()  # columns joined by sep, blanks left out
    coalesce: tuple[str, ...] = ()  # the first non-blank of these columns
    sep: str = " "
    split: str | None = None  # split the column on this and take `part`
    part: int | str = 0  # an index, or "rest" (everything after the first piece)
    words: dict[str, str] | None = None  # value (any case) -> value
    otherwise: str | None = None  # the value of a non-blank word not in `words`
    date: str | None = None  # mdy, dmy or ymd (else the mapping's `dates`)
    has: str | None = None  # "true"/"false": the word is among the column's items
    lookup: Lookup | None = None

    def sources(self) -> tuple[str, ...]:
        """Every column (or column alternative) this field reads."""
        out = list(self.columns) + list(self.join) + list(self.coalesce)
        if self.template:
            out += template_columns(self.template)
        return tuple(out)


@dataclass(frozen=True)
class TableSpec:
    """One file read into one topic."""

    topic: str
    file: str
    fields: dict[str, FieldSpec]
    optional: bool = False
    distinct: bool = False  # one row per sourcedId (people listed once per school)
    merge: tuple[str, ...] = ()  # list fields combined over a distinct key's rows
    explode: tuple[str, ...] = ()  # one row per non-blank column of these (@each, @index, @first)
    extras: bool = True  # keep the columns no field reads
    skip_blank: tuple[str, ...] = ()  # skip a row when all of these fields are blank
    note: str = ""

    @property
    def label(self) -> str:
        """'Student.csv → users'."""
        return f"{self.file} → {self.topic}"


@dataclass(frozen=True)
class MappingSpec:
    """A whole mapping: which files feed which topics, and how their columns become fields."""

    id: str
    label: str
    tables: tuple[TableSpec, ...]
    dates: str = "mdy"
    signature: dict[str, tuple[str, ...]] = field(default_factory=dict)
    help: str = ""
    origin: str = ""  # "preset" or the file it was read from

    def tables_of(self, topic: str) -> list[TableSpec]:
        """The tables that feed a topic, in mapping order."""
        return [t for t in self.tables if t.topic == topic]

    def files(self) -> list[str]:
        """Every file the mapping reads, once each, in order."""
        return list(dict.fromkeys(t.file for t in self.tables))


def template_columns(template: str) -> list[str]:
    """The column names a template refers to, in order."""
    out, rest = [], template
    while "{" in rest:
        _, _, rest = rest.partition("{")
        name, _, rest = rest.partition("}")
        out.append(name)
    return out


def _strings(value: Any, where: str) -> tuple[str, ...]:
    """A string or a list of strings as a tuple."""
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ConnectorError(f"expected text or a list of text, got {value!r}", where)


def parse_field(name: str, raw: Any, where: str) -> FieldSpec:
    """One field's spec: "Column", ["Alt 1", "Alt 2"] or a table of transform keys."""
    if isinstance(raw, (str, list)):
        return FieldSpec(name, columns=_strings(raw, where))
    if not isinstance(raw, dict):
        raise ConnectorError(f"{name}: expected a column name or a table, got {raw!r}", where)
    unknown = set(raw) - _FIELD_KEYS
    if unknown:
        raise ConnectorError(f"{name}: unknown keys {', '.join(sorted(unknown))}", where)
    spec = FieldSpec(name)
    if "column" in raw:
        spec = replace(spec, columns=_strings(raw["column"], where))
    for key in ("const", "template", "sep", "split", "date", "has"):
        if key in raw:
            if not isinstance(raw[key], str):
                raise ConnectorError(f"{name}.{key}: expected text, got {raw[key]!r}", where)
            spec = replace(spec, **{key: raw[key]})
    for key in ("join", "coalesce"):
        if key in raw:
            spec = replace(spec, **{key: _strings(raw[key], where)})
    if "part" in raw:
        part = raw["part"]
        if not (isinstance(part, int) or part == "rest"):
            raise ConnectorError(f"{name}.part: a number or 'rest', got {part!r}", where)
        spec = replace(spec, part=part)
    if "map" in raw:
        words = raw["map"]
        if not isinstance(words, dict) or not all(isinstance(v, str) for v in words.values()):
            raise ConnectorError(f"{name}.map: expected a table of text values", where)
        spec = replace(spec, words={str(k).strip().lower(): v for k, v in words.items()})
    if "else" in raw:
        spec = replace(spec, otherwise=str(raw["else"]))
    if "lookup" in raw:
        spec = replace(spec, lookup=_lookup(name, raw["lookup"], where))
    if spec.split == "":
        raise ConnectorError(f"{name}.split: give the text to split on", where)
    if spec.date is not None and spec.date not in DATE_ORDERS:
        raise ConnectorError(f"{name}.date: one of {', '.join(DATE_ORDERS)}", where)
    makers = [spec.const is not None, bool(spec.template), bool(spec.join), bool(spec.coalesce)]
    if sum(makers) + bool(spec.columns) != 1:
        raise ConnectorError(
            f"{name}: give exactly one of column, const, template, join or coalesce", where
        )
    if spec.lookup is not None and not spec.columns:
        raise ConnectorError(f"{name}.lookup: needs the key column as `column`", where)
    return spec


def _lookup(name: str, raw: Any, where: str) -> Lookup:
    """A lookup table spec."""
    if not isinstance(raw, dict) or not {"file", "key", "value"} <= set(raw):
        raise ConnectorError(f"{name}.lookup: needs file, key and value", where)
    prefer = raw.get("prefer")
    if prefer is not None:
        if not (isinstance(prefer, dict) and len(prefer) == 1):
            raise ConnectorError(f"{name}.lookup.prefer: one column = value", where)
        prefer = next(iter((str(k), str(v)) for k, v in prefer.items()))
    return Lookup(str(raw["file"]), str(raw["key"]), str(raw["value"]), prefer)


def parse_table(raw: Any, where: str) -> TableSpec:
    """One table of a mapping."""
    if not isinstance(raw, dict):
        raise ConnectorError(f"a table must be a table of keys, got {raw!r}", where)
    unknown = set(raw) - _TABLE_KEYS
    if unknown:
        raise ConnectorError(f"unknown table keys {', '.join(sorted(unknown))}", where)
    topic, file = raw.get("topic"), raw.get("file")
    if topic not in TOPICS:
        raise ConnectorError(f"topic {topic!r} is not one of {', '.join(TOPICS)}", where)
    if not isinstance(file, str) or not file:
        raise ConnectorError(f"the {topic} table needs a file name", where)
    here = f"{where} ({file} → {topic})"
    fields_raw = raw.get("fields", {})
    if not isinstance(fields_raw, dict):
        raise ConnectorError("fields must be a table", here)
    known = set(field_names(topic))
    bad = [n for n in fields_raw if n not in known]
    if bad:
        raise ConnectorError(f"{', '.join(bad)}: not fields of {topic}", here)
    fields = {n: parse_field(n, v, here) for n, v in fields_raw.items()}
    return TableSpec(
        topic=topic,
        file=file,
        fields=fields,
        optional=bool(raw.get("optional", False)),
        distinct=bool(raw.get("distinct", False)),
        merge=_strings(raw.get("merge", []), here) if raw.get("merge") else (),
        explode=_strings(raw.get("explode", []), here) if raw.get("explode") else (),
        extras=bool(raw.get("extras", True)),
        skip_blank=_strings(raw.get("skip_blank", []), here) if raw.get("skip_blank") else (),
        note=str(raw.get("note", "")),
    )


def parse_mapping(raw: Mapping[str, Any], origin: str) -> MappingSpec:
    """A mapping from its parsed TOML or JSON document (one located line on any problem)."""
    unknown = set(raw) - _MAPPING_KEYS
    if unknown:
        raise ConnectorError(f"unknown mapping keys {', '.join(sorted(unknown))}", origin)
    tables = raw.get("tables")
    if not isinstance(tables, list) or not tables:
        raise ConnectorError("the mapping has no [[tables]]", origin)
    dates = str(raw.get("dates", "mdy"))
    if dates not in DATE_ORDERS:
        raise ConnectorError(f"dates must be one of {', '.join(DATE_ORDERS)}", origin)
    signature = raw.get("signature", {})
    if not isinstance(signature, dict):
        raise ConnectorError("signature must be a table of file = [columns]", origin)
    return MappingSpec(
        id=str(raw.get("id") or Path(origin).stem),
        label=str(raw.get("label") or raw.get("id") or Path(origin).stem),
        tables=tuple(parse_table(t, f"{origin} table {i + 1}") for i, t in enumerate(tables)),
        dates=dates,
        signature={str(k): _strings(v, origin) if v else () for k, v in signature.items()},
        help=str(raw.get("help", "")),
        origin=origin,
    )


def _read_document(path: Path) -> dict[str, Any]:
    """A TOML or JSON file as a dict."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConnectorError(f"cannot read the mapping file: {exc.strerror}", str(path)) from None
    try:
        if path.suffix.lower() == ".json":
            doc = json.loads(data)
        else:
            doc = tomllib.loads(data.decode("utf-8"))
    except (tomllib.TOMLDecodeError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ConnectorError(f"not a readable mapping: {exc}", str(path)) from None
    if not isinstance(doc, dict):
        raise ConnectorError("a mapping file holds one table (object)", str(path))
    return doc


@cache
def _preset_documents() -> dict[str, dict[str, Any]]:
    """The shipped presets' documents by id."""
    out: dict[str, dict[str, Any]] = {}
    for entry in resources.files("connectors.mapped_csv").joinpath("presets").iterdir():
        if entry.name.endswith(".toml"):
            doc = tomllib.loads(entry.read_text("utf-8"))
            out[str(doc["id"])] = doc
    return out


def preset_ids() -> list[str]:
    """Every shipped preset id, sorted."""
    return sorted(_preset_documents())


def preset(preset_id: str) -> MappingSpec:
    """A shipped preset by id."""
    doc = _preset_documents().get(preset_id)
    if doc is None:
        raise ConnectorError(
            f"no preset {preset_id!r}; the presets are {', '.join(preset_ids())} "
            "(or give a mapping file ending in .toml or .json)"
        )
    return parse_mapping(doc, f"preset {preset_id}")


def load_mapping(value: str) -> MappingSpec:
    """A preset id, or a mapping file (.toml/.json) that may extend a preset."""
    if value in _preset_documents():
        return preset(value)
    path = Path(os.path.expanduser(value))
    if path.suffix.lower() not in (".toml", ".json"):
        return preset(value)
    doc = _read_document(path)
    base = doc.pop("extends", None)
    if base is not None:
        if base not in _preset_documents():
            raise ConnectorError(f"extends: no preset {base!r}", str(path))
        doc = {**_preset_documents()[base], **doc}
    return parse_mapping(doc, str(path))


def header_has(header: Iterable[str], column: str) -> bool:
    """True when the header has the column (compared without case or spaces around)."""
    wanted = column.strip().lower()
    return any(h.strip().lower() == wanted for h in header)


def detect(headers: Mapping[str, list[str]]) -> list[str]:
    """The presets whose signature the files match, the most specific first.

    `headers` maps each CSV file name of the bundle (any case) to its header.
    """
    by_lower = {name.lower(): header for name, header in headers.items()}
    found: list[tuple[int, str]] = []
    for preset_id in preset_ids():
        spec = preset(preset_id)
        if not spec.signature:
            continue
        score = 0
        for file, columns in spec.signature.items():
            header = by_lower.get(file.lower())
            if header is None or not all(
                any(header_has(header, alt) for alt in c.split("|")) for c in columns
            ):
                break
            score += 1 + len(columns)
        else:
            found.append((score, preset_id))
    return [preset_id for _, preset_id in sorted(found, key=lambda f: (-f[0], f[1]))]
