"""Every real SIF sample under $DATASYNC_SAMPLES loads, counts checked against the files."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import defusedxml.ElementTree as DET
import pytest

from connectors.sif.connector import SifConnector
from datasync_tui.paths import DataDir
from datasync_tui.status import collect
from datasync_tui.store import config
from datasync_tui.sync import run_sync
from tests.helpers.cli import samples_dir
from tests.helpers.sif import read_all

SAMPLE_SETS = (
    "Access4Learning__OpenADK-csharp",
    "Access4Learning__sif3-framework-java",
    "nsip__n3-sif2json",
)
TOPIC_OBJECTS = {
    "orgs": ("LEAInfo", "SchoolInfo"),
    "academicSessions": ("TermInfo",),
    "courses": ("SchoolCourseInfo",),
    "classes": ("SectionInfo", "TeachingGroup"),
    "users": ("StudentPersonal", "StaffPersonal"),
    "roles": ("StudentSchoolEnrollment", "StaffAssignment"),
}
OPEN_TAG = re.compile(rb"<(?:[\w.-]+:)?(\w+)[\s/>]")


def xml_files(root: Path) -> list[Path]:
    """The sample's XML documents (files that do not start like XML are left out)."""
    out = []
    for path in sorted(root.rglob("*.xml")):
        head = path.read_bytes()[:64].lstrip(b"\xef\xbb\xbf").lstrip()
        if head.startswith(b"<"):
            out.append(path)
    return out


def local(tag: str) -> str:
    """An ElementTree tag without its namespace."""
    return tag.rpartition("}")[2]


def expected(root: Path) -> tuple[Counter[str], Counter[str]]:
    """Objects per topic counted with a plain regex; distinct RefIds per topic via ElementTree."""
    rows: Counter[str] = Counter()
    ids: dict[str, set[str]] = {t: set() for t in [*TOPIC_OBJECTS, "enrollments", "demographics"]}
    kind_topic = {k: t for t, kinds in TOPIC_OBJECTS.items() for k in kinds}
    for path in xml_files(root):
        found = Counter(m.group(1).decode() for m in OPEN_TAG.finditer(path.read_bytes()))
        for topic, kinds in TOPIC_OBJECTS.items():
            rows[topic] += sum(found[k] for k in kinds)
        rows["enrollments"] += found["StudentSectionEnrollment"]
        for el in DET.parse(path).iter():
            kind = local(el.tag)
            if kind not in kind_topic and kind != "StudentSectionEnrollment":
                continue
            ref = el.get("RefId")
            ids[kind_topic.get(kind, "enrollments")].add(ref)
            if kind in ("StudentPersonal", "StaffPersonal") and any(
                local(d.tag) == "Demographics" and len(d) for d in el.iter()
            ):
                rows["demographics"] += 1
                ids["demographics"].add(ref)
            links = []
            if kind == "SectionInfo":
                links = [
                    t.get("StaffPersonalRefId") for t in el.iter() if local(t.tag) == "Teacher"
                ]
            elif kind == "TeachingGroup":
                links = [
                    (r.text or "").strip()
                    for r in el.iter()
                    if local(r.tag) in ("StudentPersonalRefId", "StaffPersonalRefId")
                ]
            distinct = set(links)
            rows["enrollments"] += len(distinct)
            ids["enrollments"] |= {f"{ref}:{u}" for u in distinct}
    return rows, Counter({t: len(v) for t, v in ids.items()})


@pytest.mark.parametrize("name", SAMPLE_SETS)
def test_real_samples_load_with_counts(name: str, tmp_path: Path) -> None:
    root = samples_dir() / name
    if not root.is_dir():
        pytest.skip(f"sample set {name} not present under {samples_dir()}")
    rows_expected, stored_expected = expected(root)
    rows = read_all(SifConnector({"path": str(root)}))
    got = Counter({t: len(r) for t, r in rows.items() if r})
    assert got == +rows_expected
    assert all(r["sourcedId"] for topic in rows.values() for r in topic)
    dd = DataDir(tmp_path / "home")
    config.save(dd, config.Connection("sif", None, {"path": str(root)}))
    result = run_sync(dd)
    assert result.status == "succeeded", result.error
    counts = collect(dd)["counts"]
    for topic in ("orgs", "academicSessions", "courses", "classes", "users", "enrollments"):
        assert counts[topic] == stored_expected[topic], topic
    assert counts["demographics"] == stored_expected["demographics"]
