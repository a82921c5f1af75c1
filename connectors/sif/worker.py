"""Worker processes that parse large SIF XML reads while the main process maps and stores them.

Parsing is the larger half of reading SIF (expat hands every element to Python). For a large
read, `python -m connectors.sif.worker` processes parse its files with the same defused parser:
each writes its raw objects (people already mapped to their rows: `premap.py`) in marshal
batches to a spool file the main process holds open (so it parses ahead, never waiting on it),
and tells it through a pipe where each batch and each file ends, along with notes and, at the
end, an error (the same one line, file and line as in one process) or done. The files are dealt
out among the workers in turn and the main process reads them in order, a file from each worker
in turn (so no worker's output piles up while another's is read); it ends the workers when the
read stops early or the source is closed.
"""

from __future__ import annotations

import contextlib
import gc
import json
import marshal
import os
import signal
import sys
import tempfile
from collections.abc import Iterator
from typing import IO

from connectors.base import ConnectorError
from connectors.common import child
from connectors.sif.files import SifFiles
from connectors.sif.premap import PERSON_KINDS, Premapped, premap_person
from connectors.sif.xml import Raw, iter_objects

BATCH = 1000  # objects a batch


class WorkerFailed(Exception):
    """The worker stopped before sending anything (it could not start): parse here instead."""


class ParseWorker:
    """A worker process parsing files of a folder or zip; `next_file()` yields what it parsed,
    a file at a time.

    Notes (objects skipped) are added to `notes` as they come.
    """

    def __init__(self, path: str, names: list[str], kinds: list[str], notes: list[str]) -> None:
        self.notes = notes
        self.errors = tempfile.TemporaryFile()  # noqa: SIM115 - closed with the worker
        self.spool = tempfile.TemporaryFile()  # noqa: SIM115 - the worker's batches
        self.offset = 0
        self.started = False  # True once a message came: a failure before it can fall back
        request = json.dumps({"path": path, "names": names, "kinds": kinds}).encode()
        spool = self.spool.fileno()
        try:
            self.proc = child.start(
                "connectors.sif.worker", [str(spool)], stderr=self.errors, pass_fds=(spool,)
            )
        except (OSError, ValueError):
            self.errors.close()
            self.spool.close()
            raise
        assert self.proc.stdin is not None and self.proc.stdout is not None
        try:
            self.proc.stdin.write(request)
            self.proc.stdin.close()
        except OSError:
            pass  # it died at once: next_file() reports why
        self.out: IO[bytes] = self.proc.stdout

    def next_file(self) -> Iterator[Raw | Premapped]:
        """The objects of the worker's next file (people mapped already), in order; its refusal
        or failure as ConnectorError (WorkerFailed when it stopped before sending anything)."""
        read, spool = self.out.read, self.spool.fileno()
        while True:
            message = child.receive(read)
            if message is None:
                if not self.started:
                    raise WorkerFailed(self._failure())
                raise ConnectorError(self._failure(), "SIF parse worker")
            self.started = True
            if message[0] == "objects":  # a batch of this many bytes is in the spool
                batch = os.pread(spool, message[1], self.offset)
                self.offset += message[1]
                yield from marshal.loads(batch)
            elif message[0] == "notes":
                self.notes.extend(message[1])
            elif message[0] == "error":
                raise ConnectorError(message[1], message[2])
            else:  # the end of the file ("file"), or of them all ("done")
                return

    def _failure(self) -> str:
        """Why the worker stopped without finishing: the last line it wrote, or its status."""
        status = self.proc.wait()
        self.errors.seek(0)
        lines = self.errors.read().decode(errors="replace").strip().splitlines()
        last = lines[-1] if lines else "no output"
        return f"the SIF parse worker stopped (exit {status}): {last}"

    def close(self) -> None:
        """End the worker (when still running) and release its pipe and files."""
        child.end(self.proc)
        self.out.close()
        self.errors.close()
        self.spool.close()


def _hand_over(spool: IO[bytes], out: IO[bytes], batch: list[Raw | Premapped]) -> None:
    """Write a batch to the spool, then tell the main process its size."""
    blob = marshal.dumps(batch)
    spool.write(blob)
    spool.flush()
    child.send(out, ("objects", len(blob)))
    out.flush()


def main() -> int:
    """Parse the requested files; send objects, notes, and an error or the end."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process decides when to stop
    gc.disable()  # a short-lived process: its few cycles (path nodes) go when it ends
    out = sys.stdout.buffer
    spool = os.fdopen(int(sys.argv[1]), "wb")
    request = json.loads(sys.stdin.buffer.read())
    files = SifFiles(request["path"])
    kinds = frozenset(request["kinds"])
    try:
        for name in request["names"]:
            notes: list[str] = []
            batch: list[Raw | Premapped] = []
            with files.open(name) as fh:
                for raw in iter_objects(fh.read, files.label(name), kinds, notes):
                    # People are mapped here too, beside the parsing (they borrow nothing).
                    batch.append(premap_person(raw) if raw[0] in PERSON_KINDS else raw)
                    if len(batch) >= BATCH:
                        _hand_over(spool, out, batch)
                        batch = []
            if batch:
                _hand_over(spool, out, batch)
            if notes:
                child.send(out, ("notes", notes))
            child.send(out, ("file",))
            out.flush()
    except ConnectorError as exc:
        child.send(out, ("error", exc.message, exc.where))
    else:
        child.send(out, ("done",))
    with contextlib.suppress(BrokenPipeError):
        out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
