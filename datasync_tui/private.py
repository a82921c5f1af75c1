"""Student data is private: the data dir 0700 and every file in it 0600, whatever the umask."""

from __future__ import annotations

import os
import stat
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600
# Everything this process and its children create: owner-only (SQLite's database, WAL and SHM
# files, logs, locks, the daemon's files, exports, the parse and loader workers' files).
UMASK = 0o077


class NotPrivate(Exception):
    """The data dir is open to others and cannot be made private (not its owner)."""


def owner_only() -> None:
    """From now on this process (and what it starts) creates owner-only files and dirs."""
    os.umask(UMASK)


def _loose(mode: int) -> bool:
    """True when group or others have any access."""
    return bool(mode & 0o077)


def tighten(root: Path) -> str | None:
    """Make an existing data dir private (the dir, its sub-dirs and files); one line saying what
    was opened to others and is now owner-only, or None when it was private already.

    Raises NotPrivate when it cannot be changed (the dir belongs to someone else).
    """
    try:
        info = root.stat()
    except FileNotFoundError:
        return None
    loose: list[Path] = [root] if _loose(info.st_mode) else []
    for folder, dirs, files in os.walk(root):
        base = Path(folder)
        for name in (*dirs, *files):
            path = base / name
            try:
                mode = path.lstat().st_mode
            except FileNotFoundError:  # gone meanwhile (a sync's side file)
                continue
            if not stat.S_ISLNK(mode) and _loose(mode):
                loose.append(path)
    if not loose:
        return None
    for path in loose:
        mode = path.lstat().st_mode
        try:
            path.chmod(DIR_MODE if stat.S_ISDIR(mode) else FILE_MODE)
        except PermissionError as exc:
            raise NotPrivate(
                f"the data dir {root} is open to others ({path} has mode "
                f"{stat.S_IMODE(mode):04o}) and cannot be made private ({exc.strerror}); "
                f"run `chmod -R go= {root}` as its owner"
            ) from exc
        except FileNotFoundError:
            continue
    first = loose[0]
    what = (
        f"the data dir {root} was open to others (mode {stat.S_IMODE(info.st_mode):04o})"
        if first == root
        else f"{len(loose)} file(s) in the data dir {root} were open to others"
    )
    return f"{what}; made it owner-only (dirs 0700, files 0600)"
