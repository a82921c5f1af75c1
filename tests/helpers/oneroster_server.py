"""A real OneRoster 1.1/1.2 REST server on 127.0.0.1 for tests, the demo and the benchmark.

It serves a district as JSON pages (limit/offset, X-Total-Count, Link rel=next), checks OAuth 2
bearer tokens or OAuth 1.0a HMAC-SHA256 signatures, and has switches (`Faults`) that inject 429s
with Retry-After, 500s, capped page sizes, a repeated page, dropped connections and imsx errors.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import secrets
import ssl
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, parse_qsl, quote, unquote, urlsplit

from tests.helpers.oneroster_district import (
    DEFAULT_DLM,
    TOPICS,
    District,
    Renderer,
    from_bundle,
)

API_PATH = "/ims/oneroster"


@dataclass
class Faults:
    """Switches that make the server misbehave; counters run down as requests arrive."""

    rate_limited: int = 0  # the next N API requests get 429 with Retry-After
    retry_after: str = "1"
    server_errors: int = 0  # the next N API requests get 500
    dropped: int = 0  # the next N API requests get a connection closed mid-answer
    page_cap: int | None = None  # pages never hold more than this, whatever limit says
    repeat_page: bool = False  # offset ignored: every page is the first
    imsx: str | None = None  # every collection answers 400 with imsx, under this CodeMinor key
    revoke_after: int | None = None  # tokens are revoked once, after this many API requests
    no_total: bool = False  # no X-Total-Count header
    no_link: bool = False  # no Link header
    slow_first: float = 0.0  # the first API request waits this long before answering
    forbidden: tuple[str, ...] = ()  # these topics answer 403 (a token without their scope)
    moved_to: str | None = None  # every API request is redirected (301) here


@dataclass
class Stats:
    """What the server saw."""

    api_requests: int = 0
    token_requests: int = 0
    statuses: list[int] = field(default_factory=list)
    filters: list[str] = field(default_factory=list)


class OneRosterServer:
    """A threaded HTTP server serving one district; start() it, stop() it (or use `with`)."""

    def __init__(
        self,
        district: District,
        *,
        version: str = "1.1",
        client_id: str = "datasync",
        client_secret: str = "s3cret-value",
        scope: str | None = None,
        token_lifetime: int = 3600,
        faults: Faults | None = None,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self.district, self.version, self.tls = district, version, tls
        self.client_id, self.client_secret, self.scope = client_id, client_secret, scope
        self.token_lifetime = token_lifetime
        self.faults = faults or Faults()
        self.stats = Stats()
        self.tokens: dict[str, float] = {}
        self.nonces: set[str] = set()
        self.lock = threading.Lock()
        self.httpd: ThreadingHTTPServer | None = None
        self.thread: threading.Thread | None = None
        self._records: dict[str, list[bytes]] = {}
        self._pages: dict[tuple[str, int, int], bytes] = {}

    # -- lifecycle ----------------------------------------------------------------------------

    @property
    def origin(self) -> str:
        """http://127.0.0.1:PORT"""
        assert self.httpd is not None, "server not started"
        scheme = "https" if self.tls else "http"
        return f"{scheme}://127.0.0.1:{self.httpd.server_address[1]}"

    @property
    def base_url(self) -> str:
        """The API root for the version."""
        tail = "rostering/v1p2" if self.version == "1.2" else "v1p1"
        return f"{self.origin}{API_PATH}/{tail}"

    @property
    def token_url(self) -> str:
        """The OAuth 2 token endpoint."""
        return f"{self.origin}/oauth/token"

    def start(self) -> OneRosterServer:
        """Listen on 127.0.0.1, a free port, in a thread; render the records."""
        handler = type("Handler", (_Handler,), {"app": self})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        if self.tls is not None:
            self.httpd.socket = self.tls.wrap_socket(self.httpd.socket, server_side=True)
        self._render()
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        if self.httpd is not None:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.httpd = None
        if self.thread is not None:
            self.thread.join(timeout=5)
            self.thread = None

    def __enter__(self) -> OneRosterServer:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def replace_district(self, district: District) -> None:
        """Serve other data from now on (what a delta sync then picks up)."""
        self.district = district
        self._render()

    def _render(self) -> None:
        """Every record as JSON bytes, once (pages are joined from them)."""
        renderer = Renderer(self.base_url, self.version)
        dump = json.JSONEncoder(separators=(",", ":")).encode
        self._records = {
            t: [dump(r).encode() for r in renderer.records(self.district, t)] for t in TOPICS
        }
        self._dates = {
            t: [_moment(r.get("dateLastModified") or DEFAULT_DLM) for r in self.district[t]]
            for t in TOPICS
        }
        self._pages.clear()

    def prerender(self, limit: int) -> int:
        """Render every page of every topic for one page size now; the number of pages."""
        for topic in TOPICS:
            for offset in range(0, max(len(self._records[topic]), 1), limit):
                self._page(topic, offset, limit)
        return len(self._pages)

    def _page(self, topic: str, offset: int, limit: int) -> bytes:
        """The body of one unfiltered page (cached)."""
        key = (topic, offset, limit)
        body = self._pages.get(key)
        if body is None:
            items = self._records[topic][offset : offset + limit]
            body = b'{"' + topic.encode() + b'":[' + b",".join(items) + b"]}"
            self._pages[key] = body
        return body

    # -- what a request gets ------------------------------------------------------------------

    def collection(self, topic: str, query: dict[str, str]) -> tuple[bytes, int, int]:
        """A page body, the number of records in it and the total for the query."""
        limit = int(query.get("limit") or 100)
        offset = int(query.get("offset") or 0)
        if self.faults.page_cap:
            limit = min(limit, self.faults.page_cap)
        if self.faults.repeat_page:
            offset = 0
        flt = query.get("filter")
        if not flt:
            total = len(self._records[topic])
            return self._page(topic, offset, limit), max(min(limit, total - offset), 0), total
        self.stats.filters.append(flt)
        field_name, _, value = flt.partition(">")
        if field_name.strip() != "dateLastModified":
            raise ValueError(flt)
        since = _moment(value.strip().strip("'"))
        picked = [r for r, d in zip(self._records[topic], self._dates[topic], strict=True)
                  if d > since]  # fmt: skip
        items = picked[offset : offset + limit]
        return b'{"' + topic.encode() + b'":[' + b",".join(items) + b"]}", len(items), len(picked)

    def issue_token(self, authorization: str, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        """OAuth 2 client credentials: Basic auth of the client, then a bearer token."""
        self.stats.token_requests += 1
        try:
            kind, _, encoded = authorization.partition(" ")
            user, _, password = base64.b64decode(encoded).decode().partition(":")
        except ValueError:
            return 401, {"error": "invalid_client"}
        ok = kind.lower() == "basic" and hmac.compare_digest(
            f"{user}:{password}", f"{self.client_id}:{self.client_secret}"
        )
        if not ok:
            return 401, {"error": "invalid_client", "error_description": "bad client credentials"}
        if form.get("grant_type") != "client_credentials":
            return 400, {"error": "unsupported_grant_type"}
        if self.scope and self.scope not in (form.get("scope") or "").split():
            return 400, {"error": "invalid_scope"}
        token = secrets.token_urlsafe(24)
        with self.lock:
            self.tokens[token] = time.monotonic() + self.token_lifetime
        body = {"access_token": token, "token_type": "bearer", "expires_in": self.token_lifetime}
        return 200, body

    def authorized(self, method: str, host: str, target: str, authorization: str) -> bool:
        """A valid bearer token, or a valid OAuth 1.0a HMAC-SHA256 signature."""
        if authorization.lower().startswith("bearer "):
            with self.lock:
                expires = self.tokens.get(authorization[7:].strip())
            return expires is not None and expires > time.monotonic()
        if authorization.startswith("OAuth "):
            return self._oauth1_ok(method, host, target, authorization[6:])
        return False

    def _oauth1_ok(self, method: str, host: str, target: str, header: str) -> bool:
        """RFC 5849 signature check, written apart from any client library."""
        oauth = {}
        for part in header.split(","):
            key, _, value = part.strip().partition("=")
            oauth[unquote(key)] = unquote(value.strip('"'))
        if oauth.get("oauth_consumer_key") != self.client_id:
            return False
        if oauth.get("oauth_signature_method") != "HMAC-SHA256":
            return False
        if abs(time.time() - int(oauth.get("oauth_timestamp", "0"))) > 300:
            return False
        nonce = oauth.get("oauth_nonce", "")
        with self.lock:
            if not nonce or nonce in self.nonces:
                return False
            self.nonces.add(nonce)
        url = urlsplit(target)
        params = parse_qsl(url.query, keep_blank_values=True)
        params += [(k, v) for k, v in oauth.items() if k not in ("oauth_signature", "realm")]
        enc = sorted((quote(k, safe="~"), quote(v, safe="~")) for k, v in params)
        normalized = "&".join(f"{k}={v}" for k, v in enc)
        base_uri = f"{'https' if self.tls else 'http'}://{host.lower()}{url.path}"
        base = "&".join([method.upper(), quote(base_uri, safe="~"), quote(normalized, safe="~")])
        key = quote(self.client_secret, safe="~") + "&"
        digest = hmac.new(key.encode(), base.encode(), hashlib.sha256).digest()
        expected = base64.b64encode(digest).decode()
        return hmac.compare_digest(expected, oauth.get("oauth_signature", ""))

    def take_fault(self) -> str | None:
        """The fault the next API request meets, counting it down."""
        f = self.faults
        with self.lock:
            self.stats.api_requests += 1
            n = self.stats.api_requests
            if f.slow_first and n == 1:
                return "slow"
            if f.revoke_after is not None and n > f.revoke_after:
                f.revoke_after = None
                self.tokens.clear()
            for name in ("rate_limited", "server_errors", "dropped"):
                if getattr(f, name) > 0:
                    setattr(f, name, getattr(f, name) - 1)
                    return name
        return None


def _moment(text: str) -> datetime:
    """An ISO 8601 timestamp (Z or offset) as an aware datetime, for filter comparisons."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def imsx(code_major: str, minor: str, description: str, key: str = "imsx_CodeMinor") -> bytes:
    """An imsx_StatusInfo error payload."""
    return json.dumps(
        {
            "imsx_codeMajor": code_major,
            "imsx_severity": "error",
            "imsx_description": description,
            key: {
                "imsx_codeMinorField": [
                    {
                        "imsx_codeMinorFieldName": "TargetEndSystem",
                        "imsx_codeMinorFieldValue": minor,
                    }
                ]
            },
        }
    ).encode()


class _Handler(BaseHTTPRequestHandler):
    """Routes token and collection requests to the app."""

    app: OneRosterServer
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: tests read the stats instead."""

    def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)
        self.app.stats.statuses.append(status)

    def do_POST(self) -> None:
        """The token endpoint."""
        length = int(self.headers.get("Content-Length") or 0)
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        if urlsplit(self.path).path != "/oauth/token":
            self._send(404, b'{"error":"not_found"}')
            return
        status, body = self.app.issue_token(self.headers.get("Authorization", ""), form)
        self._send(status, json.dumps(body).encode())

    def do_GET(self) -> None:
        """A collection page (or an error the faults ask for)."""
        app = self.app
        url = urlsplit(self.path)
        if app.faults.moved_to:
            self._send(301, b"{}", {"Location": app.faults.moved_to})
            return
        prefix = urlsplit(app.base_url).path + "/"
        topic = url.path[len(prefix) :] if url.path.startswith(prefix) else ""
        if topic not in TOPICS:
            self._send(404, imsx("failure", "unknownobject", f"no collection {url.path}"))
            return
        host = self.headers.get("Host", "")
        if not app.authorized("GET", host, self.path, self.headers.get("Authorization", "")):
            self._send(401, imsx("failure", "unauthorisedrequest", "not authorised"))
            return
        if topic in app.faults.forbidden:
            self._send(403, imsx("failure", "forbidden", f"scope does not cover {topic}"))
            return
        fault = app.take_fault()
        if fault == "slow":
            time.sleep(app.faults.slow_first)
        if fault == "rate_limited":
            busy = imsx("failure", "server_busy", "too many requests")
            self._send(429, busy, {"Retry-After": app.faults.retry_after})
            return
        if fault == "server_errors":
            self._send(500, imsx("failure", "internal_server_error", "database went away"))
            return
        if app.faults.imsx:
            body = imsx("failure", "invalid_filter_field", "filter not supported", app.faults.imsx)
            self._send(400, body)
            return
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        try:
            body, count, total = app.collection(topic, query)
        except ValueError:
            self._send(400, imsx("failure", "invalid_filter_field", "bad filter"))
            return
        if fault == "dropped":
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        headers = {} if app.faults.no_total else {"X-Total-Count": str(total)}
        offset = 0 if app.faults.repeat_page else int(query.get("offset") or 0)
        if not app.faults.no_link and offset + count < total and count:
            nxt = {**query, "offset": str(offset + count), "limit": query.get("limit", "100")}
            link = f"{app.base_url}/{topic}?" + "&".join(f"{k}={quote(v)}" for k, v in nxt.items())
            headers["Link"] = f'<{link}>; rel="next"'
        self._send(200, body, headers)


def main(argv: list[str] | None = None) -> int:
    """Serve a OneRoster CSV folder until stdin closes (the benchmark runs it like this)."""
    parser = argparse.ArgumentParser(
        prog="python -m tests.helpers.oneroster_server", description=__doc__
    )
    parser.add_argument("bundle", type=Path, help="a OneRoster 1.1 CSV folder")
    parser.add_argument("--version", choices=("1.1", "1.2"), default="1.1")
    parser.add_argument("--prerender", type=int, default=0, help="render pages of this size now")
    parser.add_argument("--client-secret-file", type=Path, required=True)
    args = parser.parse_args(argv)
    secret = args.client_secret_file.read_text("utf-8").strip()
    server = OneRosterServer(from_bundle(args.bundle), version=args.version, client_secret=secret)
    server.start()
    pages = server.prerender(args.prerender) if args.prerender else 0
    print(json.dumps({"base_url": server.base_url, "token_url": server.token_url, "pages": pages}))
    sys.stdout.flush()
    try:
        sys.stdin.read()
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
