"""The generated district with planted changes, for bench.history: made once per scale."""

from __future__ import annotations

import csv
import json
import os
import shutil
from pathlib import Path

from .district import District

EDITED = ("users.csv", "enrollments.csv")


def ensure_changed(district: District, name: str, update_pm: int, churn_pm: int = 0) -> Path:
    """A copy of the district's bundle in which `update_pm` per mille of users (their given
    name) and of enrollments (their end date) are edited, and `churn_pm` per mille of students
    are removed (with their enrollments) while as many new students arrive (other ids, names,
    emails: not re-keys). The other files are hard links to the district's."""
    folder = district.folder.parent / "history" / name
    marker = folder / "made.json"
    wanted = {"from": str(district.folder), "counts": district.counts, "update": update_pm,
              "churn": churn_pm}  # fmt: skip
    if marker.is_file() and json.loads(marker.read_text("utf-8")) == wanted:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for path in district.files:
        if path.name not in EDITED:
            try:
                os.link(path, folder / path.name)
            except OSError:
                shutil.copyfile(path, folder / path.name)
    removed = _users(district.folder / "users.csv", folder / "users.csv", update_pm, churn_pm)
    _enrollments(
        district.folder / "enrollments.csv", folder / "enrollments.csv", update_pm, removed
    )
    marker.write_text(json.dumps(wanted), encoding="utf-8")
    return folder


def _users(source: Path, target: Path, update_pm: int, churn_pm: int) -> set[str]:
    """Write users.csv with the edits; the removed students' ids."""
    removed: set[str] = set()
    arrived: list[list[str]] = []
    with (
        source.open(encoding="utf-8", newline="") as fin,
        target.open("w", encoding="utf-8", newline="") as fout,
    ):
        rows, out = csv.reader(fin), csv.writer(fout, lineterminator="\n")
        header = next(rows)
        out.writerow(header)
        at = {name: i for i, name in enumerate(header)}
        for n, row in enumerate(rows):
            k = n % 1000
            if k < churn_pm and row[at["role"]] == "student":
                removed.add(row[at["sourcedId"]])
                new = list(row)
                new[at["sourcedId"]] += "-new"
                new[at["username"]] = "new." + row[at["username"]]
                new[at["email"]] = "new." + row[at["email"]]
                new[at["identifier"]] = row[at["identifier"]] + "N"
                new[at["userIds"]] = ""
                new[at["givenName"]] = row[at["givenName"]] + "a"
                arrived.append(new)
                continue
            if k >= 1000 - update_pm:
                row[at["givenName"]] = row[at["givenName"]] + "e"
            out.writerow(row)
        out.writerows(arrived)
    return removed


def _enrollments(source: Path, target: Path, update_pm: int, removed: set[str]) -> None:
    """Write enrollments.csv without the removed students' and with the end dates edited."""
    with (
        source.open(encoding="utf-8", newline="") as fin,
        target.open("w", encoding="utf-8", newline="") as fout,
    ):
        rows, out = csv.reader(fin), csv.writer(fout, lineterminator="\n")
        header = next(rows)
        out.writerow(header)
        user, end = header.index("userSourcedId"), header.index("endDate")
        for n, row in enumerate(rows):
            if row[user] in removed:
                continue
            if n % 1000 >= 1000 - update_pm:
                row[end] = "2027-06-30"
            out.writerow(row)
