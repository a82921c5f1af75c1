"""`python -m bench.fix --scale small|full [--rounds N]`: time the three fix files.

Target (issue 20): each file for 100k users / 1M enrollments in 3 s or less. Peer, measured in
the same run over the same store: `datasync-tui validate --json` (the rules and the dry run the
files come from), as a subprocess with its output discarded. The store is the one bench.rules
syncs once per scale (bench/out/<scale>/rules-home); for the email proposals a copy of it in
which every student lacks an email (bench/out/<scale>/emails-home), so there are ~94k
addresses to propose, most names shared with someone (collisions to number).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from datasync_tui.fix.run import FixResult, fix_classroom, fix_emails, fix_gam
from datasync_tui.paths import DataDir
from datasync_tui.store import config, sqlite

from .district import SCALES
from .report import machine_line
from .rules import ensure_store

TARGET = 3.0
ROUNDS = 3
PATTERN = (
    "student={given}.{family}{n}@students.harborpinesusd.org;"
    "teacher={given1}{family}@harborpinesusd.org"
)


def ensure_emails_store(home: DataDir) -> DataDir:
    """A copy of the synced store where no student has an email, with email_pattern set."""
    target = DataDir(home.root.parent / "emails-home")
    marker = target.root / "copied-from"
    stamp = str(home.database.stat().st_mtime_ns)
    if marker.is_file() and marker.read_text("utf-8") == stamp:
        return target
    shutil.rmtree(target.root, ignore_errors=True)
    target.ensure()
    shutil.copyfile(home.database, target.database)
    conn = sqlite.connect(target.database)
    with conn:
        conn.execute("UPDATE users SET email = '' WHERE primary_role = 'student'")
    conn.close()
    saved = config.load(home)
    assert saved is not None
    settings = {**saved.settings, "email_pattern": PATTERN}
    config.save(target, config.Connection(saved.method, saved.vendor, settings))
    marker.write_text(stamp, encoding="utf-8")
    return target


def timed(fn: Callable[[], object]) -> tuple[object, float, float]:
    """fn's result, wall seconds and CPU seconds (all threads)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def validate_json(home: DataDir) -> float:
    """Wall seconds of `datasync-tui validate --json` over home, output discarded."""
    env = {k: v for k, v in os.environ.items() if k != "DATASYNC_HOME"}
    argv = [sys.executable, "-m", "datasync_tui.cli", "--data-dir", str(home.root), "validate"]
    started = time.perf_counter()
    subprocess.run([*argv, "--json"], stdout=subprocess.DEVNULL, env=env, check=True)
    return time.perf_counter() - started


def size_mb(result: FixResult) -> float:
    """The size of what was written, in MB."""
    return sum(p.stat().st_size for p in result.paths) / 1e6


def main(argv: list[str] | None = None) -> int:
    """Run the rounds and print each file's median beside its target and the peer's."""
    parser = argparse.ArgumentParser(prog="python -m bench.fix", description=__doc__)
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    args = parser.parse_args(argv)
    home = ensure_store(args.scale)
    emails_home = ensure_emails_store(home)
    conn = sqlite.connect(home.database)
    counts = {
        t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("users", "enrollments", "classes")
    }
    conn.close()
    print(machine_line(None))
    print(
        f"district ({args.scale}): {counts['users']:,} users, {counts['enrollments']:,} "
        f"enrollments, {counts['classes']:,} classes"
    )
    steps: dict[str, Callable[[Path], FixResult]] = {
        "fix gam (create + members)": lambda out: fix_gam(home, out / "classroom.gam"),
        "fix classroom (2 CSV files)": lambda out: fix_classroom(home, out / "classroom"),
        "fix emails (CSV + --gam)": lambda out: fix_emails(
            emails_home, out / "emails.csv", out / "emails.gam"
        ),
    }
    walls: dict[str, list[float]] = {name: [] for name in steps}
    cpus: dict[str, list[float]] = {name: [] for name in steps}
    results: dict[str, FixResult] = {}
    sizes: dict[str, float] = {}
    peers: list[float] = []
    validate_json(home)  # warm the page cache and the imports
    with tempfile.TemporaryDirectory(prefix="bench-fix-") as tmp:
        for n in range(1, max(1, args.rounds) + 1):
            line: list[str] = []
            for name, step in steps.items():
                out = Path(tmp) / f"round-{n}"
                out.mkdir(exist_ok=True)
                result, wall, cpu = timed(lambda step=step, out=out: step(out))
                results[name] = result  # type: ignore[assignment]
                sizes[name] = size_mb(results[name])
                walls[name].append(wall)
                cpus[name].append(cpu)
                line.append(f"{name.split(' (')[0]} {wall:.2f} s")
            peers.append(validate_json(home))
            line.append(f"validate --json {peers[-1]:.2f} s")
            print(f"  round {n}: " + ", ".join(line), flush=True)
            shutil.rmtree(Path(tmp) / f"round-{n}", ignore_errors=True)
    peer = statistics.median(peers)
    print(f"median of {len(peers)} rounds (wall; CPU of all threads):")
    for name in steps:
        wall, cpu = statistics.median(walls[name]), statistics.median(cpus[name])
        mark = "✓" if wall <= TARGET else "✗"
        print(
            f"  {name:<29} {wall:5.2f} s  {cpu:5.2f} s CPU   target ≤ {TARGET:g} s {mark}   "
            f"{wall / peer:.2f}× peer   {_what(results[name], sizes[name])}"
        )
    print(f"  peer: validate --json         {peer:5.2f} s  (a process over the same store)")
    return 0


def _what(result: FixResult, mb: float) -> str:
    """What the file holds, in a few words."""
    c = result.counts
    if result.kind == "gam":
        held = f"{c['courses']:,} courses, {c['teacher_syncs'] + c['student_syncs']:,} lists"
    elif result.kind == "classroom":
        held = f"{c['courses']:,} courses, {c['teachers'] + c['students']:,} member rows"
    else:
        held = f"{c['proposed']:,} proposals, {c['collided']:,} numbered"
    return f"({held}, {mb:.0f} MB)"


if __name__ == "__main__":
    sys.exit(main())
