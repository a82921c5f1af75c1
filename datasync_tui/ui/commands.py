"""The command palette (ctrl+p): every key of the app and of each page, found by name anywhere."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.actions import parse
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.screen import Screen

from datasync_tui.ui.pages import PAGES, page_class

if TYPE_CHECKING:
    from datasync_tui.ui.app import DataSyncApp

Command = tuple[str, str, Callable[[], object]]  # (title, help, run)


def _enabled(node: object, action: str) -> bool | None:
    """What the node's check_action says of an action string (None: cannot tell)."""
    check = getattr(node, "check_action", None)
    if check is None:
        return None
    _, name, params = parse(action)
    return bool(check(name, params))


def app_commands(app: DataSyncApp, over: Screen[object]) -> Iterator[Command]:
    """The app's own keys (pages, sync, keys, quit), as they stand over the page the palette
    was opened from (a letter key's field there does not matter: the palette runs the action)."""
    for binding in app.BINDINGS:
        if not isinstance(binding, Binding) or not binding.description:
            continue
        key = app.get_key_display(binding)
        _, name, params = parse(binding.action)
        note = "" if app.action_allowed(name, params, over) else " · not now"
        help_text = f"key {key} · {binding.tooltip or binding.description}{note}"
        yield binding.description, help_text, partial(app.run_action, binding.action)


def page_commands(app: DataSyncApp, current: Screen[object]) -> Iterator[Command]:
    """Every page's keys (hidden ones too), the current page's first."""
    names = sorted(PAGES, key=lambda n: app.page != n)
    for name in names:
        cls = page_class(name)
        installed = app.get_screen(name) if app.is_screen_installed(name) else None
        for binding in cls.BINDINGS:
            if not isinstance(binding, Binding) or not binding.description:
                continue
            if binding.key in ("escape", "enter", "tab"):
                continue  # moving about within the page, not a command
            enabled = _enabled(installed, binding.action) if installed else None
            key = app.get_key_display(binding)
            help_text = f"{cls.PAGE} · key {key}"
            if binding.tooltip:
                help_text += f" · {binding.tooltip}"
            if enabled is False:
                help_text += " · not now"
            yield binding.description, help_text, partial(run_on_page, app, name, binding)
    listed = getattr(current, "palette_commands", None)
    if callable(listed):
        yield from listed()


def run_on_page(app: DataSyncApp, name: str, binding: Binding) -> None:
    """Show the page, then run the binding's action there (or say why it cannot run now)."""
    screen = app.show_page(name)
    if _enabled(screen, binding.action) is False:
        app.notify(f"{binding.description}: not available now.", severity="warning")
        return
    app.call_after_refresh(screen.run_action, binding.action)


class AppCommands(Provider):
    """Every action by name: the app's keys, then each page's (the current page first)."""

    def _commands(self) -> list[Command]:
        """The commands, read when the palette opens (they follow the pages' state)."""
        app = cast("DataSyncApp", self.app)
        return [*page_commands(app, self.screen), *app_commands(app, self.screen)]

    async def discover(self) -> Hits:
        """Every command, before anything is typed."""
        for title, help_text, run in self._commands():
            yield DiscoveryHit(title, run, help=help_text)

    async def search(self, query: str) -> Hits:
        """The commands whose title (or page and key) matches what is typed."""
        matcher = self.matcher(query)
        for title, help_text, run in self._commands():
            score = max(matcher.match(title), matcher.match(help_text) * 0.5)
            if score > 0:
                yield Hit(score, matcher.highlight(title), run, text=title, help=help_text)
