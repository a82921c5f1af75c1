"""The palette's share of the Validations page: its actions kept out of the Footer at 80 columns."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from textual.command import DiscoveryHit, Hit, Hits, Provider

Command = tuple[str, str, Callable[[], object]]  # (title, help, run)


class PageCommands(Provider):
    """Whatever the calling screen lists in `palette_commands()` (its hidden keys, now usable)."""

    def _commands(self) -> Iterator[Command]:
        """The calling screen's commands (none when it lists none)."""
        listed = getattr(self.screen, "palette_commands", None)
        yield from listed() if callable(listed) else ()

    async def discover(self) -> Hits:
        """Every command, before anything is typed."""
        for title, help_text, run in self._commands():
            yield DiscoveryHit(title, run, help=help_text)

    async def search(self, query: str) -> Hits:
        """The commands whose title matches what is typed."""
        matcher = self.matcher(query)
        for title, help_text, run in self._commands():
            if (score := matcher.match(title)) > 0:
                yield Hit(score, matcher.highlight(title), run, text=title, help=help_text)
