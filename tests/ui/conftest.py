"""Fixtures, defined in tests/helpers/app.py."""

from tests.helpers.app import (
    bundle,
    bundle_without_enrollments,
    home,
    make_app,
    pytest_pyfunc_call,
    synced,
    work,
)

__all__ = [
    "bundle",
    "bundle_without_enrollments",
    "home",
    "make_app",
    "pytest_pyfunc_call",
    "synced",
    "work",
]
