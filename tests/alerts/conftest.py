"""Fixtures, defined in tests/helpers/alerts.py."""

from tests.helpers.alerts import certificate, smtp, tls_smtp

__all__ = ["certificate", "smtp", "tls_smtp"]
