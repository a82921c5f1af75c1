"""The Explore page: every record of a topic in a virtual table, its filters, a record, domains."""

from datasync_tui.ui.explore.screen import ExploreScreen

__all__ = ["ExploreScreen"]
