"""Email alerts by SMTP (stdlib): smtp:// with STARTTLS when offered, or smtps://; TLS verified."""

from __future__ import annotations

import smtplib
import socket
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from urllib.parse import urlsplit

from connectors.common.option_checks import split_addresses
from datasync_tui.errors import DataSyncError

PORTS = {"smtp": 587, "smtps": 465}


class SendError(DataSyncError):
    """A channel could not deliver: one line saying why (never a secret)."""


@dataclass(frozen=True)
class EmailSettings:
    """Where and how to send: the server, its login, the recipients, the CA to trust."""

    scheme: str
    host: str
    port: int
    recipients: tuple[str, ...]
    user: str | None = None
    password: str | None = None
    ca_bundle: str | None = None

    @property
    def where(self) -> str:
        """The server as the admin wrote it (no credentials)."""
        return f"{self.scheme}://{self.host}:{self.port}"

    @property
    def sender(self) -> str:
        """The From address: the login when it is an address, else datasync-tui@this host."""
        if self.user and "@" in self.user:
            return self.user
        return f"datasync-tui@{socket.gethostname() or 'localhost'}"


def email_settings(settings: Mapping[str, str]) -> EmailSettings | None:
    """The email channel of a connection's settings, or None when smtp_url or notify_email is
    not set."""
    url, to = settings.get("smtp_url") or "", settings.get("notify_email") or ""
    if not url or not to:
        return None
    parts = urlsplit(url)
    scheme = parts.scheme if parts.scheme in PORTS else "smtp"
    return EmailSettings(
        scheme=scheme,
        host=parts.hostname or "localhost",
        port=parts.port or PORTS[scheme],
        recipients=tuple(split_addresses(to)),
        user=settings.get("smtp_user") or None,
        password=settings.get("smtp_password") or None,
        ca_bundle=settings.get("ca_bundle") or None,
    )


def build_message(cfg: EmailSettings, subject: str, body: str) -> EmailMessage:
    """A plain-text message, UTF-8, readable on a phone."""
    msg = EmailMessage()
    msg["From"] = cfg.sender
    msg["To"] = ", ".join(cfg.recipients)
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=cfg.sender.rpartition("@")[2] or None)
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(body)
    return msg


def _tls(cfg: EmailSettings) -> ssl.SSLContext:
    """A verifying TLS context: the system's CAs, or ca_bundle when set."""
    try:
        return ssl.create_default_context(cafile=cfg.ca_bundle)
    except (OSError, ssl.SSLError) as exc:
        raise SendError(f"ca_bundle {cfg.ca_bundle}: cannot be read ({exc})") from None


def _open(cfg: EmailSettings, timeout: float) -> smtplib.SMTP:
    """Connect, encrypt (smtps, or STARTTLS when offered) and log in."""
    context = _tls(cfg)
    if cfg.scheme == "smtps":
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(cfg.host, cfg.port, timeout=timeout, context=context)
    else:
        smtp = smtplib.SMTP(cfg.host, cfg.port, timeout=timeout)
        smtp.ehlo()
        if smtp.has_extn("starttls"):
            smtp.starttls(context=context)
            smtp.ehlo()
        elif cfg.user:
            smtp.close()
            raise SendError(
                "the server offers no STARTTLS: the password is not sent in clear "
                "(use smtps://, or a server that offers STARTTLS)"
            )
    smtp.ehlo_or_helo_if_needed()
    if cfg.user:
        smtp.login(cfg.user, cfg.password or "")
    return smtp


def send_email(cfg: EmailSettings, subject: str, body: str, timeout: float) -> str:
    """Send one message to every recipient; the server's answer, or SendError with the reason."""
    msg = build_message(cfg, subject, body)
    try:
        smtp = _open(cfg, timeout)
        try:
            code, answer = smtp.mail(cfg.sender)
            if code != 250:
                raise SendError(f"sender {cfg.sender} refused: {code} {_text(answer)}")
            refused = []
            for rcpt in cfg.recipients:
                code, answer = smtp.rcpt(rcpt)
                if code not in (250, 251):
                    refused.append(f"{rcpt} ({code} {_text(answer)})")
            if len(refused) == len(cfg.recipients):
                raise SendError("every recipient refused: " + "; ".join(refused))
            code, answer = smtp.data(msg.as_bytes(policy=policy.SMTP))
            if code != 250:
                raise SendError(f"message refused: {code} {_text(answer)}")
            told = f"{code} {_text(answer)}"
            return told + (f"; refused {', '.join(refused)}" if refused else "")
        finally:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()
    except SendError:
        raise
    except ssl.SSLCertVerificationError as exc:
        raise SendError(
            f"TLS certificate of {cfg.host} not trusted ({exc.verify_message}); "
            "set ca_bundle to your CA file"
        ) from None
    except smtplib.SMTPAuthenticationError as exc:
        raise SendError(f"login as {cfg.user} refused: {exc.smtp_code}") from None
    except smtplib.SMTPNotSupportedError as exc:
        raise SendError(f"the server does not support {exc}") from None
    except (smtplib.SMTPException, ssl.SSLError) as exc:
        raise SendError(f"{exc.__class__.__name__}: {exc}") from None
    except TimeoutError:
        raise SendError(f"no answer within {timeout:g}s") from None
    except OSError as exc:
        raise SendError(exc.strerror or exc.__class__.__name__) from None


def _text(answer: bytes | str) -> str:
    """A server answer as one line."""
    text = answer.decode("utf-8", "replace") if isinstance(answer, bytes) else answer
    return " ".join(text.split())
