"""`datasync-tui validate` end to end, and the bundled sample's problems found exactly."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from datasync_tui.demo import EMAIL_DOMAIN, bundled_district
from datasync_tui.demo.generate import DEMO_PROBLEMS
from datasync_tui.paths import DataDir
from datasync_tui.rules import evaluate, iter_hits
from datasync_tui.rules.classroom import dry_run
from datasync_tui.store import config
from datasync_tui.store.db import connect
from datasync_tui.sync import run_sync
from tests.helpers.bundles import district, write_bundle
from tests.helpers.cli import CliRunner

EXPECTED = {(p.rule, sid) for p in DEMO_PROBLEMS for sid in p.sourced_ids}
ISSUE_KEYS = ["rule", "severity", "topic", "sourcedId", "field", "value", "message", "hint"]


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir with the bundled sample district synced (once for the module)."""
    root = tmp_path_factory.mktemp("demo") / "home"
    dd = DataDir(root).ensure()
    settings = {"path": str(bundled_district()), "email_domains": EMAIL_DOMAIN}
    config.save(dd, config.Connection("oneroster-csv", None, settings))
    assert run_sync(dd).status == "succeeded"
    return root


def test_the_sample_district_has_exactly_its_listed_problems(demo_dir: Path) -> None:
    db = connect(DataDir(demo_dir).database)
    conn = db.connection()
    evaluate(conn, email_domains=EMAIL_DOMAIN, today="2026-11-28")
    found = {(i.rule, i.sourcedId) for i in iter_hits(conn)}
    assert found == EXPECTED
    classroom = dry_run(conn, "2026-11-28")
    assert classroom.classes_skipped == 5 and classroom.users_failing == 6
    db.close()


def in_dir(root: Path) -> CliRunner:
    """Run the CLI as a subprocess over the data dir root."""

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if k != "DATASYNC_HOME"}
        argv = [sys.executable, "-m", "datasync_tui.cli", "--data-dir", str(root), *args]
        return subprocess.run(argv, capture_output=True, text=True, env=env, timeout=120)

    return run


def run_json(cli: CliRunner, *args: str) -> tuple[int, dict]:
    """validate --json: exit status and the document."""
    out = cli("validate", "--json", *args)
    assert out.stdout.startswith("{"), out.stderr
    return out.returncode, json.loads(out.stdout)


def test_validate_json_shape(demo_dir: Path) -> None:
    code, doc = run_json(in_dir(demo_dir))
    assert code == 0
    assert list(doc) == ["issues", "summary", "classroom"]
    assert all(list(issue) == ISSUE_KEYS for issue in doc["issues"])
    assert list(doc["classroom"]) == ["classes_created", "classes_skipped", "users_failing"]
    assert all(isinstance(v, int) for v in doc["classroom"].values())
    assert len(doc["summary"]) == 24 and sum(doc["summary"].values()) == len(doc["issues"])
    found = {(i["rule"], i["sourcedId"]) for i in doc["issues"]}
    assert found == EXPECTED


def test_fail_on_exits_6(demo_dir: Path) -> None:
    cli = in_dir(demo_dir)
    assert cli("validate").returncode == 0
    assert cli("validate", "--fail-on", "error").returncode == 6
    assert cli("validate", "--fail-on", "warning").returncode == 6
    assert cli("validate", "--fail-on", "info").returncode == 2


def test_clean_district_passes_fail_on_error(cli: CliRunner, tmp_path: Path) -> None:
    bundle = write_bundle(tmp_path / "clean.zip", district())
    assert (
        cli(
            "connect",
            "oneroster-csv",
            "--set",
            f"path={bundle}",
            "--set",
            "email_domains=lincoln.org",
        ).returncode
        == 0
    )
    assert cli("sync").returncode == 0
    out = cli("validate", "--fail-on", "error")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "classes created         4" in out.stdout
    code, doc = run_json(cli)
    assert code == 0 and [i for i in doc["issues"] if i["severity"] == "error"] == []
    assert doc["issues"] == [] and set(doc["summary"].values()) == {0}


def test_export_by_extension(demo_dir: Path, tmp_path: Path) -> None:
    cli = in_dir(demo_dir)
    (tmp_path / "x").mkdir()  # an export makes no folder
    _, doc = run_json(cli, "--export", str(tmp_path / "x" / "issues.json"))
    exported = json.loads((tmp_path / "x" / "issues.json").read_text("utf-8"))
    assert exported == doc["issues"]
    out = cli("validate", "--export", str(tmp_path / "issues.csv"))
    assert out.returncode == 0 and f"Exported {len(exported)} issues" in out.stdout
    with (tmp_path / "issues.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(exported) and list(rows[0]) == ISSUE_KEYS
    bad = cli("validate", "--export", str(tmp_path / "issues.txt"))
    assert bad.returncode == 2 and ".csv or .json" in bad.stderr
    assert bad.stderr.count("\n") == 1


def test_nothing_synced_yet(cli: CliRunner) -> None:
    out = cli("validate")
    assert out.returncode == 2
    assert "run `datasync-tui sync` first" in out.stderr and "Traceback" not in out.stderr


def test_stored_results_match_validate(demo_dir: Path) -> None:
    db = connect(DataDir(demo_dir).database)
    rows = (
        db.connection()
        .execute("SELECT rule, count FROM validation_results WHERE count > 0")
        .fetchall()
    )
    assert {rule for rule, _ in rows} >= {rule for rule, _ in EXPECTED}
    db.close()
