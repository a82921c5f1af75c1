"""bench.history's child process: one sync or one rollback, timed inside it, phase by phase."""

from __future__ import annotations

import json
import resource
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from datasync_tui.paths import DataDir
from datasync_tui.store import config

DOMAINS = "harborpinesusd.org"
# The engine's steps, timed by wrapping them where `datasync_tui.sync` calls them (`_log_changes`
# includes `find_rekeys`; `run_rules` the rules and the Classroom dry run).
PHASES = ("load_direct", "stage_stream", "_log_changes", "find_rekeys", "apply_topics",
          "finish_apply", "prune", "run_rules")  # fmt: skip


def _timed(fn: Callable[..., Any], name: str, spent: dict[str, float]) -> Callable[..., Any]:
    """fn, adding the seconds each call takes to spent[name]."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[name] = spent.get(name, 0.0) + time.perf_counter() - started

    return wrapper


def main(argv: list[str]) -> int:
    """`sync DIR BUNDLE [--no-log] [--force]` or `rollback DIR RUN`: print what it measured."""
    from datasync_tui.private import owner_only

    owner_only()  # as the command line does: the data dir stays private
    mode, root = argv[0], DataDir(Path(argv[1]))
    started_cpu = time.process_time()
    spent: dict[str, float] = {}
    if mode == "sync":
        import datasync_tui.sync as engine

        if "--no-log" in argv:  # the benchmark's variant without the change log
            engine._log_changes = lambda *args, **kwargs: None  # type: ignore[assignment]
        for name in PHASES:
            setattr(engine, name, _timed(getattr(engine, name), name, spent))
        settings = {"path": argv[2], "email_domains": DOMAINS}
        config.save(root, config.Connection("oneroster-csv", None, settings))
        started = time.perf_counter()
        result = engine.run_sync(root, force="--force" in argv)
    else:
        from datasync_tui.sync.rollback import rollback

        started = time.perf_counter()
        result = rollback(root, int(argv[2]))
    seconds = time.perf_counter() - started
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = time.process_time() - started_cpu + children.ru_utime + children.ru_stime
    found = {"seconds": seconds, "cpu": cpu, "status": result.status, "run": result.run_id,
             "error": result.error, "phases": spent}  # fmt: skip
    print(json.dumps(found))
    return 0
