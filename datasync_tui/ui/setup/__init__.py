"""The Connection page (setup): Choose, Options, Check, Confirm (one module each)."""

from datasync_tui.ui.setup.screen import SetupScreen

__all__ = ["SetupScreen"]
