"""The OneRoster REST API connector: 1.1 and 1.2, OAuth 2 or OAuth 1.0a, paged, retried, delta."""

from __future__ import annotations

import ipaddress
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import IO, Any
from urllib.parse import urlsplit

import httpx
import orjson

from connectors.base import (
    CheckReport,
    Connector,
    ConnectorError,
    SyncState,
    TopicReport,
    TopicStream,
)
from connectors.canonical import TOPIC_ORDER, field_names
from connectors.common.http_client import Authenticator, HttpClient, HttpError
from connectors.common.http_paging import OffsetPager, total_count
from connectors.common.oauth import OAuth1Signer, OAuth2ClientCredentials
from connectors.oneroster.api_options import OPTIONS
from connectors.oneroster.json import error_detail, normalizer, page_records, role_rows
from connectors.oneroster.json_check import REQUIRED_TOPICS, field_reports
from connectors.oneroster.json_values import scrub

# Each fetched topic: its collection path under base_url and the envelope key of its pages.
ENDPOINTS: dict[str, tuple[str, str]] = {
    "orgs": ("orgs", "orgs"),
    "academicSessions": ("academicSessions", "academicSessions"),
    "courses": ("courses", "courses"),
    "classes": ("classes", "classes"),
    "users": ("users", "users"),
    "enrollments": ("enrollments", "enrollments"),
    "demographics": ("demographics", "demographics"),
}
SCOPES = ("roster.readonly", "roster-demographics.readonly")
SAMPLE_ROWS = 100
SPOOL_BYTES = 16 << 20


def default_scope(version: str) -> str:
    """The OneRoster read scopes of a version, space-separated."""
    tag = "v1p2" if version == "1.2" else "v1p1"
    return " ".join(f"https://purl.imsglobal.org/spec/or/{tag}/scope/{s}" for s in SCOPES)


