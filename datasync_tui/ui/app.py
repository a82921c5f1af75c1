"""The app shell: pages as modes, the global keys, the facts every page shows, one error path."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import ClassVar

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import Provider
from textual.reactive import var
from textual.screen import ModalScreen, Screen
from textual.widgets import Input
from textual.worker import Worker, WorkerState

from datasync_tui.resources import stylesheet_path
from datasync_tui.store import config
from datasync_tui.ui import jobs, prefs
from datasync_tui.ui.base import PageScreen
from datasync_tui.ui.commands import AppCommands
from datasync_tui.ui.context import Context
from datasync_tui.ui.help import HelpScreen
from datasync_tui.ui.messages import FactsLoaded
from datasync_tui.ui.pages import page_class
from datasync_tui.viewmodels.dashboard import Facts

# Single-letter keys: they give way to typing while a text field has the focus (ctrl+q, the
# action "quit", works everywhere; the letter q is "quit_key").
LETTER_ACTIONS = {"page", "connect", "sync", "help", "quit_key"}


def declared_by_us(node: object, binding: Binding) -> bool:
    """True when one of our classes (not Textual's) declares the binding (by its id)."""
    for cls in type(node).__mro__:
        if not cls.__module__.startswith("datasync_tui."):
            continue
        for declared in cls.__dict__.get("BINDINGS", ()):
            if isinstance(declared, Binding) and declared.id and declared.id == binding.id:
                return True
    return False


class DataSyncApp(App[int]):
    """DataSync TUI: the Connection (setup), Dashboard, Explore, Validations and History pages.

    Pages are installed screens, swapped in place, so each keeps its state while hidden.
    """

    TITLE = "DataSync TUI"
    CSS_PATH = str(stylesheet_path())
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {
        *App.COMMANDS,
        AppCommands,
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "d",
            "page('dashboard')",
            "Dashboard",
            tooltip="counts per topic and sync times",
            id="page-dashboard",
        ),
        Binding(
            "e",
            "page('explore')",
            "Explore",
            tooltip="every record, searched and filtered",
            id="page-explore",
        ),
        Binding(
            "v",
            "page('validations')",
            "Validations",
            tooltip="what would break the Classroom sync",
            id="page-validations",
        ),
        Binding(
            "h",
            "page('history')",
            "History",
            tooltip="every sync, what it changed; roll back, pause",
            id="page-history",
        ),
        Binding("c", "connect", "Connection", tooltip="the source and its settings", id="connect"),
        Binding("r", "sync", "Sync", tooltip="sync now, with progress", id="sync"),
        Binding(
            "question_mark",
            "help",
            "Keys",
            key_display="?",
            tooltip="every key of the page",
            id="help",
        ),
        Binding("q", "quit_key", "Quit", tooltip="quit (ctrl+q works even in a field)", id="quit"),
    ]

    facts: var[Facts | None] = var(None)
    explore_topic: var[str | None] = var(None)

    def __init__(self, ctx: Context, *, sync_on_start: bool = False) -> None:
        super().__init__()
        self.ctx = ctx
        self.sync_on_start = sync_on_start
        self.connection: config.Connection | None = None
        self.page = ""
        self._after_facts: list[Callable[[], object]] = []

    def page_screen(self, name: str) -> PageScreen:
        """The page's screen, built and installed the first time it is asked for."""
        if not self.is_screen_installed(name):
            self.install_screen(page_class(name)(), name)
        screen = self.get_screen(name)
        assert isinstance(screen, PageScreen)
        return screen

    def show_page(self, name: str) -> PageScreen:
        """Make a page current (closing a modal above it) and return its screen."""
        screen = self.page_screen(name)
        while isinstance(self.screen, ModalScreen):
            self.pop_screen()
        if self.screen is not screen:
            if len(self.screen_stack) > 1:
                self.switch_screen(name)
            else:
                self.push_screen(name)
        self.page = name
        return screen

    def on_mount(self) -> None:
        """Open the wizard when nothing is connected, else the dashboard; the saved theme."""
        theme = prefs.load(self.ctx.data_dir).get("theme")
        if isinstance(theme, str) and theme in self.available_themes:
            self.theme = theme
        self.theme_changed_signal.subscribe(self, self._theme_chosen)
        try:
            self.connection = config.load(self.ctx.data_dir)
        except config.ConfigError as exc:
            self.notify(str(exc), severity="error", timeout=15)
        self.show_page("dashboard" if self.connection or self.sync_on_start else "connection")
        self.reload()
        if self.sync_on_start:
            self.call_after_refresh(self.action_sync)

    def _prebuild_explore(self) -> None:
        """Build Explore (compose, CSS, first read) after the first frame: opening it is quick."""
        if not self.is_screen_installed("explore"):
            self.install_screen(page_class("explore")(), "explore")
            screen, _ = self._get_screen("explore")  # mounts it without showing it
            screen.post_message(events.Resize(self.size, self.size))  # its width classes now
            self.call_after_refresh(self._lay_out_explore)

    def _lay_out_explore(self) -> None:
        """Lay the built Explore page out at the terminal's size while it is hidden."""
        screen = self.get_screen("explore")
        if screen is not self.screen and screen.is_mounted:
            screen._refresh_layout(self.size)  # the first show then only draws it

    def _theme_chosen(self, theme: object) -> None:
        """Remember the theme for the next start (written off the event loop)."""
        self._save_theme(self.theme)

    @work(thread=True, group="prefs", exclusive=True, exit_on_error=False)
    def _save_theme(self, name: str) -> None:
        """Write the preference."""
        prefs.save(self.ctx.data_dir, theme=name)

    # -- facts -----------------------------------------------------------------------------

    def reload(self, then: Callable[[], object] | None = None) -> None:
        """Read the facts again (in a worker); every page follows `facts`; then runs after."""
        if then is not None:
            self._after_facts.append(then)
        self._load_facts()

    @work(thread=True, group="facts", exclusive=True, exit_on_error=False)
    def _load_facts(self) -> None:
        """Read the store off the UI thread."""
        self.post_message(FactsLoaded(jobs.facts(self.ctx)))

    def on_facts_loaded(self, message: FactsLoaded) -> None:
        """Publish the new facts; once the first are on screen, build Explore in the background."""
        first = self.facts is None
        self.connection = message.facts.connection
        self.facts = message.facts
        waiting, self._after_facts = self._after_facts, []
        for callback in waiting:
            callback()
        if first:
            self.call_after_refresh(self._prebuild_explore)

    # -- pages and keys --------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Letter keys step aside while a field is typed in; no sync from the wizard.

        ctrl+q ("quit") always works, from a field or a dialog too.
        """
        if action in LETTER_ACTIONS and isinstance(self.focused, Input):
            return False
        return self.action_allowed(action, parameters, self.screen)

    def action_allowed(self, action: str, parameters: tuple[object, ...], over: Screen) -> bool:
        """Whether an app action can run over a screen, whatever has the focus there (the
        command palette asks this of the screen it was opened from)."""
        if action == "quit":
            return True
        if action == "page" and parameters and parameters[0] == self.page:
            return False  # the page you are on needs no key (and the Footer needs the room)
        if action in LETTER_ACTIONS and isinstance(over, ModalScreen):
            return action == "quit_key" and not isinstance(over, HelpScreen)
        return not (action in ("sync", "connect") and self.page == "connection")

    async def action_quit_key(self) -> None:
        """q: quit (only when no field takes the letter)."""
        await self.action_quit()

    def action_page(self, name: str) -> None:
        """Go to a page."""
        self.show_page(name)

    def explore(self, topic: str, sourced_id: str | None = None) -> None:
        """Open Explore on a topic (its reading starts before the page is laid out).

        With sourced_id, Explore finds that record and opens it; Esc on it comes back here.
        """
        back_to = self.page if sourced_id and self.page != "explore" else ""
        self.explore_topic = topic
        screen = self.page_screen("explore")
        if isinstance(screen, page_class("explore")) and screen.is_mounted:
            screen.open_topic(topic, sourced_id, back_to)
        self.show_page("explore")

    @property
    def has_data(self) -> bool:
        """True once a sync applied data (the pages that read records need it)."""
        return self.facts is not None and self.facts.status["last_success_at"] is not None

    def review(self, run_id: int) -> None:
        """The History page on one sync's changes (the held sync's Review); Esc comes back."""
        back_to = self.page if self.page != "history" else ""
        screen = self.show_page("history")
        show = getattr(screen, "show_run", None)
        if callable(show):
            show(run_id, back_to)

    def show_domains(self) -> None:
        """The users' email domains (m, on every page); Enter on a row lists its users."""
        from datasync_tui.ui.explore.domains import DomainsScreen

        settings = self.connection.settings if self.connection else {}
        self.push_screen(
            DomainsScreen(self.ctx, settings.get("email_domains")), self.show_domain_users
        )

    def show_domain_users(self, domain: str | None) -> None:
        """Explore, on the users of one row of the email domains (None: stay)."""
        if domain is None:
            return
        self.explore_topic = "users"
        screen = self.show_page("explore")
        show = getattr(screen, "show_domain", None)
        if callable(show):
            self.call_after_refresh(show, domain)

    def action_connect(self) -> None:
        """Open the wizard with the current values."""
        was_open = self.is_screen_installed("connection")
        screen = self.show_page("connection")
        if was_open and isinstance(screen, page_class("connection")):
            screen.restart(self.connection)

    def action_sync(self) -> None:
        """Sync now, from the dashboard."""
        screen = self.show_page("dashboard")
        if isinstance(screen, page_class("dashboard")):
            self.call_after_refresh(screen.start_sync)

    def action_help(self) -> None:
        """List every key of the current page."""
        screen = self.screen
        if isinstance(screen, HelpScreen):
            return
        page = screen.PAGE if isinstance(screen, PageScreen) else "current"
        self.push_screen(HelpScreen(page, self.page_keys(screen)))

    def page_keys(self, screen: Screen[object]) -> list[tuple[str, str]]:
        """(key, what it does) for every key of ours active on screen (hidden ones too)."""
        keys: list[tuple[str, str]] = []
        for key, description, enabled in self._our_bindings(screen):
            keys.append((key, description + ("" if enabled else " (not now)")))
        keys.append((self.get_key_display(Binding("ctrl+p", "command_palette")), "Commands"))
        keys.append((self.get_key_display(Binding("ctrl+q", "quit")), "Quit, even from a field"))
        return keys

    def _our_bindings(self, screen: Screen[object]) -> Iterable[tuple[str, str, bool]]:
        """(key display, description, enabled) of the app's and our widgets' bindings."""
        seen: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if not declared_by_us(active.node, binding) or not binding.description:
                continue
            if binding.description in seen:
                continue
            seen.add(binding.description)
            yield self.get_key_display(binding), binding.description, active.enabled

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Textual's own commands (theme, screenshot…) but Keys and Quit, which are ours."""
        for command in super().get_system_commands(screen):
            if command.title not in ("Keys", "Quit"):
                yield command

    # -- the one error path ----------------------------------------------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Any worker that failed unexpectedly is told in one clear notification."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            error = event.worker.error
            self.notify(
                f"{error.__class__.__name__}: {error}",
                title=f"{event.worker.name or 'A task'} failed",
                severity="error",
                timeout=15,
            )
