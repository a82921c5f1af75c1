"""`python -m bench.history --scale small|full [--rounds N]`: what the change log costs, and
rollback, on the generated district (issue 19).

Each sync and rollback runs in a process of its own (timed inside it, from run_sync or rollback
to its return); the contenders of a figure run in turn, N rounds, and the medians are compared.

  (a) a full first sync with the change log vs the same sync without it (the child replaces
      `datasync_tui.sync._log_changes` with a no-op: a benchmark-only patch), target ≤ 1.10×;
  (b) a re-sync that edits 1% of users and enrollments vs an unchanged re-sync, target ≤ 1.2×
      (the same 1% re-sync without the log is timed too, to tell the log's own share);
  (c) `datasync-tui changes RUN --json` of that 1% re-sync (~11k changes), the whole command
      as a subprocess, target ≤ 1 s;
  (d) a rollback of a 10%-changed sync (9% edited, 0.5% of students gone, 0.5% new) vs the
      full sync's time, target ≤ 1×;
  (e) store growth per unchanged sync (pages in use after a checkpoint), target ≤ 1 KB.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from datasync_tui.paths import DataDir
from datasync_tui.store import sqlite

from .district import SCALES, ensure_district
from .history_bundles import ensure_changed
from .history_child import PHASES
from .report import machine_line

ROUNDS = 3
TARGET_FIRST, TARGET_RESYNC, TARGET_JSON, TARGET_ROLLBACK, TARGET_GROWTH = 1.10, 1.2, 1.0, 1.0, 1024


def child(*args: str) -> dict[str, Any]:
    """Run a child and return what it measured (a failed step stops the benchmark)."""
    argv = [sys.executable, "-m", "bench.history", "--child", *args]
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise SystemExit(f"bench.history: {' '.join(args[:2])} failed: {last}")
    found: dict[str, Any] = json.loads(lines[-1])
    if found["status"] != "succeeded":
        raise SystemExit(f"bench.history: {args[0]} ended {found['status']}: {found['error']}")
    return found


# -- the steps ----------------------------------------------------------------------------------


def fresh(path: Path, base: Path | None = None) -> Path:
    """An empty data dir at path, or a copy of the data dir base."""
    shutil.rmtree(path, ignore_errors=True)
    if base is None:
        DataDir(path).ensure()
    else:
        shutil.copytree(base, path)
    return path


def used_bytes(dd: DataDir) -> int:
    """The bytes of the database's pages in use, after a checkpoint."""
    conn = sqlite.connect(dd.database)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return int(
            conn.execute(
                "SELECT (page_count - freelist_count) * page_size FROM pragma_page_count, "
                "pragma_freelist_count, pragma_page_size"
            ).fetchone()[0]
        )
    finally:
        conn.close()


def changes_json(dd: DataDir, run: int) -> float:
    """Wall seconds of `datasync-tui changes RUN --json`, output discarded."""
    argv = [sys.executable, "-m", "datasync_tui.cli", "--data-dir", str(dd.root), "changes"]
    env = {k: v for k, v in os.environ.items() if k != "DATASYNC_HOME"}
    started = time.perf_counter()
    subprocess.run([*argv, str(run), "--json"], stdout=subprocess.DEVNULL, env=env, check=True)
    return time.perf_counter() - started


def logged(dd: DataDir, run: int) -> int:
    """How many changes a run logged."""
    conn = sqlite.reader(dd.database)
    try:
        return int(
            conn.execute("SELECT count(*) FROM sync_changes WHERE run_id = ?", (run,)).fetchone()[0]
        )
    finally:
        conn.close()


def med(values: list[float]) -> float:
    """The median."""
    return statistics.median(values)


def verdict(value: float, target: float) -> str:
    """✓ or ✗ against a target (lower is better)."""
    return "✓" if value <= target else "✗"


Took = dict[str, Any]


def phases_line(variant: str, tooks: list[Took]) -> str:
    """A variant's median seconds per engine phase, and what the phases leave (the commit,
    the read of the files' headers, the alerts)."""
    names = [n for n in PHASES if any(n in t["phases"] for t in tooks)]
    spent = {n: med([t["phases"].get(n, 0.0) for t in tooks]) for n in names}
    total = med([t["seconds"] for t in tooks])
    nested = spent.get("find_rekeys", 0.0)  # inside _log_changes
    other = total - sum(v for n, v in spent.items() if n != "find_rekeys")
    parts = [f"{SHORT.get(n, n)} {v:.2f}" for n, v in spent.items() if n != "find_rekeys"]
    if "_log_changes" in spent:
        parts[names.index("_log_changes")] += f" (re-keys {nested:.2f})"
    return f"{variant:<10} {total:6.2f} s = " + ", ".join(parts) + f", rest {other:.2f}"


