"""`datasync-tui service` prints a systemd user unit that runs the daemon for this data dir."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from datasync_tui.daemon.service import systemd_word
from tests.helpers.cli import CliRunner


def test_service_prints_a_user_unit(cli: CliRunner, data_dir: Path) -> None:
    out = cli("service")
    assert out.returncode == 0, out.stderr
    unit = out.stdout
    exec_start = next(line for line in unit.splitlines() if line.startswith("ExecStart="))
    assert exec_start.endswith(f"--data-dir {data_dir} --daemon")
    for line in (
        "[Service]",
        "Restart=on-failure",
        "ExecReload=/bin/kill -HUP $MAINPID",
        "KillMode=mixed",
        "WantedBy=default.target",
    ):
        assert line in unit.splitlines()
    assert "systemctl --user enable --now datasync-tui" in unit


def test_a_data_dir_with_spaces_and_percent_is_quoted(cli: CliRunner, tmp_path: Path) -> None:
    odd = tmp_path / "my data 100%"
    out = cli("--data-dir", str(odd), "service")
    assert f'--data-dir "{str(odd).replace("%", "%%")}" --daemon' in out.stdout
    assert systemd_word('a"b') == '"a\\"b"' and systemd_word("$HOME") == "$$HOME"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
def test_systemd_accepts_the_unit(cli: CliRunner, tmp_path: Path) -> None:
    unit = tmp_path / "datasync-tui.service"
    unit.write_text(cli("service").stdout, encoding="utf-8")
    checked = subprocess.run(
        ["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=30
    )
    assert checked.stderr.strip() == "", checked.stderr
