"""The streaming CSV reader and the bundle opener: quirks read, bad input located."""

from __future__ import annotations

import csv
import io
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connectors.base import ConnectorError
from connectors.common.csv_reading import Bundle, CsvTable


def table(data: bytes, name: str = "users.csv", warnings: list[str] | None = None) -> CsvTable:
    """A CsvTable over bytes."""
    sink = warnings if warnings is not None else []
    return CsvTable(name, io.BufferedReader(io.BytesIO(data)), sink.append)  # type: ignore[arg-type]


def read_all(data: bytes, name: str = "users.csv") -> tuple[list[str] | None, list]:
    """The header and every (line, fields) row."""
    t = table(data, name)
    return t.header, list(t.rows())


def error_of(data: bytes, name: str = "users.csv") -> str:
    """The text of the ConnectorError reading `data` raises."""
    with pytest.raises(ConnectorError) as info:
        read_all(data, name)
    return str(info.value)


def test_rows_carry_their_starting_line() -> None:
    data = b'a,b\n1,2\n\n"x\ny",3\n4,5\n'
    header, rows = read_all(data)
    assert header == ["a", "b"]
    assert rows == [(2, ["1", "2"]), (4, ["x\ny", "3"]), (6, ["4", "5"])]


def test_bom_and_crlf() -> None:
    t = table(b'\xef\xbb\xbfsourcedId,name\r\n1,Ann\r\n2,"B, b"\r\n')
    assert t.bom and t.crlf
    assert t.header == ["sourcedId", "name"]
    assert list(t.rows()) == [(2, ["1", "Ann"]), (3, ["2", "B, b"])]


def test_no_trailing_newline_and_empty_rows() -> None:
    warnings: list[str] = []
    t = table(b"a,b\n,\n1,2", warnings=warnings)
    assert list(t.rows()) == [(3, ["1", "2"])]
    assert warnings == ["users.csv: 1 rows with every field empty were skipped"]


def test_zero_byte_file_has_no_header() -> None:
    assert table(b"").header is None


def test_unterminated_quote_names_file_and_line() -> None:
    message = error_of(b'a,b\n1,2\n3,"oops\n4,5\n')
    assert message.startswith("users.csv:3: unterminated quote")


def test_wrong_field_count_names_file_and_line() -> None:
    assert error_of(b"a,b\n1,2\n1,2,3\n") == (
        "users.csv:3: the row has 3 fields but the header has 2"
    )


def test_wrong_field_count_across_lines_hints_at_a_quote() -> None:
    assert error_of(b'a,b\n1,"2\n3,4\n5",6,7\n') == (
        "users.csv:2: the row has 4 fields but the header has 2 "
        "(a quoted field runs from line 2 to 4: a missing closing quote?)"
    )


def test_text_after_closing_quote() -> None:
    assert error_of(b'a,b\n1,"2"x\n').startswith("users.csv:2: bad quoting")


def test_bytes_that_are_not_utf8_name_the_line() -> None:
    message = error_of(b"a,b\n1,2\n3,caf\xe9\n")
    assert message.startswith("users.csv:3: not UTF-8 text: byte 0xE9")


def test_bad_bytes_deep_in_a_long_file() -> None:
    lines = [b"a,b"] + [b"%d,x" % i for i in range(20_000)] + [b"9,\xff"]
    message = error_of(b"\n".join(lines) + b"\n")
    assert message.startswith("users.csv:20002: not UTF-8 text: byte 0xFF")


def test_bad_bytes_in_header() -> None:
    with pytest.raises(ConnectorError, match=r"users.csv:1: not UTF-8"):
        table(b"a,\xc3b\n")


# -- bundles ---------------------------------------------------------------------------------


