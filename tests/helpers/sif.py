"""Helpers for the SIF tests: read every stream of a connector into plain dicts."""

from __future__ import annotations

from typing import Any

from connectors.base import Connector


def read_all(connector: Connector) -> dict[str, list[dict[str, Any]]]:
    """Every topic's rows as {field: value} dicts (plus '_extras' and '_where')."""
    out: dict[str, list[dict[str, Any]]] = {}
    for stream in connector.fetch():
        rows = out.setdefault(stream.topic, [])
        for raw in stream.rows:
            values = stream.normalize(raw)
            assert len(values) == len(stream.fields) + 1, stream.topic
            row = dict(zip(stream.fields, values, strict=False))
            row["_extras"] = values[-1]
            row["_where"] = stream.where(raw)
            rows.append(row)
    return out


def by_id(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Rows by sourcedId."""
    return {r["sourcedId"]: r for r in rows}


BOMB = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
        for i in range(1, 10)
    )
    + ']>\n<StudentPersonal RefId="B0">&lol9;</StudentPersonal>\n'
)
