"""`python -m bench.explore --scale small|full`: Explore through Pilot on a synced district.

Opens the enrollments topic (full: ~1M rows) and times, each to the frame that shows the rows:
open to first rows, End, PageDown, a search result; then the peak RSS of the TUI process.
The TUI runs in a child process so its RSS is its own.
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
    from datasync_tui.paths import DataDir
    from datasync_tui.ui.app import DataSyncApp
    from datasync_tui.ui.context import Context
    from datasync_tui.ui.explore import ExploreScreen
    from datasync_tui.ui.widgets.virtual_table import VirtualTable

    app = DataSyncApp(Context(DataDir(Path(data_dir)), refresh_every=None))
    figures: dict[str, object] = {}

    async def until(check, limit: float = 30.0) -> None:  # type: ignore[no-untyped-def]
        deadline = time.perf_counter() + limit
        while not check():
            if time.perf_counter() > deadline:
                raise SystemExit("bench: timed out waiting for the table")
            await asyncio.sleep(0.0005)

    async def drive(pilot) -> None:  # type: ignore[no-untyped-def]
        await until(lambda: app.facts is not None)
        await pilot.pause()
        started = time.perf_counter()
        app.explore("enrollments")
        await until(lambda: isinstance(app.screen, ExploreScreen) and app.screen.pager is not None)
        table = app.screen.query_one(VirtualTable)
        await until(lambda: table.total > 0 and table.visible_loaded())
        await pilot.pause()
        figures["open"] = time.perf_counter() - started
        figures["rows"] = table.total
        table.focus()
        await pilot.pause()
        started = time.perf_counter()
        await pilot.press("end")
        await until(table.visible_loaded)
        await pilot.pause()
        figures["end"] = time.perf_counter() - started
        figures["last_cursor"] = table.cursor_row
        await pilot.press("home")
        await until(table.visible_loaded)
        downs = []
        for _ in range(10):
            started = time.perf_counter()
            await pilot.press("pagedown")
            await until(table.visible_loaded)
            await pilot.pause()
            downs.append(time.perf_counter() - started)
        figures["pagedown"] = statistics.median(downs)
        figures["pagedown_max"] = max(downs)
        screen = app.screen
        await pilot.press("slash", *SEARCH[:-1])
        started = time.perf_counter()
        await pilot.press(SEARCH[-1])
        await until(
            lambda: (
                screen.pager is not None
                and screen.pager.view.search == SEARCH
                and table.source is screen.pager
                and table.visible_loaded()
            )
        )
        await pilot.pause()
        figures["search"] = time.perf_counter() - started
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
    for key, label in labels.items():
        ok = "ok" if f[key] <= TARGETS[key] else "MISSED"
        print(
            f"{label:<38} {f[key] * 1000:8.1f} ms   (target ≤ {TARGETS[key] * 1000:.0f} ms: {ok})"
        )
    print(f"{'  slowest PageDown':<38} {f['pagedown_max'] * 1000:8.1f} ms")
    print(f"{'  search matches':<38} {f['matches']:8,}")
    ok = "ok" if f["rss_mb"] <= RSS_TARGET_MB else "MISSED"
    rss = f"{f['rss_mb']:8.1f} MB   (target ≤ {RSS_TARGET_MB} MB: {ok})"
    print(f"{'peak RSS of the TUI process':<38} {rss}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
