"""What a OneRoster bundle holds: its manifest, its version and the file and mode of each topic."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from connectors.base import ConnectorError
from connectors.canonical import TOPIC_ORDER
from connectors.common.csv_reading import Bundle, CsvTable
from connectors.oneroster.csv_spec import ALIASES, FILES, required_columns

Mode = Literal["bulk", "delta"]
Warn = Callable[[str], None]


@dataclass
class Layout:
    """What a bundle holds: its version, manifest, the files read and their modes."""

    version: str
    manifest: dict[str, str] | None
    files: dict[str, str] = field(default_factory=dict)
    modes: dict[str, Mode] = field(default_factory=dict)
    derived_roles: bool = False
    header_only: set[str] = field(default_factory=set)  # topics whose file has no data rows

    def required(self, topic: str) -> tuple[str, ...]:
        """The columns a topic's file must have: none for a file with only a header (it has no
        rows that could lack anything; what it lacks is a warning, see `read_layout`)."""
        if topic in self.header_only:
            return ()
        return required_columns(self.version, topic, self.modes.get(topic, "bulk"))

    def unchanged(self, topic: str) -> bool:
        """True when a delta bundle's manifest marks the topic absent: it has no changes."""
        if not self.manifest:
            return False
        modes = {v.lower() for k, v in self.manifest.items() if k.startswith("file.")}
        return "delta" in modes and self.manifest.get(f"file.{topic}".lower()) == "absent"


def open_table(bundle: Bundle, file_name: str, warn: Warn) -> CsvTable:
    """Open one file of the bundle and read its header (a BOM is noted)."""
    table = bundle.table(file_name, warn)
    if table.bom:
        warn(f"{file_name}: byte order mark at the start ignored")
    return table


def read_manifest(bundle: Bundle, warn: Warn) -> dict[str, str] | None:
    """manifest.csv as {lower-case property: value}, or None when the bundle has none."""
    name = bundle.find("manifest.csv")
    if name is None:
        return None
    table = open_table(bundle, name, warn)
    header = [h.strip().lower() for h in table.header or []]
    if header != ["propertyname", "value"]:
        table.close()
        raise ConnectorError(
            "manifest.csv must have the header propertyName,value", where=f"{name}:1"
        )
    return {key.strip().lower(): value.strip() for _, (key, value) in table.rows()}


def read_layout(bundle: Bundle, warn: Warn) -> Layout:
    """Read the manifest, detect the version and find the file of each topic."""
    manifest = read_manifest(bundle, warn)
    users = bundle.find(FILES["users"])
    roles = bundle.find(FILES["roles"])
    style = None
    if users is not None:
        table = open_table(bundle, users, warn)
        table.close()
        columns = {h.strip().lower() for h in table.header or []}
        if {"orgsourcedids", "role"} <= columns:
            style = "1.1"
        elif roles is not None:
            style = "1.2"
    elif roles is not None:
        style = "1.2"
    layout = Layout(version_to_read(manifest, style, warn), manifest)
    for topic in TOPIC_ORDER:
        name = bundle.find(FILES[topic])
        if topic == "roles" and layout.version != "1.2":
            layout.derived_roles = users is not None
            if name is not None:
                warn(f"{name} ignored: OneRoster {layout.version} roles come from users.csv")
            continue
        if name is not None:
            layout.files[topic] = name
            layout.modes[topic] = mode_of(manifest, topic, name, warn)
            _note_header_only(bundle, layout, topic, name, warn)
        elif manifest and manifest.get(f"file.{topic}".lower()) in ("bulk", "delta"):
            warn(f"manifest.csv lists {FILES[topic]} but the bundle has no such file")
    layout.modes["roles"] = layout.modes.get("roles", layout.modes.get("users", "bulk"))
    return layout


def _note_header_only(bundle: Bundle, layout: Layout, topic: str, name: str, warn: Warn) -> None:
    """Mark a file with a header and no data rows, warning about the columns it lacks."""
    table = open_table(bundle, name, warn)
    try:
        if table.header is None or next(iter(table.rows()), None) is not None:
            return
    except ConnectorError:
        return  # an unreadable row: the file is read, and refused there, as usual
    finally:
        table.close()
    layout.header_only.add(topic)
    aliases = ALIASES.get(topic, {})
    present = {h.strip() for h in table.header}
    present |= {aliases.get(h.strip().lower(), h.strip()) for h in table.header}
    present |= {h.strip().lower() for h in table.header}
    lacking = [
        c
        for c in required_columns(layout.version, topic, layout.modes[topic])
        if c not in present and c.lower() not in present
    ]
    if lacking:
        warn(
            f"{name} has only a header, without {', '.join(lacking)}: "
            "no rows lack them, so it is read as empty"
        )


def version_family(declared: str) -> str | None:
    """The version family ("1.0", "1.1", "1.2") of a manifest's oneroster.version."""
    value = declared.strip().lower().removeprefix("v")
    for family in ("1.0", "1.1", "1.2"):
        if value == family or value.startswith(family + "."):
            return family
    return None


def version_to_read(manifest: dict[str, str] | None, style: str | None, warn: Warn) -> str:
    """The version to read as: the manifest's, unless the files plainly say otherwise."""
    if manifest is None:
        if style == "1.2":
            warn("no manifest.csv; the files look like OneRoster 1.2 and are read so")
            return "1.2"
        warn("no manifest.csv: read as OneRoster 1.0 (bulk)")
        return "1.0"
    declared = manifest.get("oneroster.version", "")
    version = version_family(declared)
    if version is None:
        version = style or "1.1"
        warn(f"manifest.csv has no usable oneroster.version ({declared!r}); read as {version}")
    elif style and style != version and not (version == "1.0" and style == "1.1"):
        warn(f"manifest.csv says OneRoster {version} but the files are {style}; read as {style}")
        version = style
    return version


def mode_of(manifest: dict[str, str] | None, topic: str, name: str, warn: Warn) -> Mode:
    """bulk or delta from the manifest (bulk without one); a present file is always read."""
    if manifest is None:
        return "bulk"
    value = manifest.get(f"file.{topic}".lower(), "").lower()
    if value == "bulk":
        return "bulk"
    if value == "delta":
        return "delta"
    if value == "absent":
        warn(f"manifest.csv marks {name} absent, but the bundle has it: it is read")
    else:
        warn(f"manifest.csv gives {name} no mode ({value!r}); read as bulk")
    return "bulk"
