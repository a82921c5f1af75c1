"""Fixtures, defined in tests/helpers/validations.py."""

from tests.helpers.validations import crowded, messy

__all__ = ["crowded", "messy"]
