"""The UI fixtures (fixed clock, working folder, app factory, async runner) for the SDS app test."""

from tests.helpers.app import home, make_app, pytest_pyfunc_call, work

__all__ = ["home", "make_app", "pytest_pyfunc_call", "work"]
