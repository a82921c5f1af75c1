"""The Validations page and its parts: rule list, paged records, export and domain prompts."""

from datasync_tui.ui.validations.screen import ValidationsScreen

__all__ = ["ValidationsScreen"]
