"""The Footer, fitted to the terminal's width: the page's own keys first, then `?` and `q`."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from textual.binding import ActiveBinding, Binding
from textual.events import Resize
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

# Keys that stay whatever the width (the way to every other key, and the way out).
ALWAYS = ("help", "quit")

Shown = tuple[Binding, bool, str]  # (binding, enabled, tooltip)


def key_width(key: str, description: str) -> int:
    """Cells a compact footer key takes: key, a space, description, a gap after."""
    return len(key) + 1 + len(description) + 1


def fitted(
    active: Iterable[ActiveBinding],
    width: int,
    display: Callable[[Binding], str],
    is_app: Callable[[ActiveBinding], bool],
) -> list[Shown]:
    """The shown bindings that fit in width: the app's page keys go first, then the page's last."""
    by_action: dict[str, ActiveBinding] = {}
    for item in active:
        if item.binding.show and item.binding.action not in by_action:
            by_action[item.binding.action] = item
    items = list(by_action.values())

    def total(chosen: list[ActiveBinding]) -> int:
        return sum(key_width(display(i.binding), i.binding.description) for i in chosen)

    # Dropped from the end of this list first: the app's page keys, then the page's last keys.
    droppable = [i for i in items if not is_app(i)]
    droppable += [i for i in items if is_app(i) and i.binding.id not in ALWAYS]
    for item in reversed(droppable):
        if total(items) <= width:
            break
        items.remove(item)
    return [(i.binding, i.enabled, i.tooltip) for i in items]


class PageFooter(Footer):
    """A compact Footer that leaves out the keys that do not fit (`?` lists them all)."""

    def __init__(self) -> None:
        super().__init__(compact=True, show_command_palette=False)
        self._width = 0

    def compose(self):  # type: ignore[no-untyped-def]
        """One key per action, as many as fit."""
        if not self._bindings_ready:
            return
        width = self.size.width or self.app.size.width
        self._width = width
        app = self.app
        chosen = fitted(
            self.screen.active_bindings.values(),
            width,
            app.get_key_display,
            lambda item: item.node is app,
        )
        for binding, enabled, tooltip in chosen:
            yield FooterKey(
                binding.key,
                app.get_key_display(binding),
                binding.description,
                binding.action,
                disabled=not enabled,
                tooltip=tooltip,
            ).data_bind(compact=Footer.compact)

    def on_resize(self, event: Resize) -> None:
        """A new width may fit more (or fewer) keys."""
        if event.size.width != self._width and self._bindings_ready:
            self.call_after_refresh(self.recompose)
