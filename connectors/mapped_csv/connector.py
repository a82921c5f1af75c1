"""The plain CSV connector: non-OneRoster exports (SDS, Clever, custom) read via a mapping."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from connectors.base import (
    CheckReport,
    Connector,
    ConnectorError,
    FieldReport,
    Option,
    SyncState,
    TopicReport,
    TopicStream,
)
from connectors.canonical import TOPIC_ORDER, field_names
from connectors.common.csv_native import memory
from connectors.common.csv_reading import Bundle
from connectors.mapped_csv.load import count_table, load_topic, make_lookups
from connectors.mapped_csv.mapping import (
    RECOMMENDED_FIELDS,
    REQUIRED_FIELDS,
    REQUIRED_TOPICS,
    MappingSpec,
    detect,
    load_mapping,
    preset,
    preset_ids,
)
from connectors.mapped_csv.overrides import with_overrides
from connectors.mapped_csv.tables import MappedTable


def bundle_headers(bundle: Bundle) -> dict[str, list[str]]:
    """The header of each CSV file of the bundle (an empty list for an empty file)."""
    out: dict[str, list[str]] = {}
    for name in bundle.names():
        if not name.lower().endswith(".csv"):
            continue
        try:
            table = bundle.table(name)
        except ConnectorError:
            out[name] = []
            continue
        table.close()
        out[name] = [h.strip() for h in table.header or []]
    return out


@dataclass
class Layout:
    """The mapping chosen for a bundle and its tables, each resolved against its file."""

    mapping: MappingSpec
    how: str  # "given", "detected" or "only match"
    tables: dict[str, list[MappedTable]] = field(default_factory=dict)
    derived_roles: bool = False

    def problems(self, topic: str) -> list[str]:
        """Why a required topic cannot be read (one line each); none for other topics."""
        if topic not in REQUIRED_TOPICS:
            return []
        tables = self.tables.get(topic, [])
        if not tables:
            return [f"the {self.mapping.id} mapping has no table for {topic}: add one"]
        out = [t.resolved.problem(t.spec, self.mapping.id) for t in tables]
        return [p for p in out if p]

    def notes(self, topic: str) -> list[str]:
        """Why tables of an optional topic are left out (warnings, not failures)."""
        if topic in REQUIRED_TOPICS:
            return []
        out = []
        for t in self.tables.get(topic, []):
            why = t.resolved.problem(t.spec, self.mapping.id) or t.resolved.skipped
            if why and t.resolved.file_name is not None:
                out.append(f"{t.spec.topic} not read from {t.resolved.file_name}: {why}")
        return out


def choose_mapping(value: str | None, headers: dict[str, list[str]]) -> tuple[MappingSpec, str]:
    """The mapping named by the option, else the preset the headers match."""
    if value:
        return load_mapping(value), "given"
    found = detect(headers)
    if found:
        return preset(found[0]), "detected from the headers"
    names = ", ".join(sorted(headers)) or "no CSV files"
    hint = ""
    if any(n.lower() == "manifest.csv" for n in headers):
        hint = " (manifest.csv is there: for a OneRoster bundle choose the OneRoster CSV method)"
    raise ConnectorError(
        f"the files ({names}) match no preset{hint}; set mapping= to one of "
        f"{', '.join(preset_ids())} or to a mapping file"
    )


class MappedCsvConnector(Connector):
    """Reads a folder or .zip of CSV exports through a column mapping (a preset or a file)."""

    id = "csv"
    label = "Plain CSV"
    help = "CSV exports that are not OneRoster (SDS, Clever or your own) read through a mapping."
    options = (
        Option(
            "path",
            "Folder or .zip",
            "path",
            required=True,
            help="The folder (or .zip) holding the exported CSV files.",
        ),
        Option(
            "mapping",
            "Mapping",
            "text",
            help="A preset (sds-classic, sds-v2, sds-v2.1, clever) or a mapping file "
            "(.toml/.json); blank: chosen from the files' headers.",
        ),
        Option(
            "columns",
            "Column choices",
            "text",
            help="Fields set on top of the mapping: File.csv:topic.field=Column, ';' between "
            "(the wizard fills it).",
        ),
    )

    def __init__(self, settings: dict[str, str]) -> None:
        super().__init__(settings)
        self._counts: dict[str, int] = {}

    # -- opening ---------------------------------------------------------------------------

    def _bundle(self) -> Bundle:
        """Open the configured folder or zip."""
        return Bundle.of_setting(self.setting("path"), self.warn, "the folder or .zip of CSV files")

    def layout(self, bundle: Bundle) -> Layout:
        """Choose the mapping and resolve each of its tables against the bundle."""
        mapping, how = choose_mapping(self.setting("mapping"), bundle_headers(bundle))
        mapping = with_overrides(mapping, self.setting("columns"))
        layout = Layout(mapping, how)
        for spec in mapping.tables:
            table = MappedTable(spec, mapping, self.warn)
            table.resolve(bundle)
            layout.tables.setdefault(spec.topic, []).append(table)
        users = layout.tables.get("users", [])
        layout.derived_roles = "roles" not in layout.tables and any(
            "orgSourcedIds" in t.resolved.fields for t in users
        )
        return layout

    # -- check -----------------------------------------------------------------------------

    def check(self) -> CheckReport:
        """Count every mapped table by SQL over its file (in a throwaway in-memory database);
        report topics, fields, blanks and mapping problems."""
        source = self.settings.get("path", "")
        try:
            bundle = self._bundle()
        except (ConnectorError, OSError) as exc:
            return CheckReport(False, source, error=str(exc), warnings=list(self.warnings))
        report = CheckReport(True, source)
        conn = memory()
        try:
            layout = self.layout(bundle)
            report.detail = {
                "mapping": f"{layout.mapping.id} ({layout.how})",
                "bundle": bundle.kind,
            }
            read = {f.lower() for f in layout.mapping.files()}
            ignored = [
                n for n in bundle.names() if n.lower().endswith(".csv") and n.lower() not in read
            ]
            if ignored:
                report.detail["ignored"] = ", ".join(ignored)
            # Lookup files are read with the mapping (as a sync reads them before their table).
            lookups = {
                id(t): make_lookups(conn, t, self._bundle, self.warn)
                for tables in layout.tables.values()
                for t in tables
            }
            for topic in TOPIC_ORDER:
                if topic == "roles" and layout.derived_roles:
                    continue
                report.topics.append(self._report(conn, layout, topic, lookups))
            if layout.derived_roles:
                rows = self._counts.get("roles", 0)
                at = next(i for i, t in enumerate(report.topics) if t.topic == "users") + 1
                report.topics.insert(at, TopicReport("roles", True, False, rows=rows))
                report.detail["roles"] = "from the users' schools"
        except ConnectorError as exc:
            report.error = str(exc)
        except Exception as exc:  # check() reports, it never raises
            report.error = f"cannot read the files: {type(exc).__name__}: {exc}"
        finally:
            bundle.close()
            conn.close()
        report.warnings = list(self.warnings)
        return report

    def _report(
        self, conn: Any, layout: Layout, topic: str, lookups: dict[int, dict[str, str]]
    ) -> TopicReport:
        """One topic's report from an SQL pass over each of its tables."""
        required = topic in REQUIRED_TOPICS
        tables = layout.tables.get(topic, [])
        problems = layout.problems(topic)
        for note in layout.notes(topic):
            self.warn(note)
        present = any(t.usable for t in tables) or bool(problems)
        if not tables:
            return TopicReport(
                topic,
                required,
                required,
                0 if required else None,
                problem="; ".join(problems) or None,
            )
        if not present and not problems:
            return TopicReport(topic, False, required)
        wanted = [*REQUIRED_FIELDS[topic], *RECOMMENDED_FIELDS.get(topic, ())]
        wanted = list(dict.fromkeys(wanted))
        blanks = dict.fromkeys(wanted, 0)
        mapped = {f for t in tables for f in t.resolved.fields}
        rows = roles = 0
        for table in tables:
            if not table.usable:
                continue
            counted = count_table(
                conn, table, self._bundle, self.warn, layout.derived_roles, lookups[id(table)]
            )
            rows += counted.rows
            roles += counted.roles
            for f in wanted:
                blanks[f] += counted.blanks.get(f, counted.rows)
            if counted.people:
                self.warn(
                    f"{table.resolved.file_name}: {counted.people} people listed on several "
                    "rows (one per school) read once each"
                )
        self._counts[topic] = rows
        if topic == "users":
            self._counts["roles"] = roles
        fields: list[FieldReport] = []
        for f in wanted:
            if f in mapped:
                fields.append(FieldReport(f, "present", blanks[f]))
            elif f not in REQUIRED_FIELDS[topic]:
                fields.append(FieldReport(f, "missing-recommended"))
        if required and rows == 0 and not problems:
            names = ", ".join(t.spec.file for t in tables)
            problems.append(f"no data rows in {names}")
        return TopicReport(topic, True, required, rows, fields, "; ".join(problems) or None)

    # -- fetch -----------------------------------------------------------------------------

    def fetch(self, state: SyncState | None = None) -> Iterator[TopicStream]:
        """Resolve every table first (a mapping problem stops here), then stream each topic.

        Exports are full snapshots: `state` is not used, every stream is bulk.
        """
        bundle = self._bundle()
        try:
            layout = self.layout(bundle)
        finally:
            bundle.close()
        for topic in TOPIC_ORDER:
            problems = layout.problems(topic)
            if problems:
                raise ConnectorError(problems[0])
        for topic in TOPIC_ORDER:
            roles = topic == "roles" and layout.derived_roles
            if roles:
                tables = [
                    t
                    for t in layout.tables.get("users", [])
                    if t.usable and "orgSourcedIds" in t.resolved.fields
                ]
            else:
                tables = [t for t in layout.tables.get(topic, []) if t.usable]
            if not tables:
                continue
            load = partial(
                load_topic,
                tables=tables,
                opener=self._bundle,
                warn=self.warn,
                roles=roles,
                required=topic in REQUIRED_TOPICS,
            )
            yield TopicStream(
                topic,
                "bulk",
                field_names(topic),
                (),
                lambda _row: (),
                lambda _row, name=tables[0].resolved.file_name: str(name),
                self._counts.get(topic),
                load=load,
            )
