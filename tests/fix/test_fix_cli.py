"""`datasync-tui fix …` end to end over a district synced from a real bundle."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from datasync_tui.fix.gam_quote import sourced_id
from tests.helpers.bundles import district, write_bundle
from tests.helpers.cli import CliRunner
from tests.helpers.fix import PATTERN
from tests.helpers.gam_grammar import commands, parse_file, user_list

EMAIL, PASSWORD = 12, 17  # columns of a 1.1 users row
TITLE = 3  # column of a classes row


def messy_bundle(tmp_path: Path) -> Path:
    """The tests' district with a hostile title, no email for stu0, no teacher for k3."""
    rows = district(students=6, classes=4)
    rows["classes"][0][TITLE] = 'Math "Honors"\n# 1 $(id) \u202eevil'
    rows["classes"][1][TITLE] = '=HYPERLINK("http://x")'
    rows["users"][1][EMAIL] = ""  # stu0
    rows["users"][2][EMAIL] = "ann1@gmail.com"  # stu1: outside the domains
    rows["users"][3][PASSWORD] = "Sup3r-Secret!"
    rows["enrollments"] = [
        e for e in rows["enrollments"] if not (e[3] == "k3" and e[6] == "teacher")
    ]
    return write_bundle(tmp_path / "messy.zip", rows)


@pytest.fixture
def synced_cli(cli: CliRunner, tmp_path: Path) -> CliRunner:
    """The CLI over a data dir connected to the messy bundle (with email_pattern) and synced."""
    bundle = messy_bundle(tmp_path)
    settings = [f"path={bundle}", "email_domains=lincoln.org", f"email_pattern={PATTERN}"]
    args = [x for s in settings for x in ("--set", s)]
    assert cli("connect", "oneroster-csv", *args).returncode == 0
    assert cli("sync").returncode == 0
    return cli


