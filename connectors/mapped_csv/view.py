"""What the wizard's mapping step shows: the files and headers, the preset, the gaps to fill."""

from __future__ import annotations

from dataclasses import dataclass, field

from connectors.base import ConnectorError
from connectors.common.csv_header import is_secret, near_miss
from connectors.common.csv_reading import Bundle
from connectors.mapped_csv.connector import bundle_headers, choose_mapping
from connectors.mapped_csv.mapping import REQUIRED_FIELDS, REQUIRED_TOPICS, detect, preset_ids
from connectors.mapped_csv.overrides import with_overrides
from connectors.mapped_csv.tables import MappedTable


@dataclass(frozen=True)
class Gap:
    """A required field that no column fills yet, and the columns it could be read from."""

    file: str
    topic: str
    field: str
    why: str
    candidates: tuple[str, ...]
    suggested: str | None = None

    @property
    def target(self) -> str:
        """'users.role'."""
        return f"{self.topic}.{self.field}"


@dataclass
class MappingView:
    """The bundle's CSV headers, the preset chosen or suggested, and what is still unmapped."""

    files: dict[str, list[str]] = field(default_factory=dict)
    presets: list[str] = field(default_factory=list)
    suggested: str | None = None
    mapping: str | None = None
    gaps: list[Gap] = field(default_factory=list)
    error: str | None = None


def describe(path: str, mapping: str | None = None, columns: str | None = None) -> MappingView:
    """Read only the headers of a folder or zip and show how a mapping fits it (never raises)."""
    view = MappingView(presets=preset_ids())
    try:
        bundle = Bundle(path)
    except (ConnectorError, OSError) as exc:
        view.error = str(exc)
        return view
    try:
        view.files = bundle_headers(bundle)
        found = detect(view.files)
        view.suggested = found[0] if found else None
        spec, _ = choose_mapping(mapping or view.suggested, view.files)
        spec = with_overrides(spec, columns)
        view.mapping = spec.id if spec.origin.startswith("preset") else (mapping or spec.id)
        for table_spec in spec.tables:
            if table_spec.topic not in REQUIRED_TOPICS:
                continue
            table = MappedTable(table_spec, spec, lambda _m: None)
            res = table.resolve(bundle)
            if res.file_name is None:
                continue
            header = [h for h in res.header if h and not is_secret(h)]
            for name in REQUIRED_FIELDS[table_spec.topic]:
                why = None
                if name in res.unmapped:
                    why = "not mapped"
                elif name in res.missing:
                    why = f"no column {res.missing[name]}"
                if why:
                    wanted = res.missing.get(name, name).split(" or ")[0]
                    guess = near_miss(wanted, header) or next(
                        (h for h in header if wanted.lower() in h.lower().split()), None
                    )
                    view.gaps.append(
                        Gap(
                            res.file_name,
                            table_spec.topic,
                            name,
                            why,
                            tuple(header),
                            guess,
                        )
                    )
    except ConnectorError as exc:
        view.error = str(exc)
    except Exception as exc:  # the step shows the problem; it never crashes the wizard
        view.error = f"cannot read the files: {type(exc).__name__}: {exc}"
    finally:
        bundle.close()
    return view
