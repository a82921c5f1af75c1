"""Fatal bad input: fetch() raises one located ConnectorError, check() reports it, never a crash."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from connectors.base import ConnectorError
from connectors.oneroster.csv import OneRosterCsvConnector
from tests.helpers.bundles import HEADERS_11 as H11
from tests.helpers.bundles import files11, replace_line
from tests.helpers.bundles import write_files as write
from tests.helpers.streams import values_of


def fetch_error(path: Path) -> ConnectorError:
    """The error reading every stream of the bundle raises."""
    conn = OneRosterCsvConnector({"path": str(path)})
    with pytest.raises(ConnectorError) as info:
        for stream in conn.fetch():
            values_of(stream)
    return info.value


def check_error(path: Path) -> str:
    """check()'s one-line error or first blocking item (check never raises)."""
    report = OneRosterCsvConnector({"path": str(path)}).check()
    assert not report.ok
    return report.error or report.missing_required()[0]


def bundle(tmp_path: Path, **changes: str | bytes) -> Path:
    """A 1.1 folder bundle with some files replaced (name without .csv) or removed ("-")."""
    files = files11()
    for name, text in changes.items():
        if text == "-":
            del files[f"{name}.csv"]
        else:
            files[f"{name}.csv"] = text
    return write(tmp_path / "b", files)


def test_unterminated_quote(tmp_path: Path) -> None:
    users = replace_line(files11()["users.csv"], 3, 'stu1,,,true,s1,student,"ann,,Ann')
    path = bundle(tmp_path, users=users)
    error = fetch_error(path)
    assert error.where == "users.csv:3"
    assert str(error).startswith("users.csv:3: unterminated quote")
    assert check_error(path).startswith("users.csv:3: unterminated quote")


def test_wrong_number_of_fields(tmp_path: Path) -> None:
    enrollments = str(files11()["enrollments.csv"]) + "e9,,,k1,s1,stu1,student\n"
    path = bundle(tmp_path, enrollments=enrollments)
    message = "enrollments.csv:5: the row has 7 fields but the header has 10"
    assert str(fetch_error(path)) == message
    assert check_error(path) == message


def test_bytes_that_are_not_utf8(tmp_path: Path) -> None:
    orgs = (H11["orgs"] + "\nd1,,,Lincoln USD,district,,\ns1,,,Caf\xe9,school,,d1\n").encode(
        "latin-1"
    )
    path = bundle(tmp_path, orgs=orgs)
    message = str(fetch_error(path))
    assert message.startswith("orgs.csv:3: not UTF-8 text: byte 0xE9")
    assert check_error(path) == message


def test_missing_required_file(tmp_path: Path) -> None:
    path = bundle(tmp_path, enrollments="-")
    assert (
        str(fetch_error(path)) == "b: enrollments.csv is missing: a OneRoster 1.1 bundle needs it"
    )
    assert check_error(path) == "enrollments"


def test_missing_required_column(tmp_path: Path) -> None:
    path = bundle(tmp_path, orgs="sourcedId,status,dateLastModified,name\nd1,,,USD\n")
    error = fetch_error(path)
    assert str(error) == "orgs.csv:1: required column missing: type"
    assert check_error(path) == "orgs.type"


def test_typo_in_required_column(tmp_path: Path) -> None:
    users = str(files11()["users.csv"]).replace("orgSourcedIds", "orgSourceIds", 1)
    path = bundle(tmp_path, users=users)
    assert str(fetch_error(path)) == (
        "users.csv:1: required column missing: orgSourcedIds "
        "(the header has 'orgSourceIds': a typo?)"
    )


def test_duplicate_header_names(tmp_path: Path) -> None:
    path = bundle(tmp_path, orgs="sourcedId,name,type,name\nd1,USD,district,X\n")
    message = "orgs.csv:1: duplicate column name 'name' (columns 2 and 4)"
    assert str(fetch_error(path)) == message
    assert check_error(path) == message


@pytest.mark.parametrize("content", ["", "\n\n"])
def test_empty_required_file(tmp_path: Path, content: str) -> None:
    path = bundle(tmp_path, classes=content)
    assert str(fetch_error(path)) == "classes.csv:1: classes.csv is empty (no header line)"
    assert check_error(path) == "classes: classes.csv is empty (no header line)"


def test_header_only_required_file(tmp_path: Path) -> None:
    path = bundle(tmp_path, enrollments=H11["enrollments"] + "\n")
    assert str(fetch_error(path)) == "enrollments.csv:2: enrollments.csv has no data rows"


def test_truncated_zip(tmp_path: Path) -> None:
    path = write(tmp_path / "b.zip", files11())
    path.write_bytes(path.read_bytes()[:-200])
    assert str(fetch_error(path)).startswith("b.zip: not a readable zip (truncated or corrupt?)")
    assert check_error(path).startswith("b.zip: not a readable zip")


def test_corrupt_zip_member(tmp_path: Path) -> None:
    files = files11()
    files["users.csv"] = str(files["users.csv"]) + "".join(
        f"u{i},,,true,s1,student,n{i * 7919 % 10007},,A,B,,,,,,,,\n" for i in range(30_000)
    )
    path = write(tmp_path / "b.zip", files)
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("users.csv")
    data = bytearray(path.read_bytes())
    start = info.header_offset + 30 + len(info.filename) + info.compress_size // 2
    data[start : start + 32] = bytes(32)
    path.write_bytes(bytes(data))
    message = "users.csv: corrupt data in the zip: Bad CRC-32 for file 'users.csv'"
    assert str(fetch_error(path)) == message
    assert check_error(path) == message


@pytest.mark.parametrize("entry", ["../escape.csv", "/tmp/escape.csv"])
def test_unsafe_zip_entry(tmp_path: Path, entry: str) -> None:
    files = {**files11(), entry: "x\n"}
    path = write(tmp_path / "b.zip", files)
    error = fetch_error(path)
    assert str(error) == (
        f"b.zip: the zip holds an unsafe entry name {entry!r} (absolute or '..'); refused"
    )
    assert check_error(path) == str(error)
    assert not (tmp_path / "escape.csv").exists()


def test_bad_manifest_header(tmp_path: Path) -> None:
    files = files11()
    files["manifest.csv"] = "property,value\noneroster.version,1.1\n"
    path = write(tmp_path / "b", files)
    message = "manifest.csv:1: manifest.csv must have the header propertyName,value"
    assert str(fetch_error(path)) == message
    assert check_error(path) == message
