"""End to end through the CLI as a subprocess: connect csv, sync, status --json."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers.cli import CliRunner
from tests.helpers.mapped_csv import sample, sds


def test_sds_classic_sample_end_to_end(cli: CliRunner) -> None:
    path = sample("SDS Format/100 Users")
    connected = cli("connect", "csv", "--set", f"path={path}", "--set", "mapping=sds-classic")
    assert connected.returncode == 0, connected.stderr
    assert "Saved" in connected.stdout
    synced = cli("sync")
    assert synced.returncode == 0, synced.stderr
    status = json.loads(cli("status", "--json").stdout)
    assert status["connection"] == {"method": "csv", "vendor": None}
    assert status["counts"]["users"] == 98
    assert status["counts"]["classes"] == 28
    assert status["counts"]["enrollments"] == 630
    assert status["users_by_role"] == {"student": 86, "teacher": 12}
    assert status["last_attempt"]["status"] == "succeeded"


def test_uk_sample_end_to_end(cli: CliRunner) -> None:
    path = sample("UK Format/100 Users")
    assert cli("connect", "csv", "--set", f"path={path}").returncode == 0
    assert cli("sync").returncode == 0
    counts = json.loads(cli("status", "--json").stdout)["counts"]
    assert (counts["users"], counts["classes"], counts["enrollments"]) == (98, 28, 630)


def test_missing_file_is_not_saved(cli: CliRunner, tmp_path: Path, data_dir: Path) -> None:
    folder = sds(tmp_path / "f", skip="Teacher.csv")
    out = cli("connect", "csv", "--set", f"path={folder}", "--set", "mapping=sds-classic")
    assert out.returncode == 3
    assert "Teacher.csv is missing" in out.stdout
    assert not (data_dir / "connection.json").exists()


def test_generated_folder_resyncs_unchanged(cli: CliRunner, tmp_path: Path) -> None:
    folder = sds(tmp_path / "f")
    assert cli("connect", "csv", "--set", f"path={folder}").returncode == 0
    assert cli("sync").returncode == 0
    again = cli("sync")
    assert again.returncode == 0, again.stderr
    assert "+0 added" in again.stdout and "~0 updated" in again.stdout
