"""The sample-district generator: reproducible, exact OneRoster 1.1, problems only where listed."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
import tracemalloc
import zipfile
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import pytest

from datasync_tui.demo import bundled_district
from datasync_tui.demo.generate import DEMO_PROBLEMS, generate_district
from datasync_tui.store import sqlite

# The OneRoster 1.1 header lines, as written in docs/STANDARDS.md section 1.4.
SPEC_11 = {
    "academicSessions.csv": "sourcedId,status,dateLastModified,title,type,startDate,endDate,"
    "parentSourcedId,schoolYear",
    "classes.csv": "sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,"
    "classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods",
    "courses.csv": "sourcedId,status,dateLastModified,schoolYearSourcedId,title,courseCode,grades,"
    "orgSourcedId,subjects,subjectCodes",
    "demographics.csv": "sourcedId,status,dateLastModified,birthDate,sex,"
    "americanIndianOrAlaskaNative,asian,blackOrAfricanAmerican,"
    "nativeHawaiianOrOtherPacificIslander,white,demographicRaceTwoOrMoreRaces,"
    "hispanicOrLatinoEthnicity,countryOfBirthCode,stateOfBirthAbbreviation,cityOfBirth,"
    "publicSchoolResidenceStatus",
    "enrollments.csv": "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,"
    "userSourcedId,role,primary,beginDate,endDate",
    "orgs.csv": "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId",
    "users.csv": "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,"
    "userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,"
    "password",
}
MANIFEST_11 = [
    "manifest.version", "oneroster.version", "file.academicSessions", "file.categories",
    "file.classes", "file.classResources", "file.courses", "file.courseResources",
    "file.demographics", "file.enrollments", "file.lineItems", "file.orgs", "file.resources",
    "file.results", "file.users",
]  # fmt: skip
TODAY = date(2026, 11, 28)  # a day in the generated school year
EMAIL = re.compile(r"^[^@\s]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
VOCABULARY = {
    ("users", "role"): {"administrator", "aide", "guardian", "parent", "proctor", "relative",
                        "student", "teacher"},
    ("enrollments", "role"): {"administrator", "proctor", "student", "teacher"},
    ("orgs", "type"): {"department", "school", "district", "local", "state", "national"},
    ("academicSessions", "type"): {"gradingPeriod", "semester", "schoolYear", "term"},
    ("classes", "classType"): {"homeroom", "scheduled"},
}  # fmt: skip


def read_bundle(source: Path) -> dict[str, list[dict[str, str]]]:
    """Every CSV file of a bundle folder or zip, as dict rows keyed by topic."""
    texts: dict[str, str] = {}
    if source.suffix == ".zip":
        with zipfile.ZipFile(source) as archive:
            for name in archive.namelist():
                texts[name] = archive.read(name).decode("utf-8")
    else:
        for path in source.glob("*.csv"):
            texts[path.name] = path.read_text(encoding="utf-8")
    return {
        name.removesuffix(".csv"): list(csv.DictReader(io.StringIO(text, newline="")))
        for name, text in texts.items()
        if name != "manifest.csv"
    }


def find_issues(data: dict[str, list[dict[str, str]]], domain: str) -> set[tuple[str, str]]:
    """A small independent reading of ARCHITECTURE.md's rules: the (rule, sourcedId) pairs."""
    issues: set[tuple[str, str]] = set()
    for rows in data.values():
        counts = Counter(row["sourcedId"] for row in rows)
        issues |= {("duplicate-sourcedid", sid) for sid, n in counts.items() if n > 1}
    users = {row["sourcedId"]: row for row in data["users"]}
    classes = {row["sourcedId"]: row for row in data["classes"]}
    sessions = {row["sourcedId"]: row for row in data["academicSessions"]}
    for (topic, column), allowed in VOCABULARY.items():
        issues |= {("value-not-in-vocabulary", r["sourcedId"]) for r in data[topic]
                   if r[column] not in allowed}  # fmt: skip
    emails = Counter(u["email"].lower() for u in users.values() if u["email"])
    teaching: dict[str, list[dict[str, str]]] = defaultdict(list)
    learning: dict[str, int] = Counter()
    enrolled: Counter[str] = Counter()
    for row in data["enrollments"]:
        if row["userSourcedId"] not in users:
            issues.add(("enrollment-unknown-user", row["sourcedId"]))
            continue
        enrolled[row["userSourcedId"]] += 1
        if row["classSourcedId"] not in classes:
            issues.add(("enrollment-unknown-class", row["sourcedId"]))
        if row["role"] == "teacher":
            teaching[row["classSourcedId"]].append(row)
        elif row["role"] == "student":
            learning[row["classSourcedId"]] += 1
    orgs = {row["sourcedId"] for row in data["orgs"]}
    courses = {row["sourcedId"] for row in data["courses"]}
    for sid, user in users.items():
        role, email = user["role"], user["email"]
        if role in ("student", "teacher") and not email:
            issues.add(("user-without-email", sid))
        if email and not EMAIL.match(email):
            issues.add(("email-invalid", sid))
        if email and emails[email.lower()] > 1:
            issues.add(("email-duplicate", sid))
        host = email.rpartition("@")[2].lower()
        if email and EMAIL.match(email) and host != domain and not host.endswith("." + domain):
            issues.add(("email-outside-domain", sid))
        if not user["givenName"] or not user["familyName"]:
            issues.add(("user-without-name", sid))
        if any(org not in orgs for org in user["orgSourcedIds"].split(",")):
            issues.add(("user-unknown-org", sid))
        if role == "student" and not enrolled[sid]:
            issues.add(("student-without-enrollments", sid))
        if role == "teacher" and not enrolled[sid]:
            issues.add(("teacher-without-classes", sid))
        if user["enabledUser"] == "false" and enrolled[sid]:
            issues.add(("disabled-user-enrolled", sid))
    for sid, row in sessions.items():
        if date.fromisoformat(row["endDate"]) < date.fromisoformat(row["startDate"]):
            issues.add(("session-dates-invalid", sid))
    for sid, row in classes.items():
        terms = row["termSourcedIds"].split(",")
        checks = {
            "class-without-title": not row["title"] or len(row["title"]) > 750,
            "class-unknown-school": row["schoolSourcedId"] not in orgs,
            "class-unknown-course": row["courseSourcedId"] not in courses,
            "class-unknown-term": any(term not in sessions for term in terms),
            "class-without-teacher": not teaching[sid],
            "class-without-students": not learning[sid],
            "class-over-member-limit": learning[sid] + len(teaching[sid]) > 1000,
            "class-without-primary-teacher": bool(teaching[sid])
            and all(t["primary"] != "true" for t in teaching[sid]),
            "class-term-ended": all(
                term in sessions and date.fromisoformat(sessions[term]["endDate"]) < TODAY
                for term in terms
            ),
        }
        issues |= {(rule, sid) for rule, broken in checks.items() if broken}
    return issues


