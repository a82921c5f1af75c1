"""SIF 3 REST: create an environment, authorise (Basic or SIF_HMACSHA256), page through services."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape

import httpx

from connectors.base import ConnectorError
from connectors.common.http_client import HttpClient, HttpError
from connectors.sif.xml import Raw, iter_objects_in_bytes, parse_small

INFRA_NS = "http://www.sifassociation.org/infrastructure/3.2.1"
ENV_PATH = "/environments/environment"


def sif_timestamp() -> str:
    """Now as the ISO 8601 UTC timestamp SIF 3 signs and sends in the timestamp header."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def authorization(scheme: str, token: str, secret: str, timestamp: str) -> str:
    """The Authorization header: Basic, or SIF_HMACSHA256 over 'token:timestamp'."""
    if scheme == "hmac":
        digest = hmac.new(secret.encode(), f"{token}:{timestamp}".encode(), hashlib.sha256)
        signature = base64.b64encode(digest.digest()).decode()
        return "SIF_HMACSHA256 " + base64.b64encode(f"{token}:{signature}".encode()).decode()
    return "Basic " + base64.b64encode(f"{token}:{secret}".encode()).decode()


class SifAuth:
    """Signs each request (again before every retry) with the current token and a new timestamp."""

    def __init__(self, scheme: str, token: str, secret: str, renew: Callable[[], bool]) -> None:
        self.scheme = scheme
        self.token = token
        self.secret = secret
        self.renew = renew

    def apply(self, request: httpx.Request) -> None:
        """Set Authorization and timestamp."""
        stamp = sif_timestamp()
        request.headers["timestamp"] = stamp
        request.headers["Authorization"] = authorization(
            self.scheme, self.token, self.secret, stamp
        )

    def refresh(self) -> bool:
        """After a 401: create a new environment (the session may have expired)."""
        return self.renew()

    def explain(self, status: int) -> str:
        """Which credential the server refused."""
        scheme = "SIF_HMACSHA256" if self.scheme == "hmac" else "Basic"
        if status == 401:
            return f"check application_key and secret ({scheme} authorisation was refused)"
        return "the application key is not allowed this service or zone"


def error_detail(response: httpx.Response) -> str | None:
    """The message of a SIF 3 <error> body, when the server sent one."""
    if "xml" not in response.headers.get("content-type", "") or not response.content:
        return None
    try:
        doc = parse_small(response.content[:65536], str(response.url))
    except ConnectorError:
        return None
    err = doc.get("error") if isinstance(doc, dict) else None
    if not isinstance(err, dict):
        return None
    parts = [str(err.get(k)) for k in ("message", "description") if err.get(k)]
    return " - ".join(parts) or None


