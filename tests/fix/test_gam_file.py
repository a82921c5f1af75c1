"""`fix gam` over real stores: every line parsed by GAM's rules, commands and arguments checked."""

from __future__ import annotations

import shlex
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from datasync_tui.fix.gam_quote import alias, clean, sourced_id
from datasync_tui.fix.run import fix_gam
from datasync_tui.rules.classroom import dry_run
from datasync_tui.rules.runner import evaluate
from tests.helpers.fix import HOSTILE, Home
from tests.helpers.gam_grammar import Command, commands, parse_file, tokenize, user_list

HomeFactory = Callable[..., Home]


def written(path: Path) -> tuple[str, list[Command]]:
    """The file's text and its commands, every line through the grammar."""
    text = path.read_text("utf-8")
    for argv, line in zip(commands(text), _command_lines(text), strict=True):
        assert shlex.split(line) == argv  # GAM's own reader agrees with the grammar's
    return text, parse_file(text)


def _command_lines(text: str) -> list[str]:
    """The lines GAM runs (not blank, not a comment)."""
    return [line for line in text.split("\n") if line.strip() and not line.startswith("#")]


def kinds(found: list[Command], kind: str) -> list[Command]:
    """The commands of one kind."""
    return [c for c in found if c.kind == kind]


def test_clean_district(make_home: HomeFactory, tmp_path: Path) -> None:
    data_dir = make_home().done()
    out = tmp_path / "classroom.gam"
    result = fix_gam(data_dir, out)
    text, found = written(out)
    assert [c.kind for c in found] == ["create-course", "commit-batch", "sync", "sync"]
    create, _, teachers, students = found
    assert create.args == {
        "alias": "d:k1",
        "name": "Algebra I - k1",
        "teacher": "tch1@lincoln.org",
    }
    assert teachers.args == {"course": "d:k1", "role": "teachers", "users": "tch1@lincoln.org"}
    assert students.args["role"] == "students"
    assert user_list(students.args["users"]) == [
        "stu1@students.lincoln.org",
        "stu2@students.lincoln.org",
    ]
    assert result.counts["courses"] == result.dry_run["classes_created"] == 1
    assert text.startswith("# GAM batch file written by datasync-tui fix gam")
    assert "then run it from its folder: gam batch 'classroom.gam'" in text
    assert out.stat().st_mode & 0o777 == 0o600


def test_hostile_titles_are_inert(make_home: HomeFactory, tmp_path: Path) -> None:
    home = make_home()
    pwned = tmp_path / "pwned"
    titles = [*HOSTILE, f"$(touch {pwned}) `touch {pwned}`"]
    for i, title in enumerate(titles):
        home.store.klass(f"h{i}", title=title, classCode=title, location=title)
        home.store.enroll(f"h{i}", "tch1", "teacher")
        home.store.enroll(f"h{i}", "stu1")
    out = tmp_path / "hostile.gam"
    fix_gam(home.done(), out)
    text, found = written(out)
    creates = {sourced_id(c.args["alias"]): c.args for c in kinds(found, "create-course")}
    for i, title in enumerate(titles):
        args = creates[f"h{i}"]
        assert args["name"] == args["section"] == args["room"] == clean(title)
        assert args["teacher"] == "tch1@lincoln.org"
    assert creates["h3"]["name"] == "Line one rm -rf / #"
    assert creates["h8"]["name"] == "עברית txt.exe مرحبا"
    # 14 courses, then one teacher and one student list each: nothing else runs.
    assert len(kinds(found, "create-course")) == len(titles) + 1
    assert len(found) == 1 + 3 * (len(titles) + 1)
    # And bash, given the same lines, passes the same arguments and runs nothing else.
    if shutil.which("bash"):
        script = "gam() { printf '%s\\0' \"$@\"; printf '\\n\\0'; }\ncommit-batch() { :; }\n"
        shell = subprocess.run(
            ["bash", "-c", script + "\n".join(_command_lines(text))],
            capture_output=True,
            check=True,
            cwd=tmp_path,
        )
        runs = shell.stdout.decode("utf-8").split("\n\0")[:-1]
        from_bash = [run.split("\0")[:-1] for run in runs]
        assert from_bash == [argv[1:] for argv in commands(text) if argv[0] == "gam"]
    assert not pwned.exists()


def test_skipped_and_failing_are_listed_with_reason_and_rule(
    make_home: HomeFactory, tmp_path: Path
) -> None:
    home = make_home()
    s = home.store
    s.klass("k2")  # no teacher
    s.klass("k3", title="")
    s.enroll("k3", "tch1", "teacher")
    s.klass("k4", title="x" * 751)
    s.enroll("k4", "tch1", "teacher")
    s.user("tch2", "teacher", email="")
    s.klass("k5")
    s.enroll("k5", "tch2", "teacher")
    s.user("stu3", email="")
    s.user("stu4", email="ann@gmail.com")
    s.user("stu5", email="not an address")
    s.user("stu6", enabledUser=0)
    for user in ("stu3", "stu4", "stu5", "stu6", "ghost"):
        s.enroll("k1", user)
    data_dir = home.done()
    out = tmp_path / "c.gam"
    result = fix_gam(data_dir, out)
    text, found = written(out)
    assert [sourced_id(c.args["alias"]) for c in kinds(found, "create-course")] == ["k1"]
    for line in (
        "#   k2 'Algebra I - k2': no active teacher (class-without-teacher)",
        "#   k3 '': blank title (class-without-title)",
        "title over 750 characters (class-title-too-long)",
        "#   k5 'Algebra I - k5': no teacher with a usable email:\n"
        "#     teacher tch2: no email (user-without-email)\n",
        "#   stu3 (student, 1 class): no email (user-without-email)",
        "#   stu4 (student, 1 class): email outside the district's domains (email-outside-domain)",
        "#   stu5 (student, 1 class): email not valid (email-invalid)",
        "#   ghost (user, 1 class): not among the users (enrollment-unknown-user)",
        "#   stu6 (student, 1 class): disabled in the SIS (enabledUser false)",
    ):
        assert line in text
    students = kinds(found, "sync")[1].args["users"]
    assert user_list(students) == ["stu1@students.lincoln.org", "stu2@students.lincoln.org"]
    assert result.dry_run == {"classes_created": 1, "classes_skipped": 4, "users_failing": 4}
    assert result.counts["failing"] == 4 and result.counts["left_out"] == 1