SHORT = {"load_direct": "load", "stage_stream": "stage", "_log_changes": "log",
         "apply_topics": "apply", "finish_apply": "finish", "run_rules": "rules"}  # fmt: skip


def in_turn(
    rounds: int, tag: str, variants: list[tuple[str, Callable[[], Took]]]
) -> dict[str, list[Took]]:
    """Run each variant once per round, in turn; print each round."""
    found: dict[str, list[Took]] = {name: [] for name, _ in variants}
    for n in range(1, rounds + 1):
        line = []
        for name, run in variants:
            took = run()
            found[name].append(took)
            line.append(f"{name} {took['seconds']:.2f} s ({took['cpu']:.1f} s CPU)")
        print(f"  {tag} round {n}: " + ", ".join(line), flush=True)
    return found


def seconds(tooks: list[Took], key: str = "seconds") -> float:
    """The median of a figure over the rounds."""
    return med([float(t[key]) for t in tooks])


def pager_times(dd: DataDir, run_id: int) -> list[tuple[str, float, float | None]]:
    """(what, milliseconds, target) of the History page's reads over a big sync's changes."""
    from datasync_tui import history
    from datasync_tui.viewmodels.history.pager import ChangePager

    conn = sqlite.reader(dd.database)
    found = history.run(conn, run_id)
    assert found is not None
    out: list[tuple[str, float, float | None]] = []

    def ms(what: str, fn: Callable[[], object], target: float | None) -> None:
        started = time.perf_counter()
        fn()
        out.append((what, (time.perf_counter() - started) * 1000, target))

    pager = ChangePager(conn, found)
    total = pager.total
    ms(f"open, first 121 of {total:,} rows", lambda: pager.rows(0, 121), 100)
    ms("End (the last 60)", lambda: pager.rows(total - 60, 60), 100)
    ms("PageDown from there (known ids)", lambda: pager.rows(total - 120, 60), 50)
    ms("a jump to the middle, before the count", lambda: pager.rows(total // 2, 60), None)
    walker = sqlite.reader(dd.database)
    ms("the count and checkpoints (background)", lambda: pager.gather_checkpoints(walker), None)
    ms("a jump to the middle, after it", lambda: pager.rows(total // 2 + 999, 60), 50)
    for topic in ("users", "demographics"):
        narrowed = ChangePager(conn, found, topic)
        ms(f"only {topic}: first 121", lambda p=narrowed: p.rows(0, 121), None)
    walker.close()
    conn.close()
    return out


def main(argv: list[str] | None = None) -> int:
    """Run every step and print each figure beside its target."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        from .history_child import main as child_main

        return child_main(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m bench.history", description=__doc__)
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    args = parser.parse_args(argv)
    rounds = max(1, args.rounds)
    district = ensure_district(args.scale)
    work = district.folder.parent / "history"
    bundle = str(district.folder)
    one_pct = str(ensure_changed(district, "one-pct", 10))
    ten_pct = str(ensure_changed(district, "ten-pct", 90, 5))
    users, enrollments = district.counts["users"], district.counts["enrollments"]
    print(machine_line(None))
    print(f"district ({args.scale}): {users:,} users, {enrollments:,} enrollments; {rounds} rounds")

    def sync(home: Path | None, source: str, *flags: str, base: Path | None = None) -> Took:
        where = fresh(work / "sync-home", base) if home is None else home
        return child("sync", str(where), source, *flags)

    # (a) a full first sync, with and without the change log.
    first = in_turn(rounds, "(a)", [
        ("no-log", lambda: sync(fresh(work / "first-no-log"), bundle, "--no-log")),
        ("log", lambda: sync(fresh(work / "first-log"), bundle)),
    ])  # fmt: skip
    # The store after a full sync with its log: the steps below start from a copy of it.
    base = work / "first-log"
    shutil.rmtree(work / "first-no-log", ignore_errors=True)
    paging = pager_times(DataDir(base), 1)

    # (e) growth per unchanged sync.
    grow = DataDir(fresh(work / "growth", base))
    child("sync", str(grow.root), bundle)  # the first re-sync carries the rules forward after it
    before = used_bytes(grow)
    for _ in range(3):
        child("sync", str(grow.root), bundle)
    growth = (used_bytes(grow) - before) / 3
    shutil.rmtree(grow.root, ignore_errors=True)

    # (b) a 1% re-sync vs an unchanged one (and the 1% one without the log).
    last_one = DataDir(work / "one-pct-home")

    def one_pct_kept() -> Took:
        took = sync(None, one_pct, base=base)
        shutil.rmtree(last_one.root, ignore_errors=True)
        (work / "sync-home").rename(last_one.root)
        return took

    resync = in_turn(rounds, "(b)", [
        ("unchanged", lambda: sync(None, bundle, base=base)),
        ("1%", one_pct_kept),
        ("1% no-log", lambda: sync(None, one_pct, "--no-log", base=base)),
    ])  # fmt: skip
    shutil.rmtree(work / "sync-home", ignore_errors=True)
    one_run = int(resync["1%"][-1]["run"])

    # (c) changes --json of the 1% re-sync.
    n_changes = logged(last_one, one_run)
    changes_json(last_one, one_run)  # warm the imports and the page cache
    json_times = [changes_json(last_one, one_run) for _ in range(3)]

    # (d) a rollback of a 10%-changed sync.
    roll_home = DataDir(fresh(work / "rollback-home", base))
    ten = child("sync", str(roll_home.root), ten_pct, "--force")
    n_ten = logged(roll_home, int(ten["run"]))
    back = child("rollback", str(roll_home.root), "1")

    full, no_log = seconds(first["log"]), seconds(first["no-log"])
    full_cpu, no_log_cpu = seconds(first["log"], "cpu"), seconds(first["no-log"], "cpu")
    unchanged, one = seconds(resync["unchanged"]), seconds(resync["1%"])
    one_no_log = seconds(resync["1% no-log"])
    rolled = float(back["seconds"])
    rows = [
        ("(a) full first sync, log / no log", f"{full:.2f} s / {no_log:.2f} s",
         full / no_log, TARGET_FIRST, "×"),
        ("    CPU (the loader process included)", f"{full_cpu:.1f} s / {no_log_cpu:.1f} s",
         full_cpu / no_log_cpu, None, "×"),
        ("(b) 1% re-sync / unchanged re-sync", f"{one:.2f} s / {unchanged:.2f} s",
         one / unchanged, TARGET_RESYNC, "×"),
        ("    the log's share: 1% with / without log", f"{one:.2f} s / {one_no_log:.2f} s",
         one / one_no_log, None, "×"),
        (f"(c) changes --json, {n_changes:,} changes", f"median of 3 {med(json_times):.2f} s",
         med(json_times), TARGET_JSON, " s"),
        (f"(d) rollback of a 10% sync ({n_ten:,} changes)", f"{rolled:.2f} s / {full:.2f} s",
         rolled / full, TARGET_ROLLBACK, "×"),
        ("(e) store growth per unchanged sync", f"{growth:,.0f} bytes", growth, TARGET_GROWTH,
         " B"),
    ]  # fmt: skip
    print(f"results (medians; load average {os.getloadavg()[0]:.1f}):")
    for label, detail, value, target, unit in rows:
        aim = f"target ≤ {target:g}{unit} {verdict(value, target)}" if target else ""
        figure = f"{value:.2f}{unit}" if unit != " B" else f"{value:,.0f}{unit}"
        print(f"  {label:<44} {detail:<22} {figure:>10}   {aim}")
    print("where the time goes (median seconds per engine phase):")
    for tag, found in (("(a)", first), ("(b)", resync)):
        for variant, tooks in found.items():
            print(f"  {tag} " + phases_line(variant, tooks))
    print(f"  (d) the 10% sync {float(ten['seconds']):.2f} s; its rollback {rolled:.2f} s")
    print("the History page over the first sync's changes (ChangePager, milliseconds):")
    for what, took_ms, target in paging:
        aim = f"target ≤ {target:g} ms {verdict(took_ms, target)}" if target else ""
        print(f"  {what:<44} {took_ms:8.1f} ms   {aim}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
