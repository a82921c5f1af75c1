"""Turn `--set KEY=VALUE` pairs into checked settings; secrets from a file, env or a prompt."""

from __future__ import annotations

import difflib
import getpass
import os
import stat
import sys
from collections.abc import Iterable
from pathlib import Path

from connectors.base import Option
from datasync_tui.errors import UsageError

# A secret read from a file is a token or a key, never more than this (a PEM key is ~3 KB).
SECRET_FILE_MAX = 64 * 1024


def read_secret_file(name: str, path: Path) -> str:
    """A secret file's text: a regular file of at most SECRET_FILE_MAX bytes, read no further."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        raise UsageError(f"{name}: cannot read {path}: {exc.strerror}") from exc
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise UsageError(f"{name}: {path} is not a regular file; give a file with the secret")
        data = fh.read(SECRET_FILE_MAX + 1)
    if len(data) > SECRET_FILE_MAX:
        limit = f"{SECRET_FILE_MAX // 1024} KB"
        raise UsageError(f"{name}: {path} is over {limit}; a secret file holds only the secret")
    try:
        return data.decode("utf-8").strip()
    except UnicodeDecodeError as exc:
        raise UsageError(f"{name}: {path} is not UTF-8 text (byte {exc.start})") from exc


def read_secret(opt: Option, value: str) -> str:
    """A secret given as @PATH, env:NAME or - (prompted without echo); else the value itself."""
    if value.startswith("@"):
        return read_secret_file(opt.name, Path(value[1:]).expanduser())
    if value.startswith("env:"):
        name = value[4:]
        if name not in os.environ:
            raise UsageError(f"{opt.name}: environment variable {name} is not set")
        return os.environ[name]
    if value == "-":
        if not sys.stdin.isatty():
            raise UsageError(f"{opt.name}: '-' asks on a terminal; use @PATH or env:NAME here")
        return getpass.getpass(f"{opt.label}: ")
    return value


def build_settings(options: Iterable[Option], pairs: dict[str, str]) -> dict[str, str]:
    """Check every pair against the declared options and return the settings to save."""
    by_name = {opt.name: opt for opt in options}
    settings: dict[str, str] = {}
    for key, value in pairs.items():
        opt = by_name.get(key)
        if opt is None:
            near = difflib.get_close_matches(key, by_name, n=1)
            hint = f" (did you mean {near[0]}?)" if near else ""
            raise UsageError(
                f"--set {key}: not an option of this method{hint}; options: {', '.join(by_name)}"
            )
        if opt.secret:
            value = read_secret(opt, value)
        problem = opt.validate(value)
        if problem:
            raise UsageError(f"--set {problem}")
        settings[key] = value
    for opt in by_name.values():
        if opt.required and opt.default is None and not settings.get(opt.name):
            raise UsageError(f"missing --set {opt.name}=… ({opt.label}: {opt.help})")
    return settings
