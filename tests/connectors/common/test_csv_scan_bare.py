"""The scan before SQLite's CSV reader: a file whose fields have no white space around them."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from connectors.common.csv_reading import CsvTable
from connectors.common.csv_scan import CHUNK, scan

FIELD = st.text(
    st.sampled_from(list("ab1 ,\t\u00a0\u3000\u2009é\x1f-\u0085\u1680\u2028\u205f\u202f“")),
    max_size=6,
)


def bare(data: bytes) -> bool:
    """What the scan says of the bytes."""
    return scan(io.BytesIO(data)).bare


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"a,b\n1,2\n", True),
        (b"a,b\r\n1,x y\r\n", True),
        (b"a, b\n1,2\n", False),  # the header too: the scan does not tell lines apart
        (b"a,b\n1, 2\n", False),
        (b"a,b\n1 ,2\n", False),
        (b"a,b\n 1,2\n", False),
        (b"a,b\n1,2 \n", False),
        (b"a,b\n1,2 \r\n", False),
        (b"a,b\n1,2 ", False),
        (b"a,b\n1,\t2\n", False),
        (b"a,b\n1,\xc2\xa02\n", False),
        (b'a,b\n1,"2"\n', False),  # quotes: not known (a quoted field may hold anything)
        (b"a,b\n1," + b"x" * (CHUNK - 7) + b" ,3\n", False),  # the space ends a chunk
        (b"a,b\n1," + b"x" * (CHUNK - 7) + b", 3\n", False),  # the comma ends a chunk
    ],
)
def test_bare_files(data: bytes, expected: bool) -> None:
    assert bare(data) is expected


@given(st.lists(st.lists(FIELD, min_size=2, max_size=2), min_size=1, max_size=6))
@settings(max_examples=300, deadline=None)
def test_a_bare_file_has_no_field_to_strip(rows: list[list[str]]) -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([["a", "b"], *rows])
    data = out.getvalue().encode()
    if bare(data):
        table = CsvTable("f.csv", io.BufferedReader(io.BytesIO(data)))  # type: ignore[arg-type]
        assert all(value == value.strip() for _, fields in table.records() for value in fields)


def test_records_count_empty_lines_as_sqlite_reader_does() -> None:
    data = b'a,b\n1,2\n\n"x\ny",3\n,\n5,6'
    table = CsvTable("f.csv", io.BufferedReader(io.BytesIO(data)))  # type: ignore[arg-type]
    assert list(table.records()) == [
        (2, ["1", "2"]),
        (3, []),
        (4, ["x\ny", "3"]),
        (6, ["", ""]),
        (7, ["5", "6"]),
    ]
