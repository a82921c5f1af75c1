"""An HTTP client for REST connectors: timeouts, verified TLS, bounded retries, clear errors."""

from __future__ import annotations

import logging
import random
import ssl
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, Protocol

import httpx

from connectors.base import ConnectorError
from connectors.common.tuning import tuning

log = logging.getLogger(__name__)

# Statuses worth a retry: rate limiting and transient server trouble.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
USER_AGENT = "datasync-tui (+https://github.com/datasync-tui)"


class HttpError(ConnectorError):
    """A request that failed for good, told in one line naming the URL."""

    def __init__(self, message: str, where: str, status: int | None = None) -> None:
        super().__init__(message, where)
        self.status = status


class Authenticator(Protocol):
    """Signs requests and names the credential when the server refuses them."""

    def apply(self, request: httpx.Request) -> None:
        """Add credentials to the request (called again before every retry)."""

    def refresh(self) -> bool:
        """After a 401: renew the credentials; True when one more try makes sense."""

    def explain(self, status: int) -> str:
        """One line for a 401 or 403: which credential or scope the server refused."""


@dataclass
class RetryPolicy:
    """Exponential backoff with jitter, honouring Retry-After, bounded in tries and total wait."""

    attempts: int = 6
    base: float = 1.0
    cap: float = 60.0
    total: float = 300.0
    scale: float = 1.0
    sleep: Callable[[float], None] = time.sleep
    rand: Callable[[], float] = random.random

    @classmethod
    def from_env(cls, **kwargs: Any) -> RetryPolicy:
        """The default policy, its waits scaled by the tuning's `http_backoff_scale` (tests set
        it near 0 so they never sleep for real)."""
        return cls(scale=tuning().http_backoff_scale, **kwargs)

    def delay(self, attempt: int, retry_after: float | None) -> float:
        """The wait before try number attempt + 1 (the server's Retry-After when it gave one)."""
        if retry_after is not None:
            return max(retry_after, 0.0)
        backoff = min(self.cap, self.base * 2 ** (attempt - 1))
        return backoff * (0.5 + self.rand() / 2)


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """A Retry-After header (seconds or an HTTP date) as seconds from now, or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - (time.time() if now is None else now), 0.0)


def tls_verify(ca_bundle: str | None) -> ssl.SSLContext | bool:
    """What httpx verifies TLS with: the system store, or a given CA bundle (never off)."""
    if not ca_bundle:
        return True
    path = Path(ca_bundle).expanduser()
    if not path.is_file():
        raise ConnectorError(f"CA bundle {path} is not a readable file", "ca_bundle")
    try:
        return ssl.create_default_context(cafile=str(path))
    except ssl.SSLError as exc:
        raise ConnectorError(f"CA bundle {path} holds no usable certificate ({exc})") from exc


def transport_problem(exc: httpx.TransportError) -> str:
    """One line for a network failure: TLS, refused, timeout or dropped."""
    text = str(exc) or exc.__class__.__name__
    if "CERTIFICATE_VERIFY_FAILED" in text or isinstance(
        exc.__context__, ssl.SSLCertVerificationError
    ):
        reason = text.split("certificate verify failed:")[-1].strip(" )")
        return (
            f"TLS certificate not trusted ({reason}); give ca_bundle=PATH with your CA "
            "(verification is never turned off)"
        )
    if isinstance(exc, httpx.ConnectTimeout):
        return "no connection within the connect timeout (is the host reachable?)"
    if isinstance(exc, httpx.ReadTimeout):
        return "the server sent no answer within the read timeout"
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out ({exc.__class__.__name__})"
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect ({text})"
    if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError):
        return f"the connection dropped mid-answer ({text})"
    return f"network error ({exc.__class__.__name__}: {text})"


def status_line(response: httpx.Response, detail: str | None = None) -> str:
    """One line for an HTTP error status, with the server's own explanation when it gave one."""
    line = f"HTTP {response.status_code} {response.reason_phrase}".rstrip()
    return f"{line}: {detail}" if detail else line