def test_owner_is_the_primary_teacher(make_home: HomeFactory, tmp_path: Path) -> None:
    home = make_home()
    s = home.store
    s.user("tch0", "teacher")
    s.user("tch2", "teacher")
    s.klass("k2")
    s.enroll("k2", "tch0", "teacher", primary=0)
    s.enroll("k2", "tch2", "teacher", primary=1)
    s.klass("k3")
    s.enroll("k3", "tch2", "teacher", primary=0)
    s.enroll("k3", "tch0", "teacher", primary=0)
    s.enroll("k3", "stu1")
    s.enroll("k3", "stu1", sourcedId="e-twice")  # enrolled twice: listed once
    out = tmp_path / "c.gam"
    fix_gam(home.done(), out)
    _, found = written(out)
    owners = {c.args["alias"]: c.args["teacher"] for c in kinds(found, "create-course")}
    assert owners == {
        "d:k1": "tch1@lincoln.org",
        "d:k2": "tch2@lincoln.org",
        "d:k3": "tch0@lincoln.org",
    }
    syncs = {
        (c.args["course"], c.args["role"]): user_list(c.args["users"]) for c in kinds(found, "sync")
    }
    assert syncs[("d:k2", "teachers")] == ["tch0@lincoln.org", "tch2@lincoln.org"]
    assert syncs[("d:k3", "students")] == ["stu1@students.lincoln.org"]


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        ("all", ["create-course", "commit-batch", "sync", "sync"]),
        ("create", ["create-course"]),
        ("members", ["sync", "sync"]),
    ],
)
def test_scopes(make_home: HomeFactory, tmp_path: Path, scope: str, expected: list[str]) -> None:
    out = tmp_path / f"{scope}.gam"
    fix_gam(make_home().done(), out, scope)
    _, found = written(out)
    assert [c.kind for c in found] == expected


def test_aliases_of_awkward_sourced_ids(make_home: HomeFactory, tmp_path: Path) -> None:
    home = make_home()
    awkward = ["12345", "Math 1/2", "Ünï,cödé", "'quoted' #x", "x" * 300]
    for sid in awkward:
        home.store.klass(sid)
        home.store.enroll(sid, "tch1", "teacher")
    out = tmp_path / "c.gam"
    fix_gam(home.done(), out)
    text, found = written(out)
    made = {c.args["alias"] for c in kinds(found, "create-course")}
    assert made == {alias(sid) for sid in ["k1", *awkward[:-1]]}
    assert {sourced_id(a) for a in made} == {"k1", *awkward[:-1]}
    assert "sourcedId too long for a course alias" in text


def test_same_data_same_file(make_home: HomeFactory, tmp_path: Path) -> None:
    data_dir = make_home().done()
    out = tmp_path / "a.gam"
    fix_gam(data_dir, out)
    first = out.read_bytes()
    fix_gam(data_dir, out)
    assert out.read_bytes() == first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.gam", "home0"]  # no work file left


def test_counts_match_the_dry_run(make_home: HomeFactory, tmp_path: Path) -> None:
    home = make_home()
    for k in range(2, 30):
        home.store.klass(f"k{k}", title="" if k % 7 == 0 else f"Class {k}")
        if k % 5:
            home.store.enroll(f"k{k}", "tch1", "teacher")
        home.store.enroll(f"k{k}", "stu1")
    data_dir = home.done()
    out = tmp_path / "c.gam"
    fix_gam(data_dir, out)
    _, found = written(out)
    conn = home.store.conn
    ev = evaluate(conn, email_domains="lincoln.org")
    classroom = dry_run(conn, ev.today)
    assert len(kinds(found, "create-course")) == classroom.classes_created
    assert tokenize("gam create course alias 'd:k2' name 'Class 2'")[-1] == "Class 2"


def test_awkward_but_valid_addresses(make_home: HomeFactory, tmp_path: Path) -> None:
    home = make_home()
    for sid, email in (("stu3", "o'brien@lincoln.org"), ("stu4", "a#b$x&{y}@lincoln.org")):
        home.store.user(sid, email=email)
        home.store.enroll("k1", sid)
    out = tmp_path / "c.gam"
    fix_gam(home.done(), out)
    _, found = written(out)
    students = next(c for c in kinds(found, "sync") if c.args["role"] == "students")
    assert user_list(students.args["users"]) == [
        "stu1@students.lincoln.org",
        "stu2@students.lincoln.org",
        "o'brien@lincoln.org",
        "a#b$x&{y}@lincoln.org",
    ]
