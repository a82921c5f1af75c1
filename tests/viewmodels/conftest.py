"""Fixtures, defined in tests/helpers/app.py and tests/helpers/validations.py."""

from tests.helpers.app import bundle, home, work
from tests.helpers.validations import crowded, messy

__all__ = ["bundle", "crowded", "home", "messy", "work"]
