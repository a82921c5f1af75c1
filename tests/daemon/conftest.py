"""Fixtures, defined in tests/helpers/daemon.py."""

from tests.helpers.daemon import harness

__all__ = ["harness"]