def as_list(value: Any) -> list[Any]:
    """xmltodict gives one child as a dict and several as a list: always a list."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def text_of(value: Any) -> str:
    """The text of an xmltodict node (a string, or a dict with #text)."""
    if isinstance(value, dict):
        return str(value.get("#text") or "").strip()
    return str(value or "").strip()


@dataclass
class Environment:
    """What creating the environment gave: the session, the connectors and the zones."""

    url: str
    session_token: str
    requests_url: str
    default_zone: str | None
    services: dict[str, dict[str, str]] = field(default_factory=dict)  # zone → service → ctx

    @classmethod
    def from_xml(cls, body: bytes, where: str) -> Environment:
        """Read an <environment> response."""
        env = parse_small(body, where).get("environment")
        if not isinstance(env, dict):
            raise ConnectorError("the server's answer is not a SIF 3 <environment>", where)
        token = text_of(env.get("sessionToken"))
        if not token:
            raise ConnectorError("the environment has no sessionToken", where)
        infra = {
            str(s.get("@name")): text_of(s)
            for s in as_list((env.get("infrastructureServices") or {}).get("infrastructureService"))
            if isinstance(s, dict)
        }
        requests = infra.get("requestsConnector")
        if not requests:
            raise ConnectorError("the environment names no requestsConnector service", where)
        services: dict[str, dict[str, str]] = {}
        for zone in as_list((env.get("provisionedZones") or {}).get("provisionedZone")):
            if not isinstance(zone, dict):
                continue
            offered = services.setdefault(str(zone.get("@id")), {})
            for svc in as_list((zone.get("services") or {}).get("service")):
                rights = {
                    str(r.get("@type")): text_of(r)
                    for r in as_list((svc.get("rights") or {}).get("right"))
                    if isinstance(r, dict)
                }
                if rights.get("QUERY") == "APPROVED":
                    offered[str(svc.get("@name"))] = str(svc.get("@contextId") or "DEFAULT")
        default = env.get("defaultZone")
        return cls(
            url=infra.get("environment", where),
            session_token=token,
            requests_url=requests.rstrip("/"),
            default_zone=str(default.get("@id")) if isinstance(default, dict) else None,
            services=services,
        )


class SifRest:
    """A SIF 3 REST environment, read service by service, page by page."""

    def __init__(self, setting: Callable[[str], str | None]) -> None:
        base = (setting("base_url") or "").rstrip("/")
        self.env_url = base if base.endswith(ENV_PATH) else base + ENV_PATH
        self.scheme = setting("auth") or "basic"
        self.key = setting("application_key") or ""
        self.secret = setting("secret") or ""
        self.zone = setting("zone")
        self.context = setting("context")
        self.user_token = setting("user_token")
        self.page_size = max(int(setting("page_size") or 500), 1)
        self.http = HttpClient(ca_bundle=setting("ca_bundle"), detail=error_detail)
        self.notes: list[str] = []
        self._env: Environment | None = None
        self.auth = SifAuth(self.scheme, self.key, self.secret, self._renew)

    def describe(self) -> str:
        """The environments URL."""
        return self.env_url

    def _body(self) -> bytes:
        """The <environment> a consumer asks for."""
        token = f"<userToken>{escape(self.user_token)}</userToken>" if self.user_token else ""
        method = "SIF_HMACSHA256" if self.scheme == "hmac" else "Basic"
        return (
            f'<environment xmlns="{INFRA_NS}"><solutionId>datasync</solutionId>'
            f"<authenticationMethod>{method}</authenticationMethod>{token}"
            "<consumerName>DataSync TUI</consumerName><applicationInfo>"
            f"<applicationKey>{escape(self.key)}</applicationKey>"
            "<supportedInfrastructureVersion>3.2.1</supportedInfrastructureVersion>"
            "<transport>REST</transport><applicationProduct><vendorName>DataSync TUI</vendorName>"
            "<productName>datasync-tui</productName></applicationProduct></applicationInfo>"
            "</environment>"
        ).encode()

    def environment(self) -> Environment:
        """Create the environment (once) and keep its session token."""
        if self._env is None:
            self.auth.token = self.user_token or self.key
            headers = {
                "Content-Type": "application/xml",
                "Accept": "application/xml",
                "messageId": str(uuid.uuid4()),
            }
            response = self.http.request(
                "POST",
                self.env_url,
                content=self._body(),
                headers=headers,
                auth=_Once(self.auth),
            )
            self._env = Environment.from_xml(response.content, self.env_url)
            self.auth.token = self._env.session_token
        return self._env

    def _renew(self) -> bool:
        """Forget the session and create a new environment; True when that worked."""
        if self._env is None:
            return False
        self._env = None
        self.environment()
        return True

    def _matrix(self) -> str:
        """Zone and context as URL matrix parameters."""
        out = f";zoneId={self.zone}" if self.zone else ""
        return out + (f";contextId={self.context}" if self.context else "")

    def _offered(self, env: Environment, service: str) -> bool:
        """False when the environment lists the zone's services and this one is not queryable."""
        zone = self.zone or env.default_zone
        listed = env.services.get(zone or "", {}) if zone else {}
        if not listed:
            return True
        ctx = listed.get(service)
        return ctx is not None and (not self.context or ctx == self.context)

    def objects(self, kinds: tuple[str, ...]) -> Iterator[Raw]:
        """Every object of the kinds, from their services, page by page until the last."""
        env = self.environment()
        for kind in kinds:
            service = f"{kind}s"
            if not self._offered(env, service):
                self.notes.append(f"{service}: not offered to this application in the zone")
                continue
            yield from self._pages(f"{env.requests_url}/{service}{self._matrix()}", kind)

    def _pages(self, url: str, kind: str) -> Iterator[Raw]:
        """One service's objects, asking page after page."""
        page, previous_first = 1, None
        while True:
            headers = {
                "Accept": "application/xml",
                "navigationPage": str(page),
                "navigationPageSize": str(self.page_size),
                "requestType": "IMMEDIATE",
                "queryIntention": "ALL",
                "serviceType": "OBJECT",
                "messageId": str(uuid.uuid4()),
            }
            response = self.http.request(
                "GET", url, headers=headers, auth=self.auth, raise_for_status=False
            )
            status = response.status_code
            if status == 204:
                return
            if status in (403, 404) and page == 1:
                self.notes.append(f"{url}: HTTP {status}, the service is not offered; skipped")
                return
            if status >= 400:
                raise HttpError(f"HTTP {status} {error_detail(response) or ''}".strip(), url)
            label = f"{url}?navigationPage={page}"
            objects = list(iter_objects_in_bytes(response.content, label, (kind,), self.notes))
            if not objects:
                return
            first = objects[0][1][0]
            if first == previous_first:
                raise ConnectorError(
                    "the provider sent the same page again: it ignores navigationPage", label
                )
            previous_first = first
            yield from objects
            last = response.headers.get("navigationLastPage")
            if last is not None and last.strip().lstrip("-").isdigit():
                if page >= int(last):
                    return
            elif len(objects) < self.page_size:
                return
            page += 1

    def close(self) -> None:
        """Delete the environment (ending the session) and close the connections."""
        env, self._env = self._env, None
        if env is not None and env.url.startswith(("http://", "https://")):
            with contextlib.suppress(ConnectorError):
                self.http.request("DELETE", env.url, auth=_Once(self.auth), raise_for_status=False)
        self.http.close()


class _Once:
    """The same signature without a renewal (creating or deleting the environment)."""

    def __init__(self, auth: SifAuth) -> None:
        self.auth = auth

    def apply(self, request: httpx.Request) -> None:
        """Sign like the wrapped authenticator."""
        self.auth.apply(request)

    def refresh(self) -> bool:
        """Never retried after a 401."""
        return False

    def explain(self, status: int) -> str:
        """As the wrapped authenticator."""
        return self.auth.explain(status)