def _loopback(url: str) -> bool:
    """True when the URL's host is this machine."""
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _parse_utc(text: str) -> datetime | None:
    """A stored UTC timestamp, or None when unreadable."""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class OneRosterApiConnector(Connector):
    """Reads a OneRoster 1.1/1.2 REST API page by page over verified TLS."""

    id = "oneroster-api"
    label = "OneRoster API"
    help = "A OneRoster 1.1/1.2 REST API, with OAuth 2 or OAuth 1.0a credentials."
    options = OPTIONS

    def __init__(self, settings: dict[str, str]) -> None:
        super().__init__(settings)
        self._http: HttpClient | None = None
        self._auth: Authenticator | None = None
        self._spool: IO[bytes] | None = None
        self._users_read = False
        self._not_found: list[str] = []  # collection URLs that answered 404 in a check

    # -- settings and plumbing -------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """The API root without a trailing slash."""
        return (self.setting("base_url") or "").rstrip("/")

    @property
    def version(self) -> str:
        """The OneRoster version spoken."""
        return self.setting("version") or "1.1"

    def _int(self, name: str, floor: int = 0) -> int:
        """An int option (its default when unreadable), at least floor."""
        try:
            return max(int(self.setting(name) or 0), floor)
        except ValueError:
            default = next(o.default for o in self.all_options() if o.name == name)
            return max(int(default or 0), floor)

    def _problem(self) -> str | None:
        """A settings problem that stops every request, as one line."""
        for opt in self.all_options():
            problem = opt.validate(self.settings.get(opt.name))
            if problem:
                return problem
        if self.setting("auth") == "oauth2" and not self.setting("token_url"):
            return "token_url is required with auth=oauth2 (the OAuth 2 token endpoint URL)"
        return None

    def _client(self) -> HttpClient:
        """The HTTP client, made on first use."""
        if self._http is None:
            timeout = float(self._int("timeout", 1))
            self._http = HttpClient(
                ca_bundle=self.setting("ca_bundle"),
                timeout=timeout,
                detail=lambda r: error_detail(_json_or_none(r)),
                max_connections=self._int("parallel_pages", 1) + 2,
            )
        return self._http

    def _authenticator(self) -> Authenticator:
        """The request signer for the configured auth."""
        if self._auth is None:
            client_id = self.setting("client_id") or ""
            secret = self.setting("client_secret") or ""
            if self.setting("auth") == "oauth1":
                self._auth = OAuth1Signer(client_id, secret)
            else:
                self._auth = OAuth2ClientCredentials(
                    self._client(),
                    self.setting("token_url") or "",
                    client_id,
                    secret,
                    self.setting("scope") or default_scope(self.version),
                )
        return self._auth

    def _url(self, topic: str) -> str:
        """The collection URL of a topic."""
        return f"{self.base_url}/{ENDPOINTS[topic][0]}"

    def _transport_warnings(self) -> None:
        """Warn about settings that weaken the connection (never silently)."""
        urls = [self.base_url, self.setting("token_url") or ""]
        if any(u.startswith("http://") and not _loopback(u) for u in urls):
            self.warn("plain http:// URL: credentials and roster data travel unencrypted")
        if self.version == "1.2" and self.setting("auth") == "oauth1":
            self.warn("OneRoster 1.2 specifies OAuth 2 only; using OAuth 1.0a as configured")
        path = urlsplit(self.base_url).path.rstrip("/")
        spoken = {"1.1": "/v1p1", "1.2": "/v1p2"}
        for version, tail in spoken.items():
            if version != self.version and (path.endswith(tail) or f"{tail}/" in path):
                self.warn(
                    f"version={self.version} but base_url ends in {tail}, OneRoster {version}'s "
                    f"path: set version={version}, or give the OneRoster {self.version} base URL"
                )

    def close(self) -> None:
        """Close connections and the role spool."""
        if self._http is not None:
            self._http.close()
            self._http = None
        if self._spool is not None:
            self._spool.close()
            self._spool = None

    # -- check ------------------------------------------------------------------------------

    def check(self) -> CheckReport:
        """Get a token, sample the first page of every topic, count from X-Total-Count."""
        report = CheckReport(
            reached=False,
            source=self.base_url,
            detail={"version": self.version, "auth": self.setting("auth") or "oauth2"},
        )
        problem = self._problem()
        if problem:
            report.error = problem
            return report
        self._transport_warnings()
        self._client().no_retries()  # retries are for syncs: a check answers at once
        self._not_found = []
        try:
            auth = self._authenticator()
            if isinstance(auth, OAuth2ClientCredentials):
                auth.token()
                report.reached = True
            for topic in ENDPOINTS:
                report.topics.append(self._check_topic(topic, report))
                report.reached = True
            if len(self._not_found) == len(ENDPOINTS):  # not one collection: base_url is wrong
                report.topics = []
                report.error = (
                    f"{self._not_found[0]}: HTTP 404 Not Found, as for every collection under "
                    f"base_url {self.base_url}; check base_url (OneRoster 1.1 APIs usually end "
                    "in /ims/oneroster/v1p1, 1.2 in /ims/oneroster/rostering/v1p2)"
                )
            if any(t.topic == "users" and t.present for t in report.topics):
                users = next(t for t in report.topics if t.topic == "users")
                report.topics.insert(
                    report.topics.index(users) + 1, TopicReport("roles", True, False)
                )
                report.detail["roles"] = "derived from users"
        except HttpError as exc:
            report.reached = report.reached or exc.status is not None
            report.error = str(exc)
        except ConnectorError as exc:
            report.error = str(exc)
        except Exception as exc:  # check never raises: one line instead
            report.error = f"{self.base_url}: {exc.__class__.__name__}: {exc}"
        report.warnings += self.warnings
        return report

    def _check_topic(self, topic: str, report: CheckReport) -> TopicReport:
        """Sample one topic's first page: present, count, required and recommended fields."""
        required = topic in REQUIRED_TOPICS
        url = self._url(topic)
        limit = min(self._int("page_size", 1), SAMPLE_ROWS)
        try:
            response = self._client().get(
                url, {"limit": limit, "offset": 0}, auth=self._authenticator()
            )
        except HttpError as exc:
            if exc.status == 404 or (exc.status in (401, 403) and not required):
                if exc.status != 404:
                    self.warn(f"{topic} not readable: {exc}")
                else:
                    self._not_found.append(url)
                return TopicReport(topic, False, required, problem=None)
            raise
        try:
            records = page_records(orjson.loads(response.content), ENDPOINTS[topic][1])
        except (ConnectorError, orjson.JSONDecodeError) as exc:
            raise ConnectorError(str(getattr(exc, "message", exc)), url) from exc
        total = total_count(response)
        rows = total if total is not None else (len(records) if len(records) < limit else None)
        topic_report = TopicReport(topic, bool(records) or total == 0, required, rows=rows)
        if records:
            topic_report.present = True
            topic_report.fields = field_reports(topic, records)
        elif required:
            topic_report.present = False
        return topic_report

    # -- fetch ------------------------------------------------------------------------------

    def plan(self, state: SyncState | None, now: datetime | None = None) -> str | None:
        """The delta start when a delta is due (the last successful sync's start, less the
        overlap margin; rows seen again fall out as unchanged); None for a full sync."""
        days = self._int("full_sync_days", 0)
        if state is None or not days or not state.last_full_started_at:
            return None
        since, last_full = state.last_success_started_at, _parse_utc(state.last_full_started_at)
        started = _parse_utc(since) if since else None
        if started is None or last_full is None:
            return None
        if (now or datetime.now(UTC)) - last_full >= timedelta(days=days):
            return None
        margin = timedelta(minutes=self._int("delta_margin_minutes", 0))
        return (started - margin).strftime("%Y-%m-%dT%H:%M:%SZ")

    def fetch(self, state: SyncState | None = None) -> Iterator[TopicStream]:
        """One stream per canonical topic: bulk on a full sync, changes only on a delta."""
        problem = self._problem()
        if problem:
            raise ConnectorError(problem, "settings")
        self._transport_warnings()
        since = self.plan(state)
        mode = "delta" if since else "bulk"
        params = {"filter": f"dateLastModified>'{since}'"} if since else {}
        for topic in TOPIC_ORDER:
            stream = TopicStream(
                topic=topic,
                mode=mode,
                fields=field_names(topic),
                rows=(),
                normalize=normalizer(topic),
                where=self._where(topic),
            )
            if topic == "roles":
                # The links mirror every user's current orgs: on a delta they are read from all
                # users (in bulk), so a link a changed or deleted user lost is removed too.
                stream.mode = "bulk"
                stream.rows = self._role_rows(from_all_users=bool(since))
            else:
                stream.rows = self._rows(topic, params, stream)
            yield stream
        retried = self._client().retried
        if retried:
            told = ", ".join(f"{n} after {kind}" for kind, n in sorted(retried.items()))
            self.warn(f"{sum(retried.values())} requests were retried ({told}); all then succeeded")

    def _where(self, topic: str) -> Callable[[Any], str]:
        """Names a record's place for messages: its collection URL and sourcedId."""
        url = self._url("users" if topic == "roles" else topic)
        return lambda raw: f"{url} sourcedId={raw.get('sourcedId')}"

    def _pager(self, topic: str, params: dict[str, str]) -> OffsetPager:
        """The pager over a topic's collection."""
        key = ENDPOINTS[topic][1]
        return OffsetPager(
            self._client(),
            self._url(topic),
            params,
            lambda body: page_records(body, key),
            auth=self._authenticator(),
            limit=self._int("page_size", 1),
            parallel=self._int("parallel_pages", 1),
            warn=self.warn,
        )

    def _rows(
        self, topic: str, params: dict[str, str], stream: TopicStream
    ) -> Iterator[dict[str, Any]]:
        """A topic's records as pages arrive; users also spool their role links."""
        pager = self._pager(topic, params)
        spool = self._new_spool() if topic == "users" else None
        try:
            for records in pager:
                if stream.expected_rows is None and pager.total is not None:
                    stream.expected_rows = pager.total
                if spool is not None:
                    _clean_users(records, spool)
                yield from records
        except httpx.HTTPError as exc:  # anything the client did not already turn into a line
            raise ConnectorError(f"{exc.__class__.__name__}: {exc}", self._url(topic)) from exc
        if topic == "users":
            self._users_read = True

    def _new_spool(self) -> IO[bytes]:
        """A fresh spool for the role links derived from users (memory first, then disk)."""
        if self._spool is not None:
            self._spool.close()
        self._spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
        self._users_read = False
        return self._spool

    def _role_rows(self, from_all_users: bool) -> Iterator[dict[str, Any]]:
        """The role links of the users read just before (of all users, read again, if asked)."""
        if from_all_users or not self._users_read or self._spool is None:
            for records in self._pager("users", {}):
                for user in records:
                    if isinstance(user, dict):
                        yield from role_rows(user)
            return
        spool = self._spool
        spool.seek(0)
        for line in spool:
            yield orjson.loads(line)


def _clean_users(records: list[Any], spool: IO[bytes]) -> None:
    """Drop passwords from a users page and spool each user's role links."""
    for user in records:
        if not isinstance(user, dict):
            continue
        user.pop("password", None)
        if "userProfiles" in user:
            user["userProfiles"] = scrub(user["userProfiles"])
        for row in role_rows(user):
            spool.write(orjson.dumps(row) + b"\n")


def _json_or_none(response: httpx.Response) -> Any:
    """A response's JSON body, or None."""
    try:
        return orjson.loads(response.content)
    except orjson.JSONDecodeError:
        return None