def zip_of(path: Path, files: dict[str, str]) -> Path:
    """Write a zip holding `files`."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in files.items():
            zf.writestr(name, text)
    return path


def test_folder_bundle_finds_files_any_case(tmp_path: Path) -> None:
    (tmp_path / "Users.CSV").write_text("a\n1\n")
    warnings: list[str] = []
    bundle = Bundle(str(tmp_path), warnings.append)
    assert bundle.kind == "folder"
    assert bundle.find("users.csv") == "Users.CSV"
    assert warnings == ["Users.CSV read as users.csv"]
    assert CsvTable("users.csv", bundle.open("users.csv")).header == ["a"]


def test_enclosing_folder_in_zip(tmp_path: Path) -> None:
    path = zip_of(tmp_path / "b.zip", {"export/users.csv": "a\n1\n", "__MACOSX/._x": "junk"})
    warnings: list[str] = []
    bundle = Bundle(str(path), warnings.append)
    assert bundle.find("users.csv") == "users.csv"
    assert "inside the folder export/" in warnings[0]
    assert list(CsvTable("users.csv", bundle.open("users.csv")).rows()) == [(2, ["1"])]
    bundle.close()


def test_enclosing_folder_on_disk(tmp_path: Path) -> None:
    (tmp_path / "export").mkdir()
    (tmp_path / "export" / "users.csv").write_text("a\n1\n")
    warnings: list[str] = []
    assert Bundle(str(tmp_path), warnings.append).find("users.csv") == "users.csv"
    assert "inside the folder export/" in warnings[0]


@pytest.mark.parametrize("entry", ["../evil.csv", "/etc/evil.csv", "a/../../evil.csv", "C:/x.csv"])
def test_unsafe_zip_entries_refuse_the_whole_zip(tmp_path: Path, entry: str) -> None:
    path = zip_of(tmp_path / "b.zip", {"users.csv": "a\n1\n", entry: "x\n"})
    with pytest.raises(ConnectorError) as info:
        Bundle(str(path))
    assert str(info.value).startswith("b.zip: the zip holds an unsafe entry name")
    assert entry in str(info.value)
    assert not (tmp_path.parent / "evil.csv").exists()


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "b.zip"
    path.write_bytes(b"this is not a zip at all")
    with pytest.raises(ConnectorError, match=r"^b.zip: not a readable zip"):
        Bundle(str(path))


def test_truncated_zip(tmp_path: Path) -> None:
    path = zip_of(tmp_path / "b.zip", {"users.csv": "a,b\n" + "1,2\n" * 5000})
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ConnectorError, match=r"^b.zip: not a readable zip \(truncated or corrupt"):
        Bundle(str(path))


def test_corrupt_member_data_is_located(tmp_path: Path) -> None:
    rows = "".join(f"{i},name{i * 7919 % 10007}\n" for i in range(50_000))
    path = zip_of(tmp_path / "b.zip", {"users.csv": "a,b\n" + rows})
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 64] = bytes(64)
    path.write_bytes(bytes(data))
    bundle = Bundle(str(path))
    assert bundle.damaged("users.csv") == "Bad CRC-32 for file 'users.csv'"
    with pytest.raises(ConnectorError, match=r"^users.csv: corrupt data in the zip: Bad CRC-32"):
        list(bundle.table("users.csv").rows())
    bundle.close()


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(ConnectorError, match="no such file or folder"):
        Bundle(str(tmp_path / "nope"))


def test_a_single_csv_file_is_not_a_bundle(tmp_path: Path) -> None:
    path = tmp_path / "users.csv"
    path.write_text("a\n1\n")
    with pytest.raises(ConnectorError, match="one CSV file"):
        Bundle(str(path))


# -- properties and streaming ----------------------------------------------------------------

TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\ufeff"),
    max_size=12,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    width=st.integers(1, 5),
    data=st.data(),
    quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]),
    bom=st.booleans(),
    terminator=st.sampled_from(["\n", "\r\n"]),
)
def test_reads_back_what_csv_writer_wrote(
    width: int, data: st.DataObject, quoting: int, bom: bool, terminator: str
) -> None:
    text = TEXT if terminator == "\r\n" else TEXT.filter(lambda s: "\r" not in s)
    row = st.lists(text, min_size=width, max_size=width)
    header = data.draw(row)
    rows = data.draw(st.lists(row, max_size=8))
    buf = io.StringIO()
    writer = csv.writer(buf, quoting=quoting, lineterminator=terminator)
    writer.writerow(header)
    writer.writerows(rows)
    raw = (b"\xef\xbb\xbf" if bom else b"") + buf.getvalue().encode()
    got_header, got = read_all(raw)
    assert got_header == header
    # By design a row whose every field is empty is skipped (with a warning), nothing else.
    assert [fields for _, fields in got] == [r for r in rows if any(r)]


def test_reading_streams_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "enrollments.csv"
    with path.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["sourcedId", "classSourcedId", "userSourcedId", "role", "beginDate"])
        for i in range(200_000):
            writer.writerow([f"e{i}", f"k{i % 900}", f"u{i}", "student", "2026-08-15"])
    assert path.stat().st_size > 7_000_000
    bundle = Bundle(str(tmp_path))
    tracemalloc.start()
    try:
        count = sum(1 for _ in CsvTable("enrollments.csv", bundle.open("enrollments.csv")).rows())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 200_000
    assert peak < 4_000_000
