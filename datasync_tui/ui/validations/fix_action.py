"""The Validations page's Fix files action and its proposal line, as the page's base class."""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.binding import Binding
from textual.content import Content
from textual.message import Message

from datasync_tui.fix.emails import Proposal
from datasync_tui.fix.files import FixError
from datasync_tui.fix.run import KINDS, FixResult, default_target, email_proposals, write_fix
from datasync_tui.rules import Issue
from datasync_tui.ui.base import PageScreen
from datasync_tui.ui.validations.fix_dialog import (
    PREVIEW_LINES,
    FixFilesDialog,
    FixPreviewDialog,
    FixRequest,
)
from datasync_tui.ui.validations.issue_table import IssueTable
from datasync_tui.viewmodels.format import display_path

# x (export) and g (fix files: GAM and Classroom files) share one Footer entry, "x g Files":
# both write files, and at 80 columns the Footer keeps ? and q (each key's tooltip says what it
# does). Not f: f filters on Explore, and a key means one thing on every page.
FILES = Binding.Group("Files")
FIX_BINDING = Binding(
    "g",
    "fix_files",
    "Fix files",
    tooltip="Write a GAM batch file, Classroom CSVs or proposed addresses",
    group=FILES,
    id="validations-fix",
)
PROPOSED_FOR = ("user-without-email", "email-invalid")  # the rules a proposal answers
SET_PATTERN = "none yet: set the email_pattern option to get one"


class FixFilesWritten(Message):
    """A fix file was written (its first lines read), or why it could not be."""

    def __init__(
        self, request: FixRequest, result: FixResult | None, lines: list[str], error: str = ""
    ) -> None:
        super().__init__()
        self.request = request
        self.result = result
        self.lines = lines
        self.error = error


class ProposalsLoaded(Message):
    """The proposed addresses were computed for one set of results (None: no email_pattern)."""

    def __init__(self, key: object, proposals: dict[str, Proposal] | None) -> None:
        super().__init__()
        self.key = key
        self.proposals = proposals


class FixFilesPage(PageScreen):
    """A page with the Fix files action and the proposed address of an issue's user.

    The page binds the action to a key (FIX_BINDING, grouped with export in the Footer).
    """

    fixing = False
    _proposals: dict[str, Proposal] | None = None
    _proposals_key: object = None
    _proposals_ready = False  # the proposals for _proposals_key were read (None: no pattern)

    def results_key(self) -> object:
        """What identifies the results shown (None before there are any)."""
        overview = getattr(self, "overview", None)
        stored = overview.stored if overview is not None else None
        return (stored.run_id, stored.evaluated_at) if stored is not None else None

    def fix_available(self) -> bool:
        """True when there are results to fix and no fix file is being written."""
        return self.results_key() is not None and not self.fixing

    # -- writing ---------------------------------------------------------------------------

    def action_fix_files(self) -> None:
        """Ask which file and where, then write it in a worker."""
        if not self.fix_available():
            return
        now = self.ctx.clock().astimezone(self.ctx.tz).replace(tzinfo=None)
        data_dir = self.ctx.data_dir
        targets = {k: default_target(data_dir, k, now) for k in KINDS}
        if self.ctx.demo:  # the demo's data dir is thrown away on quit: not the place for a file
            targets = {k: Path.cwd() / path.name for k, path in targets.items()}
        defaults = {k: display_path(str(path)) for k, path in targets.items()}

        def chosen(request: FixRequest | None) -> None:
            if request is not None:
                self.fixing = True
                self.refresh_bindings()
                self.notify(f"Writing {display_path(str(request.path))} …", title="Fix files")
                self._write_fix(request)

        self.app.push_screen(FixFilesDialog(data_dir, defaults), chosen)

    @work(thread=True, group="validations-fix", exit_on_error=False)
    def _write_fix(self, request: FixRequest) -> None:
        """Write the file off the UI thread, then read its first lines."""
        try:
            result = write_fix(self.ctx.data_dir, request.kind, request.path)
            lines = result.preview(PREVIEW_LINES)
        except (FixError, OSError) as exc:
            self.post_message(FixFilesWritten(request, None, [], str(exc)))
            return
        except Exception as exc:  # told here, not lost in a log: the admin asked for a file
            self.post_message(FixFilesWritten(request, None, [], f"{type(exc).__name__}: {exc}"))
            return
        self.post_message(FixFilesWritten(request, result, lines))

    def on_fix_files_written(self, message: FixFilesWritten) -> None:
        """Show what was written and where, or why nothing was."""
        self.fixing = False
        self.refresh_bindings()
        self.app.clear_notifications()  # the "Writing …" note
        if message.result is None:
            self.notify(message.error, title="Fix file not written", severity="error", timeout=15)
            return
        shown = [display_path(str(path)) for path in message.result.paths]
        self.app.push_screen(FixPreviewDialog(message.result, shown, message.lines))

    # -- the proposal line -----------------------------------------------------------------

    def proposal_text(self, issue: Issue) -> Content:
        """A line with the address proposed for the issue's user (read once per results)."""
        if issue.rule not in PROPOSED_FOR:
            return Content("")
        key = self.results_key()
        if key != self._proposals_key:
            self._proposals_key, self._proposals, self._proposals_ready = key, None, False
            self._load_proposals(key)
            return Content.assemble("\n", ("Proposed: ", "bold"), ("working it out…", "dim"))
        if self._proposals is None:
            text = SET_PATTERN if self._proposals_ready else "working it out…"
            return Content.assemble("\n", ("Proposed: ", "bold"), (text, "dim"))
        found = self._proposals.get(issue.sourcedId)
        if found is None or not found.proposed:
            why = found.note if found is not None else "none (not flagged at this sync)"
            return Content.assemble("\n", ("Proposed: ", "bold"), (why, "dim"))
        taken = " (the bare address is taken: numbered)" if found.collided else ""
        return Content.assemble(
            "\n", ("Proposed: ", "bold"), (found.proposed, "$text-success"), taken
        )

    @work(thread=True, group="validations-proposals", exclusive=True, exit_on_error=False)
    def _load_proposals(self, key: object) -> None:
        """Compute every proposal off the UI thread (the same ones `fix emails` writes)."""
        self.post_message(ProposalsLoaded(key, email_proposals(self.ctx.data_dir)))

    def on_proposals_loaded(self, message: ProposalsLoaded) -> None:
        """Keep them and show the highlighted record's."""
        if message.key != self._proposals_key:
            return
        self._proposals, self._proposals_ready = message.proposals, True
        self.proposals_changed()

    def proposals_changed(self) -> None:
        """Show the highlighted record again, now with its proposal."""
        table = self.query_one(IssueTable)
        issue = table.current_issue
        if issue is not None and issue.rule in PROPOSED_FOR:
            self.post_message(IssueTable.Highlighted(issue, table.page))
