"""`python -m bench.explore --scale small|full`: Explore through Pilot on a synced district.

Opens the enrollments topic (full: ~1M rows) and times open to first rows, End, PageDown and a
search result; then the peak RSS of the TUI process. The TUI runs in a child process so its RSS
is its own. Each figure is given three ways:

- frame: from the key (or the call) to the end of the first frame drawn with the rows on screen
  (the screen's compositor refresh is timed; this is what a user waits for);
- Pilot: the same action through Pilot as a test drives it (`pilot.press`, until the rows are
  there, `pilot.pause()`); Pilot waits for the process to go idle (at least ~60 ms per press and
  pause, longer while a background thread works), so this is an upper bound;
- net: the Pilot figure less Pilot's fixed cost, measured as the median of a no-op key press
  (a key nothing is bound to) followed by the same pause.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TARGETS = {"open": 0.100, "end": 0.100, "pagedown": 0.050, "search": 0.300}
RSS_TARGET_MB = 150
SEARCH = "smith"


def _child(data_dir: str) -> None:
    """Run the app headless, drive it, print one JSON line of figures."""
    from textual.screen import Screen

    from datasync_tui.paths import DataDir
    from datasync_tui.ui.app import DataSyncApp
    from datasync_tui.ui.context import Context
    from datasync_tui.ui.explore.screen import ExploreScreen
    from datasync_tui.ui.widgets.virtual_table import VirtualTable

    app = DataSyncApp(Context(DataDir(Path(data_dir)), refresh_every=None))
    figures: dict[str, object] = {}
    frames: list[tuple[float, bool]] = []  # (end of a frame, were the rows on screen loaded)

    def timed(method):  # type: ignore[no-untyped-def]
        def run(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            result = method(self, *args, **kwargs)
            if self is app.screen and isinstance(self, ExploreScreen):
                table = self.query_one(VirtualTable)
                ready = table.total > 0 and table.visible_loaded() and checks[-1]()
                frames.append((time.perf_counter(), ready))
            return result

        return run

    checks: list = [lambda: True]  # what "the rows are shown" means for the action timed
    Screen._compositor_refresh = timed(Screen._compositor_refresh)  # type: ignore[method-assign]
    Screen._refresh_layout = timed(Screen._refresh_layout)  # type: ignore[method-assign]

    def frame_after(started: float) -> float:
        """Seconds from started to the end of the first frame that showed the rows."""
        return next(t for t, ok in frames if t >= started and ok) - started

    async def until(check, limit: float = 30.0) -> None:  # type: ignore[no-untyped-def]
        deadline = time.perf_counter() + limit
        while not check():
            if time.perf_counter() > deadline:
                raise SystemExit("bench: timed out waiting for the table")
            await asyncio.sleep(0.0005)

    async def drive(pilot) -> None:  # type: ignore[no-untyped-def]
        await until(lambda: app.facts is not None)
        await pilot.pause()
        await asyncio.sleep(1.0)  # the Explore page is built while the dashboard is idle
        await pilot.pause()

        def on_enrollments() -> bool:
            screen = app.screen
            return isinstance(screen, ExploreScreen) and (
                screen.pager is not None and screen.pager.view.topic == "enrollments"
            )

        checks.append(on_enrollments)
        started = time.perf_counter()
        app.explore("enrollments")
        await until(on_enrollments)
        table = app.screen.query_one(VirtualTable)
        await until(lambda: table.total > 0 and table.visible_loaded())
        await pilot.pause()
        figures["open"] = time.perf_counter() - started
        figures["open_frame"] = frame_after(started)
        figures["rows"] = table.total
        table.focus()
        await until(lambda: table.source is not None and table.source.exact, 60)  # counted
        await pilot.pause()
        noops = []
        for _ in range(10):  # Pilot's own cost: a key nothing is bound to, and the pause
            started = time.perf_counter()
            await pilot.press("f20")
            await pilot.pause()
            noops.append(time.perf_counter() - started)
        figures["pilot"] = statistics.median(noops)

        async def timed_press(key: str, check) -> tuple[float, float]:  # type: ignore[no-untyped-def]
            checks.append(check)
            started = time.perf_counter()
            await pilot.press(key)
            await until(lambda: table.visible_loaded() and check())
            await pilot.pause()
            return time.perf_counter() - started, frame_after(started)

        last = table.total - 1
        figures["end"], figures["end_frame"] = await timed_press(
            "end", lambda: table.cursor_row == last and table.top + table.page_rows > last
        )
        figures["last_cursor"] = table.cursor_row
        await pilot.press("home")
        await until(table.visible_loaded)
        await pilot.pause()
        downs, down_frames = [], []
        for _ in range(10):
            target = table.top + table.page_rows - 1
            spent, frame = await timed_press(
                "pagedown",
                lambda t=target: table.top >= t,  # type: ignore[misc]
            )
            downs.append(spent)
            down_frames.append(frame)
        figures["pagedown"] = statistics.median(downs)
        figures["pagedown_frame"] = statistics.median(down_frames)
        figures["pagedown_max"] = max(downs)
        figures["pagedown_frame_max"] = max(down_frames)
        screen = app.screen
        await pilot.press("slash", *SEARCH[:-1])
        await until(lambda: screen.pager is not None and screen.pager.view.search == SEARCH[:-1])
        await pilot.pause()

        def searched() -> bool:
            return (
                screen.pager is not None
                and screen.pager.view.search == SEARCH
                and table.source is screen.pager
            )

        figures["search"], figures["search_frame"] = await timed_press(SEARCH[-1], searched)
        figures["matches"] = table.total
        figures["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print("FIGURES " + json.dumps(figures), flush=True)
        app.exit()

    app.run(headless=True, size=(120, 40), auto_pilot=drive)


def main(argv: list[str] | None = None) -> int:
    """Prepare the synced district once, then measure in a child process."""
    parser = argparse.ArgumentParser(prog="python -m bench.explore", description=__doc__)
    parser.add_argument("--scale", choices=("small", "full"), default="small")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child)
        return 0
    from bench.tui_startup import _synced_data_dir
    from datasync_tui.store.db import connect

    data = _synced_data_dir(args.scale)
    connect(data / "datasync.db").close()  # build any index a newer version added, before timing
    out = subprocess.run(
        [sys.executable, "-m", "bench.explore", "--child", str(data)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=600,
    )
    line = next((x for x in out.stdout.splitlines() if x.startswith("FIGURES ")), None)
    if out.returncode or line is None:
        raise SystemExit(
            f"bench: the Explore run failed:\n{out.stdout[-2000:]}\n{out.stderr[-4000:]}"
        )
    f = json.loads(line.removeprefix("FIGURES "))
    print(f"database: {f['rows']:,} enrollments ({args.scale}); Explore through Pilot, 120x40")
    labels = {
        "open": "open enrollments to first rows",
        "end": "End (last rows shown)",
        "pagedown": "PageDown (median of 10)",
        "search": f"search {SEARCH!r} to its first rows",
    }
    pilot = f["pilot"]
    print(f"Pilot's fixed cost (no-op key press + pause, median of 10): {pilot * 1000:.1f} ms")
    print(f"{'':<38} {'frame':>8} {'Pilot':>9} {'net':>9}   target (judged on frame)")
    for key, label in labels.items():
        frame = f[f"{key}_frame"]
        ok = "ok" if frame <= TARGETS[key] else "MISSED"
        # opening is a call, not a key press: Pilot's key cost is not in it
        net = f[key] - (pilot if key != "open" else 0)
        print(
            f"{label:<38} {frame * 1000:6.1f}ms {f[key] * 1000:7.1f}ms {net * 1000:7.1f}ms"
            f"   ≤ {TARGETS[key] * 1000:.0f} ms: {ok}"
        )
    print(
        f"{'  slowest PageDown':<38} {f['pagedown_frame_max'] * 1000:6.1f}ms"
        f" {f['pagedown_max'] * 1000:7.1f}ms"
    )
    print(f"{'  search matches':<38} {f['matches']:8,}")
    ok = "ok" if f["rss_mb"] <= RSS_TARGET_MB else "MISSED"
    rss = f"{f['rss_mb']:8.1f} MB   (target ≤ {RSS_TARGET_MB} MB: {ok})"
    print(f"{'peak RSS of the TUI process':<38} {rss}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
