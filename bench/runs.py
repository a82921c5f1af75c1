"""The timed runs: the sqlite3 CLI (peer), bare Python (baseline), the issue's reference design,
and datasync-tui (ours)."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from datasync_tui.store import sqlite

from .district import District
from .sds import SdsDistrict


class StepFailed(Exception):
    """A benchmark step could not run; the message is one line saying what and where."""


@dataclass
class Ours:
    """What datasync-tui did: times, peak RSS, stored counts, or the line saying what failed."""

    full: float | None = None
    full_rss_mb: float | None = None
    full_cpu: float | None = None  # CPU seconds of the full sync, its loader processes included
    resync: float | None = None
    resync_rss_mb: float | None = None
    stored: dict[str, int] = field(default_factory=dict)
    error: str | None = None


def warm_cache(district: District | SdsDistrict) -> None:
    """Read every file once so no contender pays for a cold page cache."""
    for path in district.files:
        with path.open("rb") as handle:
            while handle.read(1 << 20):
                pass


def sqlite_cli() -> str | None:
    """The sqlite3 command-line tool on PATH, if any."""
    return shutil.which("sqlite3")


def sqlite_cli_version(exe: str) -> str:
    """`3.40.1` from `sqlite3 --version`."""
    result = subprocess.run([exe, "--version"], capture_output=True, text=True, check=False)
    return result.stdout.split(" ", 1)[0].strip() or "unknown"


def _table_counts(db: Path) -> dict[str, int]:
    """Rows per table of a database."""
    with sqlite.connect(db) as con:
        tables = [
            row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def _check_loaded(what: str, db: Path, district: District) -> None:
    """Fail when a loader did not load every data row of the bundle."""
    loaded = _table_counts(db)
    for topic, rows in district.counts.items():
        if loaded.get(topic) != rows:
            raise StepFailed(f"{what}: {topic} has {loaded.get(topic)} rows in {db}, not {rows}")


def peer(exe: str, district: District, work: Path) -> float:
    """Seconds for one sqlite3 CLI run doing `.import --csv` of every file into its own table."""
    db = work / "peer.sqlite"
    script = "".join(f'.import --csv "{path}" "{path.stem}"\n' for path in district.files)
    started = time.perf_counter()
    result = subprocess.run([exe, str(db)], input=script, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0 or result.stderr.strip():
        line = (result.stderr.strip().splitlines() or ["no message"])[0]
        raise StepFailed(f"sqlite3 .import exited {result.returncode}: {line}")
    _check_loaded("sqlite3 .import", db, district)
    return seconds


# The store indexes issue #2 names (besides each table's unique sourcedId key).
REFERENCE_INDEXES = (
    'enrollments ("classSourcedId", "role")',
    'enrollments ("userSourcedId")',
    'users (lower("email"))',
    'classes ("schoolSourcedId")',
    'classes ("courseSourcedId")',
)


def baseline(district: District, work: Path) -> float:
    """Seconds for csv.reader + executemany in one transaction into plain tables, no indexes."""
    return _plain_load("baseline", district, work / "baseline.sqlite", indexed=False)


def reference(district: District, work: Path) -> float:
    """Seconds for the design issue #2 recommends, in one process: the baseline's load (no
    Python code per row) into rowid tables, then the unique sourcedId keys and the five indexes
    the issue names built once after it, in the same transaction."""
    return _plain_load("reference design", district, work / "reference.sqlite", indexed=True)


def _plain_load(what: str, district: District, db: Path, indexed: bool) -> float:
    """Seconds to load every file by csv.reader straight into executemany, one transaction;
    `indexed`: then build the unique keys and REFERENCE_INDEXES."""
    started = time.perf_counter()
    con = sqlite.connect(db, isolation_level=None)
    try:
        con.execute("BEGIN")
        keyed = []
        for path in district.files:
            with path.open(encoding="utf-8", newline="") as handle:
                reader = csv.reader(handle)
                header = next(reader)
                columns = ", ".join(f'"{name}" TEXT' for name in header)
                con.execute(f'CREATE TABLE "{path.stem}" ({columns})')
                marks = ", ".join("?" * len(header))
                con.executemany(f'INSERT INTO "{path.stem}" VALUES ({marks})', reader)
            if "sourcedId" in header:
                keyed.append(path.stem)
        if indexed:
            for table in keyed:
                con.execute(f'CREATE UNIQUE INDEX "{table}_key" ON "{table}" ("sourcedId")')
            for n, index in enumerate(REFERENCE_INDEXES):
                con.execute(f'CREATE INDEX "reference_{n}" ON {index}')
        con.execute("COMMIT")
    except sqlite.IntegrityError as error:
        raise StepFailed(f"{what}: {error} in {db}") from None
    finally:
        con.close()
    seconds = time.perf_counter() - started
    _check_loaded(what, db, district)
    return seconds


def cli_command() -> list[str]:
    """The datasync-tui console script of this venv, else the module run by this Python."""
    script = Path(sys.executable).parent / "datasync-tui"
    return [str(script)] if script.exists() else [sys.executable, "-m", "datasync_tui.cli"]


def _tree_rss_kb(pid: int) -> int:
    """The resident memory of a process and all its descendants now, in kB (Linux /proc)."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/status", encoding="ascii", errors="replace") as f:
                total += next((int(ln.split()[1]) for ln in f if ln.startswith("VmRSS:")), 0)
            with open(f"/proc/{current}/task/{current}/children", encoding="ascii") as f:
                todo += [int(child) for child in f.read().split()]
        except (OSError, ValueError):
            continue
    return total


