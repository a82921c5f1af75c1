"""`python -m bench.oneroster_api --scale small|full [--rounds N]`: OneRoster API vs CSV sync.

Both syncs of one district are timed in turn for N rounds (3 unless told); each round is printed
and the targets are judged on the medians.

The loopback server (tests/helpers/oneroster_server.py) runs in its own process and
renders every page before the clock starts, so the API time measures the connector and the
engine, not the test server; its own CPU time during the sync is printed beside it.
Targets: API ≤ 2 × CSV, peak RSS ≤ 300 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .district import SCALES, ensure_district
from .runs import TreePeak

REPO = Path(__file__).resolve().parent.parent
RATIO_TARGET, RSS_TARGET_MB = 2.0, 300.0
PAGE_SIZE = 1000
ROUNDS = 3
SECRET = "bench-secret-not-real"


@dataclass
class Run:
    """One timed CLI child: seconds, peak RSS, exit status, last stderr line."""

    seconds: float
    rss_mb: float
    code: int
    last: str


def cli() -> list[str]:
    """The CLI of this venv, run as a module by this Python."""
    return [sys.executable, "-m", "datasync_tui.cli"]


def timed(argv: list[str], log: Path, env: dict[str, str] | None = None) -> Run:
    """Run a child to the end; its wall time and peak RSS (with its loader process, summed)."""
    err = log.with_suffix(".err")
    with log.open("wb") as out, err.open("wb") as errors:
        started = time.perf_counter()
        child = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=out, stderr=errors, env=env, cwd=REPO
        )
        tree = TreePeak(child.pid)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        sampled_mb = tree.stop() / 1024
    child.returncode = code = os.waitstatus_to_exitcode(status)
    lines = [ln for ln in err.read_text(errors="replace").splitlines() if ln.strip()]
    rss = max(usage.ru_maxrss / 1024, sampled_mb)
    return Run(seconds, rss, code, lines[-1] if lines else "")


def cpu_seconds(pid: int) -> float:
    """A process's user + system CPU time so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Server:
    """The loopback OneRoster server in a child process, pages rendered before it answers."""

    def __init__(self, bundle: Path, version: str, work: Path) -> None:
        secret = work / "secret"
        secret.write_text(SECRET)
        server = "tests.helpers.oneroster_server"
        argv = [sys.executable, "-m", server, str(bundle), "--version", version]
        argv += ["--prerender", str(PAGE_SIZE), "--client-secret-file", str(secret)]
        self.process = subprocess.Popen(
            argv, cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("the OneRoster server did not start")
        self.info = json.loads(line)
        self.secret_file = secret

    def cpu(self) -> float:
        """The server's CPU seconds so far."""
        return cpu_seconds(self.process.pid)

    def stop(self) -> None:
        """Close its stdin (it stops) and wait."""
        if self.process.stdin:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def sync_csv(bundle: Path, work: Path) -> Run:
    """Connect a fresh data dir to the CSV bundle and time its full sync."""
    base = [*cli(), "--data-dir", str(work / "csv")]
    connect = timed([*base, "connect", "oneroster-csv", "--set", f"path={bundle}"], work / "c1")
    if connect.code:
        raise RuntimeError(f"CSV connect exited {connect.code}: {connect.last}")
    return timed([*base, "sync"], work / "csv-sync.log")


def sync_api(server: Server, version: str, work: Path) -> tuple[Run, float]:
    """Connect a fresh data dir to the API and time its full sync; the server's CPU during it."""
    base = [*cli(), "--data-dir", str(work / "api")]
    args = ["connect", "oneroster-api", "--set", f"base_url={server.info['base_url']}"]
    args += ["--set", f"version={version}", "--set", "client_id=datasync"]
    args += ["--set", f"client_secret=@{server.secret_file}", "--set", f"page_size={PAGE_SIZE}"]
    if version == "1.2":
        args += ["--set", "auth=oauth2", "--set", f"token_url={server.info['token_url']}"]
    else:
        args += ["--set", "auth=oauth1"]
    connect = timed([*base, *args], work / "c2")
    if connect.code:
        raise RuntimeError(f"API connect exited {connect.code}: {connect.last}")
    before = server.cpu()
    run = timed([*base, "sync"], work / "api-sync.log")
    return run, server.cpu() - before


def counts(data_dir: Path) -> dict[str, int]:
    """status --json counts of a data dir."""
    out = subprocess.run(
        [*cli(), "--data-dir", str(data_dir), "status", "--json"], capture_output=True, text=True
    )
    return json.loads(out.stdout)["counts"]


def main(argv: list[str] | None = None) -> int:
    """Run both syncs, print the figures; 0 when both ran (targets met or not), 1 otherwise."""
    parser = argparse.ArgumentParser(prog="python -m bench.oneroster_api", description=__doc__)
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--version", choices=("1.1", "1.2"), default="1.2")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="rounds of both syncs")
    args = parser.parse_args(argv)
    print(f"bench.oneroster_api: preparing the {args.scale} district …", flush=True)
    district = ensure_district(args.scale)
    print(f"  {district.counts}", flush=True)
    csv_runs: list[Run] = []
    api_runs: list[tuple[Run, float]] = []
    same = True
    with tempfile.TemporaryDirectory(prefix="bench-api-") as tmp:
        started = time.perf_counter()
        server = Server(district.folder, args.version, Path(tmp))
        try:
            ready = time.perf_counter() - started
            print(
                f"  server ready: {server.info['pages']} pages rendered in {ready:.1f}s", flush=True
            )
            for n in range(1, max(1, args.rounds) + 1):  # in turn: drifting speed hits both
                work = Path(tmp) / f"round-{n}"
                work.mkdir()
                csv_runs.append(sync_csv(district.folder, work))
                api_runs.append(sync_api(server, args.version, work))
                for name, run in (("CSV", csv_runs[-1]), ("API", api_runs[-1][0])):
                    if run.code:
                        print(f"{name} sync exited {run.code}: {run.last}")
                        return 1
                same = same and counts(work / "csv") == counts(work / "api")
                print(
                    f"  round {n}: CSV {csv_runs[-1].seconds:.1f} s, "
                    f"API {args.version} {api_runs[-1][0].seconds:.1f} s",
                    flush=True,
                )
                shutil.rmtree(work, ignore_errors=True)
        finally:
            server.stop()
    csv_s = statistics.median(r.seconds for r in csv_runs)
    api_s = statistics.median(r.seconds for r, _ in api_runs)
    csv_rss = max(r.rss_mb for r in csv_runs)
    api_rss = max(r.rss_mb for r, _ in api_runs)
    server_cpu = statistics.median(cpu for _, cpu in api_runs)
    ratio = api_s / csv_s
    print(f"medians of {len(csv_runs)} rounds (peak RSS: the highest)")
    print(f"OneRoster CSV sync:  {csv_s:7.1f} s   peak RSS {csv_rss:6.0f} MB")
    print(
        f"OneRoster API sync:  {api_s:7.1f} s   peak RSS {api_rss:6.0f} MB "
        f"(target ≤ {RSS_TARGET_MB:.0f}: {'met' if api_rss <= RSS_TARGET_MB else 'MISSED'})"
    )
    scope = "" if args.scale == "full" else f"; set for full scale, this is {args.scale}"
    print(
        f"ratio API/CSV:       {ratio:7.2f}     (target ≤ {RATIO_TARGET:g}: "
        f"{'met' if ratio <= RATIO_TARGET else 'MISSED'}{scope})"
    )
    print(f"server CPU during the API sync: {server_cpu:.1f} s")
    print(f"stored counts identical: {'yes' if same else 'NO'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
