"""Child Python processes: start one on a module of this install, frame its messages, end it.

Used by the SIF parse workers (`connectors/sif/worker.py`) and the daemon's sync child
(`datasync_tui/daemon/child.py`). A message is one marshal-able value (tuples, lists, dicts,
strings, numbers) behind its length in eight bytes.
"""

from __future__ import annotations

import marshal
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

# The folder holding this install's packages: a child imports them from where this process did.
_HOME = str(Path(__file__).resolve().parents[2])


def start(
    module: str,
    args: Sequence[str] = (),
    *,
    stdin: int | IO[Any] | None = subprocess.PIPE,
    stdout: int | IO[Any] | None = subprocess.PIPE,
    stderr: int | IO[Any] | None = subprocess.PIPE,
    pass_fds: Sequence[int] = (),
) -> subprocess.Popen[bytes]:
    """`python -m MODULE ARGS` with this interpreter and this install (OSError when it cannot)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (_HOME, env.get("PYTHONPATH"))))
    return subprocess.Popen(
        [sys.executable, "-m", module, *args],
        stdin=stdin,
        stdout=stdout,
        stderr=stderr,
        env=env,
        pass_fds=tuple(pass_fds),
    )


def send(out: IO[bytes], message: Any) -> None:
    """Write one message (not flushed)."""
    blob = marshal.dumps(message)
    out.write(len(blob).to_bytes(8, "little") + blob)


def receive(read: Callable[[int], bytes]) -> Any | None:
    """The next message, or None when the stream ended (or broke off inside one)."""
    head = read(8)
    size = int.from_bytes(head, "little") if len(head) == 8 else 0
    blob = read(size) if size else b""
    if not size or len(blob) != size:
        return None
    return marshal.loads(blob)


def end(proc: subprocess.Popen[Any], grace: float = 0.0) -> str:
    """End a child and collect it: `ended` when it had, else `interrupted` when SIGINT ended it
    within `grace` seconds (its output read meanwhile, so it never blocks on a full pipe), else
    `killed`; its output pipes are closed."""
    how = "ended"
    if proc.poll() is None:
        how = "killed"
        if grace > 0:
            proc.send_signal(signal.SIGINT)
            if proc.stdin is not None and proc.stdin.closed:
                proc.stdin = None  # given already: nothing more to write
            try:
                proc.communicate(timeout=grace)
                how = "interrupted"
            except subprocess.TimeoutExpired:
                pass
        if how == "killed":
            proc.kill()
    proc.wait()
    for pipe in (proc.stdout, proc.stderr):
        if pipe is not None:
            pipe.close()
    return how
