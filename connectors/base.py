"""The Connector contract: declared options, a check report and streams of canonical records."""

from __future__ import annotations

import abc
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, ClassVar, Literal

from connectors.common.option_checks import KIND_CHECKS, check_ca_file, check_domains

_URL_LOGIN = re.compile(r"(\w+://[^/@:\s]*:)[^/@\s]*@")

OptionKind = Literal[
    "text",
    "path",
    "url",
    "secret",
    "choice",
    "int",
    "time",
    "list",
    "smtp",
    "date",
    "emails",
    "pattern",
]


@dataclass(frozen=True)
class Option:
    """One setting of a connector, declared once for the wizard, the CLI and the stored config."""

    name: str
    label: str
    kind: OptionKind = "text"
    required: bool = False
    secret: bool = False
    default: str | None = None
    help: str = ""
    choices: tuple[str, ...] = ()
    minimum: int | None = None  # an int option's range, checked when it is set
    maximum: int | None = None
    check: Callable[[Option, str], str | None] | None = None  # a check of its own (domains…)

    def validate(self, value: str | None) -> str | None:
        """Return a one-line problem with the value (the option named), or None when it is
        acceptable: its kind's check (a whole number in range, a choice, HH:MM, a URL with a
        host), then its own. The CLI and the wizard both ask this."""
        if value is None or value == "":
            return f"{self.name} is required" if self.required and self.default is None else None
        kind_check = KIND_CHECKS.get(self.kind)
        problem = kind_check(self, value) if kind_check else None
        if problem is None and self.check is not None:
            problem = self.check(self, value)
        if problem is None:
            return None
        shown = "hidden" if self.secret or self.kind == "secret" else repr(_unlogged(value))
        return f"{self.name} {problem} (got {shown})"


def _unlogged(value: str) -> str:
    """A value as it may be shown: a URL's password (scheme://user:password@host) masked."""
    return _URL_LOGIN.sub(r"\1***@", value)


# Options every method takes, after its own.
COMMON_OPTIONS: tuple[Option, ...] = (
    Option(
        "email_domains",
        "Email domains",
        "list",
        help="Comma-separated domains your accounts use (subdomains count); others are flagged.",
        check=check_domains,
    ),
    Option("sync_at", "Daily sync time", "time", default="02:00", help="Local time, HH:MM."),
    Option(
        "max_removal_pct",
        "Hold a sync that removes more than (%)",
        "int",
        default="10",
        help="A sync that would remove more of any topic is held for you to apply or discard.",
        minimum=0,
        maximum=100,
    ),
    Option(
        "stale_after_hours",
        "Stale after (hours)",
        "int",
        default="36",
        help="No successful sync for this long shows the data as stale.",
        minimum=1,
        maximum=24 * 366,
    ),
    Option("notify_url", "Notify URL", "url", help="Optional: a URL that is POSTed on failure."),
    Option(
        "keep_syncs",
        "Syncs kept in the history",
        "int",
        default="30",
        help="How many syncs keep their record-level changes (for review and rollback).",
        minimum=1,
        maximum=1000,
    ),
    # Email alerts (issue 21): off until smtp_url and notify_email are set.
    Option(
        "smtp_url",
        "SMTP server",
        "smtp",
        help="Optional: smtp://host:587 (STARTTLS when offered) or smtps://host:465.",
    ),
    Option("smtp_user", "SMTP user", help="Optional: the login (also the sender when an address)."),
    Option("smtp_password", "SMTP password", "secret", secret=True, help="The SMTP login's."),
    Option(
        "notify_email",
        "Alert recipients",
        "emails",
        help="Comma-separated addresses that get failures, holds, staleness and new errors.",
    ),
    Option(
        "digest_at",
        "Daily digest time",
        "time",
        help="Optional: HH:MM local; the daemon emails a summary every day then (off if blank).",
    ),
    Option(
        "adds_only_until",
        "Adds only until",
        "date",
        help="Optional YYYY-MM-DD: until then syncs apply additions and updates, hold removals.",
    ),
    Option(
        "ca_bundle",
        "CA bundle",
        "path",
        help="Optional: a CA file to verify TLS with (the API, the SMTP server).",
        check=check_ca_file,
    ),
    Option(
        "email_pattern",
        "Email pattern",
        "pattern",
        help="Optional: addresses proposed for users without one, per role, ';' between roles, "
        "e.g. student={given}.{family}{n}@students.example.org",
    ),
)


