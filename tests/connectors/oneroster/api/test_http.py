"""The generic HTTP client and the pager against the loopback server: retries, paging, errors."""

from __future__ import annotations

import pytest

from connectors.base import ConnectorError
from connectors.common.http_client import HttpClient, HttpError, RetryPolicy, retry_after_seconds
from connectors.common.http_paging import OffsetPager, link_next
from connectors.common.oauth import OAuth1Signer, OAuth2ClientCredentials
from connectors.oneroster.json import error_detail, page_records
from tests.helpers.oneroster_api import SECRET, ServerFactory
from tests.helpers.oneroster_district import District
from tests.helpers.oneroster_server import Faults, OneRosterServer


class Waits:
    """An injected sleep that records the waits instead of sleeping."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def client(waits: Waits, **policy: float) -> HttpClient:
    """A client whose waits are recorded, not slept."""
    return HttpClient(
        policy=RetryPolicy(sleep=waits, rand=lambda: 1.0, **policy),  # type: ignore[arg-type]
        detail=lambda r: error_detail(r.json()),
    )


def bearer(server: OneRosterServer, http: HttpClient) -> OAuth2ClientCredentials:
    """OAuth 2 credentials for the server."""
    return OAuth2ClientCredentials(http, server.token_url, "datasync", SECRET)


def ids(server: OneRosterServer, http: HttpClient, topic: str, **kw: object) -> list[str]:
    """Every sourcedId of a topic, read page by page."""
    pager = OffsetPager(
        http,
        f"{server.base_url}/{topic}",
        {},
        lambda body: page_records(body, topic),
        auth=bearer(server, http),
        **kw,  # type: ignore[arg-type]
    )
    return [r["sourcedId"] for page in pager for r in page]


def test_retry_after_is_honoured_without_sleeping(serve: ServerFactory) -> None:
    server = serve(version="1.2", faults=Faults(rate_limited=2, retry_after="7"))
    waits = Waits()
    http = client(waits)
    response = http.get(f"{server.base_url}/orgs", auth=bearer(server, http))
    assert response.status_code == 200
    assert waits.waits == [7.0, 7.0]
    http.close()


def test_backoff_grows_and_gives_up_with_one_line(serve: ServerFactory) -> None:
    server = serve(version="1.2", faults=Faults(server_errors=100))
    waits = Waits()
    http = client(waits, attempts=4, base=0.5)
    with pytest.raises(HttpError) as caught:
        http.get(f"{server.base_url}/users", auth=bearer(server, http))
    assert waits.waits == [0.5, 1.0, 2.0]
    text = str(caught.value)
    assert text.startswith(f"{server.base_url}/users: HTTP 500")
    assert "internal_server_error" in text and "gave up after 4 tries" in text
    assert "\n" not in text
    http.close()


def test_total_wait_is_bounded(serve: ServerFactory) -> None:
    server = serve(version="1.2", faults=Faults(rate_limited=100, retry_after="100"))
    waits = Waits()
    http = client(waits, total=250)
    with pytest.raises(HttpError, match="gave up after 3 tries, 200s of waiting"):
        http.get(f"{server.base_url}/users", auth=bearer(server, http))
    http.close()


def test_dropped_connection_and_read_timeout_are_retried(serve: ServerFactory) -> None:
    server = serve(version="1.2", faults=Faults(dropped=1, slow_first=1.5))
    waits = Waits()
    http = HttpClient(timeout=0.5, policy=RetryPolicy(sleep=waits))
    assert http.get(f"{server.base_url}/orgs", auth=bearer(server, http)).status_code == 200
    assert len(waits.waits) == 2  # the slow answer timed out, then the drop
    http.close()


def test_unreachable_host_is_one_line() -> None:
    http = HttpClient(policy=RetryPolicy(attempts=2, sleep=Waits()))
    with pytest.raises(HttpError, match=r"^http://127.0.0.1:9/x: cannot connect"):
        http.get("http://127.0.0.1:9/x")
    http.close()


def test_retry_after_as_http_date() -> None:
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert retry_after_seconds("soon") is None


def test_link_header_parsing() -> None:
    header = '<https://x/users?offset=5>; rel="next", <https://x/users?offset=0>; rel="first"'
    assert link_next(header) == "https://x/users?offset=5"
    assert link_next('<https://x/a>; rel="prev"') is None
    assert link_next(None) is None


@pytest.mark.parametrize(
    "faults",
    [
        Faults(),
        Faults(no_total=True),
        Faults(no_link=True),
        Faults(no_total=True, no_link=True),
        Faults(page_cap=9),
        Faults(page_cap=9, no_link=True),
    ],
    ids=["both", "link only", "total only", "neither", "capped", "capped total only"],
)
@pytest.mark.parametrize("parallel", [1, 4])
def test_paging_reads_every_record_once_in_order(
    faults: Faults, parallel: int, serve: ServerFactory, district: District
) -> None:
    server = serve(version="1.2", faults=faults)
    http = client(Waits())
    got = ids(server, http, "enrollments", limit=50, parallel=parallel)
    assert got == [r["sourcedId"] for r in district["enrollments"]]
    http.close()


def test_capped_page_size_is_reported(serve: ServerFactory) -> None:
    server = serve(version="1.2", faults=Faults(page_cap=25))
    http, warnings = client(Waits()), []
    ids(server, http, "users", limit=1000, warn=warnings.append)
    assert warnings == [
        "/ims/oneroster/rostering/v1p2/users: the server caps pages at 25 records "
        "(asked for 1000); reading on in pages of 25"
    ]
    http.close()


@pytest.mark.parametrize("parallel", [1, 4])
@pytest.mark.parametrize("no_link", [True, False])
def test_a_repeated_page_is_detected_not_looped(
    parallel: int, no_link: bool, serve: ServerFactory
) -> None:
    server = serve(version="1.2", faults=Faults(repeat_page=True, no_link=no_link))
    http = client(Waits())
    with pytest.raises(ConnectorError, match="sent the same page again at offset 50"):
        ids(server, http, "enrollments", limit=50, parallel=parallel)
    assert server.stats.api_requests < 10
    http.close()


def test_oauth2_token_is_reused_then_renewed(serve: ServerFactory) -> None:
    server = serve(version="1.2", token_lifetime=3600)
    now = [0.0]
    http = client(Waits())
    auth = OAuth2ClientCredentials(http, server.token_url, "datasync", SECRET, clock=lambda: now[0])
    for _ in range(3):
        http.get(f"{server.base_url}/orgs", auth=auth)
    assert auth.fetches == 1
    now[0] = 3600.0  # expired on our clock: fetched again before the request
    http.get(f"{server.base_url}/orgs", auth=auth)
    assert auth.fetches == 2
    server.tokens.clear()  # revoked by the server: the 401 brings a new token
    http.get(f"{server.base_url}/orgs", auth=auth)
    assert auth.fetches == 3
    assert server.stats.token_requests == 3
    http.close()


def test_oauth2_refusals_name_the_credential_or_scope(serve: ServerFactory) -> None:
    server = serve(
        version="1.2", scope="https://purl.imsglobal.org/spec/or/v1p2/scope/roster.readonly"
    )
    http = client(Waits())
    wrong = OAuth2ClientCredentials(http, server.token_url, "datasync", "wrong")
    with pytest.raises(HttpError, match=r"refused client_id 'datasync' and its client_secret"):
        wrong.token()
    narrow = OAuth2ClientCredentials(http, server.token_url, "datasync", SECRET, scope="x.read")
    with pytest.raises(HttpError, match=r"refused scope 'x\.read' \(invalid_scope\)"):
        narrow.token()
    http.close()


def test_oauth1_signature_is_checked_by_the_server(serve: ServerFactory) -> None:
    server = serve(version="1.1")
    http = client(Waits())
    ok = http.get(
        f"{server.base_url}/users",
        {"filter": "dateLastModified>'2020-01-01T00:00:00Z'", "limit": 5},
        auth=OAuth1Signer("datasync", SECRET),
    )
    assert len(ok.json()["users"]) == 5
    with pytest.raises(HttpError, match=r"401.*OAuth 1\.0a signature of client_id 'datasync'"):
        http.get(f"{server.base_url}/users", auth=OAuth1Signer("datasync", "wrong"))
    http.close()


def test_imsx_both_casings_and_oauth_errors() -> None:
    for key in ("imsx_CodeMinor", "imsx_codeMinor"):
        body = {
            "imsx_codeMajor": "failure",
            "imsx_description": "no such\n  field",
            key: {"imsx_codeMinorField": [{"imsx_codeMinorFieldValue": "invalid_filter_field"}]},
        }
        assert error_detail(body) == "imsx failure (invalid_filter_field): no such field"
        with pytest.raises(ConnectorError, match="invalid_filter_field"):
            page_records({"imsx_statusInfo": body}, "users")
    assert error_detail({"error": "invalid_client"}) == "invalid_client"
    assert error_detail(["x"]) is None


def test_a_redirect_is_named_not_followed(serve: ServerFactory) -> None:
    server = serve(version="1.2", faults=Faults(moved_to="https://sis.example.org/oneroster"))
    http = client(Waits())
    with pytest.raises(HttpError) as caught:
        http.get(f"{server.base_url}/orgs", auth=bearer(server, http))
    assert str(caught.value) == (
        f"{server.base_url}/orgs: HTTP 301: redirected to https://sis.example.org/oneroster "
        "(use that URL in the settings)"
    )
    assert caught.value.status == 301
    http.close()