def expected_issues() -> set[tuple[str, str]]:
    """The (rule, sourcedId) pairs DEMO_PROBLEMS promises."""
    return {(problem.rule, sid) for problem in DEMO_PROBLEMS for sid in problem.sourced_ids}


def test_regenerating_gives_the_committed_zip_byte_for_byte(tmp_path: Path) -> None:
    """The committed district.zip is exactly what the generator writes with its defaults."""
    fresh = tmp_path / "district.zip"
    generate_district(fresh)
    committed = bundled_district()
    assert committed.is_file()
    assert fresh.read_bytes() == committed.read_bytes()


def test_zip_is_deterministic_and_stored_flat(tmp_path: Path) -> None:
    """Two runs give identical bytes; entries are sorted, at the root, deflated, fixed time."""
    first, second = tmp_path / "a.zip", tmp_path / "b.zip"
    generate_district(first, students=300, teachers=20)
    generate_district(second, students=300, teachers=20)
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        infos = archive.infolist()
    names = [info.filename for info in infos]
    assert names == sorted(names) == sorted([*SPEC_11, "manifest.csv"])
    assert {info.date_time for info in infos} == {(2026, 8, 1, 0, 0, 0)}
    assert {info.compress_type for info in infos} == {zipfile.ZIP_DEFLATED}


