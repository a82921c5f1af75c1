"""The Dashboard page: a tile per topic, the sync times, the held sync, the notes."""

from datasync_tui.ui.dashboard.screen import DashboardScreen

__all__ = ["DashboardScreen"]
