"""Student data is private: the data dir 0700 and every file in it 0600, whatever the umask."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from datasync_tui.errors import DataSyncError

DIR_MODE = 0o700
FILE_MODE = 0o600
# Everything this process and its children create: owner-only (SQLite's database, WAL and SHM
# files, logs, locks, the daemon's files, exports, the parse and loader workers' files).
UMASK = 0o077
# What the app keeps in a data dir: only these are ever tightened (a data dir given as a folder
# that holds other things, a home, leaves those things alone).
OWN_FILES = (
    "datasync.db",
    "connection.json",
    "secrets.json",
    "sync.lock",
    "daemon.lock",
    "tui.json",
    "alerts.json",
    "alerts.lock",
)
OWN_PREFIXES = ("datasync.db-", "daemon.", "side-", ".connection.json.", ".secrets.json.")
OWN_PREFIXES += (".tui.json.", ".alerts.json.")
OWN_DIRS = ("logs", "exports")


class NotPrivate(DataSyncError):
    """The data dir is open to others and cannot be made private."""


def owner_only() -> None:
    """From now on this process (and what it starts) creates owner-only files and dirs."""
    os.umask(UMASK)


def _loose(mode: int) -> bool:
    """True when group or others have any access."""
    return bool(mode & 0o077)


def _ours(root: Path) -> list[Path]:
    """The app's own dirs and files in a data dir (links never followed)."""
    found: list[Path] = []
    for entry in os.scandir(root):
        name = entry.name
        if entry.is_dir(follow_symlinks=False) and name in OWN_DIRS:
            found.append(Path(entry.path))
            found += [
                Path(e.path) for e in os.scandir(entry.path) if e.is_file(follow_symlinks=False)
            ]
        elif entry.is_file(follow_symlinks=False) and (
            name in OWN_FILES or name.startswith(OWN_PREFIXES)
        ):
            found.append(Path(entry.path))
    return found


def tighten(root: Path) -> str | None:
    """Make an existing data dir private (the dir and the app's files in it); one line saying
    what was open to others and is now owner-only, or None when it was private already.

    Raises NotPrivate when it cannot or must not be changed: not this user's, a shared folder
    (sticky, like /tmp), or a chmod refused.
    """
    try:
        info = root.stat()
    except (FileNotFoundError, NotADirectoryError):
        return None
    if not stat.S_ISDIR(info.st_mode):
        return None  # not a folder: the command that uses it says so
    loose = [root] if _loose(info.st_mode) else []
    if loose and (info.st_uid != os.geteuid() or info.st_mode & stat.S_ISVTX):
        why = "a shared folder" if info.st_mode & stat.S_ISVTX else "not this user's"
        raise NotPrivate(
            f"the data dir {root} is open to others (mode {stat.S_IMODE(info.st_mode):04o}) "
            f"and is {why}: give --data-dir a folder of your own"
        )
    for path in _ours(root):
        try:
            if _loose(path.lstat().st_mode):
                loose.append(path)
        except FileNotFoundError:  # gone meanwhile (a sync's side file)
            continue
    if not loose:
        return None
    for path in loose:
        try:
            mode = path.lstat().st_mode
        except FileNotFoundError:
            continue
        try:
            path.chmod(DIR_MODE if stat.S_ISDIR(mode) else FILE_MODE)
        except FileNotFoundError:
            continue
        except PermissionError as exc:
            raise NotPrivate(
                f"the data dir {root} is open to others ({path} has mode "
                f"{stat.S_IMODE(mode):04o}) and cannot be made private ({exc.strerror}); "
                f"run `chmod -R go= {root}` as its owner"
            ) from exc
    what = (
        f"the data dir {root} was open to others (mode {stat.S_IMODE(info.st_mode):04o})"
        if loose[0] == root
        else f"{len(loose)} file(s) in the data dir {root} were open to others"
    )
    return f"{what}; made it owner-only (dirs 0700, files 0600)"
