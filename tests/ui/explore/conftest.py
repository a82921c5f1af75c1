"""Explore fixtures: the UI ones (fixed clock and paths, a synced district), re-exported."""

from __future__ import annotations

from tests.ui.conftest import (  # noqa: F401  (fixtures re-exported for pytest)
    bundle,
    home,
    make_app,
    pytest_pyfunc_call,
    synced,
    work,
)