@dataclass
class HttpClient:
    """A sync httpx client with the retry policy applied to every request; thread-safe."""

    ca_bundle: str | None = None
    timeout: float = 60.0
    connect_timeout: float = 10.0
    policy: RetryPolicy = field(default_factory=RetryPolicy.from_env)
    detail: Callable[[httpx.Response], str | None] = lambda _r: None
    max_connections: int = 8
    _client: httpx.Client | None = field(default=None, init=False, repr=False)
    retried: dict[str, int] = field(default_factory=dict, init=False)
    sent: int = field(default=0, init=False)  # requests sent, every try counted
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    @property
    def client(self) -> httpx.Client:
        """The underlying httpx client, opened on first use."""
        with self._lock:
            if self._client is None:
                self._client = httpx.Client(
                    verify=tls_verify(self.ca_bundle),
                    timeout=httpx.Timeout(
                        self.timeout, connect=min(self.connect_timeout, self.timeout)
                    ),
                    headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
                    limits=httpx.Limits(max_connections=self.max_connections),
                    follow_redirects=False,
                )
            return self._client

    def no_retries(self) -> None:
        """Fail at the first refusal, error or 429 (a check answers at once; syncs retry)."""
        self.policy = RetryPolicy(attempts=1, sleep=self.policy.sleep)

    def close(self) -> None:
        """Close the connections."""
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None

    def get(
        self,
        url: str,
        params: Mapping[str, str | int] | None = None,
        auth: Authenticator | None = None,
    ) -> httpx.Response:
        """GET with retries; a 2xx response, or an HttpError naming the URL."""
        return self.request("GET", url, params=params, auth=auth)

    def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, str | int] | None = None,
        data: Mapping[str, str] | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        auth: Authenticator | None = None,
        raise_for_status: bool = True,
    ) -> httpx.Response:
        """Send with retries on 429/5xx and network errors; one refresh of credentials on 401."""
        client = self.client
        attempt, waited, refreshed = 0, 0.0, False
        shown = url
        while True:
            attempt += 1
            request = client.build_request(
                method, url, params=params, data=data, content=content, headers=headers
            )
            shown = str(request.url.copy_with(query=None))
            if auth is not None:
                auth.apply(request)
            problem: str
            retry_after: float | None = None
            with self._lock:
                self.sent += 1
            try:
                response = client.send(request)
            except httpx.TransportError as exc:
                problem = transport_problem(exc)
                if "TLS certificate" in problem:
                    raise HttpError(problem, shown) from exc
                response = None
            if response is not None:
                status = response.status_code
                if status < 300:
                    return response
                if status < 400:
                    target = response.headers.get("Location", "?")
                    raise HttpError(
                        f"HTTP {status}: redirected to {target} (use that URL in the settings)",
                        shown,
                        status,
                    )
                if status == 401 and auth is not None and not refreshed and auth.refresh():
                    refreshed = True
                    attempt -= 1
                    continue
                if status not in RETRY_STATUSES:
                    if not raise_for_status:
                        return response
                    line = status_line(response, self.detail(response))
                    if status in (401, 403) and auth is not None:
                        line = f"{line}; {auth.explain(status)}"
                    raise HttpError(line, shown, status)
                problem = status_line(response, self.detail(response))
                retry_after = retry_after_seconds(response.headers.get("Retry-After"))
            wait = self.policy.delay(attempt, retry_after) * self.policy.scale
            if attempt >= self.policy.attempts or waited + wait > self.policy.total:
                tries = f"{attempt} tr{'y' if attempt == 1 else 'ies'}"
                if retry_after is not None and waited + wait > self.policy.total:
                    problem += f"; it asked to wait {retry_after:.0f}s, past the retry budget"
                status = response.status_code if response is not None else None
                raise HttpError(
                    f"{problem} (gave up after {tries}, {waited:.0f}s of waiting)", shown, status
                )
            log.info("%s %s: %s; retry %d in %.1fs", method, shown, problem, attempt, wait)
            kind = f"HTTP {response.status_code}" if response is not None else "network"
            with self._lock:
                self.retried[kind] = self.retried.get(kind, 0) + 1
            waited += wait
            if wait > 0:
                self.policy.sleep(wait)
