"""Discovery of methods and vendors by name, loading a connector module only when it is used."""

from __future__ import annotations

import importlib
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

from connectors.base import Connector, ConnectorError


@dataclass(frozen=True)
class Method:
    """A way of reaching a source, and the module that implements it."""

    id: str
    label: str
    help: str
    target: str  # "module:Class"

    def load(self) -> type[Connector]:
        """Import the connector class (and only it)."""
        module_name, _, class_name = self.target.partition(":")
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:  # a broken plug-in must not take the others down
            raise ConnectorError(f"method {self.id} cannot be loaded: {exc}") from exc
        return getattr(module, class_name)


@dataclass(frozen=True)
class Vendor:
    """A named SIS or SMS vendor and the methods it offers, the default first."""

    id: str
    label: str
    methods: tuple[str, ...]
    help: str
    presets: dict[str, dict[str, str]]


METHODS: dict[str, Method] = {
    m.id: m
    for m in (
        Method(
            "oneroster-csv",
            "OneRoster CSV",
            "A OneRoster 1.0/1.1/1.2 CSV bundle: a .zip or a folder of CSV files.",
            "connectors.oneroster.csv:OneRosterCsvConnector",
        ),
        Method(
            "oneroster-api",
            "OneRoster API",
            "A OneRoster 1.1/1.2 REST API, with OAuth 2 or OAuth 1.0a credentials.",
            "connectors.oneroster.api:OneRosterApiConnector",
        ),
        Method(
            "sif",
            "SIF",
            "SIF 1.5/2.x XML files, or a SIF 3 REST environment.",
            "connectors.sif.connector:SifConnector",
        ),
        Method(
            "csv",
            "Plain CSV",
            "CSV exports that are not OneRoster (SDS, Clever or your own) read through a mapping.",
            "connectors.mapped_csv.connector:MappedCsvConnector",
        ),
    )
}


@cache
def vendors() -> dict[str, Vendor]:
    """The vendor catalogue from connectors/vendors.json."""
    raw = json.loads(resources.files("connectors").joinpath("vendors.json").read_text("utf-8"))
    out: dict[str, Vendor] = {}
    for item in raw["vendors"]:
        out[item["id"]] = Vendor(
            id=item["id"],
            label=item["label"],
            methods=tuple(item["methods"]),
            help=item.get("help", ""),
            presets=item.get("presets", {}),
        )
    return out


def available(method_id: str) -> bool:
    """True when the method's module is present in this install."""
    module_name = METHODS[method_id].target.partition(":")[0]
    return importlib.util.find_spec(module_name) is not None


def resolve(source_id: str, method: str | None = None) -> tuple[Method, Vendor | None]:
    """Turn a method or vendor id (and an optional method choice) into a method and vendor."""
    if source_id in METHODS:
        return METHODS[source_id], None
    vendor = vendors().get(source_id)
    if vendor is None:
        raise ConnectorError(
            f"unknown method or vendor {source_id!r}; `datasync-tui methods` lists them"
        )
    chosen = method or vendor.methods[0]
    if chosen not in vendor.methods:
        raise ConnectorError(f"{vendor.label} offers {', '.join(vendor.methods)}, not {chosen!r}")
    return METHODS[chosen], vendor
