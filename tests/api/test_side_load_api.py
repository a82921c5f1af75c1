"""The API's enrollments loaded in a second process: the same store as one process makes."""

from __future__ import annotations

from pathlib import Path

import pytest

from datasync_tui.paths import DataDir
from datasync_tui.sync import run_sync
from tests.api.conftest import ServerFactory
from tests.api.server import Faults
from tests.api.test_cli_e2e import connect_args
from tests.conftest import CliRunner
from tests.test_side_load import dump


@pytest.mark.parametrize(("version", "auth"), [("1.1", "oauth1"), ("1.2", "oauth2")])
def test_enrollments_read_aside_give_the_same_store(
    version: str,
    auth: str,
    serve: ServerFactory,
    cli: CliRunner,
    tmp_path: Path,
    secret_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    counted_side_loads: list[str],
) -> None:
    server = serve(version=version)
    stores = {}
    for name, min_bytes in (("here", "999999999999"), ("aside", "1")):
        monkeypatch.setenv("DATASYNC_SIDE_LOAD_MIN_BYTES", min_bytes)
        home = tmp_path / name
        connected = cli("--data-dir", str(home), *connect_args(server, secret_file, auth))
        assert connected.returncode == 0, connected.stderr
        result = run_sync(DataDir(home))
        assert result.status == "succeeded", result.error
        stores[name] = dump(DataDir(home))
    assert counted_side_loads == ["enrollments"]  # the second sync only
    assert stores["aside"] == stores["here"]
    assert stores["here"]["enrollments"]


def test_a_server_without_totals_loads_in_one_process(
    serve: ServerFactory,
    cli: CliRunner,
    tmp_path: Path,
    secret_file: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server = serve(version="1.2", faults=Faults(no_total=True))
    home = tmp_path / "home"
    assert (
        cli("--data-dir", str(home), *connect_args(server, secret_file, "oauth2")).returncode == 0
    )
    monkeypatch.setenv("DATASYNC_SIDE_LOAD_MIN_BYTES", "1")
    from connectors.registry import resolve
    from datasync_tui.store import config

    conn = config.load(DataDir(home))
    assert conn is not None
    method, _ = resolve(conn.method, conn.method)
    connector = method.load()(conn.all_settings())
    try:
        assert connector.topic_bytes("enrollments") is None  # no X-Total-Count: size unknown
        assert connector.topic_bytes("roles") is None
    finally:
        connector.close()
