"""Fixtures, defined in tests/helpers/cli.py."""

from tests.helpers.cli import cli, data_dir, pytest_configure

__all__ = ["cli", "data_dir", "pytest_configure"]
