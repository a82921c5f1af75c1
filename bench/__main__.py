"""`python -m bench --scale small|full`: generate (once), time peer, baseline and ours, report."""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from .district import SCALES, ensure_district
from .report import Results, render
from .runs import StepFailed, baseline, ours, peer, sqlite_cli, sqlite_cli_version, warm_cache

INSTALL_HINT = "sqlite3 not on PATH: peer not measured (install it: sudo apt-get install sqlite3)"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; 0 when every step ran (targets missed or not), 1 when one failed."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--regenerate", action="store_true", help="generate the district again")
    parser.add_argument("--keep", action="store_true", help="keep the databases and logs")
    args = parser.parse_args(argv)
    print(f"bench: preparing the {args.scale} district …", flush=True)
    district = ensure_district(args.scale, regenerate=args.regenerate)
    warm_cache(district)
    work = Path(tempfile.mkdtemp(prefix="run-", dir=district.folder.parent))
    failed: list[str] = []
    exe = sqlite_cli()
    peer_seconds = baseline_seconds = None
    try:
        if exe is None:
            print(INSTALL_HINT, flush=True)
        else:
            print("bench: sqlite3 CLI .import …", flush=True)
            try:
                peer_seconds = peer(exe, district, work)
            except StepFailed as error:
                failed.append(str(error))
        print("bench: Python csv + executemany …", flush=True)
        try:
            baseline_seconds = baseline(district, work)
        except StepFailed as error:
            failed.append(str(error))
        print("bench: datasync-tui connect, sync, sync again …", flush=True)
        measured = ours(district, work)
        if measured.error:
            failed.append(f"datasync-tui {measured.error}")
        results = Results(
            scale=args.scale,
            district=district,
            peer=peer_seconds,
            peer_note="(not installed)" if exe is None else None,
            baseline=baseline_seconds,
            ours=measured,
            cli_version=sqlite_cli_version(exe) if exe else None,
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
