"""OAuth for REST connectors: OAuth 2 client credentials and two-legged OAuth 1.0a (HMAC-SHA256)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import threading
import time
from collections.abc import Callable
from typing import Any, ClassVar

import httpx
from authlib.oauth1 import SIGNATURE_TYPE_HEADER, ClientAuth
from authlib.oauth1.rfc5849.signature import generate_signature_base_string
from authlib.oauth1.rfc5849.util import escape

from connectors.common.http_client import HttpClient, HttpError

HMAC_SHA256 = "HMAC-SHA256"


def _sign_hmac_sha256(client: ClientAuth, request: Any) -> str:
    """RFC 5849 section 3.4.2 with SHA-256: the key is escaped secrets joined by '&'."""
    base_string = generate_signature_base_string(request)
    key = escape(client.client_secret or "") + "&" + escape(client.token_secret or "")
    digest = hmac.new(key.encode(), base_string.encode(), hashlib.sha256).digest()
    return binascii.b2a_base64(digest)[:-1].decode()


class _ClientAuth(ClientAuth):
    """authlib's OAuth 1 signer with HMAC-SHA256 added (on this class only)."""

    SIGNATURE_METHODS: ClassVar[dict[str, Any]] = {
        **ClientAuth.SIGNATURE_METHODS,
        HMAC_SHA256: _sign_hmac_sha256,
    }


class OAuth1Signer:
    """Two-legged OAuth 1.0a: consumer key and secret, no token, a fresh nonce on every try."""

    def __init__(self, client_id: str, client_secret: str, method: str = HMAC_SHA256) -> None:
        self.client_id = client_id
        self.method = method
        self._auth = _ClientAuth(
            client_id, client_secret, signature_method=method, signature_type=SIGNATURE_TYPE_HEADER
        )

    def apply(self, request: httpx.Request) -> None:
        """Sign the request (its query parameters take part) in the Authorization header."""
        _, headers, _ = self._auth.sign(request.method, str(request.url), {}, b"")
        request.headers["Authorization"] = headers["Authorization"]

    def refresh(self) -> bool:
        """OAuth 1 has nothing to renew: a 401 is final."""
        return False

    def explain(self, status: int) -> str:
        """Which credential the server refused."""
        if status == 401:
            return (
                f"the server refused the OAuth 1.0a signature of client_id {self.client_id!r}, "
                f"signed with {self.method} (check client_id and client_secret, that the server "
                f"takes {self.method} signatures, and the clock of this machine)"
            )
        return f"client_id {self.client_id!r} may not read this endpoint (check its permissions)"


class OAuth2ClientCredentials:
    """OAuth 2 client credentials: a bearer token reused until it expires or the API says 401."""

    def __init__(
        self,
        http: HttpClient,
        token_url: str,
        client_id: str,
        client_secret: str,
        scope: str | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.http = http
        self.token_url = token_url
        self.client_id = client_id
        self._secret = client_secret
        self.scope = scope or None
        self.clock = clock
        self._token: str | None = None
        self._expires_at = 0.0
        self._lock = threading.Lock()
        self.fetches = 0

    def token(self) -> str:
        """A valid access token, fetched when there is none or it has (nearly) expired."""
        with self._lock:
            if self._token is None or self.clock() >= self._expires_at:
                self._fetch()
            assert self._token is not None
            return self._token

    def apply(self, request: httpx.Request) -> None:
        """Add the bearer token."""
        request.headers["Authorization"] = f"Bearer {self.token()}"

    def refresh(self) -> bool:
        """Forget the token so the next try fetches a new one."""
        with self._lock:
            self._token = None
        return True

    def explain(self, status: int) -> str:
        """Which credential or scope the API refused."""
        if status == 401:
            return (
                f"the API refused the OAuth 2 token of client_id {self.client_id!r} "
                f"(from {self.token_url})"
            )
        asked = f"scope {self.scope!r}" if self.scope else "no scope"
        return (
            f"the token of client_id {self.client_id!r} ({asked}) may not read this endpoint; "
            "ask for the roster scopes it needs (e.g. roster-core.readonly, roster.readonly, "
            "roster-demographics.readonly)"
        )

    def _fetch(self) -> None:
        """POST the client credentials (HTTP Basic) to the token URL and keep the token."""
        pair = f"{self.client_id}:{self._secret}".encode()
        form = {"grant_type": "client_credentials"}
        if self.scope:
            form["scope"] = self.scope
        response = self.http.request(
            "POST",
            self.token_url,
            data=form,
            headers={"Authorization": "Basic " + base64.b64encode(pair).decode("ascii")},
            raise_for_status=False,
        )
        self.fetches += 1
        body = _json(response)
        if response.status_code >= 400:
            raise HttpError(self._refusal(response.status_code, body), self.token_url)
        token = body.get("access_token") if isinstance(body, dict) else None
        if not isinstance(token, str) or not token:
            raise HttpError("the token URL answered without an access_token", self.token_url)
        try:
            lifetime = float(body.get("expires_in") or 3600)
        except (TypeError, ValueError):
            lifetime = 3600.0
        self._token = token
        self._expires_at = self.clock() + lifetime - min(60.0, lifetime / 10)

    def _refusal(self, status: int, body: Any) -> str:
        """One line for a refused token request, naming the credential or the scope, with the
        server's own error and error_description."""
        error = body.get("error") if isinstance(body, dict) else None
        error = error if isinstance(error, str) else None
        described = _description(body, self._secret)
        told = f"HTTP {status}" + (f", {error}" if error else "") + described
        if error == "invalid_scope":
            return (
                f"the token URL refused scope {self.scope!r} (invalid_scope{described}) "
                f"for {self.client_id!r}"
            )
        if error in ("invalid_client", "unauthorized_client") or status == 401:
            return (
                f"the token URL refused client_id {self.client_id!r} and its client_secret ({told})"
            )
        return f"token request failed ({told})"


def _description(body: Any, secret: str) -> str:
    """': <error_description>' as one short line (never holding the secret), or ''."""
    text = body.get("error_description") if isinstance(body, dict) else None
    if not isinstance(text, str) or not text.strip():
        return ""
    line = " ".join(text.split())[:200]
    if secret and secret in line:
        line = line.replace(secret, "•••")
    return f": {line}"


def _json(response: httpx.Response) -> Any:
    """The response's JSON body, or None when it has none."""
    try:
        return response.json()
    except ValueError:
        return None
