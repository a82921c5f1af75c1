"""Streaming CSV reading from a folder or a .zip read in place, with located one-line errors."""

from __future__ import annotations

import csv
import io
import os
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from itertools import chain, count
from pathlib import Path
from typing import IO

from connectors.base import ConnectorError
from connectors.common.csv_scan import LINE_LIMIT, long_line_error

BOM = b"\xef\xbb\xbf"
BUFFER = 1 << 20
NumberedRow = tuple[int, list[str]]

_DRIVE = re.compile(r"^[A-Za-z]:")
_IGNORED_DIRS = ("__MACOSX/",)
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError)


def _unsafe(name: str) -> bool:
    """True for a zip entry name that is absolute or climbs out with '..'."""
    if name.startswith(("/", "\\")) or _DRIVE.match(name):
        return True
    return ".." in re.split(r"[\\/]", name)


def _hidden(name: str) -> bool:
    """True for entries that are never data: macOS resource forks and dot files."""
    return name.startswith(_IGNORED_DIRS) or name.rsplit("/", 1)[-1].startswith(".")


class Bundle:
    """A folder or a .zip of CSV files, opened in place (nothing is extracted to disk)."""

    @classmethod
    def of_setting(cls, path: str | None, warn: Callable[[str], None], what: str) -> Bundle:
        """The bundle a connector's `path` setting names; when unset, says `what` it should be."""
        if not path:
            raise ConnectorError(f"path is required: {what}")
        return cls(path, warn)

    def __init__(self, path: str, warn: Callable[[str], None] | None = None) -> None:
        self.path = Path(os.path.expanduser(path))
        self.label = self.path.name or str(self.path)
        self.warn = warn or (lambda _message: None)
        self._zip: zipfile.ZipFile | None = None
        self._files: dict[str, tuple[str, str]] = {}  # lower-case name -> (name, member/path)
        if self.path.is_dir():
            self.kind = "folder"
            try:
                self._index_folder()
            except OSError as exc:
                raise ConnectorError(
                    f"cannot list the folder: {exc}", where=str(self.path)
                ) from None
        elif self.path.is_file():
            self.kind = "zip"
            if _is_csv(self.path.name):
                raise ConnectorError(
                    "this is one CSV file; give the folder that holds the bundle, or its .zip",
                    where=str(self.path),
                )
            self._index_zip()
        else:
            raise ConnectorError("no such file or folder", where=str(self.path))

    def _index_folder(self) -> None:
        """Index the folder's CSV files, or those of its single subfolder."""
        root = [p for p in self.path.iterdir() if p.is_file() and not p.name.startswith(".")]
        if not any(p.suffix.lower() == ".csv" for p in root):
            subs = [p for p in self.path.iterdir() if p.is_dir() and any(p.glob("*.[cC][sS][vV]"))]
            if len(subs) == 1:
                self.warn(f"the CSV files are inside the folder {subs[0].name}/; read from there")
                root = [p for p in subs[0].iterdir() if p.is_file()]
        self._files = {p.name.lower(): (p.name, str(p)) for p in root}

    def _index_zip(self) -> None:
        """Open the zip, refuse unsafe entry names, and index the CSV files."""
        try:
            self._zip = zipfile.ZipFile(self.path)
            names = [info.filename for info in self._zip.infolist()]
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise ConnectorError(
                f"not a readable zip (truncated or corrupt?): {exc}", where=self.label
            ) from None
        for name in names:
            if _unsafe(name):
                self.close()
                raise ConnectorError(
                    f"the zip holds an unsafe entry name {name!r} (absolute or '..'); refused",
                    where=self.label,
                )
        files = [n for n in names if not n.endswith("/") and not _hidden(n)]
        folders = {n.rsplit("/", 1)[0] if "/" in n else "" for n in files if _is_csv(n)}
        if len(folders) > 1 and "" not in folders:
            listed = ", ".join(sorted(f + "/" for f in folders))
            raise ConnectorError(f"CSV files are spread over several folders: {listed}", self.label)
        folder = folders.pop() if len(folders) == 1 else ""
        if folder:
            self.warn(f"the CSV files are inside the folder {folder}/ of the zip")
        prefix = folder + "/" if folder else ""
        for name in files:
            rest = name[len(prefix) :] if name.startswith(prefix) else None
            if rest and "/" not in rest:
                self._files[rest.lower()] = (rest, name)

    def find(self, filename: str) -> str | None:
        """The file name as stored in the bundle (any case), or None when absent."""
        found = self._files.get(filename.lower())
        if found is None:
            return None
        stored = found[0]
        if stored != filename:
            self.warn(f"{stored} read as {filename}")
        return stored

    def names(self) -> list[str]:
        """Every file name at the bundle's root."""
        return sorted(name for name, _ in self._files.values())

    def size(self, filename: str) -> int:
        """The size of one file of the bundle in bytes (uncompressed, for a zip member)."""
        key = self._files[filename.lower()][1]
        if self._zip is not None:
            return self._zip.getinfo(key).file_size
        return os.stat(key).st_size

    def disk_path(self, filename: str) -> Path | None:
        """Where one file of a folder bundle is on disk (None for a zip member)."""
        return None if self._zip is not None else Path(self._files[filename.lower()][1])

    def open(self, filename: str) -> IO[bytes]:
        """A buffered binary stream of one file of the bundle."""
        key = self._files[filename.lower()][1]
        try:
            if self._zip is not None:
                return io.BufferedReader(self._zip.open(key), BUFFER)  # type: ignore[arg-type]
            return open(key, "rb", buffering=BUFFER)
        except (OSError, RuntimeError, *ZIP_ERRORS) as exc:
            raise ConnectorError(f"cannot open the file: {exc}", where=filename) from None

    def damaged(self, filename: str) -> str | None:
        """Why a zip member's data is corrupt (read to its CRC check), or None when it is sound."""
        if self._zip is None:
            return None
        try:
            with self._zip.open(self._files[filename.lower()][1]) as member:
                while member.read(BUFFER):
                    pass
        except (OSError, *ZIP_ERRORS) as exc:
            return str(exc) or type(exc).__name__
        return None

    def table(self, filename: str, warn: Callable[[str], None] | None = None) -> CsvTable:
        """Open one file of the bundle as a CsvTable (its header read)."""
        return CsvTable(filename, self.open(filename), warn, damaged=lambda: self.damaged(filename))

    def close(self) -> None:
        """Close the zip, when one is open."""
        if self._zip is not None:
            self._zip.close()
            self._zip = None


