"""`status` for people: the source's path, and every time in local time (as the TUI shows)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from tests.helpers.bundles import write_bundle
from tests.helpers.cli import CliRunner

ZONE = "America/Chicago"


def test_status_names_the_source_and_shows_local_times(tmp_path: Path, cli: CliRunner) -> None:
    bundle = write_bundle(tmp_path / "bundle.zip")
    assert cli("connect", "oneroster-csv", "--set", f"path={bundle}").returncode == 0
    assert cli("sync").returncode == 0
    env = {"TZ": ZONE}
    out = cli("status", env=env).stdout
    assert f"Source: oneroster-csv at {bundle}" in out
    doc = json.loads(cli("status", "--json", env=env).stdout)
    stamp = datetime.strptime(doc["last_success_at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    local = stamp.astimezone(ZoneInfo(ZONE)).strftime("%Y-%m-%d %H:%M")
    assert f"Last good sync: {local}" in out
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", out)  # no UTC stamps left
    assert f"Times are local ({ZONE})." in out
