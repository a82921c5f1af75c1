"""A secret given as @PATH: a regular file of at most 64 KB, else one line and exit 2."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers.peak import run_measured

API = ("connect", "oneroster-api", "--set", "base_url=https://127.0.0.1:9/ims/oneroster/v1p1")


def test_dev_zero_is_refused_at_once_in_bounded_memory(data_dir: Path) -> None:
    done = run_measured(data_dir, *API, "--set", "client_id=x", "--set", "client_secret=@/dev/zero")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "datasync-tui: client_secret: /dev/zero is not a regular file; give a file with the secret"
    ]
    assert done.peak_mb < 150, done.peak_mb


def test_a_fifo_is_refused_without_waiting(data_dir: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "secret.pipe"
    os.mkfifo(fifo)
    done = run_measured(data_dir, *API, "--set", f"client_secret=@{fifo}")
    assert done.returncode == 2
    assert "is not a regular file" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("size", [64 * 1024 + 1, 8 << 30])
def test_an_oversized_file_is_refused_reading_no_further(
    data_dir: Path, tmp_path: Path, size: int
) -> None:
    big = tmp_path / "secret.txt"
    with big.open("wb") as fh:  # sparse: 8 GB of zeroes that take no disk
        fh.truncate(size)
    done = run_measured(data_dir, *API, "--set", f"client_secret=@{big}")
    assert done.returncode == 2
    assert done.stderr.strip() == (
        f"datasync-tui: client_secret: {big} is over 64 KB; a secret file holds only the secret"
    )
    assert done.peak_mb < 150, done.peak_mb
    assert not (data_dir / "secrets.json").exists()


def test_a_secret_file_of_64_kb_is_read(tmp_path: Path) -> None:
    from connectors.base import Option
    from datasync_tui.cli.set_values import build_settings

    opt = Option("client_secret", "Client secret", "secret", secret=True)
    secret = tmp_path / "secret"
    secret.write_text("k" * (64 * 1024 - 1) + "\n")
    assert build_settings((opt,), {"client_secret": f"@{secret}"})["client_secret"] == "k" * 65535