def _is_csv(name: str) -> bool:
    """True for a file name ending in .csv (any case)."""
    return name.lower().endswith(".csv")


class CsvTable:
    """One CSV file read as a stream: its header first, then `(line, fields)` rows."""

    def __init__(
        self,
        name: str,
        stream: IO[bytes],
        warn: Callable[[str], None] | None = None,
        damaged: Callable[[], str | None] | None = None,
    ) -> None:
        """`damaged()`, when given, tells whether the file's storage is corrupt (after an error)."""
        self.name = name
        self._stream = stream
        self._warn = warn or (lambda _message: None)
        self._damaged = damaged
        self.header: list[str] | None = None
        self.bom = False
        self.crlf = False
        try:
            first = _bounded_line(stream, name, 1)
        except ZIP_ERRORS as exc:
            stream.close()
            raise ConnectorError(f"corrupt data in the zip: {exc}", where=name) from None
        except OSError as exc:
            stream.close()
            raise ConnectorError(f"cannot read the file: {exc}", where=name) from None
        if first.startswith(BOM):
            self.bom = True
            first = first[len(BOM) :]
        self.crlf = first.endswith(b"\r\n")
        try:
            decoded = first.decode()
        except UnicodeDecodeError as exc:
            stream.close()
            raise _decode_error(name, 1, exc) from None
        lines = map(bytes.decode, _bounded_lines(stream, name))
        self._reader = csv.reader(chain((decoded,), lines), strict=True)
        self._line = 0
        record = self._next()
        while record is not None and not record[1]:  # blank lines before the header
            record = self._next()
        if record is not None:
            self.header = record[1]
        else:
            stream.close()

    def _next(self) -> NumberedRow | None:
        """The next record with the line it starts on, None at the end; errors are located."""
        start = self._line + 1
        try:
            fields = next(self._reader)
        except StopIteration:
            return None
        except csv.Error as exc:
            raise _csv_error(self.name, start, exc) from None
        except UnicodeDecodeError as exc:
            raise _decode_error(self.name, self._reader.line_num + 1, exc) from None
        except (OSError, *ZIP_ERRORS) as exc:
            raise ConnectorError(
                f"cannot read the file (corrupt or truncated data): {exc}",
                where=f"{self.name}:{self._reader.line_num + 1}",
            ) from None
        self._line = self._reader.line_num
        return start, fields

    def rows(self) -> Iterator[NumberedRow]:
        """Yield each data row as (line number, fields); blank lines are skipped."""
        if self.header is None:
            return
        width = len(self.header)
        reader = self._reader
        line = self._line
        blank = 0
        error: ConnectorError | None = None
        try:
            for fields in reader:
                start = line + 1
                line = reader.line_num
                if len(fields) != width:
                    if not fields:
                        continue
                    raise _width_error(self.name, start, line, len(fields), width)
                if not fields[0] and not any(fields):
                    blank += 1
                    continue
                yield start, fields
        except ConnectorError as exc:
            error = exc
        except csv.Error as exc:
            error = _csv_error(self.name, line + 1, exc)
        except UnicodeDecodeError as exc:
            error = _decode_error(self.name, reader.line_num + 1, exc)
        except (OSError, *ZIP_ERRORS) as exc:
            error = ConnectorError(
                f"cannot read the file (corrupt or truncated data): {exc}",
                where=f"{self.name}:{reader.line_num + 1}",
            )
        finally:
            self._stream.close()
        if error is not None:
            why = self._damaged() if self._damaged else None
            if why:  # garbage from a damaged zip member: say so rather than blame a row
                raise ConnectorError(f"corrupt data in the zip: {why}", where=self.name) from None
            raise error from None
        if blank:
            self._warn(f"{self.name}: {blank} rows with every field empty were skipped")

    def records(self) -> Iterator[NumberedRow]:
        """Every record after the header as (line, fields), empty lines too (SQLite's CSV
        reader numbers them alike); errors are located."""
        if self.header is None:
            return
        while (record := self._next()) is not None:
            yield record

    def close(self) -> None:
        """Close the underlying stream."""
        self._stream.close()