def test_default_counts() -> None:
    """The bundled district has the sizes the issue asks for."""
    data = read_bundle(bundled_district())
    roles = Counter(user["role"] for user in data["users"])
    assert roles["student"] == 1200
    assert roles["teacher"] == 80
    assert 5 <= roles["administrator"] <= 12
    orgs = Counter(org["type"] for org in data["orgs"])
    assert orgs == {"district": 1, "school": 3}
    assert 250 <= len(data["classes"]) <= 350
    assert len(data["demographics"]) == 1200
    per_student = Counter(e["userSourcedId"] for e in data["enrollments"] if e["role"] == "student")
    assert all(6 <= n <= 7 for sid, n in per_student.items() if sid.startswith("stu-1"))
    types = Counter(session["type"] for session in data["academicSessions"])
    assert types["schoolYear"] == 1 and types["semester"] == 2 and types["gradingPeriod"] == 4


def test_counts_returned_match_the_files(tmp_path: Path) -> None:
    """generate_district returns the number of data rows it wrote per file."""
    counts = generate_district(tmp_path / "d", students=600, teachers=40, schools=3)
    data = read_bundle(tmp_path / "d")
    assert counts == {topic: len(data[topic]) for topic in counts}


def test_manifest_and_headers_are_exactly_oneroster_11() -> None:
    """manifest.csv lists every 1.1 file (bulk or absent); headers match 1.1 byte for byte."""
    with zipfile.ZipFile(bundled_district()) as archive:
        texts = {name: archive.read(name).decode("utf-8") for name in archive.namelist()}
    for name, header in SPEC_11.items():
        assert texts[name].split("\r\n", 1)[0] == header, name
    manifest = list(csv.reader(io.StringIO(texts["manifest.csv"], newline="")))
    assert manifest[0] == ["propertyName", "value"]
    values = dict(manifest[1:])
    assert [key for key, _ in manifest[1:] if not key.startswith("source.")] == MANIFEST_11
    assert values["manifest.version"] == "1.0" and values["oneroster.version"] == "1.1"
    for key in MANIFEST_11[2:]:
        present = f"{key.removeprefix('file.')}.csv" in texts
        assert values[key] == ("bulk" if present else "absent"), key
    data = read_bundle(bundled_district())
    for topic, rows in data.items():
        assert all(row["status"] == "" and row["dateLastModified"] == "" for row in rows), topic


def test_each_demo_problem_is_in_the_files_and_nothing_else() -> None:
    """The issues found are exactly the ones DEMO_PROBLEMS lists."""
    data = read_bundle(bundled_district())
    for problem in DEMO_PROBLEMS:
        ids = {row["sourcedId"] for row in data[problem.file]}
        assert set(problem.sourced_ids) <= ids, problem
    assert len({problem.rule for problem in DEMO_PROBLEMS}) == len(DEMO_PROBLEMS) == 16
    assert find_issues(data, "harborpinesusd.org") == expected_issues()


def test_realistic_values() -> None:
    """Emails, logins, userIds, titles and term lists look like a real SIS export."""
    data = read_bundle(bundled_district())
    students = [u for u in data["users"] if u["role"] == "student" and u["familyName"]]
    staff = [u for u in data["users"] if u["role"] == "teacher"]
    assert sum(u["email"].endswith("@students.harborpinesusd.org") for u in students) >= 1190
    assert sum(u["email"].endswith("@harborpinesusd.org") for u in staff) == 79
    assert all(re.fullmatch(r"[a-z]+\.[a-z]+\d*", u["username"]) for u in students + staff)
    assert all(re.fullmatch(r"\{LDAP:[a-z.0-9]+\}(,\{SIS:\d+\})?", u["userIds"]) for u in students)
    assert len({u["givenName"] for u in data["users"]}) > 200
    assert len({u["familyName"] for u in data["users"]}) > 250
    titles = {c["title"] for c in data["classes"]}
    assert any(re.fullmatch(r"Algebra I - P\d", t) for t in titles)
    assert Counter(c["termSourcedIds"] for c in data["classes"]).most_common(1)[0][0] == (
        "as-2027-s1,as-2027-s2"
    )
    teachers = Counter(
        (e["classSourcedId"], e["primary"]) for e in data["enrollments"] if e["role"] == "teacher"
    )
    assert sum(1 for (_, primary) in teachers if primary == "false") >= 5  # co-teachers


