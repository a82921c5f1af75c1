"""The saved connection: settings in connection.json, secrets apart in an owner-only file."""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from datasync_tui import clock
from datasync_tui.errors import DataSyncError
from datasync_tui.paths import DataDir


class ConfigError(DataSyncError):
    """The saved connection cannot be read."""


@dataclass
class Connection:
    """A saved source: its method, vendor, settings and secrets."""

    method: str
    vendor: str | None
    settings: dict[str, str]
    secrets: dict[str, str] = field(default_factory=dict)
    connection_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    connected_at: str = field(default_factory=clock.iso_z)

    def all_settings(self) -> dict[str, str]:
        """Settings and secrets together, as the connector takes them."""
        return {**self.settings, **self.secrets}


# Settings that say where the data comes from: the same values mean the same source.
SOURCE_KEYS = ("path", "base_url", "client_id", "application_key", "zone", "context")


def same_source(a: Connection, b: Connection) -> bool:
    """True when two connections read the same source (other settings may differ)."""
    if (a.method, a.vendor) != (b.method, b.vendor):
        return False
    return all(a.settings.get(k) == b.settings.get(k) for k in SOURCE_KEYS)


def keep_identity(new: Connection, saved: Connection | None) -> Connection:
    """Re-saving the same source keeps its identity, so its history (and deletion hold) holds."""
    if saved is not None and same_source(new, saved):
        new.connection_id, new.connected_at = saved.connection_id, saved.connected_at
    return new


def _write_atomic(path: Path, text: str, mode: int) -> None:
    """Write a file so that a reader sees the old or the new content, never half."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def save(data_dir: DataDir, conn: Connection) -> None:
    """Save the connection: secrets first (0600), then the settings that point at them."""
    data_dir.ensure()
    _write_atomic(data_dir.secrets, json.dumps(conn.secrets, indent=2), 0o600)
    public = {
        "method": conn.method,
        "vendor": conn.vendor,
        "settings": conn.settings,
        "connection_id": conn.connection_id,
        "connected_at": conn.connected_at,
    }
    _write_atomic(data_dir.config, json.dumps(public, indent=2) + "\n", 0o600)


def load(data_dir: DataDir) -> Connection | None:
    """The saved connection, or None when no source is connected."""
    if not data_dir.config.exists():
        return None
    try:
        public = json.loads(data_dir.config.read_text("utf-8"))
        secrets = (
            json.loads(data_dir.secrets.read_text("utf-8")) if data_dir.secrets.exists() else {}
        )
        return Connection(
            method=public["method"],
            vendor=public.get("vendor"),
            settings=dict(public.get("settings", {})),
            secrets=dict(secrets),
            connection_id=public["connection_id"],
            connected_at=public["connected_at"],
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"{data_dir.config}: cannot read the saved connection ({exc})") from exc


def forget(data_dir: DataDir) -> bool:
    """Remove the saved connection and its secrets; True when there was one."""
    existed = data_dir.config.exists()
    data_dir.config.unlink(missing_ok=True)
    data_dir.secrets.unlink(missing_ok=True)
    return existed
