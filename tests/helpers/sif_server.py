"""A real SIF 3 REST provider on 127.0.0.1 for tests: environments, Basic/HMAC auth, paging."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.helpers.sif_gen import AU_NS

INFRA = "http://www.sifassociation.org/infrastructure/3.2.1"
SERVICE_PATH = re.compile(r"^/api/requests/(?P<service>\w+)(?P<matrix>(?:;[^/?]*)?)$")


def error_xml(code: int, message: str) -> bytes:
    """A SIF 3 infrastructure error body."""
    return (
        f'<error xmlns="{INFRA}" id="{uuid.uuid4()}"><code>{code}</code><scope>request</scope>'
        f"<message>{message}</message></error>"
    ).encode()


@dataclass
class SifServer:
    """Serves SIF 3 AU objects by service, page by page, to a consumer with the right keys."""

    objects: dict[str, list[str]]
    application_key: str = "DataSyncKey"
    secret: str = "s3cret-Key!"
    zone: str = "districtZone"
    context: str | None = None
    fail_once: dict[int, int] = field(default_factory=dict)  # page number → status, once
    log: list[dict[str, Any]] = field(default_factory=list)
    sessions: set[str] = field(default_factory=set)
    url: str = ""

    def start(self) -> SifServer:
        """Listen on a free port in a thread."""
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                server.handle(self, "POST")

            def do_GET(self) -> None:
                server.handle(self, "GET")

            def do_DELETE(self) -> None:
                server.handle(self, "DELETE")

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/api"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        """Stop listening."""
        self.httpd.shutdown()
        self.httpd.server_close()

    def authorised(self, headers: Any, tokens: set[str]) -> str | None:
        """The token a request authenticated with (Basic or SIF_HMACSHA256), or None."""
        value = headers.get("Authorization") or ""
        scheme, _, blob = value.partition(" ")
        try:
            token, _, proof = base64.b64decode(blob).decode().partition(":")
        except ValueError:
            return None
        if token not in tokens:
            return None
        if scheme == "Basic":
            return token if hmac.compare_digest(proof, self.secret) else None
        if scheme == "SIF_HMACSHA256":
            stamp = headers.get("timestamp")
            if not stamp:
                return None
            digest = hmac.new(self.secret.encode(), f"{token}:{stamp}".encode(), hashlib.sha256)
            good = base64.b64encode(digest.digest()).decode()
            return token if hmac.compare_digest(proof, good) else None
        return None

    def handle(self, req: BaseHTTPRequestHandler, method: str) -> None:
        """Route one request."""
        length = int(req.headers.get("Content-Length") or 0)
        body = req.rfile.read(length) if length else b""
        entry = {"method": method, "path": req.path, "headers": dict(req.headers), "body": body}
        self.log.append(entry)
        if method == "POST" and req.path == "/api/environments/environment":
            return self.create_environment(req, body)
        if method == "DELETE" and req.path.startswith("/api/environments/"):
            ok = self.authorised(req.headers, self.sessions)
            return self.send(req, 204 if ok else 401, b"" if ok else error_xml(401, "denied"))
        match = SERVICE_PATH.match(req.path.split("?")[0])
        if method != "GET" or not match:
            return self.send(req, 404, error_xml(404, "no such service"))
        if not self.authorised(req.headers, self.sessions):
            return self.send(req, 401, error_xml(401, "not authorised"))
        matrix = dict(p.split("=", 1) for p in match["matrix"].split(";") if "=" in p)
        if matrix.get("zoneId", self.zone) != self.zone:
            return self.send(req, 404, error_xml(404, f"no zone {matrix.get('zoneId')}"))
        if self.context and matrix.get("contextId") != self.context:
            return self.send(req, 404, error_xml(404, "no such context"))
        items = self.objects.get(match["service"])
        if items is None:
            return self.send(req, 404, error_xml(404, "service not provided"))
        page = int(req.headers.get("navigationPage") or 1)
        size = int(req.headers.get("navigationPageSize") or 10)
        if self.fail_once.get(page):
            status = self.fail_once.pop(page)
            return self.send(req, status, error_xml(status, "busy"), {"Retry-After": "0"})
        last = max((len(items) + size - 1) // size, 1)
        chunk = items[(page - 1) * size : page * size]
        if not chunk and page > 1:
            return self.send(req, 204, b"")
        service = match["service"]
        doc = f'<{service} xmlns="{AU_NS}">' + "".join(chunk) + f"</{service}>"
        headers = {
            "navigationPage": str(page),
            "navigationPageSize": str(size),
            "navigationCount": str(len(items)),
            "navigationLastPage": str(last),
            "messageType": "RESPONSE",
        }
        return self.send(req, 200, doc.encode(), headers)

    def create_environment(self, req: BaseHTTPRequestHandler, body: bytes) -> None:
        """POST environments/environment: check the application's key, hand out a session."""
        if not self.authorised(req.headers, {self.application_key}):
            return self.send(req, 401, error_xml(401, "unknown application key or secret"))
        if f"<applicationKey>{self.application_key}</applicationKey>".encode() not in body:
            return self.send(req, 400, error_xml(400, "applicationKey missing"))
        token, env_id = uuid.uuid4().hex, str(uuid.uuid4())
        self.sessions.add(token)
        services = "".join(
            f'<service name="{name}" contextId="{self.context or "DEFAULT"}" type="OBJECT">'
            '<rights><right type="QUERY">APPROVED</right><right type="CREATE">REJECTED</right>'
            "</rights></service>"
            for name in self.objects
        )
        doc = (
            f'<environment xmlns="{INFRA}" type="DIRECT" id="{env_id}">'
            f"<sessionToken>{token}</sessionToken><solutionId>datasync</solutionId>"
            f'<defaultZone id="{self.zone}"><description>Default</description></defaultZone>'
            "<authenticationMethod>Basic</authenticationMethod><infrastructureServices>"
            f'<infrastructureService name="environment">{self.url}/environments/{env_id}'
            "</infrastructureService>"
            f'<infrastructureService name="requestsConnector">{self.url}/requests'
            "</infrastructureService></infrastructureServices>"
            f'<provisionedZones><provisionedZone id="{self.zone}"><services>{services}'
            "</services></provisionedZone></provisionedZones></environment>"
        )
        return self.send(req, 201, doc.encode())

    @staticmethod
    def send(
        req: BaseHTTPRequestHandler, status: int, body: bytes, headers: dict[str, str] | None = None
    ) -> None:
        """Write one response."""
        req.send_response(status)
        req.send_header("Content-Type", "application/xml")
        req.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            req.send_header(k, v)
        req.end_headers()
        req.wfile.write(body)
