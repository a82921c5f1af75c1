"""The bundled sample district (a OneRoster 1.1 zip) and the generator that writes it."""

from __future__ import annotations

import atexit
from contextlib import ExitStack
from functools import cache
from importlib import resources
from pathlib import Path

__all__ = ["EMAIL_DOMAIN", "bundled_district"]

EMAIL_DOMAIN = "harborpinesusd.org"  # the sample district's domain (students on a subdomain)

_extracted = ExitStack()
atexit.register(_extracted.close)


@cache
def bundled_district() -> Path:
    """The path of the bundled sample district zip, wherever the package is installed."""
    resource = resources.files(__name__).joinpath("district.zip")
    if isinstance(resource, Path):
        return resource
    return _extracted.enter_context(resources.as_file(resource))  # zipped install: a temp copy
