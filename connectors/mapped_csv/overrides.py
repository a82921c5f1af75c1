"""The wizard's column choices on top of a mapping: `[File.csv:]topic.field=Column` pairs."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from connectors.base import ConnectorError
from connectors.canonical import TOPICS, field_names
from connectors.mapped_csv.mapping import FieldSpec, MappingSpec


def parse_overrides(text: str) -> list[tuple[str | None, str, str, FieldSpec]]:
    """`[File.csv:]topic.field=Column` pairs separated by ';' (`=const:VALUE` for a constant)."""
    out: list[tuple[str | None, str, str, FieldSpec]] = []
    for item in (part.strip() for part in text.split(";")):
        if not item:
            continue
        target, sep, column = item.partition("=")
        file, _, dotted = target.strip().rpartition(":")
        topic, dot, name = dotted.partition(".")
        if not sep or not dot or topic not in TOPICS or name not in field_names(topic):
            raise ConnectorError(
                f"columns: {item!r} is not [File.csv:]topic.field=Column "
                "(e.g. users.email=Secondary Email)"
            )
        column = column.strip()
        if column.startswith("const:"):
            spec = FieldSpec(name, const=column.removeprefix("const:"))
        elif column:
            spec = FieldSpec(name, columns=(column,))
        else:
            raise ConnectorError(f"columns: {item!r} names no column")
        out.append((file.strip() or None, topic, name, spec))
    return out


def with_overrides(mapping: MappingSpec, text: str | None) -> MappingSpec:
    """The mapping with fields set from the `columns` option (the wizard saves it there)."""
    if not text:
        return mapping
    tables = list(mapping.tables)
    for file, topic, name, spec in parse_overrides(text):
        hits = [
            i
            for i, t in enumerate(tables)
            if t.topic == topic and (file is None or t.file.lower() == file.lower())
        ]
        if not hits:
            where = f"{file} → {topic}" if file else topic
            raise ConnectorError(f"columns: the mapping {mapping.id} has no {where} table")
        for i in hits:
            tables[i] = replace(tables[i], fields={**tables[i].fields, name: spec})
    return replace(mapping, tables=tuple(tables))


def override_text(pairs: Iterable[tuple[str, str, str]]) -> str:
    """The `columns` option's value for (file, 'topic.field', column) choices."""
    return ";".join(f"{file}:{target}={column}" for file, target, column in pairs)
