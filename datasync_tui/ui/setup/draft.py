"""What the admin has chosen so far; nothing is saved until Confirm."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from connectors.base import CheckReport, Option
from connectors.registry import METHODS, Method, Vendor, vendors
from datasync_tui.connection import split_secrets
from datasync_tui.store.config import Connection, keep_identity
from datasync_tui.viewmodels.setup import SourceChoice

# Options the Confirm step asks for (email alerts in its dialog); the Options step leaves them out.
CONFIRM_OPTIONS = (
    "sync_at",
    "email_domains",
    "smtp_url",
    "smtp_user",
    "smtp_password",
    "notify_email",
    "digest_at",
)


@dataclass
class Draft:
    """The wizard's state: the source, its option values and the check report."""

    current: Connection | None = None
    choice: SourceChoice | None = None
    values: dict[str, str] = field(default_factory=dict)
    report: CheckReport | None = None

    @classmethod
    def from_connection(cls, conn: Connection | None) -> Draft:
        """A draft holding the saved connection's values (or an empty one)."""
        if conn is None:
            return cls()
        return cls(current=conn, values=conn.all_settings())

    @property
    def current_key(self) -> str | None:
        """The Choose row of the saved connection."""
        if self.current is None:
            return None
        if self.current.vendor:
            return f"{self.current.vendor}/{self.current.method}"
        return self.current.method

    @property
    def method(self) -> Method:
        """The chosen method."""
        assert self.choice is not None
        return METHODS[self.choice.method_id]

    @property
    def vendor(self) -> Vendor | None:
        """The chosen vendor, if a vendor row was chosen."""
        if self.choice is None or self.choice.vendor_id is None:
            return None
        return vendors()[self.choice.vendor_id]

    def options(self) -> tuple[Option, ...]:
        """Every option of the chosen method (its own, then the common ones)."""
        return self.method.load().all_options()

    def choose(self, choice: SourceChoice) -> None:
        """Take a source; a different method starts from its presets, the same keeps values."""
        if self.choice is not None and self.choice.key == choice.key:
            return
        same_as_saved = self.current is not None and choice.key == self.current_key
        keep = self.current.all_settings() if same_as_saved and self.current else {}
        common = {k: v for k, v in self.values.items() if k in CONFIRM_OPTIONS}
        self.choice = choice
        presets = self.vendor.presets.get(choice.method_id, {}) if self.vendor else {}
        self.values = {**presets, **common, **keep}
        self.report = None

    def settings(self) -> dict[str, str]:
        """The values to check and save: blanks dropped, paths made absolute."""
        kinds = {opt.name: opt.kind for opt in self.options()}
        out = {}
        for name, value in self.values.items():
            value = value.strip()
            if not value or name not in kinds:
                continue
            if kinds[name] == "path":
                value = str(Path(value).expanduser().resolve())
            out[name] = value
        return out

    def connection(self) -> Connection:
        """The connection Confirm saves."""
        public, secrets = split_secrets(self.options(), self.settings())
        vendor = self.vendor
        conn = Connection(
            method=self.method.id,
            vendor=vendor.id if vendor else None,
            settings=public,
            secrets=secrets,
        )
        return keep_identity(conn, self.current)
