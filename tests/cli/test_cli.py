"""The CLI end to end, as a subprocess over bundles the tests write."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from tests.helpers.bundles import district, write_bundle
from tests.helpers.cli import CliRunner

STATUS_KEYS = {
    "connection",
    "counts",
    "orgs_by_type",
    "users_by_role",
    "last_success_at",
    "last_attempt",
    "next_run_at",
    "daemon",
    "stale",
    "paused",  # issue 19: {"until": …} or null
    "window",  # issue 21: the adds-only window in force, or null
    "alerts",  # issue 21: the channels set up and the last failed send
}


def test_methods_lists_methods_then_vendors(cli: CliRunner) -> None:
    out = cli("methods")
    assert out.returncode == 0
    lines = [line.split("\t") for line in out.stdout.splitlines()]
    assert all(len(parts) == 3 for parts in lines)
    ids = [parts[0] for parts in lines]
    assert ids[:4] == ["oneroster-csv", "oneroster-api", "sif", "csv"]
    assert {"powerschool", "infinite-campus", "skyward", "aeries", "synergy"} <= set(ids)
    powerschool = next(p for p in lines if p[0] == "powerschool")
    assert powerschool[2].split(",")[0] == "oneroster-api"


def test_help_texts_are_complete(cli: CliRunner) -> None:
    top = cli("--help")
    assert top.returncode == 0
    for command in ("methods", "connect", "check", "sync", "status", "disconnect"):
        assert command in top.stdout
        sub = cli(command, "--help")
        assert sub.returncode == 0 and "usage:" in sub.stdout, command


def test_connect_sync_status_end_to_end(tmp_path: Path, cli: CliRunner, data_dir: Path) -> None:
    bundle = write_bundle(tmp_path / "bundle.zip")
    connected = cli("connect", "oneroster-csv", "--set", f"path={bundle}")
    assert connected.returncode == 0, connected.stderr
    assert "Saved" in connected.stdout
    assert (data_dir / "connection.json").exists()
    assert stat.S_IMODE((data_dir / "secrets.json").stat().st_mode) == 0o600
    synced = cli("sync")
    assert synced.returncode == 0, synced.stderr
    assert "applied" in synced.stdout
    status = cli("status", "--json")
    doc = json.loads(status.stdout)
    assert set(doc) == STATUS_KEYS
    assert doc["connection"] == {"method": "oneroster-csv", "vendor": None}
    assert doc["counts"]["enrollments"] == 84
    assert doc["last_attempt"]["status"] == "succeeded"
    assert doc["daemon"] == {"running": False, "pid": None}
    assert doc["stale"] is False
    assert doc["next_run_at"].endswith("Z")
    assert doc["paused"] is None and doc["window"] is None
    assert doc["alerts"] == {"channels": [], "last_failure": None}
    human = cli("status")
    assert "Students" in human.stdout and "20" in human.stdout


def test_connect_refuses_a_bundle_missing_required_data(
    tmp_path: Path, cli: CliRunner, data_dir: Path
) -> None:
    rows = district()
    del rows["enrollments"]
    bundle = write_bundle(tmp_path / "b", rows)
    out = cli("connect", "oneroster-csv", "--set", f"path={bundle}")
    assert out.returncode == 3
    assert "enrollments" in out.stdout
    assert not (data_dir / "connection.json").exists()


def test_usage_errors_exit_2_with_one_line(tmp_path: Path, cli: CliRunner) -> None:
    unknown = cli("connect", "no-such-sis", "--set", "path=x")
    assert unknown.returncode == 2
    assert "no-such-sis" in unknown.stderr and "Traceback" not in unknown.stderr
    missing = cli("connect", "oneroster-csv")
    assert missing.returncode == 2 and "path" in missing.stderr
    typo = cli("connect", "oneroster-csv", "--set", "pth=x")
    assert typo.returncode == 2 and "did you mean path" in typo.stderr
    not_connected = cli("sync")
    assert not_connected.returncode == 2 and "connect" in not_connected.stderr


def test_sync_exit_codes_held_and_failed(tmp_path: Path, cli: CliRunner) -> None:
    rows = district()
    bundle = write_bundle(tmp_path / "b", rows)
    assert cli("connect", "oneroster-csv", "--set", f"path={bundle}").returncode == 0
    assert cli("sync").returncode == 0
    rows["enrollments"] = rows["enrollments"][:10]
    write_bundle(bundle, rows)
    held = cli("sync")
    assert held.returncode == 4
    assert "would remove" in held.stdout
    (bundle / "orgs.csv").write_bytes(b"sourcedId,status\n\xff\xfe,\n")
    failed = cli("sync", "--force")
    assert failed.returncode == 1
    assert len(failed.stderr.strip().splitlines()) == 1
    assert "orgs.csv" in failed.stderr


def test_sync_while_another_runs_exits_5(tmp_path: Path, cli: CliRunner, data_dir: Path) -> None:
    from datasync_tui.sync.lock import FileLock

    bundle = write_bundle(tmp_path / "b")
    assert cli("connect", "oneroster-csv", "--set", f"path={bundle}").returncode == 0
    with FileLock(data_dir / "sync.lock"):
        busy = cli("sync")
    assert busy.returncode == 5
    assert f"pid {os.getpid()}" in busy.stderr


def test_disconnect_and_purge(tmp_path: Path, cli: CliRunner, data_dir: Path) -> None:
    bundle = write_bundle(tmp_path / "b")
    cli("connect", "oneroster-csv", "--set", f"path={bundle}")
    cli("sync")
    assert cli("disconnect").returncode == 0
    assert not (data_dir / "connection.json").exists()
    assert (data_dir / "datasync.db").exists()
    assert cli("disconnect", "--purge").returncode == 0
    assert not (data_dir / "datasync.db").exists()
    assert json.loads(cli("status", "--json").stdout)["counts"]["users"] == 0


def test_data_home_from_environment(tmp_path: Path, cli: CliRunner) -> None:
    import subprocess
    import sys

    home = tmp_path / "envhome"
    bundle = write_bundle(tmp_path / "b")
    env = {**os.environ, "DATASYNC_HOME": str(home)}
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "datasync_tui.cli",
            "connect",
            "oneroster-csv",
            "--set",
            f"path={bundle}",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert (home / "connection.json").exists()


def test_reconnecting_the_same_source_keeps_its_history(tmp_path: Path, cli: CliRunner) -> None:
    rows = district()
    bundle = write_bundle(tmp_path / "b", rows)
    assert cli("connect", "oneroster-csv", "--set", f"path={bundle}").returncode == 0
    assert cli("sync").returncode == 0
    # Changing a setting of the same source is not a new source: the deletion hold still holds.
    out = cli("connect", "oneroster-csv", "--set", f"path={bundle}", "--set", "sync_at=03:30")
    assert out.returncode == 0
    rows["enrollments"] = rows["enrollments"][:10]
    write_bundle(bundle, rows)
    assert cli("sync").returncode == 4
