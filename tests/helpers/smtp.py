"""A real SMTP server on 127.0.0.1 (aiosmtpd): plain, STARTTLS or SMTPS, with a login if asked;
and a listener that never answers. Each is started by a test and stopped by it."""

from __future__ import annotations

import contextlib
import email
import socket
import ssl
import threading
from dataclasses import dataclass, field
from email.message import Message
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER, PASSWORD = "alerts@district.example.org", "Sm7p-Pa55word-9q"


def free_port() -> int:
    """A port on 127.0.0.1 nobody listens on (now)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Received:
    """One message the server accepted."""

    sender: str
    recipients: list[str]
    message: Message

    @property
    def subject(self) -> str:
        """The decoded subject."""
        return str(email.header.make_header(email.header.decode_header(self.message["Subject"])))

    @property
    def body(self) -> str:
        """The plain-text body."""
        payload = self.message.get_payload(decode=True)
        assert isinstance(payload, bytes)
        return payload.decode(self.message.get_content_charset() or "utf-8").replace("\r\n", "\n")


@dataclass
class Handler:
    """Keeps every message; answers 250."""

    received: list[Received] = field(default_factory=list)
    raw: list[bytes] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.raw.append(bytes(envelope.original_content or envelope.content))
        self.received.append(
            Received(
                envelope.mail_from,
                list(envelope.rcpt_tos),
                email.message_from_bytes(envelope.original_content or envelope.content),
            )
        )
        return "250 2.0.0 queued as T35T"


def _login(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
    """Accept USER/PASSWORD only."""
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
        USER.encode(),
        PASSWORD.encode(),
    )
    return AuthResult(success=ok, handled=False)


class SmtpServer:
    """aiosmtpd on 127.0.0.1: `tls` = None (plain), "starttls" or "smtps"; `login` requires
    USER/PASSWORD."""

    def __init__(
        self, tls: str | None = None, context: ssl.SSLContext | None = None, login: bool = False
    ) -> None:
        self.handler = Handler()
        self.port = free_port()
        kwargs: dict[str, Any] = {}
        if tls == "starttls":
            kwargs.update(tls_context=context, require_starttls=True)
        elif tls == "smtps":
            kwargs.update(ssl_context=context)
        if login:
            kwargs.update(authenticator=_login, auth_require_tls=True)
        self.scheme = "smtps" if tls == "smtps" else "smtp"
        self.controller = Controller(
            self.handler, hostname="127.0.0.1", port=self.port, ready_timeout=10, **kwargs
        )

    @property
    def url(self) -> str:
        """What smtp_url names."""
        return f"{self.scheme}://127.0.0.1:{self.port}"

    @property
    def received(self) -> list[Received]:
        """The messages accepted so far."""
        return self.handler.received

    def start(self) -> SmtpServer:
        """Serve in aiosmtpd's thread."""
        self.controller.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the port."""
        self.controller.stop()


class SilentServer:
    """Accepts connections on 127.0.0.1 and never says a word (an SMTP server that hangs)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = int(self.sock.getsockname()[1])
        self.held: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.held.append(conn)

    def start(self) -> SilentServer:
        """Accept in a thread."""
        self.thread.start()
        return self

    def stop(self) -> None:
        """Close every connection and the port."""
        for conn in self.held:
            conn.close()
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()
        self.thread.join(5)
