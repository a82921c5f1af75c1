"""`python -m bench.tui_startup --scale small|full`: start to the first dashboard frame, warm.

Measures, in the same run, how long `datasync-tui` takes from process start to its first dashboard
frame with counts over a synced district (full: ~100k users, ~1M enrollments), and how long a bare
Textual app (a Static and a Footer) takes to its first frame: the floor no Textual app goes under.
Both are timed the same way: the first refresh after what is measured is on screen
(`call_after_refresh`), not the moment the app falls idle (background work such as building the
Explore page in advance may still run then).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

TARGET_SECONDS = 1.0
REPO = Path(__file__).resolve().parent.parent


def _child_bare() -> None:
    """A bare Textual app: print the wall-clock time of its first frame, then leave."""
    from textual.app import App, ComposeResult
    from textual.pilot import Pilot
    from textual.widgets import Footer, Static

    class Bare(App[None]):
        """The floor: one Static and a Footer."""

        def compose(self) -> ComposeResult:
            yield Static("hello")
            yield Footer()

    async def first_frame(pilot: Pilot[None]) -> None:
        drawn = asyncio.Event()
        pilot.app.call_after_refresh(drawn.set)  # set once the frame is on screen
        await drawn.wait()
        print(f"FRAME {time.time():.6f}", flush=True)
        pilot.app.exit()

    Bare().run(headless=True, size=(120, 40), auto_pilot=first_frame)


def _child_ours(data_dir: str) -> None:
    """datasync-tui over data_dir: print the time of the first dashboard frame with counts."""
    from datasync_tui.paths import DataDir
    from datasync_tui.ui.app import DataSyncApp
    from datasync_tui.ui.context import Context

    app = DataSyncApp(Context(DataDir(Path(data_dir)), refresh_every=None))

    async def first_frame(pilot) -> None:  # type: ignore[no-untyped-def]
        from datasync_tui.ui.dashboard.screen import DashboardScreen

        while app.facts is None or not isinstance(app.screen, DashboardScreen):
            await pilot.pause(0.002)
        drawn = asyncio.Event()
        app.call_after_refresh(drawn.set)  # the frame that shows them is on screen
        await drawn.wait()
        counts = app.facts.status["counts"]
        print(f"FRAME {time.time():.6f} {counts['users']} {counts['enrollments']}", flush=True)
        app.exit()

    app.run(headless=True, size=(120, 40), auto_pilot=first_frame)


def _time_child(args: list[str]) -> tuple[float, list[str]]:
    """Seconds from spawning a child to the frame it reports, and the rest of its FRAME line."""
    started = time.time()
    out = subprocess.run(
        [sys.executable, "-m", "bench.tui_startup", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    line = next((x for x in out.stdout.splitlines() if x.startswith("FRAME ")), None)
    if out.returncode or line is None:
        raise SystemExit(f"bench: {' '.join(args)} failed:\n{out.stdout}\n{out.stderr}")
    fields = line.split()
    return float(fields[1]) - started, fields[2:]


def _synced_data_dir(scale: str) -> Path:
    """A data dir with the scale's district connected and synced once (cached in bench/out)."""
    from bench.district import OUT, ensure_district

    district = ensure_district(scale)
    root = OUT / f"tui-{scale}"
    data, marker = root / "data", root / "synced.json"
    wanted = json.loads((district.folder.parent / "generated.json").read_text("utf-8"))
    if marker.is_file() and json.loads(marker.read_text("utf-8")) == wanted:
        return data
    import shutil

    shutil.rmtree(root, ignore_errors=True)
    print(f"bench: syncing the {scale} district once into {data} …", flush=True)
    cli = [sys.executable, "-m", "datasync_tui.cli", "--data-dir", str(data)]
    for step in (
        ["connect", "oneroster-csv", "--set", f"path={district.folder}"],
        ["sync"],
    ):
        done = subprocess.run([*cli, *step], capture_output=True, text=True, cwd=REPO)
        if done.returncode:
            raise SystemExit(f"bench: {' '.join(step)} failed:\n{done.stdout}\n{done.stderr}")
    marker.write_text(json.dumps(wanted), encoding="utf-8")
    return data


def main(argv: list[str] | None = None) -> int:
    """Measure ours and the bare floor (one warm-up each, then the median of runs)."""
    parser = argparse.ArgumentParser(prog="python -m bench.tui_startup", description=__doc__)
    parser.add_argument("--scale", choices=("small", "full"), default="small")
    parser.add_argument("--runs", type=int, default=5, help="measured runs of each (default 5)")
    parser.add_argument("--child", choices=("bare", "ours"), help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child == "bare":
        _child_bare()
        return 0
    if args.child == "ours":
        _child_ours(args.data_dir)
        return 0
    data = _synced_data_dir(args.scale)
    ours_args = ["--child", "ours", "--data-dir", str(data)]
    bare_args = ["--child", "bare"]
    _time_child(bare_args), _time_child(ours_args)  # warm the page cache and bytecode
    bare, ours, shown = [], [], []
    for _ in range(args.runs):  # interleaved, so both see the same machine
        bare.append(_time_child(bare_args)[0])
        seconds, shown = _time_child(ours_args)
        ours.append(seconds)
    bare_s, ours_s = statistics.median(bare), statistics.median(ours)
    users, enrollments = (int(x) for x in shown)
    load = f", load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    print(f"machine: {os.cpu_count()} cores{load}; median of {args.runs} warm runs each")
    print(f"database: {users:,} users, {enrollments:,} enrollments ({args.scale})")
    print(f"bare Textual app, start to first frame:        {bare_s:6.3f} s")
    verdict = "ok" if ours_s <= TARGET_SECONDS else "MISSED"
    print(
        f"datasync-tui, start to first dashboard frame:  {ours_s:6.3f} s   "
        f"(target ≤ {TARGET_SECONDS:.1f} s: {verdict}; {ours_s - bare_s:+.3f} s over the floor)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
