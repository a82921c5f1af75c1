"""The CLI run as a real subprocess, a data dir per test, the shared samples (fixtures too)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from datasync_tui.clock import TODAY_VARIABLE

REPO = Path(__file__).resolve().parents[2]
SCHOOL_DAY = "2026-11-28"  # inside the fixtures' and the demo's terms (they end in 2027)


def pytest_configure(config: pytest.Config) -> None:
    """Pin the rules' today for this run and the commands it starts: no test reads the date."""
    os.environ[TODAY_VARIABLE] = SCHOOL_DAY


def samples_dir() -> Path:
    """Where the shared real sample data is ($DATASYNC_SAMPLES, default ../shared/samples)."""
    return Path(os.environ.get("DATASYNC_SAMPLES") or REPO.parent / "shared" / "samples")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """An empty data dir for one test, owner-only as the app makes one (a dir open to others
    is tightened with a note on stderr)."""
    path = tmp_path / "home"
    path.mkdir(mode=0o700)
    return path


CliRunner = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def cli(data_dir: Path) -> CliRunner:
    """Run `datasync-tui --data-dir <data_dir> ARGS…` as a subprocess."""

    def run(*args: str, env: dict[str, str] | None = None, **kw: object):
        full_env = {**os.environ, **(env or {})}
        full_env.pop("DATASYNC_HOME", None)
        return subprocess.run(
            [sys.executable, "-m", "datasync_tui.cli", "--data-dir", str(data_dir), *args],
            capture_output=True,
            text=True,
            env=full_env,
            timeout=120,
            **kw,
        )

    return run
