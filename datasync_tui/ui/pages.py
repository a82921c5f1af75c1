"""The pages by name, each screen class imported when the page is first shown."""

from __future__ import annotations

import importlib

from datasync_tui.ui.base import PageScreen

# Each page's module is imported when the page is first shown: start-up loads only the first.
PAGES: dict[str, str] = {
    "dashboard": "datasync_tui.ui.dashboard:DashboardScreen",
    "explore": "datasync_tui.ui.explore:ExploreScreen",
    "validations": "datasync_tui.ui.validations:ValidationsScreen",
    "history": "datasync_tui.ui.history:HistoryScreen",
    "connection": "datasync_tui.ui.setup:SetupScreen",
}


def page_class(name: str) -> type[PageScreen]:
    """The screen class of a page, imported on first use."""
    module, _, cls = PAGES[name].partition(":")
    return getattr(importlib.import_module(module), cls)
