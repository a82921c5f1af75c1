"""Files shipped with the package: the stylesheet, wherever the package is installed."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

STYLESHEET = "screens.tcss"


def stylesheet_path() -> Path:
    """screens.tcss: inside the installed package, else at the top of a source checkout."""
    packaged = resources.files("datasync_tui.ui").joinpath(STYLESHEET)
    if packaged.is_file():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parent.parent / STYLESHEET
    if checkout.is_file():
        return checkout
    raise FileNotFoundError(f"{STYLESHEET} is missing from this install")
