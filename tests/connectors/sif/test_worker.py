"""Large reads parsed by a worker process: the same rows, errors and notes as in one process."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from connectors.base import ConnectorError
from connectors.sif.connector import SifConnector
from connectors.sif.parallel import ParallelSifFiles
from tests.helpers.sif import BOMB, read_all
from tests.helpers.sif_gen import District, message, rid, us_student, write_au, write_us


@pytest.fixture(autouse=True)
def two_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two workers for a read of several files, whatever the cores of the machine."""
    monkeypatch.setenv("DATASYNC_SIF_WORKERS", "2")


@pytest.fixture
def worker_always(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every read, however small, goes through worker processes."""
    monkeypatch.setenv("DATASYNC_SIF_WORKER_MIN_BYTES", "1")


@pytest.fixture
def worker_never(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every read is parsed in this process."""
    monkeypatch.setenv("DATASYNC_SIF_WORKER_MIN_BYTES", str(1 << 50))


def read_both(monkeypatch: pytest.MonkeyPatch, path: Path) -> tuple[dict, dict, list, list]:
    """Rows and warnings of a source read in one process, then through workers."""
    monkeypatch.setenv("DATASYNC_SIF_WORKER_MIN_BYTES", str(1 << 50))
    here = SifConnector({"path": str(path)})
    rows_here = read_all(here)
    monkeypatch.setenv("DATASYNC_SIF_WORKER_MIN_BYTES", "1")
    there = SifConnector({"path": str(path)})
    rows_there = read_all(there)
    return rows_here, rows_there, here.warnings, there.warnings


def test_worker_rows_match_one_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    us = write_us(tmp_path / "us", District(students=40, teachers=3, sections=3))
    (us / "event.xml").write_text(
        '<SIF_Message xmlns="http://www.sifinfo.org/infrastructure/2.x"><SIF_Event>'
        '<SIF_ObjectData><SIF_EventObject ObjectName="StudentPersonal" Action="Delete">'
        f'<StudentPersonal RefId="{rid("5", 99)}"/><StudentPersonal><LocalId>x</LocalId>'
        "</StudentPersonal></SIF_EventObject></SIF_ObjectData></SIF_Event></SIF_Message>"
    )
    here, there, warned_here, warned_there = read_both(monkeypatch, us)
    assert there == here and warned_there == warned_here
    assert any("without a RefId" in w for w in warned_there)
    here, there, _, _ = read_both(monkeypatch, write_au(tmp_path / "au", District(students=12)))
    assert there == here


def test_two_workers_keep_file_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = write_us(tmp_path / "us", District(students=30))
    for part in range(3):  # more students, in files of their own (a run for each worker)
        students = "".join(us_student(1000 * (part + 1) + i) for i in range(20 + 10 * part))
        (folder / f"students_more_{part}.xml").write_text(message(students))
    here, there, _, _ = read_both(monkeypatch, folder)
    assert there == here
    assert len(there["users"]) == 33 + 20 + 30 + 40


def test_worker_reads_a_zip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = write_us(tmp_path / "us", District(students=8))
    archive = tmp_path / "sif.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for f in sorted(folder.iterdir()):
            zf.write(f, f"export/{f.name}")
    here, there, _, _ = read_both(monkeypatch, archive)
    assert there == here
    assert there["users"][0]["_where"].startswith("sif.zip/export/")


@pytest.mark.usefixtures("worker_always")
def test_worker_refusal_is_the_same_line(tmp_path: Path) -> None:
    folder = write_us(tmp_path / "us", District(students=3))
    (folder / "zz_bomb.xml").write_text(BOMB)
    with pytest.raises(ConnectorError) as info:
        read_all(SifConnector({"path": str(folder)}))
    assert "XML bomb" in info.value.message and "refused" in info.value.message
    assert (info.value.where or "").startswith("zz_bomb.xml:")


@pytest.mark.usefixtures("worker_always")
def test_worker_ends_when_the_read_stops_early(tmp_path: Path) -> None:
    folder = write_us(tmp_path / "us", District(students=3000))
    files = ParallelSifFiles(str(folder))
    objects = files.objects({"StudentPersonal"})
    next(objects)
    (worker,) = files._workers
    objects.close()
    assert worker.proc.poll() is not None and not files._workers
    objects = files.objects({"StudentPersonal"})
    next(objects)
    (worker,) = files._workers
    files.close()
    assert worker.proc.poll() is not None and not files._workers


@pytest.mark.usefixtures("worker_always")
def test_worker_that_cannot_start_falls_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_us(tmp_path / "us", District(students=5))
    monkeypatch.setattr("sys.executable", str(tmp_path / "no-such-python"))
    connector = SifConnector({"path": str(folder)})
    rows = read_all(connector)
    assert len(rows["users"]) == 8
    assert any("parsing in one process" in w for w in connector.warnings)


@pytest.mark.usefixtures("worker_always")
def test_files_are_dealt_out_by_size_in_turn(tmp_path: Path) -> None:
    folder = tmp_path / "f"
    folder.mkdir()
    for name, size in (("a.xml", 10), ("b.xml", 10), ("c.xml", 30), ("d.xml", 10), ("e.xml", 10)):
        (folder / name).write_text("<x>" + " " * size + "</x>")
    files = ParallelSifFiles(str(folder))
    names = files.names()
    assert files._deal(names, 2) == [["a.xml", "c.xml"], ["b.xml", "d.xml", "e.xml"]]
    assert files._deal(names, 3) == [["a.xml", "d.xml"], ["b.xml", "e.xml"], ["c.xml"]]
    assert files._deal(["a.xml"], 2) == [["a.xml"]]


@pytest.mark.usefixtures("worker_never")
def test_small_reads_stay_in_process(tmp_path: Path) -> None:
    files = ParallelSifFiles(str(write_us(tmp_path / "us", District(students=5))))
    objects = files.objects({"StudentPersonal"})
    next(objects)
    assert not files._workers
    objects.close()
