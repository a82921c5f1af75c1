"""Fixtures, defined in tests/helpers/fix.py."""

from tests.helpers.fix import make_home

__all__ = ["make_home"]
