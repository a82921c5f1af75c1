"""A real vendor's non-conformant OneRoster 1.1 set: header-only files and 1.0 column names."""

from __future__ import annotations

from pathlib import Path

from connectors.oneroster.csv import OneRosterCsvConnector
from datasync_tui.paths import DataDir
from datasync_tui.store import config, sqlite
from datasync_tui.sync import run_sync
from tests.helpers.bundles import HEADERS_11, district, write_bundle

# academicSessions.csv as the vendor sends it: a header without schoolYear, and no rows.
SESSIONS_NO_YEAR = (
    "sourcedId,status,dateLastModified,title,type,startDate,endDate,parentSourcedId\n"
)
# demographics.csv and courses.csv with OneRoster 1.0 names (userSourcedId, schoolYearId).
DEMOGRAPHICS_10 = HEADERS_11["demographics"].replace("sourcedId,", "userSourcedId,", 1)
COURSES_10 = HEADERS_11["courses"].replace("schoolYearSourcedId", "schoolYearId")


def vendor_bundle(target: Path) -> Path:
    """The clean district, with the vendor's quirks."""
    rows = district()
    rows["courses"] = [["c1", "", "", "y1", "Algebra I", "ALG1", "09", "s1", "Math", ""]]
    demographics = "\n".join(",".join(r) for r in rows.pop("demographics"))
    courses = "\n".join(",".join(r) for r in rows.pop("courses"))
    rows.pop("academicSessions")
    return write_bundle(
        target,
        rows,
        extra={
            "academicSessions.csv": SESSIONS_NO_YEAR,
            "demographics.csv": f"{DEMOGRAPHICS_10}\n{demographics}\n",
            "courses.csv": f"{COURSES_10}\n{courses}\n",
        },
    )


def test_the_vendor_set_passes_the_check_with_warnings(tmp_path: Path) -> None:
    connector = OneRosterCsvConnector({"path": str(vendor_bundle(tmp_path / "v"))})
    report = connector.check()
    assert report.ok, (report.error, report.missing_required())
    assert (
        "academicSessions.csv has only a header, without schoolYear: no rows lack them, "
        "so it is read as empty"
    ) in report.warnings
    assert (
        "demographics.csv: column 'userSourcedId' (a OneRoster 1.0 name) read as 'sourcedId'"
        in report.warnings
    )
    assert (
        "courses.csv: column 'schoolYearId' (a OneRoster 1.0 name) read as 'schoolYearSourcedId'"
        in report.warnings
    )


def test_the_vendor_set_syncs_with_its_demographics_keyed(tmp_path: Path) -> None:
    dd = DataDir(tmp_path / "home")
    bundle = vendor_bundle(tmp_path / "v")
    config.save(dd, config.Connection("oneroster-csv", None, {"path": str(bundle)}))
    result = run_sync(dd)
    assert result.status == "succeeded", result.error
    with sqlite.connect(dd.database) as db:
        ids = {r[0] for r in db.execute("SELECT sourcedId FROM demographics")}
        years = db.execute("SELECT schoolYearSourcedId FROM courses").fetchall()
        sessions = db.execute("SELECT count(*) FROM academic_sessions").fetchone()[0]
    assert ids == {f"stu{i}" for i in range(20)}
    assert years == [("y1",)]
    assert sessions == 0


def test_a_file_with_rows_still_needs_its_required_columns(tmp_path: Path) -> None:
    sessions = SESSIONS_NO_YEAR + "y1,,,2026-2027,schoolYear,2026-08-15,2027-06-10,\n"
    rows = district()
    rows.pop("academicSessions")
    bundle = write_bundle(tmp_path / "b", rows, extra={"academicSessions.csv": sessions})
    report = OneRosterCsvConnector({"path": str(bundle)}).check()
    assert not report.ok
    assert "academicSessions.schoolYear" in report.missing_required()
