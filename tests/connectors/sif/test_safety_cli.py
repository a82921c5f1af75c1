"""Hostile XML is refused fast with one line and nothing applied; the CLI end to end."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from connectors.base import ConnectorError
from connectors.sif.connector import SifConnector
from datasync_tui.paths import DataDir
from datasync_tui.sync import run_sync
from tests.helpers.cli import CliRunner
from tests.helpers.sif import BOMB, read_all
from tests.helpers.sif_gen import District, write_us

XXE = (
    '<?xml version="1.0"?>\n<!DOCTYPE StudentPersonal [\n'
    ' <!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n'
    '<StudentPersonal RefId="X0"><LocalId>&xxe;</LocalId></StudentPersonal>\n'
)
DTD_ONLY = (
    '<?xml version="1.0"?>\n<!DOCTYPE StudentPersonal SYSTEM "http://127.0.0.1:9/sif.dtd">\n'
    '<StudentPersonal RefId="D0"/>\n'
)


@pytest.mark.parametrize(
    ("content", "words"),
    [(BOMB, "XML bomb"), (XXE, "external entity (XXE)"), (DTD_ONLY, "a DTD")],
)
def test_hostile_documents_are_refused_fast(tmp_path: Path, content: str, words: str) -> None:
    folder = write_us(tmp_path / "us", District(students=3))
    (folder / "zz_hostile.xml").write_text(content)
    started = time.perf_counter()
    with pytest.raises(ConnectorError) as info:
        read_all(SifConnector({"path": str(folder)}))
    assert time.perf_counter() - started < 5
    assert words in info.value.message and "refused" in info.value.message
    assert info.value.where is not None and info.value.where.startswith("zz_hostile.xml:")
    report = SifConnector({"path": str(folder)}).check()
    assert not report.ok and "refused" in (report.error or "")


def status_json(cli: CliRunner) -> dict:
    """`status --json`, parsed."""
    out = cli("status", "--json")
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_cli_connect_sync_status(tmp_path: Path, cli: CliRunner, data_dir: Path) -> None:
    folder = write_us(tmp_path / "us", District(students=40, teachers=4, sections=4))
    out = cli("connect", "sif", "--set", f"path={folder}")
    assert out.returncode == 0, out.stdout + out.stderr
    out = cli("sync")
    assert out.returncode == 0, out.stdout + out.stderr
    doc = status_json(cli)
    assert doc["connection"]["method"] == "sif"
    assert doc["counts"] == {
        "orgs": 2,
        "academicSessions": 1,
        "courses": 1,
        "classes": 4,
        "users": 44,
        "enrollments": 4 * 40 + 4,
        "demographics": 40,
    }
    assert doc["orgs_by_type"] == {"district": 1, "school": 1}
    assert doc["users_by_role"] == {"student": 40, "teacher": 3, "administrator": 1}
    assert doc["last_attempt"]["status"] == "succeeded"
    # A second sync of the same files changes nothing: every row compares equal to its stored one.
    again = run_sync(DataDir(data_dir))
    assert again.status == "succeeded", again.error
    for counts in again.changes.values():
        assert counts["added"] == counts["updated"] == counts["removed"] == 0
    assert again.changes["users"]["unchanged"] == 44


@pytest.mark.parametrize("content", [BOMB, XXE])
def test_cli_hostile_file_fails_sync_and_keeps_data(
    tmp_path: Path, cli: CliRunner, content: str
) -> None:
    folder = write_us(tmp_path / "us", District(students=10))
    assert cli("connect", "sif", "--set", f"path={folder}").returncode == 0
    assert cli("sync").returncode == 0
    before = status_json(cli)["counts"]
    (folder / "students.xml").write_text(content)
    out = cli("sync")
    assert out.returncode == 1
    assert "refused" in out.stderr or "refused" in out.stdout
    assert "Traceback" not in out.stderr
    doc = status_json(cli)
    assert doc["counts"] == before
    assert doc["last_attempt"]["status"] == "failed"
    out = cli("check")
    assert out.returncode == 3


def test_cli_connect_refuses_a_bomb_folder(tmp_path: Path, cli: CliRunner) -> None:
    folder = write_us(tmp_path / "us", District(students=3))
    (folder / "bomb.xml").write_text(BOMB)
    out = cli("connect", "sif", "--set", f"path={folder}")
    assert out.returncode == 3
    assert "bomb.xml" in out.stdout + out.stderr and "refused" in out.stdout + out.stderr
