"""The SIF method's options, declared once for the wizard, `connect --set` and the config."""

from __future__ import annotations

from connectors.base import Option
from connectors.common.option_checks import check_ca_file

OPTIONS: tuple[Option, ...] = (
    Option(
        "path",
        "SIF XML folder or .zip",
        "path",
        help="A folder (searched recursively) or a .zip of SIF XML files; or set base_url.",
    ),
    Option(
        "base_url",
        "SIF 3 environments URL",
        "url",
        help="SIF 3 REST: the base holding environments/environment; or set path.",
    ),
    Option(
        "auth",
        "Authorisation",
        "choice",
        default="basic",
        choices=("basic", "hmac"),
        help="basic (Basic) or hmac (SIF_HMACSHA256 with a timestamp header).",
    ),
    Option("application_key", "Application key", help="SIF 3 REST: the consumer's key."),
    Option("secret", "Secret", "secret", secret=True, help="SIF 3 REST: the shared secret."),
    Option("zone", "Zone", help="SIF 3 REST: the zone id (the environment's default if unset)."),
    Option("context", "Context", help="SIF 3 REST: the context id (DEFAULT if unset)."),
    Option(
        "user_token",
        "User token",
        help="SIF 3 REST: the userToken sent when creating the environment, if required.",
    ),
    Option(
        "page_size",
        "Page size",
        "int",
        default="500",
        help="SIF 3 REST objects a page.",
        minimum=1,
        maximum=100_000,
    ),
    Option(
        "ca_bundle",
        "CA bundle",
        "path",
        help="SIF 3 REST: a CA file to verify TLS with.",
        check=check_ca_file,
    ),
)
