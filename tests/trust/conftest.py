"""Fixtures, defined in tests/helpers/trust.py."""

from tests.helpers.trust import tmpfs

__all__ = ["tmpfs"]
