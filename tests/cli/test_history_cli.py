"""`history`, `changes` and `rollback` on the command line: output, JSON shapes, exit codes."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from datasync_tui import cli as cli_main
from datasync_tui import pause
from datasync_tui.sync import run_sync
from datasync_tui.sync.lock import FileLock
from tests.helpers.bundles import district, write_bundle
from tests.helpers.cli import CliRunner
from tests.helpers.sync import (
    FORMULA,
    GIVEN,
    changed_district,
    connect_bundle,
    held_sync,
    rows_of,
    snapshot,
    two_syncs,
)

RUN_KEYS = {"id", "started_at", "finished_at", "status", "changes", "issues"}
CHANGE_KEYS = {"topic", "sourcedId", "change", "fields", "previous_sourcedId"}


def test_history_lists_every_sync_newest_first(
    tmp_path: Path, cli: CliRunner, data_dir: Path
) -> None:
    dd, rows, bundle = two_syncs(tmp_path, data_dir)
    held = held_sync(dd, rows, bundle)
    doc = json.loads(cli("history", "--json").stdout)
    assert [r["id"] for r in doc["runs"]] == [held, 2, 1]
    assert all(set(r) == RUN_KEYS for r in doc["runs"])
    second = doc["runs"][1]
    assert second["status"] == "succeeded" and isinstance(second["issues"], int)
    assert second["changes"]["users"] == {"added": 1, "updated": 3, "removed": 0, "rekeyed": 1}
    assert set(second["changes"]["orgs"]) == {"added", "updated", "removed", "rekeyed"}
    assert doc["runs"][0]["status"] == "held" and doc["runs"][0]["issues"] is None
    out = cli("history")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[1].startswith(f"#{held} ") and "held" in lines[1]
    assert "users −20" in lines[1] and "waiting for Apply or Discard" in lines[1]
    assert "command line" in lines[2] and "users +1 ~3 ⇄1" in lines[2]
    assert "Times are local" in lines[-1]


def test_history_says_rollbacks_and_what_they_undid(
    tmp_path: Path, cli: CliRunner, data_dir: Path
) -> None:
    two_syncs(tmp_path, data_dir)
    assert cli("rollback", "1", "--yes").returncode == 0
    out = cli("history").stdout.splitlines()
    assert out[1].startswith("#3 ") and "[rolled back to #1]" in out[1]
    assert out[2].startswith("#2 ") and "[undone by #3]" in out[2]
    assert "PAUSED: scheduled syncs paused until `datasync-tui resume`" in out[-2]


def test_history_of_nothing(cli: CliRunner, data_dir: Path, tmp_path: Path) -> None:
    missing = cli("--data-dir", str(tmp_path / "nowhere"), "history")
    assert missing.returncode == 2 and "no data in" in missing.stderr
    assert not (tmp_path / "nowhere").exists()
    empty = cli("history")
    assert empty.returncode == 2 and "nothing synced yet" in empty.stderr
    assert len(empty.stderr.strip().splitlines()) == 1


def test_changes_lists_the_planted_changes_exactly(
    tmp_path: Path, cli: CliRunner, data_dir: Path
) -> None:
    two_syncs(tmp_path, data_dir)
    out = cli("changes", "--json", "--topic", "users")  # default: the last applied sync
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["run"] == 2 and doc["status"] == "succeeded"
    assert all(set(c) == CHANGE_KEYS for c in doc["changes"])
    assert doc["changes"] == [
        {"topic": "users", "sourcedId": "stu3-r1", "change": "rekeyed", "fields": None,
         "previous_sourcedId": "stu3"},
        {"topic": "users", "sourcedId": "n1", "change": "added", "fields": None,
         "previous_sourcedId": None},
        {"topic": "users", "sourcedId": "stu0", "change": "updated",
         "fields": {"givenName": ["Ann0", "Ann-1"]}, "previous_sourcedId": None},
        {"topic": "users", "sourcedId": "stu1", "change": "updated",
         "fields": {"email": ["ann1.smith@students.lincoln.org", "ann1.1@students.lincoln.org"]},
         "previous_sourcedId": None},
        {"topic": "users", "sourcedId": "stu5", "change": "updated",
         "fields": {"givenName": ["Ann5", FORMULA]}, "previous_sourcedId": None},
    ]  # fmt: skip
    every = json.loads(cli("changes", "2", "--json").stdout)["changes"]
    assert {c["topic"] for c in every} == {"users", "roles", "classes", "enrollments"}
    assert (
        len(every) == 5 + 3 + 1 + 5
    )  # users, roles (two added, one removed), a class, enrollments
    text = cli("changes", "#2", "--topic", "users").stdout.splitlines()
    assert text[0].startswith("Sync #2, succeeded, started ") and "(only users)" in text[0]
    assert "by command line" in text[0] and text[0].endswith("users +1 ~3 ⇄1")
    assert any("rekeyed  stu3-r1" in line and "was stu3" in line for line in text)
    assert any('givenName "Ann0" → "Ann-1"' in line for line in text)
    assert any("added    n1" in line and "n1@x.org" in line for line in text)  # from the store


def test_changes_defaults_to_the_held_sync(tmp_path: Path, cli: CliRunner, data_dir: Path) -> None:
    dd, rows, bundle = two_syncs(tmp_path, data_dir)
    held = held_sync(dd, rows, bundle)
    out = cli("changes")
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[1] == (
        "Held: nothing applied yet; these are the changes Apply would make."
    )
    doc = json.loads(cli("changes", "--json").stdout)
    assert doc["run"] == held and doc["status"] == "held"
    assert {(c["topic"], c["change"]) for c in doc["changes"]} == {
        ("users", "removed"),
        ("roles", "removed"),
    }
    assert len(doc["changes"]) == 40


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["99"], "there is no sync #99; `datasync-tui history` lists them"),
        (["two"], "RUN 'two': expected a sync number"),
        (["2", "--topic", "pupils"], "--topic 'pupils': not a topic; one of orgs,"),
        (["2", "--export", "out.xlsx"], "the file name must end in .csv or .json"),
    ],
)
def test_changes_refuses_bad_input_in_one_line(
    tmp_path: Path, cli: CliRunner, data_dir: Path, args: list[str], said: str
) -> None:
    two_syncs(tmp_path, data_dir)
    out = cli("changes", *args)
    assert out.returncode == 2
    assert out.stdout == "" and len(out.stderr.strip().splitlines()) == 1
    assert said in out.stderr


def test_changes_of_a_pruned_sync_exit_2(tmp_path: Path, cli: CliRunner, data_dir: Path) -> None:
    rows = district()
    bundle = write_bundle(tmp_path / "b", rows)
    dd = connect_bundle(data_dir, bundle, keep_syncs="2")
    for k in range(4):
        rows["users"][1][GIVEN] = f"Ann{k}"
        write_bundle(bundle, rows)
        run_sync(dd)
    out = cli("changes", "1")
    assert out.returncode == 2
    assert "the changes of sync #1 were pruned" in out.stderr and "(from #3 on)" in out.stderr
    assert cli("changes", "3", "--json").returncode == 0
    doc = json.loads(cli("history", "--json").stdout)
    assert [r["id"] for r in doc["runs"]] == [4, 3, 2, 1]  # the runs stay, only their logs go


def test_changes_of_a_failed_sync_say_it_changed_nothing(
    tmp_path: Path, cli: CliRunner, data_dir: Path
) -> None:
    dd, _, bundle = two_syncs(tmp_path, data_dir)
    shutil.rmtree(bundle)  # the export is gone: the sync fails, the data stays
    failed = run_sync(dd)
    assert failed.status == "failed"
    out = cli("changes", str(failed.run_id))
    assert out.returncode == 0
    assert "it changed nothing (previous data kept)" in out.stdout
    doc = json.loads(cli("changes", str(failed.run_id), "--json").stdout)
    assert doc == {"run": failed.run_id, "status": "failed", "changes": []}


def test_changes_export_csv_and_json(tmp_path: Path, cli: CliRunner, data_dir: Path) -> None:
    two_syncs(tmp_path, data_dir)
    target = tmp_path / "out" / "changes.csv"
    target.parent.mkdir()
    out = cli("changes", "2", "--export", str(target))
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[-1] == f"Exported 14 changes to {target}"
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: spreadsheets read accents right
    table = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert table[0] == ["run", "topic", "sourcedId", "change", "previous_sourcedId", "field",
                        "before", "after"]  # fmt: skip
    assert ["2", "users", "stu5", "updated", "", "givenName", "Ann5", "'" + FORMULA] in table
    assert ["2", "users", "stu3-r1", "rekeyed", "stu3", "", "", ""] in table
    as_json = tmp_path / "out" / "changes.json"
    both = cli("changes", "2", "--json", "--topic", "users", "--export", str(as_json))
    assert json.loads(as_json.read_text()) == json.loads(both.stdout)
    assert both.stderr.strip() == f"Exported 5 changes to {as_json}"
    assert json.loads(as_json.read_text())["changes"][4]["fields"]["givenName"][1] == FORMULA


def test_an_export_makes_no_folder(tmp_path: Path, cli: CliRunner, data_dir: Path) -> None:
    two_syncs(tmp_path, data_dir)
    out = cli("changes", "--export", str(tmp_path / "typo" / "changes.csv"))
    assert out.returncode == 2
    assert "no such folder (an export creates none" in out.stderr
    assert not (tmp_path / "typo").exists()


def test_rollback_without_a_terminal_needs_yes(
    tmp_path: Path, cli: CliRunner, data_dir: Path
) -> None:
    dd, _, _ = two_syncs(tmp_path, data_dir)
    before = snapshot(dd)
    out = cli("rollback", "1", stdin=__import__("subprocess").DEVNULL)
    assert out.returncode == 2
    assert out.stderr.strip() == (
        "datasync-tui: rollback: not on a terminal, so nothing was asked: pass --yes to roll "
        "back to sync #1 (undoing #2)"
    )
    assert snapshot(dd) == before and pause.paused(dd) is None


def test_rollback_yes_restores_and_pauses(tmp_path: Path, cli: CliRunner, data_dir: Path) -> None:
    rows = district(students=40)
    bundle = write_bundle(tmp_path / "b", rows)
    dd = connect_bundle(data_dir, bundle)
    run_sync(dd)
    after_first = snapshot(dd)
    changed_district(rows, 1)
    write_bundle(bundle, rows)
    run_sync(dd, force=True)
    out = cli("rollback", "1", "--yes")
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == [
        "Rolled back to sync #1, recorded as sync #3: classes ~1 · users ~2 −1 ⇄1 · "
        "roles +1 −2 · enrollments +1 ~4.",
        "Scheduled syncs are now paused (the source still holds what was undone). Fix it in "
        "the SIS, then resume them with `datasync-tui resume`.",
    ]
    assert snapshot(dd) == after_first
    assert pause.paused(dd) is not None
    assert json.loads(cli("status", "--json").stdout)["paused"] == {"until": None}
    again = cli("rollback", "2", "--yes")
    assert again.returncode == 2
    assert "sync #2 was never applied as it stands (undone by #3)" in again.stderr
    assert cli("rollback", "3", "--yes").stdout.startswith("Sync #3 is what the store holds now")


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["7", "--yes"], "there is no sync #7"),
        (["x", "--yes"], "RUN 'x': expected a sync number"),
    ],
)
def test_rollback_refuses_unknown_syncs(
    tmp_path: Path, cli: CliRunner, data_dir: Path, args: list[str], said: str
) -> None:
    two_syncs(tmp_path, data_dir)
    out = cli("rollback", *args)
    assert out.returncode == 2 and said in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def test_rollback_past_the_kept_history_exit_2(
    tmp_path: Path, cli: CliRunner, data_dir: Path
) -> None:
    rows = district()
    bundle = write_bundle(tmp_path / "b", rows)
    dd = connect_bundle(data_dir, bundle, keep_syncs="2")
    for k in range(4):
        rows["users"][1][GIVEN] = f"Ann{k}"
        write_bundle(bundle, rows)
        run_sync(dd)
    out = cli("rollback", "1", "--yes")
    assert out.returncode == 2 and "older than the history kept" in out.stderr


def test_rollback_while_a_sync_runs_exit_5(tmp_path: Path, cli: CliRunner, data_dir: Path) -> None:
    dd, _, _ = two_syncs(tmp_path, data_dir)
    before = snapshot(dd)
    with FileLock(dd.sync_lock):
        out = cli("rollback", "1", "--yes")
    assert out.returncode == 5
    assert "another sync is running in this data dir" in out.stderr
    assert snapshot(dd) == before


def test_rollback_on_a_terminal_shows_what_it_undoes_and_asks(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    dd, rows, bundle = two_syncs(tmp_path, data_dir)
    held = held_sync(dd, rows, bundle)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    answers = iter(["n", "y"])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    argv = ["--data-dir", str(data_dir), "rollback", "1"]
    assert cli_main.main(argv) == 1  # answered no
    said = capsys.readouterr().out.splitlines()
    assert said[0].startswith("Rolling back to sync #1 (") and said[0].endswith("undoes 1 sync:")
    assert said[1].startswith("  #2 ") and "users +1 ~3 ⇄1" in said[1]
    assert said[2] == f"The held sync #{held} is discarded (nothing of it was applied)."
    assert said[3].startswith("Scheduled syncs are then paused")
    assert said[-1] == "Nothing rolled back."
    assert rows_of(dd, "SELECT count(*) FROM sync_runs WHERE rollback_to IS NOT NULL") == [(0,)]
    assert cli_main.main(argv) == 0  # answered yes
    assert "Rolled back to sync #1" in capsys.readouterr().out
    assert rows_of(dd, "SELECT value FROM meta WHERE key = 'staged_run'") == [(None,)]
