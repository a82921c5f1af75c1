"""`python -m bench --scale small|full [--rounds N]`: generate (once), then time the peer, the
baseline, the issue's reference design and ours in turn, N rounds interleaved; report each round
and the medians."""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from .district import SCALES, ensure_district
from .report import Results, render
from .runs import (
    Ours,
    StepFailed,
    baseline,
    ours,
    ours_sds,
    peer,
    peer_sds,
    reference,
    sqlite_cli,
    sqlite_cli_version,
    warm_cache,
)
from .sds import ensure_sds

INSTALL_HINT = "sqlite3 not on PATH: peer not measured (install it: sudo apt-get install sqlite3)"
ROUNDS = 3  # interleaved: a machine whose speed drifts slows every contender alike


def _median(values: list[float]) -> float | None:
    """The median, or None when nothing was measured."""
    return statistics.median(values) if values else None


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; 0 when every step ran (targets missed or not), 1 when one failed."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="rounds of every contender")
    parser.add_argument("--regenerate", action="store_true", help="generate the district again")
    parser.add_argument("--keep", action="store_true", help="keep the databases and logs")
    args = parser.parse_args(argv)
    print(f"bench: preparing the {args.scale} district …", flush=True)
    district = ensure_district(args.scale, regenerate=args.regenerate)
    sds = ensure_sds(district, regenerate=args.regenerate)
    warm_cache(district)
    warm_cache(sds)
    work = Path(tempfile.mkdtemp(prefix="run-", dir=district.folder.parent))
    failed: list[str] = []
    exe = sqlite_cli()
    if exe is None:
        print(INSTALL_HINT, flush=True)
    peers: list[float] = []
    baselines: list[float] = []
    references: list[float] = []
    runs: list[Ours] = []
    sds_peers: list[float] = []
    sds_runs: list[Ours] = []
    try:
        for n in range(1, max(1, args.rounds) + 1):
            here = work / f"round-{n}"
            here.mkdir()
            steps = "sqlite3 CLI .import, Python csv + executemany (bare, then the reference), "
            steps += "datasync-tui sync twice; the SDS rendering: sqlite3 CLI, datasync-tui sync"
            print(f"bench: round {n} of {args.rounds}: {steps} …", flush=True)
            try:
                if exe is not None:
                    peers.append(peer(exe, district, here))
                baselines.append(baseline(district, here))
                references.append(reference(district, here))
            except StepFailed as error:
                failed.append(str(error))
                break
            measured = ours(district, here)
            if measured.error:
                failed.append(f"datasync-tui {measured.error}")
                break
            runs.append(measured)
            # The mapped CSV (SDS classic) rendering of the same district, after the rest.
            try:
                if exe is not None:
                    sds_peers.append(peer_sds(exe, sds, here))
            except StepFailed as error:
                failed.append(str(error))
                break
            mapped = ours_sds(sds, here)
            if mapped.error:
                failed.append(f"datasync-tui {mapped.error}")
                break
            sds_runs.append(mapped)
            seen = f"{peers[-1]:.2f} s" if exe is not None else "not installed"
            seen_sds = f"{sds_peers[-1]:.2f} s" if exe is not None else "not installed"
            print(f"  peer {seen}, baseline {baselines[-1]:.2f} s, reference "
                  f"{references[-1]:.2f} s, ours {measured.full:.2f} s "
                  f"({measured.full_cpu:.1f} CPU-s), re-sync {measured.resync:.2f} s; "
                  f"SDS: peer {seen_sds}, ours {mapped.full:.2f} s", flush=True)  # fmt: skip
            if not args.keep:
                shutil.rmtree(here, ignore_errors=True)
        summary = Ours(
            full=_median([r.full for r in runs if r.full is not None]),
            full_rss_mb=max((r.full_rss_mb or 0 for r in runs), default=None),
            full_cpu=_median([r.full_cpu for r in runs if r.full_cpu is not None]),
            resync=_median([r.resync for r in runs if r.resync is not None]),
            resync_rss_mb=max((r.resync_rss_mb or 0 for r in runs), default=None),
            stored=runs[-1].stored if runs else {},
            error=None if runs else "no round finished",
        )
        sds_summary = Ours(
            full=_median([r.full for r in sds_runs if r.full is not None]),
            full_rss_mb=max((r.full_rss_mb or 0 for r in sds_runs), default=None),
            full_cpu=_median([r.full_cpu for r in sds_runs if r.full_cpu is not None]),
            stored=sds_runs[-1].stored if sds_runs else {},
            error=None if sds_runs else "no round finished",
        )
        results = Results(
            scale=args.scale,
            district=district,
            peer=_median(peers),
            peer_note="(not installed)" if exe is None else None,
            baseline=_median(baselines),
            reference=_median(references),
            ours=summary,
            cli_version=sqlite_cli_version(exe) if exe else None,
            rounds=len(runs),
            sds=sds_summary,
            sds_peer=_median(sds_peers),
            sds_counts=sds.counts,
        )
        print()
        print(render(results))
    finally:
        if args.keep or failed:
            print(f"\nbench: databases and logs kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    for line in failed:
        print(f"bench: failed: {line}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
