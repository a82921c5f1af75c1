"""A CSV file looked over in bounded chunks before SQLite's reader takes it (and copied out of a
zip on the way): what the reader would get wrong, and what would take unbounded memory.

SQLite's CSV reader (vsv) is fast and lenient: it keeps a field of any size in memory, accepts
an unterminated quote or a lone CR silently and stops a value at a NUL byte. The scan finds, at
C speed (bytes.count and find), whatever would make it read something other than what Python's
csv module reads: then the file is read exactly (and rewritten plainly, if it is sound).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

from connectors.base import ConnectorError

CHUNK = 1 << 16  # 64 KiB: a file with a newline in every chunk has no line over 128 KiB
FIELD_LIMIT = 131_072  # characters in one field (Python's csv default, and ours)
LINE_LIMIT = 16 << 20  # bytes in one physical line, read in one piece
QUOTED_LIMIT = 4 * FIELD_LIMIT  # bytes of one quoted run: over it, a field over FIELD_LIMIT
_LONE_CR = re.compile(rb"\r(?!\n)")
_ODD_QUOTES = re.compile(rb'(?<!")(?:"")*"(?!")')  # a run of quotes of odd length
# White space at a field's edge in a file without quotes: ASCII white space (but line ends) read
# as a space, commas and line ends as NUL, then a space next to a NUL; beyond ASCII, white
# space anywhere.
_EDGES = bytes.maketrans(b"\t\x0b\x0c\x1c\x1d\x1e\x1f,\r\n", b" " * 7 + b"\x00" * 3)
# White space beyond ASCII (U+0085, U+00A0, U+1680, U+2000-U+200A, U+2028, U+2029, U+202F,
# U+205F, U+3000) in UTF-8, looked for only when its first byte is there (é and most letters
# start with other bytes).
_WIDE_SPACES = re.compile(
    rb"\xc2[\x85\xa0]|\xe1\x9a\x80|\xe2\x80[\x80-\x8a\xa8\xa9\xaf]|\xe2\x81\x9f|\xe3\x80\x80"
)
_WIDE_FIRST = (b"\xc2", b"\xe1", b"\xe2", b"\xe3")


@dataclass
class Scan:
    """What a pass over the bytes found."""

    quotes: int = 0
    long_lines: bool = False  # some 64 KiB chunk without a newline: a field may be long
    odd: bool = False  # something the fast reader may read otherwise: read exactly
    why: str = ""  # what made it odd
    blank_lead: int = 0  # empty lines before the header
    spaced: bool = False  # some field may begin or end with white space

    @property
    def bare(self) -> bool:
        """True when no field begins or ends with white space (a file without quotes only)."""
        return not self.spaced and self.quotes == 0 and not self.odd

    @property
    def plain(self) -> bool:
        """True when the fast reader reads the file as Python's csv module would."""
        return not self.odd

    @property
    def may_hold_long_fields(self) -> bool:
        """False when no field can be over FIELD_LIMIT: no quotes (so no field spans lines) and
        a newline in every chunk (so no line is over two chunks)."""
        return self.long_lines or self.quotes > 0


class LongLine(Exception):
    """A line too long to read in one piece starts at this byte offset."""

    def __init__(self, offset: int) -> None:
        super().__init__(offset)
        self.offset = offset


def long_line_error(name: str, line: int) -> ConnectorError:
    """The one-line error for a line too long to read in one piece."""
    return ConnectorError(
        f"a line over {LINE_LIMIT >> 20} MiB: a field over {FIELD_LIMIT:,} characters, or an "
        "unterminated quote, from this line",
        where=f"{name}:{line}",
    )


def line_of(stream: IO[bytes], offset: int) -> int:
    """The number of the line that starts at a byte offset of the stream."""
    lines, done = 1, 0
    while done < offset:
        chunk = stream.read(min(CHUNK, offset - done))
        if not chunk:
            break
        lines += chunk.count(b"\n")
        done += len(chunk)
    return lines


def scan(stream: IO[bytes], sink: Callable[[bytes], object] | None = None) -> Scan:
    """Look over the whole stream in chunks (each also given to `sink`); raise LongLine for a
    line too long to read in one piece (the caller tells its number)."""
    found = Scan()
    offset = 0  # bytes before this chunk
    run = 0  # bytes since the last newline
    inside = 0  # bytes of the quoted run the last chunk ended in (quotes odd so far)
    first = True
    tail = b""
    utf8 = codecs.getincrementaldecoder("utf-8")()
    cr = b""  # a CR that ended the last chunk (its LF may start this one)
    edge = b"\n"  # the bytes before this chunk (a file starts as after a line end)
    while True:
        chunk = stream.read(CHUNK)
        if not chunk:
            break
        if sink is not None:
            sink(chunk)
        if first:
            found.blank_lead = _blank_lead(chunk)
            first = False
        newline = chunk.find(b"\n")
        if newline < 0:
            run += len(chunk)
            found.long_lines = True
            if run > LINE_LIMIT:
                raise LongLine(offset + len(chunk) - run)
        else:
            run = len(chunk) - chunk.rfind(b"\n") - 1
        quotes = chunk.count(b'"')
        if found.quotes % 2 and not _closes(tail + chunk):
            inside += len(chunk)
            if inside > QUOTED_LIMIT:
                _odd(found, f"a quoted field runs past {QUOTED_LIMIT >> 10} KiB")
        else:
            inside = 0
        found.quotes += quotes
        if not found.odd and (not chunk.isascii() or utf8.getstate()[0]):
            try:
                utf8.decode(chunk)
            except UnicodeDecodeError:
                _odd(found, "bytes that are not UTF-8")
        if b"\x00" in chunk:
            _odd(found, "a NUL byte")
        if cr or b"\r" in chunk:
            ends = cr + chunk
            cr = b"\r" if ends.endswith(b"\r") else b""
            if _LONE_CR.search(ends[:-1] if cr else ends):
                _odd(found, "a line ending in a lone CR")
        tail = chunk[len(chunk.rstrip(b'"')) :]  # a run of quotes may go on in the next chunk
        if not found.spaced and not found.quotes:
            found.spaced = _spaced(edge + chunk)
        edge = chunk[-2:]
        offset += len(chunk)
    if found.quotes % 2:
        _odd(found, "an odd number of quotes")
    if cr:
        _odd(found, "a lone CR at the end")
    if edge.translate(_EDGES).endswith(b" "):
        found.spaced = True
    try:
        utf8.decode(b"", final=True)
    except UnicodeDecodeError:
        _odd(found, "bytes that are not UTF-8 at the end")
    return found


def _spaced(data: bytes) -> bool:
    """True when some field of data may begin or end with white space."""
    flat = data.translate(_EDGES)
    if b"\x00 " in flat or b" \x00" in flat:
        return True
    if data.isascii() or not any(first in data for first in _WIDE_FIRST):
        return False
    return _WIDE_SPACES.search(data) is not None


def _odd(found: Scan, why: str) -> None:
    """Note that the file must be read exactly, and why (the first reason)."""
    if not found.odd:
        found.odd, found.why = True, why


def _closes(data: bytes) -> bool:
    """True when data holds a run of quotes of odd length (what can close a quoted field)."""
    return _ODD_QUOTES.search(data) is not None


def _blank_lead(chunk: bytes) -> int:
    """How many empty lines come before the first line with text (after a byte order mark)."""
    text = chunk[3:] if chunk.startswith(b"\xef\xbb\xbf") else chunk
    count = 0
    for line in text.split(b"\n"):
        if line.strip(b"\r"):
            return count
        count += 1
    return count
