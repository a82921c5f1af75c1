"""Rollback and Pause on the History page: each asks first, runs in a worker, tells the result."""

from __future__ import annotations

import peewee as pw
from textual import work

from datasync_tui.localtime import local_zone
from datasync_tui.pause import PauseError
from datasync_tui.store.db import StoreError
from datasync_tui.sync import BusyError
from datasync_tui.topics import SCREEN_LABELS
from datasync_tui.ui import jobs
from datasync_tui.ui.base import PageScreen
from datasync_tui.ui.history.dialogs import ConfirmRollback, PauseDialog
from datasync_tui.ui.history.messages import PauseChanged, RollbackFinished, RollbackPlanned
from datasync_tui.viewmodels.history.text import figures_text, rollback_lines
from datasync_tui.viewmodels.history.view import HistoryOverview, RollbackPreview

FAILURES = (BusyError, StoreError, OSError, pw.DatabaseError)


class RollbackAndPause(PageScreen):
    """The page's two actions that change things: roll back to a sync, pause or resume."""

    overview: HistoryOverview | None = None
    busy = False  # a rollback (or its preview) is on its way
    wanted: int | None = None  # the sync to show once the history is read again

    def sync_running(self) -> bool:
        """True while this app runs a sync or applies a held one (the rollback would wait)."""
        return any(w.group == "sync" and w.is_running for w in self.app.workers)

    def start_rollback(self, target: int) -> None:
        """Work out what a rollback to target undoes, then ask."""
        if self.busy:
            return
        if self.sync_running():
            self.notify("A sync is running: roll back when it ends.", severity="warning")
            return
        self.busy = True
        self._plan(target)

    @work(thread=True, group="history-rollback", exit_on_error=False, name="Rollback")
    def _plan(self, target: int) -> None:
        """Plan the rollback off the UI thread."""
        try:
            preview = jobs.rollback_preview(self.ctx, target)
        except FAILURES as exc:
            preview = RollbackPreview(target, error=str(exc))
        self.post_message(RollbackPlanned(preview))

    def on_rollback_planned(self, message: RollbackPlanned) -> None:
        """Say why it cannot be done, or show what it will do and ask."""
        p = message.preview
        if p.error or not p.undone:
            self.busy = False
            text = p.error or "it is what the store holds now: nothing to undo"
            self.notify(f"Sync #{p.target}: {text}.", title="No rollback", severity="warning")
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._roll_back(p.target)
            else:
                self.busy = False

        lines = rollback_lines(p.run, p.undone, p.held, self.ctx.tz or local_zone())
        lines[-1] = lines[-1].replace("`datasync-tui resume`", "p on this page")
        self.app.push_screen(ConfirmRollback(p.target, lines), confirmed)

    @work(thread=True, group="history-rollback", exit_on_error=False, name="Rollback")
    def _roll_back(self, target: int) -> None:
        """Roll back off the UI thread and post how it ended."""
        from datasync_tui.sync.rollback import RollbackError

        try:
            result = jobs.rollback(self.ctx, target)
        except (RollbackError, *FAILURES) as exc:
            self.post_message(RollbackFinished(target, None, str(exc)))
        else:
            self.post_message(RollbackFinished(target, result))

    def on_rollback_finished(self, message: RollbackFinished) -> None:
        """Tell the result; read the store again (the new run is shown)."""
        self.busy = False
        result = message.result
        if result is None:
            self.notify(
                f"Rollback to sync #{message.target} not done: {message.error}",
                title="Rollback",
                severity="error",
                timeout=15,
            )
            return
        figures = figures_text(result.changes, SCREEN_LABELS)
        self.notify(
            f"The store is what it was after sync #{message.target} (recorded as sync "
            f"#{result.run_id}: {figures}). Scheduled syncs are paused: p resumes them.",
            title="Rolled back",
            timeout=15,
        )
        self.wanted = result.run_id
        self.ds.reload()

    def start_pause(self) -> None:
        """Ask to pause scheduled syncs (or to resume them when paused)."""
        paused = self.overview.paused if self.overview else None

        def answered(value: str | None) -> None:
            if value is not None:
                self._set_pause(value)

        self.app.push_screen(PauseDialog(paused), answered)

    @work(thread=True, group="history-pause", exit_on_error=False, name="Pause")
    def _set_pause(self, value: str) -> None:
        """Pause or resume off the UI thread."""
        try:
            if value == "resume":
                jobs.set_pause(self.ctx, None, paused=False)
                text = "Scheduled syncs resumed: the next daily sync runs as planned."
            else:
                found = jobs.set_pause(self.ctx, value or None, paused=True)
                assert found is not None
                text = f"{found.describe().capitalize()}. p here resumes them."
        except (PauseError, OSError) as exc:
            self.post_message(PauseChanged(str(exc), error=True))
        else:
            self.post_message(PauseChanged(text))

    def on_pause_changed(self, message: PauseChanged) -> None:
        """Tell it; the dashboard and this page show the pause."""
        self.notify(message.text, severity="error" if message.error else "information")
        self.ds.reload()
