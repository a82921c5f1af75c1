"""One sync in a child process the daemon can stop: `python -m datasync_tui.daemon.child DIR`.

The daemon never syncs in its own process. A child can be interrupted (SIGINT: the engine records
the run as failed, rolls back, and the last good data stays) or, if it does not end within a
grace period, killed outright: the sync is one SQLite transaction and its flock dies with it.
If the daemon itself is killed, the child notices its parent is gone and interrupts itself.
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

from connectors.common import child
from datasync_tui.paths import DataDir

# succeeded | failed | held: as the engine says; busy: another sync held the lock;
# skipped: nothing connected; stopped: abandoned because the daemon was told to stop.
OUTCOMES = ("succeeded", "failed", "held", "busy", "skipped", "stopped")


@dataclass
class Outcome:
    """How one sync attempt ended, as the daemon logs and reports it."""

    status: str
    run_id: int | None = None
    changes: dict[str, dict[str, int]] = field(default_factory=dict)
    error: str | None = None
    held_because: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    stderr: list[str] = field(default_factory=list)

    @classmethod
    def from_message(cls, doc: Any) -> Outcome:
        """Read what the child sent (a dict of the fields; unknown ones are ignored)."""
        if not isinstance(doc, dict):
            raise ValueError("no outcome")
        known = {k: v for k, v in doc.items() if k in cls.__dataclass_fields__}
        outcome = cls(**known)
        if outcome.status not in OUTCOMES:
            raise ValueError(f"unknown outcome {outcome.status!r}")
        return outcome


SyncRunner = Callable[[threading.Event], Outcome]


class ChildSync:
    """Runs each sync in a child process; when `stop` is set, interrupts it, then kills it."""

    def __init__(self, data_dir: DataDir, grace: float = 5.0, poll: float = 0.2) -> None:
        self.data_dir = data_dir
        self.grace = grace
        self.poll = poll

    def __call__(self, stop: threading.Event) -> Outcome:
        """Run one sync to its end, or abandon it when stop is set."""
        started = time.monotonic()
        proc = child.start(
            "datasync_tui.daemon.child", [str(self.data_dir.root)], stdin=subprocess.DEVNULL
        )
        while True:
            try:
                out, err = proc.communicate(timeout=self.poll)
                break
            except subprocess.TimeoutExpired:
                if stop.is_set():
                    return self._abandon(proc, started)
        outcome = _read(out, proc.returncode)
        outcome.seconds = time.monotonic() - started
        outcome.stderr = [
            line for line in err.decode(errors="replace").splitlines() if line.strip()
        ]
        return outcome

    def _abandon(self, proc: subprocess.Popen[bytes], started: float) -> Outcome:
        """Interrupt the child (it records the run as failed), then kill it after the grace."""
        how = child.end(proc, self.grace)
        return Outcome(
            status="stopped",
            error=f"the daemon was stopped; the sync in progress was {how} (previous data kept)",
            seconds=time.monotonic() - started,
        )


def _read(out: bytes, returncode: int | None) -> Outcome:
    """The child's outcome (its last message), or a failure saying how it ended."""
    read, last = io.BytesIO(out).read, None
    while (message := child.receive(read)) is not None:
        last = message
    try:
        return Outcome.from_message(last)
    except (ValueError, TypeError):
        return Outcome(
            status="failed",
            error=f"the sync process ended with status {returncode} and no result "
            "(previous data kept)",
        )


def _interrupted(signum: int, frame: FrameType | None) -> None:
    """The first SIGINT/SIGTERM interrupts the sync; later ones wait while it records that."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise KeyboardInterrupt


def sync_once(data_dir: DataDir) -> Outcome:
    """Run one sync in this process and describe how it ended."""
    from datasync_tui.store.config import ConfigError
    from datasync_tui.store.db import StoreError
    from datasync_tui.sync import BusyError, SyncError, run_sync

    try:
        result = run_sync(data_dir, started_by="daemon")
    except BusyError as exc:
        return Outcome(status="busy", error=str(exc))
    except SyncError as exc:
        return Outcome(status="skipped", error=str(exc))
    except KeyboardInterrupt:
        return Outcome(status="stopped", error="interrupted (previous data kept)")
    except (ConfigError, StoreError, OSError) as exc:
        return Outcome(status="failed", error=str(exc))
    except Exception as exc:  # one line for the log, never a traceback
        return Outcome(status="failed", error=f"internal error: {exc.__class__.__name__}: {exc}")
    return Outcome(
        status=result.status,
        run_id=result.run_id,
        changes=result.changes,
        error=result.error,
        held_because=result.held_because,
        warnings=result.warnings,
    )


def _watch_parent(parent: int, every: float = 1.0) -> None:
    """If the daemon dies without stopping us (SIGKILL, OOM), interrupt the sync ourselves."""
    while os.getppid() == parent:
        time.sleep(every)
    os.kill(os.getpid(), signal.SIGINT)


def main(argv: list[str] | None = None) -> int:
    """Child entry point: sync the data dir given, send the outcome as one message."""
    signal.signal(signal.SIGINT, _interrupted)
    signal.signal(signal.SIGTERM, _interrupted)
    watch = threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True)
    watch.start()
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m datasync_tui.daemon.child DATA_DIR", file=sys.stderr)
        return 2
    try:
        outcome = sync_once(DataDir(Path(args[0])))
    except KeyboardInterrupt:
        outcome = Outcome(status="stopped", error="interrupted (previous data kept)")
    out = sys.stdout.buffer
    child.send(out, asdict(outcome))
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
