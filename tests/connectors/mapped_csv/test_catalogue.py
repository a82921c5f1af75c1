"""The vendor catalogue: named vendors, real methods, declared options only; listed and chosen."""

from __future__ import annotations

import json
from importlib import resources

from connectors.registry import METHODS, resolve, vendors
from datasync_tui.viewmodels.setup import matching_choices, source_choices
from tests.helpers.cli import CliRunner

NAMED = (
    *("PowerSchool SIS", "PowerSchool eSchoolPlus", "Infinite Campus", "Skyward SMS 2.0"),
    *("Skyward Qmlativ", "Aeries", "Edupoint Synergy", "Follett Aspen", "FACTS", "Focus"),
    *("Blackbaud", "Veracross", "Rediker", "Alma", "Genesis", "Ascender", "Gradelink"),
    *("Sycamore", "Tyler SIS", "iSAMS", "Arbor", "SIMS", "Classter", "SchoolTool", "Illuminate"),
)


def test_at_least_25_named_vendors() -> None:
    labels = [v.label for v in vendors().values()]
    assert len(labels) >= 25
    for name in NAMED:
        assert any(label.startswith(name) for label in labels), name


def test_existing_entries_keep_their_shape() -> None:
    raw = json.loads(resources.files("connectors").joinpath("vendors.json").read_text("utf-8"))
    ids = [v["id"] for v in raw["vendors"]]
    assert ids[:5] == ["powerschool", "infinite-campus", "skyward", "aeries", "synergy"]
    assert len(ids) == len(set(ids))
    for v in raw["vendors"]:
        assert {"id", "label", "methods", "help", "presets"} <= set(v), v["id"]
        assert v["id"] == v["id"].lower() and " " not in v["id"]
        assert v["source"], v["id"]  # where the method claim comes from (or that it is unconfirmed)


def test_every_entry_names_real_methods_and_declared_options() -> None:
    for vendor in vendors().values():
        assert vendor.methods, vendor.id
        assert 40 <= len(vendor.help) <= 300, vendor.id  # two or three lines
        for method_id in vendor.methods:
            assert method_id in METHODS, (vendor.id, method_id)
        for method_id, presets in vendor.presets.items():
            assert method_id in vendor.methods, (vendor.id, method_id)
            options = {o.name: o for o in METHODS[method_id].load().all_options()}
            for name, value in presets.items():
                assert name in options, (vendor.id, method_id, name)
                assert options[name].validate(value) is None, (vendor.id, name, value)


def test_csv_vendor_presets_name_real_mappings() -> None:
    from connectors.mapped_csv.mapping import preset_ids

    for vendor in vendors().values():
        mapping = vendor.presets.get("csv", {}).get("mapping")
        if mapping:
            assert mapping in preset_ids(), vendor.id


def test_resolve_a_vendor_with_several_methods() -> None:
    method, vendor = resolve("sims")
    assert method.id == "csv" and vendor is not None and vendor.id == "sims"
    method, _ = resolve("sims", "oneroster-api")
    assert method.id == "oneroster-api"


def test_methods_command_lists_every_vendor(cli: CliRunner) -> None:
    out = cli("methods")
    assert out.returncode == 0
    lines = [line.split("\t") for line in out.stdout.splitlines()]
    assert all(len(parts) == 3 for parts in lines)
    listed = {parts[0]: parts[2].split(",") for parts in lines}
    for vendor in vendors().values():
        assert listed[vendor.id] == list(vendor.methods)


def test_wizard_choices_list_and_search_vendors() -> None:
    choices = source_choices()
    keys = {c.key for c in choices}
    assert "clever/csv" in keys and "isams/oneroster-api" in keys
    assert all(c.available for c in choices if c.method_id == "csv")
    found = matching_choices(choices, "qmlativ")
    assert found[0].vendor_id == "skyward-qmlativ" and found[0].default
    assert matching_choices(choices, "csv")[0].key == "oneroster-csv"


def test_connect_with_a_vendor_fills_its_defaults(cli: CliRunner, tmp_path) -> None:
    from tests.helpers.mapped_csv import sds

    folder = sds(tmp_path / "f")
    out = cli("connect", "microsoft-sds", "--set", f"path={folder}")
    assert out.returncode == 0, out.stderr
    saved = json.loads((tmp_path / "home" / "connection.json").read_text())
    assert saved["vendor"] == "microsoft-sds" and saved["method"] == "csv"
    assert saved["settings"]["mapping"] == "sds-classic"
