"""Small hostile CSV bundles cost bounded memory and disk, end in one clear line or a bounded
warning, and keep the previous data (issue 15: a long line, repeats by the million, a header of
100k columns)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from datasync_tui.store import sqlite
from tests.helpers.bundles import HEADERS_11, csv_text, district, manifest, write_bundle
from tests.helpers.peak import run_measured

PEAK_MB = 300


def zipped(target: Path, files: dict[str, bytes]) -> Path:
    """A zip of the district with some files replaced (written streaming, compressed)."""
    rows = district()
    contents: dict[str, bytes] = {
        f"{t}.csv": csv_text(HEADERS_11[t], r).encode() for t, r in rows.items()
    }
    contents.update(files)
    contents["manifest.csv"] = manifest({k: "" for k in contents}, "bulk").encode()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, data in contents.items():
            zf.writestr(name, data)
    return target


def test_a_line_of_200_mb_in_a_small_zip_is_refused_located(tmp_path: Path) -> None:
    head = HEADERS_11["users"].encode() + b"\n"
    bomb = zipped(tmp_path / "b.zip", {"users.csv": head + b"u1,," + b"x" * (200 << 20) + b"\n"})
    assert bomb.stat().st_size < 1 << 20
    home = tmp_path / "home"
    ok = write_bundle(tmp_path / "good")
    assert run_measured(home, "connect", "oneroster-csv", "--set", f"path={ok}").returncode == 0
    assert run_measured(home, "sync").returncode == 0
    for args in (("connect", "oneroster-csv", "--set", f"path={bomb}"), ("sync",)):
        if args[0] == "sync":  # point the saved connection at the bomb, as a changed export
            (tmp_path / "good").rename(tmp_path / "old")
            with zipfile.ZipFile(bomb) as zf:
                zf.extractall(tmp_path / "good")
        done = run_measured(home, *args)
        assert done.returncode != 0, args
        assert done.peak_mb < PEAK_MB, (args, done.peak_mb)
        assert "users.csv:2: a line over 16 MiB" in done.stderr, done.stderr
    with sqlite.connect(home / "datasync.db") as db:  # the first sync's data stands
        assert db.execute("SELECT count(*) FROM users").fetchone()[0] == 21


def test_a_million_repeated_ids_keep_100_examples_and_the_total(tmp_path: Path) -> None:
    rows = district()
    first = rows["enrollments"][0]
    head = HEADERS_11["enrollments"].encode() + b"\n"
    body = csv_text(HEADERS_11["enrollments"], rows["enrollments"]).encode().split(b"\n", 1)[1]
    again = "".join(f"dup{k},,,{first[3]},s1,{first[5]},student,,,\n" for k in range(1000)).encode()
    bundle = zipped(tmp_path / "b.zip", {"enrollments.csv": head + body + again * 1000})
    assert bundle.stat().st_size < 1 << 20
    home = tmp_path / "home"
    assert run_measured(home, "connect", "oneroster-csv", "--set", f"path={bundle}").returncode == 0
    done = run_measured(home, "sync")
    assert done.returncode == 0, done.stderr
    assert done.peak_mb < PEAK_MB, done.peak_mb
    sizes = []
    for _ in range(2):
        assert run_measured(home, "sync").returncode == 0
        sizes.append(sum(f.stat().st_size for f in home.glob("datasync.db*")))
    with sqlite.connect(home / "datasync.db") as db:
        runs = db.execute("SELECT id FROM sync_runs ORDER BY id").fetchall()
        for (run,) in runs:
            found = db.execute(
                "SELECT count(*), sum(times) FROM sync_findings WHERE run_id = ?", (run,)
            ).fetchone()
            assert found == (100, 100 * 1000)  # 100 examples of the 1,000 ids, each 1,000 times
        (count,) = db.execute(
            "SELECT count FROM validation_results WHERE rule = 'duplicate-sourcedid' "
            "ORDER BY run_id DESC LIMIT 1"
        ).fetchone()
        assert count == 1000  # every repeated sourcedId counted, not only the examples
    assert sizes[1] - sizes[0] < 256 << 10  # a re-sync adds a few pages, not a row per repeat


def test_100k_extra_columns_are_capped_with_a_warning(tmp_path: Path) -> None:
    rows = district()
    extra = [f"metadata.x{k}" for k in range(100_000)]
    head = HEADERS_11["users"] + "," + ",".join(extra)
    users = csv_text(head, [r + ["v"] * len(extra) for r in rows["users"]])
    bundle = zipped(tmp_path / "b.zip", {"users.csv": users.encode()})
    home = tmp_path / "home"
    connected = run_measured(home, "connect", "oneroster-csv", "--set", f"path={bundle}")
    assert connected.returncode == 0, connected.stderr
    done = run_measured(home, "sync")
    assert done.returncode == 0, done.stderr
    assert done.peak_mb < PEAK_MB, done.peak_mb
    assert "100,000 extra columns; the first 200 are kept" in done.stdout + done.stderr
    with sqlite.connect(home / "datasync.db") as db:
        (extras,) = db.execute("SELECT extras FROM users WHERE sourcedId = 'stu0'").fetchone()
    assert extras.count('"metadata.x') == 200
