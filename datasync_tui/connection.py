"""Save the connection as a writer: every value checked as declared, never mid-sync."""

from __future__ import annotations

from collections.abc import Iterable

from connectors.base import Option
from connectors.registry import resolve
from datasync_tui.paths import DataDir
from datasync_tui.store import config
from datasync_tui.sync.lock import FileLock


class InvalidSetting(ValueError):
    """A value the option's declaration refuses (the option named in the message)."""


def setting_problem(conn: config.Connection) -> str | None:
    """The first setting its option refuses (range, type, URL, choice…), or None."""
    method, _ = resolve(conn.vendor or conn.method, conn.method)
    options = {opt.name: opt for opt in method.load().all_options()}
    values = conn.all_settings()
    for name, opt in options.items():
        problem = opt.validate(values.get(name))
        if problem:
            return problem
    return None


def save_connection(data_dir: DataDir, conn: config.Connection) -> None:
    """Save the connection, holding the writer lock (BusyError while a sync runs); a value
    its option refuses is never saved (InvalidSetting)."""
    problem = setting_problem(conn)
    if problem:
        raise InvalidSetting(problem)
    data_dir.ensure()
    with FileLock(data_dir.sync_lock):
        config.save(data_dir, conn)


def split_secrets(
    options: Iterable[Option], settings: dict[str, str]
) -> tuple[dict[str, str], dict[str, str]]:
    """Separate the secret settings (stored owner-only) from the rest."""
    secret_names = {opt.name for opt in options if opt.secret}
    public = {k: v for k, v in settings.items() if k not in secret_names}
    secrets = {k: v for k, v in settings.items() if k in secret_names}
    return public, secrets
