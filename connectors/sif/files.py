"""SIF XML files: a folder or a .zip of them, scanned for the object kinds each one holds."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import AbstractContextManager
from pathlib import Path
from typing import IO

from connectors.base import ConnectorError
from connectors.sif.xml import OBJECT_KINDS, Raw, iter_objects, looks_like_xml

SCAN_CHUNK = 4 << 20
_BEFORE = b"<:"
_AFTER = b" \t\r\n/>"
# Every object kind's name ends with one of these: a buffer without the ending holds none of them.
_ENDINGS: tuple[tuple[bytes, frozenset[str]], ...] = tuple(
    (ending.encode(), frozenset(k for k in OBJECT_KINDS if k.endswith(ending)))
    for ending in ("Info", "Personal", "Enrollment", "Assignment", "Group")
)
assert frozenset().union(*(kinds for _, kinds in _ENDINGS)) == OBJECT_KINDS


def kinds_in(read: IO[bytes], together: Mapping[str, frozenset[str]] | None = None) -> set[str]:
    """The object kinds a document names as elements (a quick byte scan, never a parse).

    With `together` (a kind → the kinds always read with it), finding one kind counts its
    companions as found too, so they are not searched for: a file is read for all of them.
    """
    found: set[str] = set()
    tail = b""
    while len(found) < len(OBJECT_KINDS):
        chunk = read.read(SCAN_CHUNK)
        if not chunk:
            break
        buf = tail + chunk
        for ending, kinds in _ENDINGS:
            if kinds <= found or ending not in buf:
                continue
            for kind in kinds - found:
                if kind not in found and _names(buf, kind):
                    found.update(together.get(kind, (kind,)) if together else (kind,))
        tail = buf[-64:]
    return found


def _names(buf: bytes, kind: str) -> bool:
    """True when the kind (or its lowerCamel form) occurs as an element name in the buffer.

    Found after '<' or 'prefix:' and before a delimiter; the first letter is matched in either
    case, so one search covers both forms.
    """
    rest, initials = kind[1:].encode(), kind[:1].encode() + kind[:1].lower().encode()
    pos = buf.find(rest, 2)
    while pos != -1:
        end = pos + len(rest)
        if (
            buf[pos - 1] in initials
            and buf[pos - 2] in _BEFORE
            and end < len(buf)
            and buf[end] in _AFTER
        ):
            return True
        pos = buf.find(rest, pos + 1)
    return False


class SifFiles:
    """A folder (searched recursively) or a .zip of SIF XML files."""

    def __init__(self, path: str, together: Iterable[Iterable[str]] = ()) -> None:
        """`together`: groups of kinds always read together (one found stands for all)."""
        self.root = Path(path).expanduser()
        self.together = {k: frozenset(group) for group in map(tuple, together) for k in group}
        self.notes: list[str] = []
        self._index: dict[str, set[str]] | None = None
        self._sizes: dict[str, int] = {}
        if not self.root.exists():
            raise ConnectorError("no such file or folder", str(self.root))
        self.is_zip = self.root.is_file() and zipfile.is_zipfile(self.root)
        if self.root.is_file() and not self.is_zip and self.root.suffix.lower() != ".xml":
            raise ConnectorError("expected a folder, a .zip or an .xml file", str(self.root))

    def names(self) -> list[str]:
        """The XML files, by name relative to the root, sorted."""
        if self.is_zip:
            with zipfile.ZipFile(self.root) as zf:
                return sorted(
                    n for n in zf.namelist() if n.lower().endswith(".xml") and not n.endswith("/")
                )
        if self.root.is_file():
            return [self.root.name]
        return sorted(
            str(p.relative_to(self.root))
            for p in self.root.rglob("*")
            if p.suffix.lower() == ".xml" and p.is_file()
        )

    def label(self, name: str) -> str:
        """How a file is named in messages."""
        if self.is_zip:
            return f"{self.root.name}/{name}"
        return name

    def open(self, name: str) -> AbstractContextManager[IO[bytes]]:
        """Open one file for reading bytes."""
        if self.is_zip:
            return _ZipMember(self.root, name)
        path = self.root if self.root.is_file() else self.root / name
        return path.open("rb")

    def index(self) -> dict[str, set[str]]:
        """Each XML file and the object kinds it holds (files that are not XML are noted)."""
        if self._index is None:
            index: dict[str, set[str]] = {}
            for name in self.names():
                with self.open(name) as fh:
                    if not looks_like_xml(fh.read(512)):
                        self.notes.append(f"{self.label(name)}: not an XML document, skipped")
                        continue
                with self.open(name) as fh:
                    index[name] = kinds_in(fh, self.together)
            self._index = index
        return self._index

    def size(self, name: str) -> int:
        """The bytes of one file (uncompressed, in a zip)."""
        if name not in self._sizes:
            if self.is_zip:
                with zipfile.ZipFile(self.root) as zf:
                    self._sizes.update((i.filename, i.file_size) for i in zf.infolist())
            else:
                path = self.root if self.root.is_file() else self.root / name
                self._sizes[name] = path.stat().st_size
        return self._sizes.get(name, 0)

    def objects(self, kinds: Iterable[str]) -> Iterator[Raw]:
        """Every object of the given kinds, file by file, streamed (parsed in this process)."""
        wanted = set(kinds)
        names = [name for name, present in self.index().items() if present & wanted]
        yield from self._here(names, wanted)

    def _here(self, names: list[str], wanted: set[str]) -> Iterator[Raw]:
        """The objects of the files, parsed in this process."""
        for name in names:
            with self.open(name) as fh:
                yield from iter_objects(fh.read, self.label(name), wanted, self.notes)

    def describe(self) -> str:
        """The source in a few words."""
        return str(self.root)

    def close(self) -> None:
        """Nothing to release: each file is closed once read."""


class _ZipMember(AbstractContextManager[IO[bytes]]):
    """One member of a zip, opened with its archive and closed with it."""

    def __init__(self, archive: Path, name: str) -> None:
        self.zf = zipfile.ZipFile(archive)
        try:
            self.fh: IO[bytes] = self.zf.open(name)
        except Exception:
            self.zf.close()
            raise

    def __enter__(self) -> IO[bytes]:
        return self.fh

    def __exit__(self, *exc: object) -> None:
        self.fh.close()
        self.zf.close()
