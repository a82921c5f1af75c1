"""The Explore page: the topics with their counts; the record table arrives in a later release."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from datasync_tui.ui.base import PageScreen
from datasync_tui.views import Facts, tiles


class ExploreScreen(PageScreen):
    """Pick a topic; its records will be listed here."""

    PAGE = "Explore"

    def compose_body(self) -> ComposeResult:
        """The topic picker and what the chosen topic holds."""
        with Vertical(id="explore-body"):
            yield Static("Topics", classes="section-title")
            yield OptionList(id="explore-topics")
            yield Static(id="explore-detail")

    def on_mount(self) -> None:
        """Follow the facts and the remembered topic."""
        self.watch(self.ds, "facts", self.show)
        self.watch(self.ds, "explore_topic", self._topic_changed)

    def show(self, facts: Facts | None) -> None:
        """List the topics with their counts, keeping the highlight."""
        if facts is None:
            return
        topics = self.query_one("#explore-topics", OptionList)
        if facts.connection is None:
            topics.display = False
            self._detail("No source connected yet — press [b]c[/b] to connect your SIS.")
            return
        topics.display = True
        topics.set_options(
            Option(Content.assemble(f"{t.label:<22}", (f"{t.count:>12,}", "bold")), id=t.id)
            for t in tiles(facts)
        )
        self._topic_changed(self.ds.explore_topic)

    def _topic_changed(self, topic: str | None) -> None:
        """Highlight the remembered topic and say what it holds."""
        topics = self.query_one("#explore-topics", OptionList)
        if not topics.option_count:
            return
        index = topics.get_option_index(topic) if topic else 0
        topics.highlighted = index
        self._describe(topic)

    def _describe(self, topic: str | None) -> None:
        """One honest paragraph about the chosen topic."""
        facts = self.facts
        chosen = next((t for t in tiles(facts) if t.id == topic), None) if facts else None
        if chosen is None:
            self._detail("Choose a topic and press Enter.")
            return
        self._detail(
            f"[b]{chosen.label}[/b]: {chosen.count:,} records in the store.\n"
            "The record table (search, filter, details with related records) comes in a later "
            "release; `datasync-tui status --json` gives the same counts to scripts."
        )

    def _detail(self, markup: str) -> None:
        """Replace the detail text."""
        self.query_one("#explore-detail", Static).update(Content.from_markup(markup))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Remember the chosen topic."""
        self.ds.explore_topic = event.option.id
        self._describe(event.option.id)
