"""Fixtures, defined in tests/helpers/oneroster_api.py."""

from tests.helpers.oneroster_api import district, fast_retries, secret_file, serve

__all__ = ["district", "fast_retries", "secret_file", "serve"]
