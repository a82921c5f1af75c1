"""Where a data dir's files live: --data-dir, else $DATASYNC_HOME, else the platform data dir."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs


@dataclass(frozen=True)
class DataDir:
    """One data dir and the files inside it; two data dirs never share anything."""

    root: Path

    @classmethod
    def resolve(cls, explicit: str | os.PathLike[str] | None = None) -> DataDir:
        """Pick the data dir from the flag, the environment or the platform default."""
        if explicit:
            return cls(Path(explicit).expanduser().resolve())
        env = os.environ.get("DATASYNC_HOME")
        if env:
            return cls(Path(env).expanduser().resolve())
        return cls(Path(platformdirs.user_data_dir("datasync-tui", appauthor=False)))

    def ensure(self) -> DataDir:
        """Create the data dir and its exports folder (owner-only) if they do not exist yet."""
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.exports.mkdir(exist_ok=True, mode=0o700)
        return self

    @property
    def database(self) -> Path:
        """The SQLite database."""
        return self.root / "datasync.db"

    @property
    def config(self) -> Path:
        """The saved connection (no secrets)."""
        return self.root / "connection.json"

    @property
    def secrets(self) -> Path:
        """The connection's secrets, owner-only."""
        return self.root / "secrets.json"

    @property
    def sync_lock(self) -> Path:
        """The one-writer lock file."""
        return self.root / "sync.lock"

    @property
    def daemon_lock(self) -> Path:
        """The one-daemon lock file."""
        return self.root / "daemon.lock"

    @property
    def heartbeat(self) -> Path:
        """The daemon's heartbeat file."""
        return self.root / "daemon.json"

    @property
    def logs(self) -> Path:
        """The log folder."""
        return self.root / "logs"

    @property
    def exports(self) -> Path:
        """Where exports go by default."""
        return self.root / "exports"
