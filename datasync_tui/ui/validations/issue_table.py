"""One rule's offending records, a keyset page at a time (never all rows at once)."""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable
from textual.worker import Worker, WorkerState

from datasync_tui.paths import DataDir
from datasync_tui.rules import Issue
from datasync_tui.ui.validations.messages import IssuesLoaded
from datasync_tui.viewmodels.validations import PAGE_SIZE, Page, load_page

COLUMNS = ("", "sourcedId", "Topic", "Field", "Value", "Message")
VALUE_WIDTH = 30


def cell(value: str | None, width: int = VALUE_WIDTH) -> str:
    """A value as one short line ('(blank)' for nothing)."""
    if value is None or value == "":
        return "(blank)"
    text = value.replace("\n", " ").replace("\r", " ").replace("\t", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


class IssueTable(DataTable[str]):
    """A window of one page; moving past its first or last row reads the page before or after."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open_record", "Open in Explore", show=False, id="issues-open"),
        Binding("ctrl+home", "first_page", "First records", show=False, id="issues-first"),
        Binding("ctrl+end", "last_page", "Last records", show=False, id="issues-last"),
    ]

    class Opened(Message):
        """The admin asked to see an issue's record in Explore."""

        def __init__(self, issue: Issue) -> None:
            super().__init__()
            self.issue = issue

    class Highlighted(Message):
        """The cursor moved to an issue (None: the table is empty)."""

        def __init__(self, issue: Issue | None, page: Page | None) -> None:
            super().__init__()
            self.issue = issue
            self.page = page

    def __init__(self, *, id: str | None = None, page_size: int = PAGE_SIZE) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.page_size = page_size
        self.page: Page | None = None
        self.data_dir: DataDir | None = None
        self.rule: str | None = None
        self.run_id: int | None = None
        self._token = 0
        self.loading_page = False
        self.compared = True  # False on first results: every issue would read "new"

    def on_mount(self) -> None:
        """The columns, once."""
        self.add_columns(*COLUMNS)

    # -- reading pages ---------------------------------------------------------------------

    def show_rule(self, data_dir: DataDir, rule: str | None, run_id: int | None) -> None:
        """Read the first page of a rule's issues (None: empty the table)."""
        self.data_dir, self.rule, self.run_id = data_dir, rule, run_id
        if rule is None or run_id is None:
            self._token += 1
            self.page = None
            self.clear()
            self.post_message(self.Highlighted(None, None))
            return
        self._request(cursor=0)

    def _request(
        self,
        *,
        after: Issue | None = None,
        before: Issue | None = None,
        offset: int = 0,
        cursor: int = 0,
    ) -> None:
        """Ask a worker for a page; a newer request wins over an older one."""
        if self.data_dir is None or self.rule is None or self.run_id is None:
            return
        self._token += 1
        self.loading_page = True
        self._read(
            self.data_dir, self.rule, self.run_id, after, before, offset, self._token, cursor
        )

    @work(thread=True, group="issue-page", exclusive=True, exit_on_error=False)
    def _read(
        self,
        data_dir: DataDir,
        rule: str,
        run_id: int,
        after: Issue | None,
        before: Issue | None,
        offset: int,
        token: int,
        cursor: int,
    ) -> None:
        """Read one page off the UI thread."""
        page = load_page(
            data_dir, rule, run_id, after=after, before=before, offset=offset, limit=self.page_size
        )
        self.post_message(IssuesLoaded(page, token, cursor))

    def on_issues_loaded(self, message: IssuesLoaded) -> None:
        """Show the page (unless a newer request is on its way)."""
        message.stop()
        if message.token != self._token:
            return
        self.loading_page = False
        page = message.page
        self.page = page
        self.clear()
        for i, issue in enumerate(page.issues):
            self.add_row(
                "new" if issue.is_new and self.compared else "",
                cell(issue.sourcedId, 24),
                issue.topic,
                issue.field,
                cell(issue.value),
                issue.message,
                key=str(page.offset + i),
            )
        if page.issues:
            row = message.cursor if message.cursor >= 0 else len(page.issues) - 1
            self.move_cursor(row=min(row, len(page.issues) - 1), scroll=True)
        self._describe()
        self.post_message(self.Highlighted(self.current_issue, page))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A page that could not be read frees the table (the app tells what went wrong)."""
        if event.worker.group == "issue-page" and event.state == WorkerState.ERROR:
            self.loading_page = False

    def _describe(self) -> None:
        """Which records the window holds, in the border's subtitle."""
        page = self.page
        if page is None or not page.issues:
            self.border_subtitle = ""
            return
        first, last = page.offset + 1, page.offset + len(page.issues)
        self.border_subtitle = f"records {first:,}–{last:,} of {page.total:,} · ⏎ opens one"

    @property
    def current_issue(self) -> Issue | None:
        """The issue under the cursor."""
        if self.page is None or not self.page.issues or not self.row_count:
            return None
        return self.page.issues[min(self.cursor_row, len(self.page.issues) - 1)]

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """Tell the screen which issue is under the cursor."""
        event.stop()
        if not self.loading_page:
            self.post_message(self.Highlighted(self.current_issue, self.page))

    # -- moving past the window ------------------------------------------------------------

    def _at_last_row(self) -> bool:
        return self.row_count > 0 and self.cursor_row >= self.row_count - 1

    def _next_page(self) -> bool:
        """Read the page after this one; False when this is the last."""
        page = self.page
        if page is None or page.at_end or not page.issues or self.loading_page:
            return False
        self._request(after=page.issues[-1], offset=page.offset + len(page.issues), cursor=0)
        return True

    def _previous_page(self) -> bool:
        """Read the page before this one; False when this is the first."""
        page = self.page
        if page is None or page.at_start or not page.issues or self.loading_page:
            return False
        self._request(before=page.issues[0], offset=page.offset, cursor=-1)
        return True

    def action_cursor_down(self) -> None:
        """Down; past the last row, the next page."""
        if not (self._at_last_row() and self._next_page()):
            super().action_cursor_down()

    def action_cursor_up(self) -> None:
        """Up; above the first row, the page before."""
        if not (self.cursor_row == 0 and self._previous_page()):
            super().action_cursor_up()

    def action_page_down(self) -> None:
        """A screen down; from the last row, the next page."""
        if not (self._at_last_row() and self._next_page()):
            super().action_page_down()

    def action_page_up(self) -> None:
        """A screen up; from the first row, the page before."""
        if not (self.cursor_row == 0 and self._previous_page()):
            super().action_page_up()

    def action_first_page(self) -> None:
        """The first records of the rule."""
        self._request(cursor=0)

    def action_last_page(self) -> None:
        """The last records of the rule."""
        self._request(offset=-1, cursor=-1)

    def action_open_record(self) -> None:
        """Ask for the record under the cursor in Explore."""
        issue = self.current_issue
        if issue is not None:
            self.post_message(self.Opened(issue))