class TreePeak:
    """Samples a process tree's summed RSS every 20 ms: the sync may run a second process."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak_kb = pid, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            self.peak_kb = max(self.peak_kb, _tree_rss_kb(self.pid))

    def stop(self) -> int:
        """Stop sampling; the peak in kB."""
        self._stop.set()
        self._thread.join()
        return self.peak_kb


def _child(argv: list[str], log: Path) -> tuple[float, float, float, int, str]:
    """Run a child: seconds, its peak RSS in MB (with its own children, running at the same
    time, summed), its CPU seconds (with the children it waited for), exit status, and its last
    stderr line."""
    err = log.with_suffix(".err")
    with log.open("wb") as out, err.open("wb") as errors:
        started = time.perf_counter()
        process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=errors)
        tree = TreePeak(process.pid) if sys.platform.startswith("linux") else None
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        sampled_kb = tree.stop() if tree else 0
    process.returncode = code = os.waitstatus_to_exitcode(status)
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS
    peak_mb = max(usage.ru_maxrss / scale, sampled_kb / 1024)
    lines = [ln for ln in err.read_text(errors="replace").splitlines() if ln.strip()]
    cpu = usage.ru_utime + usage.ru_stime
    return seconds, peak_mb, cpu, code, (lines[-1] if lines else "")


def ours(district: District, work: Path) -> Ours:
    """Connect a fresh data dir to the bundle, then time a full sync and an unchanged re-sync."""
    result = Ours()
    base = [*cli_command(), "--data-dir", str(work / "data")]
    steps = (
        ("connect", ["connect", "oneroster-csv", "--set", f"path={district.folder}"]),
        ("full sync", ["sync"]),
        ("unchanged re-sync", ["sync"]),
    )
    for name, args in steps:
        log = work / f"{name.replace(' ', '-')}.log"
        try:
            seconds, rss, cpu, code, last = _child([*base, *args], log)
        except OSError as error:
            result.error = f"{name}: could not start {base[0]}: {error}"
            return result
        if code != 0:
            result.error = f"{name} exited {code}: {last or 'no message'} (log: {log})"
            return result
        if name == "full sync":
            result.full, result.full_rss_mb, result.full_cpu = seconds, rss, cpu
        elif name == "unchanged re-sync":
            result.resync, result.resync_rss_mb = seconds, rss
    status = subprocess.run([*base, "status", "--json"], capture_output=True, text=True)
    try:
        result.stored = json.loads(status.stdout)["counts"]
    except (ValueError, KeyError, TypeError):
        result.stored = {}
    return result


def peer_sds(exe: str, sds: SdsDistrict, work: Path) -> float:
    """Seconds for the sqlite3 CLI's `.import --csv` of every SDS file into its own table."""
    db = work / "peer-sds.sqlite"
    script = "".join(f'.import --csv "{path}" "{path.stem}"\n' for path in sds.files)
    started = time.perf_counter()
    result = subprocess.run([exe, str(db)], input=script, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0 or result.stderr.strip():
        line = (result.stderr.strip().splitlines() or ["no message"])[0]
        raise StepFailed(f"sqlite3 .import of the SDS files exited {result.returncode}: {line}")
    loaded = _table_counts(db)
    for path in sds.files:
        if loaded.get(path.stem) != sds.counts.get(path.name):
            raise StepFailed(f"sqlite3 .import: {path.stem} has {loaded.get(path.stem)} rows")
    return seconds


def ours_sds(sds: SdsDistrict, work: Path) -> Ours:
    """Connect a fresh data dir to the SDS files (mapping sds-classic), then time a full sync."""
    result = Ours()
    base = [*cli_command(), "--data-dir", str(work / "data-sds")]
    connect = ["connect", "csv", "--set", f"path={sds.folder}", "--set", "mapping=sds-classic"]
    for name, args in (("SDS connect", connect), ("SDS full sync", ["sync"])):
        log = work / f"{name.replace(' ', '-')}.log"
        try:
            seconds, rss, cpu, code, last = _child([*base, *args], log)
        except OSError as error:
            result.error = f"{name}: could not start {base[0]}: {error}"
            return result
        if code != 0:
            result.error = f"{name} exited {code}: {last or 'no message'} (log: {log})"
            return result
        if name == "SDS full sync":
            result.full, result.full_rss_mb, result.full_cpu = seconds, rss, cpu
    status = subprocess.run([*base, "status", "--json"], capture_output=True, text=True)
    try:
        result.stored = json.loads(status.stdout)["counts"]
    except (ValueError, KeyError, TypeError):
        result.stored = {}
    return result
