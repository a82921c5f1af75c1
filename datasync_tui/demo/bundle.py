"""OneRoster 1.1 CSV bundle output: exact headers, the manifest, streamed writers, a stable zip."""

from __future__ import annotations

import csv
import shutil
import zipfile
from collections.abc import Iterable
from contextlib import ExitStack
from pathlib import Path
from types import TracebackType
from typing import Any

# The 13 data files of OneRoster 1.1, in the order of the manifest's file.* rows.
ONEROSTER_11_FILES: tuple[str, ...] = (
    "academicSessions",
    "categories",
    "classes",
    "classResources",
    "courses",
    "courseResources",
    "demographics",
    "enrollments",
    "lineItems",
    "orgs",
    "resources",
    "results",
    "users",
)
# The files OneRoster 1.2 adds to the manifest, after those of 1.1.
ONEROSTER_12_FILES: tuple[str, ...] = (
    "lineItemLearningObjectiveIds",
    "lineItemScoreScales",
    "resultLearningObjectiveIds",
    "resultScoreScales",
    "roles",
    "scoreScales",
    "userProfiles",
    "userResources",
)

# Exact OneRoster 1.1 header lines of the files this generator writes (STANDARDS.md 1.4).
HEADERS: dict[str, tuple[str, ...]] = {
    "orgs": ("sourcedId", "status", "dateLastModified", "name", "type", "identifier",
             "parentSourcedId"),
    "academicSessions": ("sourcedId", "status", "dateLastModified", "title", "type", "startDate",
                         "endDate", "parentSourcedId", "schoolYear"),
    "courses": ("sourcedId", "status", "dateLastModified", "schoolYearSourcedId", "title",
                "courseCode", "grades", "orgSourcedId", "subjects", "subjectCodes"),
    "classes": ("sourcedId", "status", "dateLastModified", "title", "grades", "courseSourcedId",
                "classCode", "classType", "location", "schoolSourcedId", "termSourcedIds",
                "subjects", "subjectCodes", "periods"),
    "users": ("sourcedId", "status", "dateLastModified", "enabledUser", "orgSourcedIds", "role",
              "username", "userIds", "givenName", "familyName", "middleName", "identifier",
              "email", "sms", "phone", "agentSourcedIds", "grades", "password"),
    "enrollments": ("sourcedId", "status", "dateLastModified", "classSourcedId",
                    "schoolSourcedId", "userSourcedId", "role", "primary", "beginDate",
                    "endDate"),
    "demographics": ("sourcedId", "status", "dateLastModified", "birthDate", "sex",
                     "americanIndianOrAlaskaNative", "asian", "blackOrAfricanAmerican",
                     "nativeHawaiianOrOtherPacificIslander", "white",
                     "demographicRaceTwoOrMoreRaces", "hispanicOrLatinoEthnicity",
                     "countryOfBirthCode", "stateOfBirthAbbreviation", "cityOfBirth",
                     "publicSchoolResidenceStatus"),
}  # fmt: skip

SOURCE_SYSTEM = ("DataSync TUI sample district generator", "datasync-demo")
SOURCE_ROWS = (("source.systemName", SOURCE_SYSTEM[0]), ("source.systemCode", SOURCE_SYSTEM[1]))
ZIP_DATE_TIME = (2026, 8, 1, 0, 0, 0)  # every zip entry gets this timestamp
_BUFFER = 1 << 20


def manifest_rows(
    written: Iterable[str],
    version: str = "1.1",
    mode: str = "bulk",
    source: Iterable[tuple[str, str]] = SOURCE_ROWS,
) -> list[tuple[str, str]]:
    """The manifest.csv rows (after its header): the files written in `mode`, the others absent."""
    present = set(written)
    names = ONEROSTER_11_FILES + (ONEROSTER_12_FILES if version.startswith("1.2") else ())
    rows = [("manifest.version", "1.0"), ("oneroster.version", version)]
    rows += [(f"file.{name}", mode if name in present else "absent") for name in names]
    rows += list(source)
    return rows


class BundleWriter:
    """Streams the rows of each data file into `<folder>/<topic>.csv`, counting them."""

    def __init__(self, folder: Path) -> None:
        """Open one CSV writer per topic in `folder` (created if needed)."""
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.counts: dict[str, int] = dict.fromkeys(HEADERS, 0)
        self._stack = ExitStack()
        self._closed = False
        self.writers: dict[str, Any] = {}
        for topic, header in HEADERS.items():
            path = folder / f"{topic}.csv"
            handle = self._stack.enter_context(
                path.open("w", encoding="utf-8", newline="", buffering=_BUFFER)
            )
            self.writers[topic] = csv.writer(handle, lineterminator="\r\n")
            self.writers[topic].writerow(header)

    def row(self, topic: str, values: list[str] | tuple[str, ...]) -> None:
        """Write one data row of a topic."""
        self.writers[topic].writerow(values)
        self.counts[topic] += 1

    def rows(self, topic: str, values: list[list[str]]) -> None:
        """Write several data rows of a topic."""
        self.writers[topic].writerows(values)
        self.counts[topic] += len(values)

    def close(self) -> None:
        """Close the data files and write manifest.csv (once)."""
        if self._closed:
            return
        self._closed = True
        self._stack.close()
        with open(self.folder / "manifest.csv", "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\r\n")
            writer.writerow(("propertyName", "value"))
            writer.writerows(manifest_rows(tuple(HEADERS)))

    def __enter__(self) -> BundleWriter:
        """Use as a context manager."""
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Close everything, even on error."""
        self.close()


def bundle_files() -> list[str]:
    """The file names of a generated bundle, sorted as they are stored in the zip."""
    return sorted([*(f"{topic}.csv" for topic in HEADERS), "manifest.csv"])


def write_zip(folder: Path, out: Path, comment: str) -> None:
    """Zip a bundle folder byte-for-byte reproducibly: sorted entries, fixed times, deflate."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.comment = comment.encode("ascii")
        for name in bundle_files():
            source = folder / name
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            info.file_size = source.stat().st_size
            with source.open("rb") as src, archive.open(info, "w") as dst:
                shutil.copyfileobj(src, dst, _BUFFER)
    tmp.replace(out)
