"""The filters of the Explore table: role, school, status and email domain."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, Select
from textual.widgets._select import SelectOverlay

from datasync_tui.viewmodels.explore import Filters
from datasync_tui.viewmodels.explore.topics import STATUSES


class FilterScreen(ModalScreen[Filters | None]):
    """Choose the filters; dismissed with them (Enter) or None (Esc)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Enter is taken before any field sees it (priority) and ends there: it applies, and
        # the page below never receives it (it would open a record of the old table).
        Binding("enter", "apply", "Apply", priority=True, id="filter-apply-enter"),
        Binding("ctrl+s", "apply", "Apply", show=False, id="filter-apply"),
        Binding("escape", "dismiss(None)", "Cancel", id="filter-cancel"),
    ]

    def __init__(
        self,
        current: Filters,
        applies: frozenset[str],
        roles: list[str],
        schools: list[tuple[str, str]],
    ) -> None:
        super().__init__(classes="filter-screen")
        self.current = current
        self.applies = applies
        self.roles = roles
        self.schools = schools

    def compose(self) -> ComposeResult:
        """One field per filter that applies to the topic."""
        f = self.current
        with Vertical(id="filter-box"):
            yield Label("Filter the table: Enter applies, Esc cancels", id="filter-title")
            if "role" in self.applies:
                yield Label("Role")
                yield Select([(r, r) for r in self.roles], value=f.role or Select.NULL,
                             prompt="any role", id="filter-role")  # fmt: skip
            if "school" in self.applies:
                yield Label("School")
                yield Select(self.schools, value=f.school or Select.NULL,
                             prompt="any school", id="filter-school")  # fmt: skip
            if "status" in self.applies:
                yield Label("Status")
                yield Select([(s, s) for s in STATUSES], value=f.status or Select.NULL,
                             prompt="any status", id="filter-status")  # fmt: skip
            if "domain" in self.applies:
                yield Label("Email domain")
                yield Input(f.domain or "", placeholder="e.g. gmail.com, or (no email)",
                            select_on_focus=False, id="filter-domain")  # fmt: skip
        yield Footer(compact=True, show_command_palette=False)

    def _value(self, selector: str) -> str | None:
        """A Select's value, None when blank or absent."""
        found = self.query(selector)
        if not found:
            return None
        value = found.first(Select).value
        return value if isinstance(value, str) else None

    def action_apply(self) -> None:
        """Close with the chosen filters."""
        domain_input = self.query("#filter-domain")
        domain = domain_input.first(Input).value.strip().lstrip("@").lower() if domain_input else ""
        self.dismiss(
            Filters(
                role=self._value("#filter-role"),
                school=self._value("#filter-school"),
                status=self._value("#filter-status"),
                domain=domain or None,
            )
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Enter picks an option while a list is open; else it applies."""
        return not (action == "apply" and isinstance(self.focused, SelectOverlay))
