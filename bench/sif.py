"""`python -m bench.sif --scale small|full [--rounds N]`: SIF StudentPersonal files, CLI sync.

Times a bare defusedxml ElementTree.iterparse pass over the files, then `datasync-tui sync` of
the same files (parsed, mapped and stored), in turn for N rounds (3 unless told); prints each
round, the medians, their ratio (target ≤ 2×) and the sync's peak RSS (target ≤ 300 MB; with
its parse worker processes, summed). On two or more cores the sync parses in worker processes
beside the one that maps and stores: its CPU time is printed too.
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
from pathlib import Path

import defusedxml.ElementTree as DET

from connectors.common.tuning import tuning

from .runs import TreePeak

OUT = Path(__file__).resolve().parent / "out"
SCALES = {"small": 10_000, "full": 100_000}
PER_FILE = 10_000
NS = "http://www.sifinfo.org/infrastructure/2.x"
TARGET_RATIO = 2.0
ROUNDS = 3
TARGET_RSS_MB = 300


def rid(prefix: str, n: int) -> str:
    """A SIF 2.x RefId: 32 upper-case hex digits."""
    return f"{prefix}{n:0{32 - len(prefix)}X}"


def envelope(body: str, packet: int = 1, more: bool = False) -> str:
    """SIF 2.x objects in a SIF_Message / SIF_Response packet."""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<SIF_Message xmlns="{NS}" Version="2.0r1">'
        "<SIF_Response><SIF_Header><SIF_MsgId>BENCH</SIF_MsgId><SIF_SourceId>SIS</SIF_SourceId>"
        f"</SIF_Header><SIF_RequestMsgId>R1</SIF_RequestMsgId><SIF_PacketNumber>{packet}"
        f"</SIF_PacketNumber><SIF_MorePackets>{'Yes' if more else 'No'}</SIF_MorePackets>"
        f"<SIF_ObjectData>\n{body}</SIF_ObjectData></SIF_Response></SIF_Message>\n"
    )


def student(i: int) -> str:
    """One StudentPersonal as a SIS sends it (ids, name, demographics, email, phone)."""
    return (
        f'<StudentPersonal RefId="{rid("5", i)}">\n  <LocalId>S{i:07d}</LocalId>\n'
        f"  <StateProvinceId>ST{i:08d}</StateProvinceId>\n"
        f'  <ElectronicIdList><ElectronicId Type="Barcode">{900000 + i}</ElectronicId>'
        "</ElectronicIdList>\n"
        f'  <Name Type="04"><LastName>Family{i}</LastName><FirstName>Given{i}</FirstName>'
        f"<MiddleName>M</MiddleName><PreferredName>G{i}</PreferredName></Name>\n"
        f"  <Demographics><Gender>{'MF'[i % 2]}</Gender><BirthDate>2010-0{1 + i % 9}-1{i % 10}"
        "</BirthDate></Demographics>\n"
        f'  <EmailList><Email Type="Primary">student{i}@district.example.org</Email></EmailList>\n'
        f'  <PhoneNumberList><PhoneNumber Type="0096"><Number>(555) 555-{i % 10000:04d}</Number>'
        "</PhoneNumber></PhoneNumberList>\n  <OnTimeGraduationYear>2030</OnTimeGraduationYear>\n"
        "</StudentPersonal>\n"
    )


def school_file() -> str:
    """The district around the students: LEA, school, term, course, a section and its teacher."""
    lea, school, term, course, section = (rid(p, 1) for p in "12346")
    teacher = rid("7", 1)
    return envelope(
        f'<LEAInfo RefId="{lea}"><LocalId>D1</LocalId><LEAName>Bench USD</LEAName></LEAInfo>\n'
        f'<SchoolInfo RefId="{school}"><SchoolName>Bench High</SchoolName>'
        f"<LEAInfoRefId>{lea}</LEAInfoRefId></SchoolInfo>\n"
        f'<TermInfo RefId="{term}" SchoolInfoRefId="{school}" SchoolYear="2027">'
        "<StartDate>2026-08-15</StartDate><EndDate>2027-06-10</EndDate></TermInfo>\n"
        f'<SchoolCourseInfo RefId="{course}" SchoolInfoRefId="{school}"><CourseCode>ALG1'
        "</CourseCode><CourseTitle>Algebra I</CourseTitle></SchoolCourseInfo>\n"
        f'<SectionInfo RefId="{section}" SchoolCourseInfoRefId="{course}">'
        f'<ScheduleInfo TermInfoRefId="{term}"><Teacher StaffPersonalRefId="{teacher}"/>'
        "</ScheduleInfo></SectionInfo>\n"
        f'<StaffPersonal RefId="{teacher}"><Name Type="04"><LastName>Teach</LastName>'
        "<FirstName>Pat</FirstName></Name></StaffPersonal>\n"
        f'<StudentSectionEnrollment RefId="{rid("A", 1)}" StudentPersonalRefId="{rid("5", 0)}" '
        f'SectionInfoRefId="{section}"><EntryDate>2026-08-15</EntryDate>'
        "</StudentSectionEnrollment>\n"
    )


def generate(scale: str) -> Path:
    """Write (once) the district and its StudentPersonal packets; return the folder."""
    total = SCALES[scale]
    folder = OUT / f"sif-{scale}"
    stamp = folder / ".complete"
    if stamp.exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    (folder / "district.xml").write_text(school_file(), encoding="utf-8")
    packets = (total + PER_FILE - 1) // PER_FILE
    for p in range(packets):
        body = "".join(student(i) for i in range(p * PER_FILE, min((p + 1) * PER_FILE, total)))
        text = envelope(body, p + 1, p + 1 < packets)
        (folder / f"students_{p + 1:03d}.xml").write_text(text, encoding="utf-8")
    stamp.touch()
    return folder


def files_of(folder: Path) -> list[Path]:
    """The XML files of the data set."""
    return sorted(folder.glob("*.xml"))


def baseline(folder: Path) -> tuple[float, int]:
    """A bare defusedxml iterparse pass (objects cleared as they end): seconds, objects."""
    started = time.perf_counter()
    count = 0
    for path in files_of(folder):
        for _event, elem in DET.iterparse(str(path), events=("end",)):
            if elem.tag.endswith("}StudentPersonal"):
                count += 1
                elem.clear()
    return time.perf_counter() - started, count


def cli(data_dir: Path, *args: str) -> list[str]:
    """The command line of `datasync-tui --data-dir DIR ARGS…`."""
    return [sys.executable, "-m", "datasync_tui.cli", "--data-dir", str(data_dir), *args]


def timed_sync(data_dir: Path) -> tuple[float, float, float]:
    """Run `sync` as a child process: seconds, CPU seconds (with its parse workers) and peak
    RSS in MB (the sync and its parse workers running at the same time, summed)."""
    env = {k: v for k, v in os.environ.items() if k != "DATASYNC_HOME"}
    started = time.perf_counter()
    child = subprocess.Popen(
        cli(data_dir, "sync"), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    tree = TreePeak(child.pid) if sys.platform.startswith("linux") else None
    _pid, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    sampled_kb = tree.stop() if tree else 0
    out, err = child.stdout.read(), child.stderr.read()  # type: ignore[union-attr]
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"sync failed: {err.decode(errors='replace') or out.decode()}")
    cpu = usage.ru_utime + usage.ru_stime
    return elapsed, cpu, max(usage.ru_maxrss / 1024, sampled_kb / 1024)


def main(argv: list[str] | None = None) -> int:
    """Generate, time the baseline and the sync, print the figures; 0 when targets are met."""
    parser = argparse.ArgumentParser(prog="python -m bench.sif", description=__doc__)
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="rounds of both contenders")
    args = parser.parse_args(argv)
    folder = generate(args.scale)
    size = sum(p.stat().st_size for p in files_of(folder)) / 1e6
    print(f"sif bench ({args.scale}): {SCALES[args.scale]:,} StudentPersonal, {size:.0f} MB")
    for path in files_of(folder):  # warm the page cache for both contenders
        path.read_bytes()
    bases: list[float] = []
    syncs: list[tuple[float, float, float]] = []
    objects = 0
    for n in range(1, max(1, args.rounds) + 1):  # interleaved: drifting speed hits both alike
        work = Path(tempfile.mkdtemp(prefix="sif-run-", dir=OUT))
        try:
            connect = subprocess.run(
                cli(work, "connect", "sif", "--set", f"path={folder}"),
                capture_output=True,
                text=True,
            )
            if connect.returncode != 0:
                print(connect.stdout + connect.stderr, file=sys.stderr)
                return 1
            base_s, objects = baseline(folder)
            bases.append(base_s)
            syncs.append(timed_sync(work))
        finally:
            shutil.rmtree(work, ignore_errors=True)
        print(f"  round {n}: iterparse {base_s:.2f} s, sync {syncs[-1][0]:.2f} s", flush=True)
    base_s = statistics.median(bases)
    sync_s = statistics.median(s for s, _, _ in syncs)
    cpu_s = statistics.median(c for _, c, _ in syncs)
    rss = max(r for _, _, r in syncs)
    ratio = sync_s / base_s
    print(f"  medians of {len(syncs)} rounds:")
    print(f"  iterparse (defusedxml), bare pass: {base_s:7.2f} s  {objects / base_s:9,.0f} obj/s")
    print(f"  datasync-tui sync (parse+map+store): {sync_s:5.2f} s  {objects / sync_s:9,.0f} obj/s")
    tuned = tuning()
    workers = tuned.sif_workers if size * 1e6 >= tuned.sif_worker_min_bytes else 0
    print(f"    ({cpu_s:.2f} s CPU, {workers} parse worker process(es) beside the sync)")
    ok_ratio, ok_rss = ratio <= TARGET_RATIO, rss <= TARGET_RSS_MB
    print(f"  ratio: {ratio:.2f}x (target <= {TARGET_RATIO:.0f}x) {'ok' if ok_ratio else 'MISSED'}")
    rss_note = "ok" if ok_rss else "MISSED"
    limit = f"target <= {TARGET_RSS_MB} MB"
    print(f"  sync peak RSS, its workers included: {rss:.0f} MB ({limit}) {rss_note}")
    if hasattr(os, "getloadavg"):  # other work on the machine slows a two-process sync most
        print(f"  load average (1 min) after the run: {os.getloadavg()[0]:.1f}")
    return 0  # a missed target is reported above; non-zero only when a step fails to run


if __name__ == "__main__":
    sys.exit(main())
