"""Turn `--set KEY=VALUE` pairs into checked settings; secrets from a file, env or a prompt."""

from __future__ import annotations

import difflib
import getpass
import os
import sys
from collections.abc import Iterable
from pathlib import Path

from connectors.base import Option


class UsageError(Exception):
    """The command was called wrongly (exit 2)."""


def read_secret(opt: Option, value: str) -> str:
    """A secret given as @PATH, env:NAME or - (prompted without echo); else the value itself."""
    if value.startswith("@"):
        path = Path(value[1:]).expanduser()
        try:
            return path.read_text("utf-8").strip()
        except OSError as exc:
            raise UsageError(f"{opt.name}: cannot read {path}: {exc.strerror}") from exc
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


def split_secrets(
    options: Iterable[Option], settings: dict[str, str]
) -> tuple[dict[str, str], dict[str, str]]:
    """Separate the secret settings (stored owner-only) from the rest."""
    secret_names = {opt.name for opt in options if opt.secret}
    public = {k: v for k, v in settings.items() if k not in secret_names}
    secrets = {k: v for k, v in settings.items() if k in secret_names}
    return public, secrets
