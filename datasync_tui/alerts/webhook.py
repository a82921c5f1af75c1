"""notify_url as an alert channel: the event as a small JSON, POSTed once with a short timeout."""

from __future__ import annotations

import ssl
from typing import Any
from urllib.parse import urlsplit

from datasync_tui.alerts.email import SendError


def where(url: str) -> str:
    """The URL's scheme and host only: a webhook's path often is its secret."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or '?'}" + (f":{parts.port}" if parts.port else "")


def post_json(url: str, doc: dict[str, Any], timeout: float, ca_bundle: str | None = None) -> str:
    """POST doc to url; what the receiver answered, or SendError with the reason."""
    import httpx  # here, not at import: httpx pulls in rich when it is installed

    try:
        verify = ssl.create_default_context(cafile=ca_bundle) if ca_bundle else True
        response = httpx.post(url, json=doc, timeout=timeout, verify=verify)
    except httpx.TimeoutException:
        raise SendError(f"no answer within {timeout:g}s") from None
    except httpx.HTTPError as exc:
        raise SendError(f"{exc.__class__.__name__}: {_first_line(exc)}") from None
    except OSError as exc:  # a ca_bundle that cannot be read
        raise SendError(f"{exc.__class__.__name__}: {exc.strerror or exc}") from None
    if not response.is_success:
        raise SendError(f"HTTP {response.status_code} {response.reason_phrase}")
    return f"HTTP {response.status_code} {response.reason_phrase}"


def _first_line(exc: Exception) -> str:
    """An exception's message, its first line, without the URL's path."""
    text = str(exc).splitlines()[0] if str(exc) else ""
    return text.split(" for url ")[0]