class ConnectorError(Exception):
    """A source problem told in one line: what went wrong and where (file:line:field or URL)."""

    def __init__(self, message: str, where: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.where = where

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


FieldStatus = Literal["present", "missing-required", "missing-recommended"]


@dataclass
class FieldReport:
    """How one field of a topic stands in the source."""

    name: str
    status: FieldStatus
    missing_rows: int = 0


@dataclass
class TopicReport:
    """How one topic stands in the source: present, how many rows, and its fields."""

    topic: str
    present: bool
    required: bool
    rows: int | None = None
    fields: list[FieldReport] = field(default_factory=list)
    problem: str | None = None

    @property
    def blocking(self) -> bool:
        """True when this topic keeps the source from being saved."""
        if self.required and not self.present:
            return True
        return self.problem is not None or any(f.status == "missing-required" for f in self.fields)


@dataclass
class CheckReport:
    """What `check()` found: whether the source was reached and what it holds."""

    reached: bool
    source: str
    error: str | None = None
    detail: dict[str, str] = field(default_factory=dict)
    topics: list[TopicReport] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the source was reached and every required item is present."""
        return self.reached and self.error is None and not any(t.blocking for t in self.topics)

    def missing_required(self) -> list[str]:
        """Each required item that is missing, as 'topic' or 'topic.field' (with the problem)."""
        out: list[str] = []
        for t in self.topics:
            if t.required and not t.present:
                out.append(t.topic)
            if t.problem:
                out.append(f"{t.topic}: {t.problem}")
            out += [f"{t.topic}.{f.name}" for f in t.fields if f.status == "missing-required"]
        return out

    def missing_recommended(self) -> list[str]:
        """Each recommended item that is missing or partly blank, with the rows that lack it."""
        out: list[str] = []
        for t in self.topics:
            if not t.required and not t.present:
                out.append(t.topic)
            for f in t.fields:
                if f.status == "missing-recommended":
                    out.append(f"{t.topic}.{f.name}")
                elif f.status == "present" and f.missing_rows:
                    rows = f"{f.missing_rows:,} row" + ("s" if f.missing_rows != 1 else "")
                    out.append(f"{t.topic}.{f.name} (blank in {rows})")
        return out

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form of the report."""
        data = asdict(self)
        data["ok"] = self.ok
        return data


# Where a native load puts each value: (table column, source field) pairs, the source field
# being a canonical field name, "extras" (the other columns as a JSON object, or NULL) or
# "ordinal" (the record's number in its source, from 1).
Targets = Sequence[tuple[str, str]]


@dataclass
class TopicStream:
    """One topic's records from a source, read lazily, as rows or by a load the source runs.

    `rows` yields source rows of any shape; `normalize(row)` returns the canonical values in
    `fields` order followed by an extras dict (or None) of every other column the source sent;
    `where(row)` names the row's place (file:line) for messages. A source that can put its
    records into a table itself (a CSV file read by SQLite's own reader) sets `load`:
    `load(connection, table, targets)` inserts every record with one statement and returns how
    many; `rows` is then empty.
    """

    topic: str
    mode: Literal["bulk", "delta"]
    fields: tuple[str, ...]
    rows: Iterable[Any]
    normalize: Callable[[Any], Sequence[Any]]
    where: Callable[[Any], str]
    expected_rows: int | None = None
    load: Callable[[Any, str, Targets], int] | None = None


@dataclass(frozen=True)
class SyncState:
    """What the engine remembers between syncs, for sources that can send only changes."""

    last_success_started_at: str | None = None  # UTC ISO start of the last successful sync
    last_full_started_at: str | None = None  # UTC ISO start of the last successful full sync


class Connector(abc.ABC):
    """A data source: declares its options, checks the source, streams canonical records."""

    id: ClassVar[str]
    label: ClassVar[str]
    help: ClassVar[str]
    options: ClassVar[tuple[Option, ...]]

    def __init__(self, settings: dict[str, str]) -> None:
        self.settings = dict(settings)
        self.warnings: list[str] = []

    @classmethod
    def all_options(cls) -> tuple[Option, ...]:
        """The method's own options followed by the common ones it does not declare itself."""
        own = {opt.name for opt in cls.options}
        return cls.options + tuple(opt for opt in COMMON_OPTIONS if opt.name not in own)

    def setting(self, name: str) -> str | None:
        """The value of an option, its default when unset."""
        value = self.settings.get(name)
        if value in (None, ""):
            for opt in self.all_options():
                if opt.name == name:
                    return opt.default
            return None
        return value

    def warn(self, message: str) -> None:
        """Record a warning the admin should see (read leniently, not fatal)."""
        if message not in self.warnings:
            self.warnings.append(message)

    @abc.abstractmethod
    def check(self) -> CheckReport:
        """Reach and read the source; report topics and fields present or missing."""

    @abc.abstractmethod
    def fetch(self, state: SyncState | None = None) -> Iterator[TopicStream]:
        """Stream every topic the source holds, in canonical TOPIC_ORDER.

        A source that can send only what changed since `state` does so (streams in "delta"
        mode); every other source ignores `state` and sends everything ("bulk").
        """

    def close(self) -> None:  # noqa: B027 - optional hook, nothing to release by default
        """Release what the connector holds open (files, HTTP clients)."""
