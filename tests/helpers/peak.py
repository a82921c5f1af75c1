"""Run the CLI in a child process and measure its peak resident memory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

# A wrapper process: runs the command, then reports the peak RSS of its children (KB on Linux).
_WRAPPER = """
import json, resource, subprocess, sys
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps([done.returncode, done.stdout, done.stderr, peak]))
"""


@dataclass(frozen=True)
class Measured:
    """A finished command with its output and peak RSS in MB (the largest process it ran)."""

    returncode: int
    stdout: str
    stderr: str
    peak_mb: float


def run_measured(data_dir: Path, *args: str, env: dict[str, str] | None = None) -> Measured:
    """`datasync-tui --data-dir DIR ARGS…` in a fresh process tree, with its peak RSS."""
    full_env = {**os.environ, **(env or {})}
    full_env.pop("DATASYNC_HOME", None)
    cmd = [sys.executable, "-m", "datasync_tui.cli", "--data-dir", str(data_dir), *args]
    out = subprocess.run(
        [sys.executable, "-c", _WRAPPER, *cmd],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=120,
        check=True,
    )
    code, stdout, stderr, peak_kb = json.loads(out.stdout)
    return Measured(code, stdout, stderr, peak_kb / 1024)
