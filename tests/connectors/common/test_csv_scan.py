"""The look over a CSV file before SQLite's reader takes it: what it lets through, what it
sends to the exact reader, and the long line it refuses — at chunk edges too."""

from __future__ import annotations

import io

import pytest

from connectors.common.csv_scan import CHUNK, LINE_LIMIT, LongLine, line_of, scan


def scanned(data: bytes):
    """The scan of some bytes."""
    return scan(io.BytesIO(data))


def test_a_plain_file_is_plain() -> None:
    found = scanned(b"a,b\r\n1,2\r\n" * 20_000)
    assert found.plain and not found.may_hold_long_fields


def test_a_crlf_split_across_chunks_is_not_a_lone_cr() -> None:
    data = b"x" * (CHUNK - 1) + b"\r\n" + b"a,b\r\n"
    assert data[CHUNK - 1 : CHUNK] == b"\r"
    assert scanned(data).plain


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"a,b\r1,2\r", "lone CR"),
        (b"a,b\n1,\x002\n", "NUL"),
        (b'a,b\n1,"2\n', "odd number of quotes"),
        (b"a,b\n1,Caf\xe9\n", "not UTF-8"),
        (b"a,b\n1," + "é".encode() * (CHUNK // 2) + b"\xc3", "not UTF-8"),
        (b'a,b\n1,"' + b"x\n" * (2 * (4 * 131_072) // 2 + CHUNK) + b'"\n', "quoted field"),
    ],
)
def test_what_the_fast_reader_may_misread_is_read_exactly(data: bytes, why: str) -> None:
    found = scanned(data)
    assert found.odd and why in found.why


def test_doubled_quotes_at_a_chunk_edge_keep_a_field_open() -> None:
    body = b'a,b\n1,"' + b"x" * (CHUNK - 8) + b'""' + b"y" * (5 * 131_072) + b'"\n'
    assert scanned(body).odd  # one quoted field past 512 KiB, though "" sits on the edge


def test_a_line_too_long_is_refused_at_its_start() -> None:
    data = b"a,b\n1,2\n" + b"x" * (LINE_LIMIT + 2 * CHUNK)
    with pytest.raises(LongLine) as caught:
        scanned(data)
    assert caught.value.offset == 8
    assert line_of(io.BytesIO(data), caught.value.offset) == 3


def test_blank_lines_before_the_header_are_counted() -> None:
    assert scanned(b"\xef\xbb\xbf\r\n\na,b\n1,2\n").blank_lead == 2
