"""Tuning values (parse workers, their threshold, retry waits), read from the environment here only.

Each read of a source calls `tuning()` once and passes the values on; the environment variables
exist so that tests and benchmarks can move them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

SIF_WORKERS = 2  # with the main process: three processes share two cores without idling
# From this many bytes of XML to read, a SIF parse worker is worth its start (about 0.1 s).
SIF_WORKER_MIN_BYTES = 16 << 20


@dataclass(frozen=True)
class Tuning:
    """How the connectors spend processes and time."""

    sif_workers: int = SIF_WORKERS  # parse processes for a large SIF read (0: parse here)
    sif_worker_min_bytes: int = SIF_WORKER_MIN_BYTES  # the read size from which they parse
    http_backoff_scale: float = 1.0  # every HTTP retry wait is multiplied by this


def tuning(environ: Mapping[str, str] | None = None) -> Tuning:
    """The values now: DATASYNC_SIF_WORKERS (else two on two or more cores, else none),
    DATASYNC_SIF_WORKER_MIN_BYTES and DATASYNC_HTTP_BACKOFF_SCALE override the defaults."""
    env = os.environ if environ is None else environ
    workers = env.get("DATASYNC_SIF_WORKERS")
    return Tuning(
        sif_workers=int(workers) if workers else (SIF_WORKERS if _cores() >= 2 else 0),
        sif_worker_min_bytes=int(env.get("DATASYNC_SIF_WORKER_MIN_BYTES") or SIF_WORKER_MIN_BYTES),
        http_backoff_scale=_scale(env.get("DATASYNC_HTTP_BACKOFF_SCALE")),
    )


def _cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _scale(raw: str | None) -> float:
    """A wait scale: the number given (never below 0), else 1."""
    try:
        return max(float(raw), 0.0) if raw else 1.0
    except ValueError:
        return 1.0
