"""End to end: `connect oneroster-api`, `sync` and `status --json` as subprocesses, real HTTP."""

from __future__ import annotations

import json
import re
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from datasync_tui.store import sqlite
from tests.helpers.cli import CliRunner
from tests.helpers.oneroster_api import SECRET, ServerFactory, connect_args, sync_env
from tests.helpers.oneroster_district import District
from tests.helpers.oneroster_server import Faults


def expected_counts(district: District) -> dict[str, int]:
    """What status should count after a full sync of the district."""
    topics = ("orgs", "academicSessions", "courses", "classes", "users", "enrollments")
    return {**{t: len(district[t]) for t in topics}, "demographics": len(district["demographics"])}


def assert_secret_only_in_secrets_file(data_dir: Path, *outputs: str) -> None:
    """The secret is in no output and no file of the data dir but the 0600 secrets file."""
    for text in outputs:
        assert SECRET not in text
    holders = []
    for path in data_dir.rglob("*"):
        if path.is_file() and SECRET.encode() in path.read_bytes():
            holders.append(path)
    assert [p.name for p in holders] == ["secrets.json"], holders
    assert stat.S_IMODE(holders[0].stat().st_mode) == 0o600


@pytest.mark.parametrize(("version", "auth"), [("1.1", "oauth1"), ("1.2", "oauth2")])
def test_connect_sync_status(
    version: str,
    auth: str,
    serve: ServerFactory,
    district: District,
    cli: CliRunner,
    data_dir: Path,
    secret_file: Path,
) -> None:
    server = serve(version=version)
    connected = cli(*connect_args(server, secret_file, auth), env=sync_env())
    assert connected.returncode == 0, connected.stdout + connected.stderr
    assert f"(OneRoster {version})" in connected.stdout
    synced = cli("sync", env=sync_env())
    assert synced.returncode == 0, synced.stdout + synced.stderr
    status = cli("status", "--json")
    doc = json.loads(status.stdout)
    assert doc["connection"] == {"method": "oneroster-api", "vendor": None}
    assert doc["counts"] == expected_counts(district)
    assert doc["last_attempt"]["status"] == "succeeded"
    roles = {}
    for row in district["users"]:
        roles[row["role"]] = roles.get(row["role"], 0) + 1
    assert doc["users_by_role"] == roles
    with sqlite.connect(data_dir / "datasync.db") as db:
        links = db.execute("SELECT count(*) FROM roles").fetchone()[0]
        assert links == sum(len(r["orgSourcedIds"].split(",")) for r in district["users"])
        dump = every_row(db)
    assert "hunter2" not in dump  # 1.2 userProfiles credentials
    assert not re.search(r'"password"\s*:', dump)  # no password field at any depth
    assert "secret-pw" not in dump and "'pw'" not in dump  # 1.1 users' password field
    if version == "1.2":
        assert "ext.vendor.homeroom" in dump  # unknown fields kept in extras
    assert_secret_only_in_secrets_file(
        data_dir, connected.stdout, connected.stderr, synced.stdout, synced.stderr, status.stdout
    )


def test_wrong_secret_is_refused_and_nothing_saved(
    serve: ServerFactory, cli: CliRunner, data_dir: Path, tmp_path: Path
) -> None:
    server = serve(version="1.2")
    wrong = tmp_path / "wrong"
    wrong.write_text("not-the-secret-123\n", encoding="utf-8")
    out = cli(*connect_args(server, wrong, "oauth2"), env=sync_env())
    assert out.returncode == 3
    problem = [line for line in out.stdout.splitlines() if "✗" in line]
    assert len(problem) == 1
    assert server.token_url in problem[0] and "client_id 'datasync'" in problem[0]
    assert "not-the-secret-123" not in out.stdout + out.stderr
    assert not list(data_dir.iterdir())  # nothing saved


def test_wrong_oauth1_secret_names_the_credential(
    serve: ServerFactory, cli: CliRunner, data_dir: Path, tmp_path: Path
) -> None:
    server = serve(version="1.1")
    wrong = tmp_path / "wrong"
    wrong.write_text("nope-nope\n", encoding="utf-8")
    out = cli(*connect_args(server, wrong, "oauth1"), env=sync_env())
    assert out.returncode == 3
    assert "401" in out.stdout and "OAuth 1.0a signature of client_id 'datasync'" in out.stdout
    assert not list(data_dir.iterdir())


def test_missing_token_url_is_one_clear_line(
    serve: ServerFactory, cli: CliRunner, data_dir: Path, secret_file: Path
) -> None:
    server = serve(version="1.2")
    args = [
        "auth=oauth2" if a == "auth=oauth1" else a
        for a in connect_args(server, secret_file, "oauth1")
    ]
    out = cli(*args, env=sync_env())
    assert out.returncode == 3
    assert "token_url is required with auth=oauth2" in out.stdout
    assert not list(data_dir.iterdir())


RECOVERABLE = {
    "429 with Retry-After": Faults(rate_limited=3, retry_after="30"),
    "500s": Faults(server_errors=2),
    "dropped connections": Faults(dropped=2),
    "capped page size": Faults(page_cap=7),
    "token revoked mid-sync": Faults(revoke_after=5),
    "no X-Total-Count": Faults(no_total=True),
    "no Link, no total": Faults(no_total=True, no_link=True),
}


