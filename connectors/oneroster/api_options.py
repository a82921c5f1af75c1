"""The OneRoster API method's options, declared once for the wizard, connect --set, the config."""

from __future__ import annotations

from connectors.base import Option
from connectors.common.option_checks import check_ca_file

OPTIONS: tuple[Option, ...] = (
    Option(
        "base_url",
        "Base URL",
        "url",
        required=True,
        help="The API root above /orgs, /users…, e.g. https://sis.example.org/ims/oneroster/v1p1",
    ),
    Option("version", "OneRoster version", "choice", default="1.1", choices=("1.1", "1.2")),
    Option(
        "auth",
        "Authentication",
        "choice",
        default="oauth2",
        choices=("oauth2", "oauth1"),
        help="oauth2: client credentials and a token URL; oauth1: OAuth 1.0a HMAC-SHA256.",
    ),
    Option("client_id", "Client ID (key)", required=True, help="The API client id or key."),
    Option(
        "client_secret",
        "Client secret",
        "secret",
        required=True,
        secret=True,
        help="The API secret: give it as @PATH or env:NAME to keep it out of shell history.",
    ),
    Option(
        "token_url",
        "Token URL",
        "url",
        help="OAuth 2 only (required then): the token endpoint, often not under the base URL.",
    ),
    Option(
        "scope",
        "Scopes",
        help="OAuth 2 scopes, space-separated; default roster.readonly and "
        "roster-demographics.readonly of the version.",
    ),
    Option(
        "page_size",
        "Page size",
        "int",
        default="1000",
        help="Records asked per page.",
        minimum=1,
        maximum=100_000,
    ),
    Option(
        "ca_bundle",
        "CA bundle",
        "path",
        help="A PEM file of the CA that signed the server's certificate (TLS stays verified).",
        check=check_ca_file,
    ),
    Option(
        "full_sync_days",
        "Full sync every (days)",
        "int",
        default="7",
        help="Between full syncs, only records changed since the last sync are read (0: "
        "always full).",
        minimum=0,
        maximum=366,
    ),
    Option(
        "delta_margin_minutes",
        "Delta overlap (minutes)",
        "int",
        default="5",
        help="Each delta reads changes from this long before the last sync started, so a "
        "change made in the same second (or a clock off by a little) is never missed.",
        minimum=0,
        maximum=24 * 60,
    ),
    Option(
        "parallel_pages",
        "Pages in flight",
        "int",
        default="4",
        help="Pages of a big topic fetched at once (1: one at a time, for busy servers).",
        minimum=1,
        maximum=16,
    ),
    Option(
        "timeout",
        "Read timeout (seconds)",
        "int",
        default="60",
        help="How long to wait for an answer before retrying.",
        minimum=1,
        maximum=3600,
    ),
)
