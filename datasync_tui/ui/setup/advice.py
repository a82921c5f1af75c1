"""Plain words when a folder is not what the chosen method reads: empty, unrecognised CSVs, or
another format (an SDS export given to OneRoster CSV), with the method that reads it."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from connectors.mapped_csv.mapping import detect, preset

ONEROSTER_FILES = ("manifest.csv", "orgs.csv", "users.csv", "classes.csv", "enrollments.csv")
HEADER_BYTES = 65_536  # a header line is read, never a whole file


def _header(raw: bytes) -> list[str]:
    """The first CSV row of raw bytes."""
    text = raw.decode("utf-8-sig", errors="replace").splitlines()[:1]
    return next(csv.reader(io.StringIO(text[0])), []) if text else []


def read_headers(path: Path) -> tuple[list[str], dict[str, list[str]]]:
    """Every file name in a folder or .zip, and the header of each CSV among them."""
    names: list[str] = []
    headers: dict[str, list[str]] = {}
    if path.is_dir():
        for entry in sorted(path.iterdir()):
            if entry.is_file() and not entry.name.startswith("."):
                names.append(entry.name)
                if entry.suffix.lower() == ".csv":
                    with entry.open("rb") as fh:
                        headers[entry.name] = _header(fh.read(HEADER_BYTES))
    elif zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as bundle:
            for info in bundle.infolist():
                if info.is_dir():
                    continue
                name = info.filename.rsplit("/", 1)[-1]
                names.append(name)
                if name.lower().endswith(".csv"):
                    with bundle.open(info) as fh:
                        headers[name] = _header(fh.read(HEADER_BYTES))
    return names, headers


def _listed(names: list[str], most: int = 4) -> str:
    """'a.csv, b.csv and 3 more'."""
    shown = ", ".join(names[:most])
    return f"{shown} and {len(names) - most} more" if len(names) > most else shown


def folder_advice(method_id: str, value: str | None) -> str | None:
    """What is wrong with the folder for this method and which method reads it (None: nothing)."""
    if method_id not in ("oneroster-csv", "csv") or not value:
        return None
    path = Path(value).expanduser()
    try:
        names, headers = read_headers(path)
    except (OSError, zipfile.BadZipFile, UnicodeError):
        return None
    where = str(path)
    if not names:
        return f"{where} is empty: choose the folder (or .zip) your SIS exported its CSV files to."
    if not headers:
        return f"{where} holds no CSV files ({_listed(names)}): choose the folder of the export."
    lowered = {n.lower() for n in headers}
    found = detect(headers)
    if method_id == "oneroster-csv" and not lowered & set(ONEROSTER_FILES):
        if found:
            label = preset(found[0]).label.split(" (")[0]
            return (
                f"These are {label} files, not OneRoster: go back to Choose and pick the "
                f"Plain CSV method; its Mapping step detects the {found[0]} preset."
            )
        return (
            f"None of these CSV files ({_listed(sorted(headers))}) is a OneRoster file "
            f"({', '.join(ONEROSTER_FILES[1:])}): export OneRoster CSV from the SIS, or pick "
            "Plain CSV and map the columns."
        )
    if method_id == "csv" and not found:
        if "manifest.csv" in lowered:
            return "These are OneRoster files: go back to Choose and pick the OneRoster CSV method."
        return (
            f"No preset matches these CSV files ({_listed(sorted(headers))}): choose a custom "
            "mapping file in the Mapping step, or export the SIS's OneRoster CSV instead."
        )
    return None
