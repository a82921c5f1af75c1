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
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from datasync_tui.paths import DataDir
from datasync_tui.store import config, sqlite

from .district import SCALES, ensure_district
from .history_bundles import ensure_changed
from .report import machine_line

ROUNDS = 3
DOMAINS = "harborpinesusd.org"
TARGET_FIRST, TARGET_RESYNC, TARGET_JSON, TARGET_ROLLBACK, TARGET_GROWTH = 1.10, 1.2, 1.0, 1.0, 1024


# -- the child: one sync or one rollback, timed inside its own process ------------------------


def _child(argv: list[str]) -> int:
    """`--child sync DIR BUNDLE [--no-log] [--force]` or `--child rollback DIR RUN`."""
    from datasync_tui.private import owner_only

    owner_only()  # as the command line does: the data dir stays private
    mode, root = argv[0], DataDir(Path(argv[1]))
    started_cpu = time.process_time()
    if mode == "sync":
        import datasync_tui.sync as engine

        if "--no-log" in argv:  # the benchmark's variant without the change log
            engine._log_changes = lambda *args, **kwargs: None  # type: ignore[assignment]
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
    print(json.dumps({"seconds": seconds, "cpu": cpu, "status": result.status,
                      "run": result.run_id, "error": result.error}))  # fmt: skip
    return 0


def child(*args: str) -> dict[str, object]:
    """Run a child and return what it measured (a failed step stops the benchmark)."""
    argv = [sys.executable, "-m", "bench.history", "--child", *args]
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise SystemExit(f"bench.history: {' '.join(args[:2])} failed: {last}")
    found: dict[str, object] = json.loads(lines[-1])
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


def main(argv: list[str] | None = None) -> int:
    """Run every step and print each figure beside its target."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        return _child(argv[1:])
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

    # (a) a full first sync, with and without the change log.
    first: dict[str, list[float]] = {"log": [], "no-log": []}
    for n in range(1, rounds + 1):
        line = []
        for variant in ("no-log", "log"):
            home = fresh(work / f"first-{variant}")
            flags = ["--no-log"] if variant == "no-log" else []
            took = child("sync", str(home), bundle, *flags)
            first[variant].append(float(took["seconds"]))  # type: ignore[arg-type]
            line.append(f"{variant} {took['seconds']:.2f} s ({took['cpu']:.1f} s CPU)")
        print(f"  (a) round {n}: " + ", ".join(line), flush=True)
    # The store after a full sync with its log: the steps below start from a copy of it.
    base = work / "first-log"
    shutil.rmtree(work / "first-no-log", ignore_errors=True)

    # (e) growth per unchanged sync.
    grow = DataDir(fresh(work / "growth", base))
    child("sync", str(grow.root), bundle)  # the first re-sync carries the rules forward after it
    before = used_bytes(grow)
    for _ in range(3):
        child("sync", str(grow.root), bundle)
    growth = (used_bytes(grow) - before) / 3
    shutil.rmtree(grow.root, ignore_errors=True)

    # (b) a 1% re-sync vs an unchanged one (and the 1% one without the log).
    resync: dict[str, list[float]] = {"unchanged": [], "1%": [], "1% no-log": []}
    last_one = DataDir(work / "one-pct-home")
    for n in range(1, rounds + 1):
        line = []
        for variant, source, flags in (("unchanged", bundle, []), ("1%", one_pct, []),
                                        ("1% no-log", one_pct, ["--no-log"])):  # fmt: skip
            home = fresh(work / "resync-home", base)
            took = child("sync", str(home), source, *flags)
            resync[variant].append(float(took["seconds"]))  # type: ignore[arg-type]
            line.append(f"{variant} {took['seconds']:.2f} s")
            if variant == "1%":
                shutil.rmtree(last_one.root, ignore_errors=True)
                home.rename(last_one.root)
                one_run = int(took["run"])  # type: ignore[call-overload]
        print(f"  (b) round {n}: " + ", ".join(line), flush=True)
    shutil.rmtree(work / "resync-home", ignore_errors=True)

    # (c) changes --json of the 1% re-sync.
    n_changes = logged(last_one, one_run)
    changes_json(last_one, one_run)  # warm the imports and the page cache
    json_times = [changes_json(last_one, one_run) for _ in range(3)]

    # (d) a rollback of a 10%-changed sync.
    roll_home = DataDir(fresh(work / "rollback-home", base))
    base_run = 1
    ten = child("sync", str(roll_home.root), ten_pct, "--force")
    n_ten = logged(roll_home, int(ten["run"]))  # type: ignore[call-overload]
    back = child("rollback", str(roll_home.root), str(base_run))

    full, no_log = med(first["log"]), med(first["no-log"])
    unchanged, one, one_no_log = (
        med(resync["unchanged"]),
        med(resync["1%"]),
        med(resync["1% no-log"]),
    )
    rows = [
        ("(a) full first sync, log / no log", f"{full:.2f} s / {no_log:.2f} s",
         full / no_log, TARGET_FIRST, "×"),
        ("(b) 1% re-sync / unchanged re-sync", f"{one:.2f} s / {unchanged:.2f} s",
         one / unchanged, TARGET_RESYNC, "×"),
        ("    the log's share: 1% with / without log", f"{one:.2f} s / {one_no_log:.2f} s",
         one / one_no_log, None, "×"),
        (f"(c) changes --json, {n_changes:,} changes", f"median of 3 {med(json_times):.2f} s",
         med(json_times), TARGET_JSON, " s"),
        (f"(d) rollback of a 10% sync ({n_ten:,} changes) / full sync",
         f"{float(back['seconds']):.2f} s / {full:.2f} s", float(back["seconds"]) / full,  # type: ignore[arg-type]
         TARGET_ROLLBACK, "×"),
        ("(e) store growth per unchanged sync", f"{growth:,.0f} bytes", growth, TARGET_GROWTH,
         " B"),
    ]  # fmt: skip
    print(f"results (medians; load average {os.getloadavg()[0]:.1f}):")
    for label, detail, value, target, unit in rows:
        aim = f"target ≤ {target:g}{unit} {verdict(value, target)}" if target else ""
        figure = f"{value:.2f}{unit}" if unit != " B" else f"{value:,.0f}{unit}"
        print(f"  {label:<52} {detail:<26} {figure:>10}   {aim}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
