"""Writing fix files safely: beside and renamed, owner-only, never a folder nobody named."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from datasync_tui.errors import DataSyncError, Exit


class FixError(DataSyncError):
    """A fix file could not be written; the message names the path and why."""


class FixUsageError(FixError):
    """The path given cannot be used as it is (a missing folder, a folder where a file goes)."""

    exit_code = Exit.USAGE


def file_target(text: str | os.PathLike[str], what: str = "file") -> Path:
    """The path as an absolute file path whose folder exists (FixUsageError otherwise)."""
    path = Path(text).expanduser().absolute()
    if path.is_dir():
        raise FixUsageError(f"{path}: is a folder; give a {what} name")
    _parent_exists(path)
    return path


def dir_target(text: str | os.PathLike[str]) -> Path:
    """The path as an absolute folder path: an existing folder, or a new one in one that exists."""
    path = Path(text).expanduser().absolute()
    if path.exists() and not path.is_dir():
        raise FixUsageError(f"{path}: is a file; give a folder (it is created if missing)")
    if not path.exists():
        _parent_exists(path)
    return path


def _parent_exists(path: Path) -> None:
    """FixUsageError unless the path's folder exists (it is never created here)."""
    if not path.parent.is_dir():
        raise FixUsageError(f"{path}: the folder {path.parent} does not exist (create it first)")


def _temp_beside(path: Path) -> Path:
    """A hidden name next to path for work in progress."""
    return path.with_name(f".{path.name}.{os.getpid()}.part")


@contextmanager
def atomic_file(path: Path) -> Iterator[BinaryIO]:
    """A binary file that appears at path only when the block ends without an error."""
    tmp = _temp_beside(path)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb", buffering=1 << 20) as fh:
            yield fh
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise FixError(f"{path}: cannot write the file ({exc.strerror or exc})") from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def make_dir(path: Path) -> None:
    """Create the folder the user named (its parent exists), owner-only."""
    try:
        path.mkdir(mode=0o700, exist_ok=True)
    except OSError as exc:
        raise FixError(f"{path}: cannot create the folder ({exc.strerror or exc})") from exc
