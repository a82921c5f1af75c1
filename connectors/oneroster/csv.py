"""The OneRoster CSV connector: a 1.0/1.1/1.2 bundle (.zip or folder) checked and streamed."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from functools import partial

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
from connectors.common import csv_native
from connectors.common.csv_header import HeaderMatch, match_header
from connectors.common.csv_native import CsvSelect
from connectors.common.csv_reading import Bundle
from connectors.common.csv_values import text_list
from connectors.oneroster.csv_layout import Layout, open_table, read_layout
from connectors.oneroster.csv_spec import (
    ALIASES,
    FILES,
    HEADERS,
    KNOWN_EXTRA,
    RECOMMENDED_FIELDS,
    REQUIRED_TOPICS,
)
from connectors.oneroster.csv_sql import roles_sql, values_sql


class OneRosterCsvConnector(Connector):
    """Reads a OneRoster CSV bundle: a .zip or a folder of CSV files, never extracted to disk."""

    id = "oneroster-csv"
    label = "OneRoster CSV"
    help = "A OneRoster 1.0/1.1/1.2 CSV bundle: a .zip or a folder of CSV files."
    options = (
        Option(
            "path",
            "Bundle",
            "path",
            required=True,
            help="The OneRoster .zip your SIS exports, or the folder holding its CSV files.",
        ),
    )

    def __init__(self, settings: dict[str, str]) -> None:
        super().__init__(settings)
        self._counts: dict[str, int] = {}

    # -- opening ---------------------------------------------------------------------------

    def _bundle(self) -> Bundle:
        """Open the configured folder or zip."""
        return Bundle.of_setting(self.setting("path"), self.warn, "the bundle's .zip or folder")

    def _match(self, layout: Layout, topic: str, name: str, header: list[str]) -> HeaderMatch:
        """Match a file's header to its topic's canonical fields."""
        fields = set(field_names(topic))
        if topic == "users" and layout.version == "1.2":
            fields -= {"role", "orgSourcedIds"}
        return match_header(
            name,
            header,
            fields,
            layout.required(topic),
            aliases=ALIASES.get(topic),
            standard_order=HEADERS[layout.version].get(topic, ()),
            quiet=KNOWN_EXTRA,
            warn=self.warn,
        )

    # -- check -----------------------------------------------------------------------------

    def check(self) -> CheckReport:
        """Read the whole bundle once and report topics, fields and blank counts."""
        source = self.settings.get("path", "")
        try:
            bundle = self._bundle()
        except (ConnectorError, OSError) as exc:
            return CheckReport(False, source, error=str(exc), warnings=list(self.warnings))
        report = CheckReport(True, source)
        try:
            layout = read_layout(bundle, self.warn)
            report.detail = {
                "version": layout.version,
                "manifest": "yes" if layout.manifest is not None else "no",
                "bundle": bundle.kind,
            }
            if layout.manifest and layout.manifest.get("source.systemname"):
                report.detail["system"] = layout.manifest["source.systemname"]
            read = {n.lower() for n in layout.files.values()} | {"manifest.csv"}
            ignored = [
                n for n in bundle.names() if n.lower().endswith(".csv") and n.lower() not in read
            ]
            if ignored:
                report.detail["ignored"] = ", ".join(ignored)
            for topic in TOPIC_ORDER:
                if topic == "roles" and layout.derived_roles:
                    rows = self._counts.get("roles", 0)
                    report.topics.append(TopicReport("roles", True, False, rows=rows))
                    report.detail["roles"] = "derived from users.csv"
                    continue
                report.topics.append(self._report(bundle, layout, topic))
        except ConnectorError as exc:
            report.error = str(exc)
        except Exception as exc:  # check() reports, it never raises
            report.error = f"cannot read the bundle: {type(exc).__name__}: {exc}"
        finally:
            bundle.close()
        report.warnings = list(self.warnings)
        return report

    def _report(self, bundle: Bundle, layout: Layout, topic: str) -> TopicReport:
        """One topic's report from a streaming pass over its file."""
        required = topic in REQUIRED_TOPICS[layout.version]
        name = layout.files.get(topic)
        if name is None:
            return TopicReport(topic, False, required)
        table = open_table(bundle, name, self.warn)
        if table.header is None:
            problem = f"{name} is empty (no header line)"
            if not required:
                self.warn(problem)
            return TopicReport(topic, True, required, rows=0, problem=problem if required else None)
        match = self._match(layout, topic, name, table.header)
        reports = [FieldReport(c, "missing-required") for c in match.missing]
        wanted = list(layout.required(topic))
        wanted += [c for c in RECOMMENDED_FIELDS.get(topic, ()) if c not in wanted]
        index = match.index
        tracked = [c for c in wanted if c in index]
        absent = [c for c in wanted if c not in index and c not in match.missing]
        reports += [FieldReport(c, "missing-recommended") for c in absent]
        columns = [index[c] for c in tracked]
        blanks = [0] * len(columns)
        rows = roles = 0
        orgs_at = index.get("orgSourcedIds") if layout.derived_roles and topic == "users" else None
        for _, values in table.rows():
            rows += 1
            for k, i in enumerate(columns):
                if not values[i]:
                    blanks[k] += 1
            if orgs_at is not None and values[orgs_at]:
                roles += len(dict.fromkeys(text_list(values[orgs_at]) or ()))
        self._counts[topic] = rows
        if orgs_at is not None:
            self._counts["roles"] = roles
        reports += [FieldReport(c, "present", blanks[k]) for k, c in enumerate(tracked)]
        order = {c: k for k, c in enumerate(field_names(topic))}
        reports.sort(key=lambda f: order.get(f.name, len(order)))
        problems = [match.missing_message()] if match.near else []
        if required and rows == 0 and layout.modes[topic] == "bulk":
            problems.append(f"{name} has no data rows")
        return TopicReport(topic, True, required, rows, reports, "; ".join(problems) or None)

    # -- fetch -----------------------------------------------------------------------------

    def fetch(self, state: SyncState | None = None) -> Iterator[TopicStream]:
        """Check every file's header first, then give each topic present, in TOPIC_ORDER, as
        one load by SQLite's own CSV reader.

        A bundle is what the SIS exported: `state` is not used, the manifest gives each mode.
        """
        bundle = self._bundle()
        try:
            layout = read_layout(bundle, self.warn)
            selects = {topic: self._prepare(bundle, layout, topic) for topic in TOPIC_ORDER}
        finally:
            bundle.close()
        users = selects.get("users")
        if layout.derived_roles and users is not None:
            selects["roles"] = self._derived(users)
        for topic in TOPIC_ORDER:
            select = selects.get(topic)
            if select is None:
                continue
            yield TopicStream(
                topic,
                layout.modes.get(topic, "bulk"),
                field_names(topic),
                (),
                lambda _row: (),
                lambda _row, name=select.name: name,
                self._counts.get(topic),
                load=partial(csv_native.load, select=select, warn=self.warn),
            )

    def _prepare(self, bundle: Bundle, layout: Layout, topic: str) -> CsvSelect | None:
        """The SQL of one topic's file, after its header is checked; None when not read."""
        required = topic in REQUIRED_TOPICS[layout.version]
        if topic == "roles" and layout.derived_roles:
            return None
        name = layout.files.get(topic)
        if name is None:
            if required and not layout.unchanged(topic):
                raise ConnectorError(
                    f"{FILES[topic]} is missing: a OneRoster {layout.version} bundle needs it",
                    where=bundle.label,
                )
            return None
        table = open_table(bundle, name, self.warn)
        table.close()
        if table.header is None:
            if required:
                raise ConnectorError(f"{name} is empty (no header line)", where=f"{name}:1")
            self.warn(f"{name} is empty (no header line); skipped")
            return None
        match = self._match(layout, topic, name, table.header)
        if match.missing:
            raise match.error()
        header = [h.strip() for h in table.header]
        return CsvSelect(
            bundle=self._bundle,
            name=name,
            header=header,
            values=values_sql(topic, header, match.mapped, name, self.warn),
            index=match.index,
            required=required and layout.modes[topic] == "bulk",
        )

    def _derived(self, users: CsvSelect) -> CsvSelect:
        """The role links of a 1.0/1.1 users.csv, read from that file."""
        values, joins = roles_sql(users.index)
        return replace(users, values=values, joins=joins, blanks=False, required=False)