def _bounded_line(stream: IO[bytes], name: str, number: int) -> bytes:
    """One line of at most LINE_LIMIT bytes (a longer one is refused, located, unread)."""
    line = stream.readline(LINE_LIMIT + 1)
    if len(line) > LINE_LIMIT:
        raise long_line_error(name, number)
    return line


def _bounded_lines(stream: IO[bytes], name: str) -> Iterator[bytes]:
    """The stream's lines after the first, each read in at most LINE_LIMIT bytes."""
    for number in count(2):
        line = _bounded_line(stream, name, number)
        if not line:
            return
        yield line


def _width_error(name: str, start: int, end: int, got: int, width: int) -> ConnectorError:
    """The error for a row with the wrong number of fields."""
    message = f"the row has {got} fields but the header has {width}"
    if end > start:
        message += f" (a quoted field runs from line {start} to {end}: a missing closing quote?)"
    return ConnectorError(message, where=f"{name}:{start}")


def _csv_error(name: str, line: int, exc: csv.Error) -> ConnectorError:
    """A csv module error told in plain words, at the line where the record starts."""
    text = str(exc)
    if "unexpected end of data" in text:
        message = "unterminated quote: a quoted field that opens on this line never closes"
    elif "field larger than field limit" in text:
        message = "unterminated quote (or a field over 131,072 characters) from this line"
    elif "expected after" in text:
        message = "bad quoting: text follows a closing quote (quotes inside a field are doubled)"
    else:
        message = f"unreadable CSV: {text}"
    return ConnectorError(message, where=f"{name}:{line}")


def _decode_error(name: str, line: int, exc: UnicodeDecodeError) -> ConnectorError:
    """The error for bytes that are not UTF-8."""
    byte = exc.object[exc.start]
    return ConnectorError(
        f"not UTF-8 text: byte 0x{byte:02X} at position {exc.start + 1} of the line "
        "(save the file as UTF-8)",
        where=f"{name}:{line}",
    )
