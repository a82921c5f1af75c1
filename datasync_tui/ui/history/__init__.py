"""The History page: every sync, what each changed record by record, rollback and pause."""

from datasync_tui.ui.history.screen import HistoryScreen

__all__ = ["HistoryScreen"]