@pytest.mark.parametrize("name", list(RECOVERABLE))
def test_sync_rides_out_faults(
    name: str, serve: ServerFactory, district: District, cli: CliRunner, secret_file: Path
) -> None:
    # Alternate 1.1/OAuth 1 and 1.2/OAuth 2 over the faults (a token needs OAuth 2).
    oauth1 = list(RECOVERABLE).index(name) % 2 == 0 and "token" not in name
    version, auth = ("1.1", "oauth1") if oauth1 else ("1.2", "oauth2")
    server = serve(version=version)
    assert cli(*connect_args(server, secret_file, auth), env=sync_env()).returncode == 0
    server.faults = RECOVERABLE[name]
    synced = cli("sync", env=sync_env())
    assert synced.returncode == 0, synced.stdout + synced.stderr
    doc = json.loads(cli("status", "--json").stdout)
    assert doc["counts"] == expected_counts(district)
    if name == "capped page size":
        assert "caps pages at 7 records" in synced.stdout
    if "429" in name or "500" in name or "dropped" in name:
        assert "requests were retried" in synced.stdout
    assert not synced.stderr  # retries are not failures: nothing on stderr
    if name == "token revoked mid-sync":
        assert server.stats.token_requests >= 3  # check, sync, and the refresh after the 401


FATAL = {
    "repeated page": (Faults(repeat_page=True, no_link=True), "sent the same page again"),
    "imsx error (imsx_CodeMinor)": (
        Faults(imsx="imsx_CodeMinor"),
        "HTTP 400 Bad Request: imsx failure (invalid_filter_field): filter not supported",
    ),
    "imsx error (imsx_codeMinor)": (Faults(imsx="imsx_codeMinor"), "(invalid_filter_field)"),
    "endless 500s": (Faults(server_errors=1000), "gave up after 6 tries"),
}


@pytest.mark.parametrize("name", list(FATAL))
def test_fatal_faults_fail_the_sync_and_keep_the_data(
    name: str, serve: ServerFactory, district: District, cli: CliRunner, secret_file: Path
) -> None:
    server = serve(version="1.2")
    args = connect_args(server, secret_file, "oauth2", "--set", "full_sync_days=0")
    assert cli(*args, env=sync_env()).returncode == 0
    assert cli("sync", env=sync_env()).returncode == 0
    server.faults, message = FATAL[name]
    synced = cli("sync", env=sync_env())
    assert synced.returncode == 1
    errors = synced.stderr.strip().splitlines()
    assert len(errors) == 1 and message in errors[0], synced.stderr
    assert server.base_url in errors[0]
    doc = json.loads(cli("status", "--json").stdout)
    assert doc["last_attempt"]["status"] == "failed"
    assert doc["counts"] == expected_counts(district)  # the previous data is kept


def test_delta_sync_after_a_full_one(
    serve: ServerFactory, district: District, cli: CliRunner, data_dir: Path, secret_file: Path
) -> None:
    # A user changed moments before the first sync: a later delta reads it again (its window
    # opens 5 minutes early, for changes made in the same second and clocks a little off), and
    # it comes out unchanged.
    before = {t: [dict(r) for r in rows] for t, rows in district.items()}
    recent = before["users"][6]
    recent.update(dateLastModified=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"))
    server = serve(before, version="1.2")
    assert cli(*connect_args(server, secret_file, "oauth2"), env=sync_env()).returncode == 0
    assert cli("sync", env=sync_env()).returncode == 0
    first_started = json.loads(cli("status", "--json").stdout)["last_attempt"]["started_at"]
    window = datetime.fromisoformat(first_started.replace("Z", "+00:00")) - timedelta(minutes=5)
    changed = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    data = {t: [dict(r) for r in rows] for t, rows in before.items()}
    user = data["users"][5]
    schools = [o["sourcedId"] for o in data["orgs"] if o["type"] == "school"]
    moved_to = next(s for s in schools if s != user["orgSourcedIds"].split(",")[0])
    user.update(givenName="Renamed", orgSourcedIds=moved_to, dateLastModified=changed)
    gone = data["enrollments"][7]
    gone.update(status="tobedeleted", dateLastModified=changed)
    data["enrollments"].append(
        {**data["enrollments"][8], "sourcedId": "enr-new", "dateLastModified": changed}
    )
    server.replace_district(data)
    synced = cli("sync", env=sync_env())
    assert synced.returncode == 0, synced.stdout + synced.stderr
    assert server.stats.filters[-1] == f"dateLastModified>'{window:%Y-%m-%dT%H:%M:%SZ}'"
    assert "Users           +0 added  ~1 updated  -0 removed  1 unchanged" in synced.stdout
    assert "User roles      +1 added  ~0 updated  -1 removed" in synced.stdout
    assert "Enrollments     +1 added  ~0 updated  -1 removed" in synced.stdout
    with sqlite.connect(data_dir / "datasync.db") as db:
        assert db.execute("SELECT full FROM sync_runs ORDER BY id").fetchall() == [(1,), (0,)]
        assert db.execute(
            "SELECT givenName FROM users WHERE sourcedId = ?", (user["sourcedId"],)
        ).fetchone() == ("Renamed",)
        assert db.execute(
            "SELECT orgSourcedId FROM roles WHERE userSourcedId = ?", (user["sourcedId"],)
        ).fetchall() == [(moved_to,)]  # the link to the old school is gone
        assert not db.execute(
            "SELECT 1 FROM enrollments WHERE sourcedId = ?", (gone["sourcedId"],)
        ).fetchall()
    doc = json.loads(cli("status", "--json").stdout)
    assert doc["counts"]["enrollments"] == len(district["enrollments"])  # one gone, one new
    assert doc["counts"]["users"] == len(district["users"])


def every_row(db: sqlite.Connection) -> str:
    """Every row of every table as SQL-literal text (sqlean's driver has no iterdump)."""
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    lines = []
    for table in tables:
        lines += [repr(row) for row in db.execute(f'SELECT * FROM "{table}"')]
    return "\n".join(lines)
