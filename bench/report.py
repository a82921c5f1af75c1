"""The benchmark's printed table, ratios and targets."""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass

from datasync_tui.store import sqlite

from .district import District
from .runs import Ours

TARGET_PEER = 2.0
AIM_PEER = 1.5
TARGET_RSS_MB = 300.0
TARGET_RESYNC = 0.5


@dataclass
class Results:
    """Everything one benchmark run measured."""

    scale: str
    district: District
    peer: float | None
    peer_note: str | None
    baseline: float | None
    ours: Ours  # the medians of the rounds, the highest peak RSS
    cli_version: str | None
    rounds: int = 1
    reference: float | None = None  # issue #2's recommended design, in one process
    sds: Ours | None = None  # the mapped CSV (SDS classic) full sync of the same district
    sds_peer: float | None = None  # the sqlite3 CLI's .import of the SDS files
    sds_counts: dict[str, int] | None = None  # rows per SDS file


def _cpu() -> str:
    """The CPU model name, when the OS says it."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.machine()


def machine_line(cli_version: str | None) -> str:
    """Cores, CPU, Python and SQLite versions."""
    cli = f", sqlite3 CLI {cli_version}" if cli_version else ""
    load = f", load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    return (
        f"machine: {os.cpu_count()} cores ({_cpu()}), Python {platform.python_version()}, "
        f"SQLite {sqlite.version()}{cli}{load}"
    )


def _secs(value: float | None) -> str:
    """Seconds, or a dash when not measured."""
    return f"{value:8.2f}" if value is not None else "       —"


def _ratio(top: float | None, bottom: float | None) -> float | None:
    """top / bottom when both were measured."""
    return top / bottom if top is not None and bottom else None


def _mark(ok: bool | None) -> str:
    """✓, ✗, or ? when it could not be measured."""
    return "?" if ok is None else ("✓" if ok else "✗")


def render(results: Results) -> str:
    """The whole report as text."""
    d, o = results.district, results.ours
    users, enrollments = d.counts.get("users", 0), d.counts.get("enrollments", 0)
    made = f"generated in {d.seconds:.1f} s" if d.seconds is not None else "reused"
    lines = [
        f"DataSync TUI benchmark, scale {results.scale}: {users:,} users, "
        f"{enrollments:,} enrollments, {sum(d.counts.values()):,} rows in "
        f"{len(d.files)} CSV files ({d.size_mb:.0f} MB), OneRoster 1.1",
        f"district: {d.folder} ({made})",
        machine_line(results.cli_version),
        "",
        f"{'step (median of ' + str(results.rounds) + ' rounds)':44} {'seconds':>8}  ratios",
    ]
    vs_peer, vs_base = _ratio(o.full, results.peer), _ratio(o.full, results.baseline)
    resync = _ratio(o.resync, o.full)
    cores = os.cpu_count() or 1
    # The least time this much work could take, were it spread perfectly over every core.
    floor = o.full_cpu / cores if o.full_cpu is not None else None
    vs_ref = _ratio(results.reference, results.peer)
    rows = [
        ("peer: sqlite3 CLI .import --csv", results.peer, results.peer_note or ""),
        ("baseline: csv.reader + executemany, no index", results.baseline, ""),
        ("reference: + unique keys, 5 indexes after", results.reference,
         f"{vs_ref:.2f}× peer (issue #2's design, one process)" if vs_ref is not None else ""),
        ("ours: full sync (datasync-tui sync)", o.full,
         ", ".join(f"{r:.2f}× {name}" for r, name in ((vs_peer, "peer"), (vs_base, "baseline"))
                   if r is not None)),
        ("ours: CPU time of the full sync / cores", floor,
         f"{_ratio(floor, results.peer):.2f}× peer at best on {cores} cores "
         f"({o.full_cpu:.1f} CPU-s in all)" if floor is not None and results.peer else ""),
        ("ours: unchanged re-sync", o.resync,
         f"{resync:.2f}× full sync" if resync is not None else ""),
    ]  # fmt: skip
    lines += [f"{name:44} {_secs(value)}  {note}".rstrip() for name, value, note in rows]
    if o.full_rss_mb is not None:
        again = f", re-sync {o.resync_rss_mb:.0f} MB" if o.resync_rss_mb is not None else ""
        label = "ours: peak RSS (all processes), full sync"
        lines.append(f"{label:44} {o.full_rss_mb:5.0f} MB{again}")
    if o.error:
        lines.append(f"ours: not measured: {o.error}")
    elif o.stored:
        differ = {k: (o.stored.get(k), v) for k, v in d.counts.items() if o.stored.get(k) != v}
        lines.append(
            "ours: stored counts match the bundle"
            if not differ
            else "ours: stored counts differ (stored, bundle): "
            + ", ".join(f"{k} {a} vs {b}" for k, (a, b) in differ.items())
        )
    peaks = [rss for rss in (o.full_rss_mb, o.resync_rss_mb) if rss is not None]
    peak = max(peaks) if peaks else None
    rss_ok = None if peak is None else peak <= TARGET_RSS_MB
    lines += [
        "",
        "targets",
        f"  {_mark(None if vs_peer is None else vs_peer <= TARGET_PEER)} full sync ≤ "
        f"{TARGET_PEER:.1f}× the sqlite3 CLI (aim {AIM_PEER:.1f}×): "
        + (f"{vs_peer:.2f}×" if vs_peer is not None else "not measured"),
        f"  {_mark(rss_ok)} peak RSS ≤ {TARGET_RSS_MB:.0f} MB (either sync): "
        + (f"{peak:.0f} MB" if peak is not None else "not measured"),
        f"  {_mark(None if resync is None else resync <= TARGET_RESYNC)} unchanged re-sync ≤ "
        f"{TARGET_RESYNC:.1f}× the full sync: "
        + (f"{resync:.2f}×" if resync is not None else "not measured"),
    ]
    return "\n".join(lines + _sds_lines(results))


def _sds_lines(results: Results) -> list[str]:
    """The mapped CSV (SDS classic) full sync of the same district, beside the figures above."""
    sds = results.sds
    if sds is None:
        return []
    rows = sum((results.sds_counts or {}).values())
    head = f"the same district as Microsoft SDS classic CSV ({rows:,} rows in 6 files)"
    if sds.error or sds.full is None:
        return ["", f"{head}: not measured: {sds.error}"]
    ratios = [
        f"{r:.2f}× {name}"
        for r, name in (
            (_ratio(sds.full, results.peer), "the sqlite3 CLI"),
            (_ratio(sds.full, results.ours.full), "the OneRoster CSV sync"),
        )
        if r is not None
    ]
    cli = ""
    if results.sds_peer is not None:
        own = _ratio(sds.full, results.sds_peer)
        cli = f"; the CLI's .import of the SDS files {results.sds_peer:.2f} s ({own:.2f}×)"
    cpu = f"{sds.full_cpu:.1f} CPU-s" if sds.full_cpu is not None else "CPU not measured"
    rss = f", peak RSS {sds.full_rss_mb:.0f} MB" if sds.full_rss_mb is not None else ""
    stored = ", ".join(f"{k} {v:,}" for k, v in sds.stored.items() if v)
    return [
        "",
        f"{head}, median of {results.rounds} rounds:",
        f"mapped CSV (SDS) full sync: {sds.full:.2f} s, " + ", ".join(ratios),
        f"  ({cpu}{rss}{cli})",
        f"  stored: {stored or 'nothing'}",
    ]
