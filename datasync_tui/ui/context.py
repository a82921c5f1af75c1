"""What every screen needs from outside: the data dir, a clock, a time zone and the store lock."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path

from datasync_tui.clock import now
from datasync_tui.paths import DataDir


@dataclass
class Context:
    """The app's injected parts, so tests can fix time, zone and paths."""

    data_dir: DataDir
    clock: Callable[[], datetime] = now
    tz: tzinfo | None = None  # None: the machine's local zone
    refresh_every: float | None = 30.0  # seconds between dashboard refreshes (None: never)
    browse_root: Path | None = None  # where the path picker starts (None: home)
    store_lock: threading.Lock = field(default_factory=threading.Lock)
    demo: bool = False  # the bundled sample district in a throwaway data dir
