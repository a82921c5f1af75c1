"""`python -m bench.rules --scale small|full`: time the validation rules and the issue export.

Targets (issue 5): all rules over 100k users / 1M enrollments in 3 s or less; the export of
100k issues in 3 s or less. The store is synced once per scale and reused (bench/out/<scale>).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from datasync_tui.paths import DataDir
from datasync_tui.rules import evaluate, export_stored, stored_count
from datasync_tui.rules.classroom import dry_run
from datasync_tui.rules.results import evaluate_and_store
from datasync_tui.store import config
from datasync_tui.store.db import connect
from datasync_tui.sync import run_sync

from .district import SCALES, ensure_district
from .report import machine_line

TARGET_RULES = 3.0
TARGET_EXPORT = 3.0
DOMAINS = "harborpinesusd.org"
TODAY = "2026-11-28"
T = TypeVar("T")


def timed(fn: Callable[[], T]) -> tuple[T, float, float]:
    """fn's result, wall seconds and CPU seconds."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def ensure_store(scale: str) -> DataDir:
    """A data dir with the scale's district synced, made once and reused."""
    district = ensure_district(scale)
    home = DataDir(district.folder.parent / "rules-home")
    marker = home.root / "synced.json"
    wanted = {"bundle": str(district.folder), "counts": district.counts}
    if marker.is_file() and json.loads(marker.read_text("utf-8")) == wanted:
        return home
    shutil.rmtree(home.root, ignore_errors=True)
    home.ensure()
    settings = {"path": str(district.folder), "email_domains": DOMAINS}
    config.save(home, config.Connection("oneroster-csv", None, settings))
    print(f"bench.rules: syncing the {scale} district once (reused after) …", flush=True)
    result = run_sync(home)
    if result.status != "succeeded":
        raise SystemExit(f"bench.rules: the sync failed: {result.error}")
    marker.write_text(json.dumps(wanted), encoding="utf-8")
    return home


def mark(seconds: float, target: float) -> str:
    """✓ or ✗ against a target."""
    return "✓" if seconds <= target else "✗"


def main(argv: list[str] | None = None) -> int:
    """Run the rule and export benchmarks and print the figures."""
    parser = argparse.ArgumentParser(prog="python -m bench.rules", description=__doc__)
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    args = parser.parse_args(argv)
    home = ensure_store(args.scale)
    db = connect(home.database)
    conn = db.connection()
    counts = {
        t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("users", "enrollments", "classes")
    }
    print(machine_line(None))
    print(
        f"district ({args.scale}): {counts['users']:,} users, "
        f"{counts['enrollments']:,} enrollments, {counts['classes']:,} classes"
    )
    evaluate(conn, email_domains=DOMAINS, today=TODAY)  # warm the page cache
    runs = [timed(lambda: evaluate(conn, email_domains=DOMAINS, today=TODAY)) for _ in range(3)]
    ev, wall, cpu = min(runs, key=lambda r: r[1])
    print(
        f"  all {len(ev.counts)} rules, clean data       {wall:6.2f} s wall  {cpu:5.2f} s CPU"
        f"   target ≤ {TARGET_RULES:g} s {mark(wall, TARGET_RULES)}  ({ev.total:,} issues)"
    )
    slowest = sorted(ev.seconds.items(), key=lambda kv: -kv[1])[:5]
    print("    slowest: " + ", ".join(f"{rule} {s * 1000:.0f} ms" for rule, s in slowest))
    _, wall_dry, _ = timed(lambda: dry_run(conn, TODAY))
    print(f"  Classroom dry run                {wall_dry:6.2f} s wall")

    # Many issues: every user's email broken, every class title blank (rolled back after).
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("UPDATE users SET email = 'no-at-sign.' || sourcedId")
        conn.execute("UPDATE classes SET title = ''")
        run_id = conn.execute("SELECT max(id) FROM sync_runs WHERE status='succeeded'").fetchone()
        stored, wall_store, cpu_store = timed(
            lambda: evaluate_and_store(conn, run_id[0], DOMAINS, TODAY)
        )
        issues = stored_count(conn)
        print(
            f"  rules + dry run + store, {issues:,} issues  {wall_store:6.2f} s wall  "
            f"{cpu_store:5.2f} s CPU   (what a sync adds)"
        )
        with tempfile.TemporaryDirectory(prefix="bench-rules-") as tmp:
            for suffix in (".csv", ".json"):
                path = Path(tmp) / f"issues{suffix}"
                n, wall_x, cpu_x = timed(lambda path=path: export_stored(conn, path))
                size = path.stat().st_size / 1e6
                per_100k = wall_x * 100_000 / max(n, 1)
                print(
                    f"  export {n:,} issues to {suffix:<5}     {wall_x:6.2f} s wall  "
                    f"{cpu_x:5.2f} s CPU   {per_100k:.2f} s per 100k, target ≤ "
                    f"{TARGET_EXPORT:g} s {mark(per_100k, TARGET_EXPORT)}  ({size:.0f} MB)"
                )
        assert stored.classroom.classes_created == 0
    finally:
        conn.execute("ROLLBACK")
        db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
