"""A sync in a thread worker, shown as one progress bar per topic."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widgets import Label, ProgressBar
from textual.worker import Worker, WorkerState

from connectors.canonical import TOPIC_ORDER
from datasync_tui.sync import BusyError, SyncError
from datasync_tui.topics import SCREEN_LABELS
from datasync_tui.ui import jobs
from datasync_tui.ui.messages import SyncFinished, SyncProgressed


class SyncPanel(Vertical):
    """Runs a sync (or applies a held one) off the UI thread and shows each topic's progress."""

    running: reactive[bool] = reactive(False)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._seen: set[str] = set()

    def compose(self) -> ComposeResult:
        """A title; the rows arrive with the first sync (the page starts lighter)."""
        yield Label("Syncing…", id="sync-title")

    def _rows(self) -> list[Horizontal]:
        """A row per topic: label, bar, rows read."""
        return [
            Horizontal(
                Label(SCREEN_LABELS[topic], classes="sync-topic"),
                ProgressBar(total=1, show_eta=False, show_percentage=False, id=f"bar-{topic}"),
                Label("waiting", classes="sync-rows", id=f"rows-{topic}"),
                classes="sync-row",
                id=f"row-{topic}",
            )
            for topic in TOPIC_ORDER
        ]

    def _reset(self, title: str) -> None:
        """Empty bars under a new title."""
        self.query_one("#sync-title", Label).update(title)
        self._seen.clear()
        if not self.query(".sync-row"):
            self.mount_all(self._rows())
            return
        for topic in TOPIC_ORDER:
            self.query_one(f"#bar-{topic}", ProgressBar).update(total=1, progress=0)
            self.query_one(f"#rows-{topic}", Label).update("waiting")

    def start(self, force: bool = False) -> None:
        """Begin a sync of the saved source."""
        if self.running:
            return
        self.running = True
        self._reset("Syncing… (the pages stay usable; the dashboard updates when it ends)")
        self._sync(force)

    def apply(self, run_id: int) -> None:
        """Apply a held run's staged data."""
        if self.running:
            return
        self.running = True
        self._reset(f"Applying held sync #{run_id}…")
        self._apply(run_id)

    @work(thread=True, group="sync", exit_on_error=False)
    def _sync(self, force: bool) -> None:
        """Run the sync and post what happened."""
        ctx = self.app.ctx  # type: ignore[attr-defined]

        def progress(topic: str, done: int, total: int | None) -> None:
            self.post_message(SyncProgressed(topic, done, total))

        try:
            result = jobs.sync(ctx, progress, force=force)
        except (BusyError, SyncError, OSError) as exc:
            self.post_message(SyncFinished(None, str(exc)))
        else:
            self.post_message(SyncFinished(result))

    @work(thread=True, group="sync", exit_on_error=False)
    def _apply(self, run_id: int) -> None:
        """Apply the held run and post what happened."""
        ctx = self.app.ctx  # type: ignore[attr-defined]
        try:
            result = jobs.apply_held(ctx, run_id)
        except (BusyError, SyncError, OSError) as exc:
            self.post_message(SyncFinished(None, str(exc)))
        else:
            self.post_message(SyncFinished(result))

    def on_sync_progressed(self, message: SyncProgressed) -> None:
        """Move one topic's bar."""
        message.stop()
        self._seen.add(message.topic)
        total = message.total if message.total else None
        bar = self.query_one(f"#bar-{message.topic}", ProgressBar)
        if total is None:
            bar.update(total=max(message.done, 1) * 2, progress=message.done)
        else:
            bar.update(total=max(total, 1), progress=message.done)
        finished = total is not None and message.done >= total
        rows = f"{message.done:,} row{'' if message.done == 1 else 's'}" + (
            " ✓" if finished else ""
        )
        self.query_one(f"#rows-{message.topic}", Label).update(rows)

    def on_sync_finished(self, message: SyncFinished) -> None:
        """Mark topics the source did not send; let the message go on to the screen."""
        self.running = False
        changes = message.result.changes if message.result else {}
        for topic in TOPIC_ORDER:
            if topic not in changes and topic not in self._seen:
                text = "not in source" if message.result else "—"
                self.query_one(f"#rows-{topic}", Label).update(text)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A sync worker that crashed ends the sync too (the app tells the error)."""
        if event.state == WorkerState.ERROR and self.running:
            self.post_message(SyncFinished(None, str(event.worker.error)))
