"""What a failing OneRoster API check says: once, naming the URL, the status and the cause."""

from __future__ import annotations

from pathlib import Path

from tests.api.conftest import SECRET, ServerFactory
from tests.api.test_cli_e2e import connect_args, sync_env
from tests.conftest import CliRunner


def test_a_refused_token_is_the_reason(
    serve: ServerFactory, cli: CliRunner, tmp_path: Path
) -> None:
    server = serve(version="1.2")
    wrong = tmp_path / "wrong"
    wrong.write_text("not-the-secret\n", encoding="utf-8")
    done = cli(*connect_args(server, wrong, "oauth2"), env=sync_env())
    assert done.returncode == 3
    assert done.stderr.startswith(
        f"Not saved: {server.token_url}: the token URL refused client_id 'datasync'"
    )
    assert "(HTTP 401, invalid_client" in done.stderr
    assert len(done.stderr.splitlines()) == 1
    assert "not-the-secret" not in done.stderr + done.stdout and SECRET not in done.stderr
