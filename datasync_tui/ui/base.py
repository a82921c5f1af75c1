"""The frame every page shares: the header line, the page body and the Footer."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual.app import ComposeResult
from textual.screen import Screen

from datasync_tui.ui.context import Context
from datasync_tui.ui.widgets.footer import PageFooter
from datasync_tui.ui.widgets.header import HeaderLine
from datasync_tui.viewmodels.dashboard import Facts

if TYPE_CHECKING:
    from datasync_tui.ui.app import DataSyncApp


class PageScreen(Screen[None]):
    """A page: header line on top, Footer below, the body in between."""

    PAGE: ClassVar[str] = ""

    @property
    def ds(self) -> DataSyncApp:
        """The app, typed."""
        return cast("DataSyncApp", self.app)

    @property
    def ctx(self) -> Context:
        """The injected parts."""
        return self.ds.ctx

    @property
    def facts(self) -> Facts | None:
        """The latest facts read from the store (None until the first read)."""
        return self.ds.facts

    def compose(self) -> ComposeResult:
        """Header, body, the Footer fitted to the width."""
        yield HeaderLine(self.PAGE)
        yield from self.compose_body()
        yield PageFooter()

    def compose_body(self) -> ComposeResult:
        """The page's own widgets."""
        yield from ()