def test_gam_counts_match_validate(synced_cli: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "classroom.gam"
    done = synced_cli("fix", "gam", str(out))
    assert done.returncode == 0, done.stderr
    assert f"Wrote {out}: 3 courses to create" in done.stdout
    doc = json.loads(synced_cli("validate", "--json").stdout)["classroom"]
    text = out.read_text("utf-8")
    found = parse_file(text)
    creates = [c for c in found if c.kind == "create-course"]
    assert len(creates) == doc["classes_created"] == 3
    failing = [line for line in text.split("\n") if line.startswith("#   stu")]
    assert len(failing) == doc["users_failing"] == 2
    assert "#   k3 'Algebra I - P3': no active teacher (class-without-teacher)" in text
    names = {sourced_id(c.args["alias"]): c.args["name"] for c in creates}
    assert names["k0"] == 'Math "Honors" # 1 $(id) evil'
    students = [c for c in found if c.kind == "sync" and c.args["role"] == "students"]
    assert all(len(user_list(c.args["users"])) == 4 for c in students)


def test_nothing_secret_is_written(synced_cli: CliRunner, tmp_path: Path) -> None:
    gam, folder, emails, users = (tmp_path / n for n in ("c.gam", "csv", "e.csv", "u.gam"))
    for args in (
        ["gam", str(gam)],
        ["classroom", str(folder)],
        ["emails", str(emails), "--gam", str(users)],
    ):
        done = synced_cli("fix", *args)
        assert done.returncode == 0, done.stderr
    texts = [
        p.read_text("utf-8")
        for p in (gam, folder / "courses.csv", folder / "members.csv", emails, users)
    ]
    for text in texts:
        for secret in ("secret-pw", "Sup3r-Secret!", ",pw", "'pw'"):
            assert secret not in text
    for argv in commands(texts[0]) + commands(texts[-1]):
        assert not {"password", "pw", "secret-pw"} & {a.lower() for a in argv}


def test_classroom_csvs(synced_cli: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "new-folder"
    done = synced_cli("fix", "classroom", str(folder))
    assert done.returncode == 0, done.stderr
    raw = (folder / "courses.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with (folder / "courses.csv").open(encoding="utf-8-sig", newline="") as fh:
        courses = list(csv.DictReader(fh))
    with (folder / "members.csv").open(encoding="utf-8-sig", newline="") as fh:
        members = list(csv.DictReader(fh))
    assert [c["alias"] for c in courses] == ["d:k0", "d:k1", "d:k2"]
    assert courses[1]["name"] == '\'=HYPERLINK("http://x")'  # a formula shows as text
    assert courses[0]["owner"] == "mary.lee@lincoln.org"
    assert {m["role"] for m in members} == {"teacher", "student"}
    assert len(members) == 3 * (1 + 4)
    assert ("d:k0", "ann2.smith@students.lincoln.org", "student") in {
        (m["alias"], m["email"], m["role"]) for m in members
    }


def test_emails(synced_cli: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "e.csv"
    done = synced_cli("fix", "emails", str(out))
    assert done.returncode == 0, done.stderr
    assert "1 user without a usable email, 1 address proposed" in done.stdout
    with out.open(encoding="utf-8-sig", newline="") as fh:
        (row,) = list(csv.DictReader(fh))
    assert row["sourcedId"] == "stu0" and row["proposed_email"] == "ann0.smith@students.lincoln.org"


def one_line(done: object) -> str:
    """The only line on stderr."""
    lines = done.stderr.strip().splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 1, done.stderr  # type: ignore[attr-defined]
    return lines[0]


def test_bad_paths(synced_cli: CliRunner, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder" / "x.gam"
    done = synced_cli("fix", "gam", str(missing))
    assert done.returncode == 2
    assert "does not exist (create it first)" in one_line(done)
    assert not missing.parent.exists()  # never made
    done = synced_cli("fix", "classroom", str(tmp_path / "a" / "b"))
    assert done.returncode == 2 and not (tmp_path / "a").exists()
    assert synced_cli("fix", "gam", str(tmp_path)).returncode == 2
    (tmp_path / "file").write_text("x")
    assert synced_cli("fix", "classroom", str(tmp_path / "file")).returncode == 2
    done = synced_cli("fix", "emails", str(tmp_path / "same"), "--gam", str(tmp_path / "same"))
    assert done.returncode == 2
    done = synced_cli("fix", "gam", "/proc/classroom.gam")  # a folder nobody may write in
    assert done.returncode == 1
    assert one_line(done).startswith("datasync-tui: /proc/classroom.gam: cannot write the file")
    assert synced_cli("fix", "gam", str(tmp_path / "x"), "--scope", "everything").returncode == 2
    assert synced_cli("fix").returncode == 2


def test_before_any_sync(cli: CliRunner, tmp_path: Path) -> None:
    done = cli("fix", "gam", str(tmp_path / "x.gam"))
    assert done.returncode == 2
    assert "nothing synced yet" in one_line(done)


def test_emails_need_a_pattern(cli: CliRunner, tmp_path: Path) -> None:
    bundle = write_bundle(tmp_path / "d.zip", district())
    assert cli("connect", "oneroster-csv", "--set", f"path={bundle}").returncode == 0
    assert cli("sync").returncode == 0
    done = cli("fix", "emails", str(tmp_path / "e.csv"))
    assert done.returncode == 2
    assert "email_pattern is not set" in one_line(done)


def test_email_pattern_is_checked_when_set(cli: CliRunner, tmp_path: Path) -> None:
    bundle = write_bundle(tmp_path / "d.zip", district())
    done = cli(
        "connect",
        "oneroster-csv",
        "--set",
        f"path={bundle}",
        "--set",
        "email_pattern=student={first}@x.org",
    )
    assert done.returncode == 2
    assert one_line(done).startswith(
        "datasync-tui: --set email_pattern is not usable: "
        "the student pattern has an unknown {first}"
    )
    done = cli(
        "connect",
        "oneroster-csv",
        "--set",
        f"path={bundle}",
        "--set",
        "email_pattern=student={given}",
    )
    assert done.returncode == 2 and "has no '@'" in one_line(done)