def test_clean_district_has_no_problem(tmp_path: Path) -> None:
    """Without problems, nothing breaks a rule; the demo problems need a big enough school."""
    generate_district(tmp_path / "clean", students=500, teachers=30, problems=False)
    assert find_issues(read_bundle(tmp_path / "clean"), "harborpinesusd.org") == set()
    with pytest.raises(ValueError, match="demo problems"):
        generate_district(tmp_path / "tiny", students=90, teachers=9)


def test_mid_size_folder_is_streamed_and_clean(tmp_path: Path) -> None:
    """A 12,000-student district streams (small peak memory) and breaks no rule."""
    tracemalloc.start()
    try:
        counts = generate_district(tmp_path / "mid", students=12_000, problems=False)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert counts["users"] > 12_000 and counts["enrollments"] > 75_000
    assert counts["classes"] > 2_500 and counts["orgs"] == 16
    assert peak < 40 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB: rows are not streamed"
    assert find_issues(read_bundle(tmp_path / "mid"), "harborpinesusd.org") == set()


def test_command_line(tmp_path: Path) -> None:
    """`python -m datasync_tui.demo.generate` writes a folder and says what it wrote."""
    result = subprocess.run(
        [sys.executable, "-m", "datasync_tui.demo.generate", "--out", str(tmp_path / "cli"),
         "--students", "400", "--teachers", "30", "--schools", "3", "--seed", "7",
         "--classes-per-student", "7-8"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "wrote" in result.stdout and "enrollments" in result.stdout
    assert (tmp_path / "cli" / "manifest.csv").is_file()
    bad = subprocess.run(
        [sys.executable, "-m", "datasync_tui.demo.generate", "--out", str(tmp_path / "x"),
         "--students", "10"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert bad.returncode == 1 and "20 students per school" in bad.stderr


def test_bench_peer_and_baseline_load_every_row(tmp_path: Path) -> None:
    """The benchmark's sqlite3 CLI and Python loaders import every row of a generated district."""
    bench_runs = pytest.importorskip("bench.runs")
    from bench.district import District

    counts = generate_district(tmp_path / "bundle", students=300, teachers=20, problems=False)
    district = District(tmp_path / "bundle", counts, None)
    assert bench_runs.baseline(district, tmp_path) > 0
    assert bench_runs.reference(district, tmp_path) > 0
    with sqlite.connect(tmp_path / "reference.sqlite") as con:
        indexes = {
            r[0] for r in con.execute("SELECT tbl_name FROM sqlite_master WHERE type='index'")
        }
    assert {"enrollments", "users", "classes", "orgs"} <= indexes  # keys and the issue's indexes
    exe = bench_runs.sqlite_cli()
    if exe is None:
        pytest.skip("sqlite3 command-line tool not installed")
    assert bench_runs.peer(exe, district, tmp_path) > 0


def test_bench_report_shows_the_reference_and_the_cpu_floor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The report puts the reference design and the floor of our CPU time beside the peer."""
    report = pytest.importorskip("bench.report")
    from bench.district import District
    from bench.runs import Ours

    (tmp_path / "users.csv").write_text("sourcedId\nu1\n", encoding="utf-8")
    monkeypatch.setattr(report.os, "cpu_count", lambda: 2)
    ours = Ours(full=12.0, full_rss_mb=160.0, full_cpu=18.0, resync=5.0, resync_rss_mb=200.0)
    text = report.render(
        report.Results(
            scale="full",
            district=District(tmp_path, {"users": 1}, None),
            peer=4.0,
            peer_note=None,
            baseline=6.0,
            ours=ours,
            cli_version="3.40.1",
            rounds=3,
            reference=8.0,
        )
    )
    assert "2.00× peer (issue #2's design, one process)" in text
    assert "2.25× peer at best on 2 cores (18.0 CPU-s in all)" in text
    assert "✗ full sync ≤ 2.0× the sqlite3 CLI (aim 1.5×): 3.00×" in text
