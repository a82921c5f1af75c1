"""The Dashboard page: a tile per topic, the sync times, sync now, and a held sync's decision."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Static

from datasync_tui.sync import BusyError, SyncError
from datasync_tui.topics import SCREEN_LABELS
from datasync_tui.ui import jobs
from datasync_tui.ui.base import PageScreen
from datasync_tui.ui.dashboard.confirm_apply import ConfirmApply
from datasync_tui.ui.dashboard.notes_panel import NotesPanel
from datasync_tui.ui.dashboard.tile import TopicTile
from datasync_tui.ui.messages import SyncFinished
from datasync_tui.ui.widgets.sync_panel import SyncPanel
from datasync_tui.viewmodels.dashboard import Facts, HeldRun, is_stale, next_run, tiles
from datasync_tui.viewmodels.format import ago, local_time, when
from datasync_tui.viewmodels.notes import demo_note
from datasync_tui.viewmodels.trends import issue_trend
from datasync_tui.viewmodels.validations import (
    open_issues,
    plural,
    reading,
    severity_text,
    sparkline,
)

EMPTY_STATUS = {
    "counts": {},
    "orgs_by_type": {},
    "users_by_role": {},
}


class DashboardScreen(PageScreen):
    """Counts per topic, when data last arrived, and what happens next."""

    PAGE = "Dashboard"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "a",
            "apply_held",
            "Apply held sync",
            tooltip="asks first, showing what it removes",
            id="dashboard-apply",
        ),
        Binding(
            "w",
            "review_held",
            "Review held sync",
            tooltip="every record Apply would change, before you apply",
            id="dashboard-review",
        ),
        Binding(
            "delete",
            "discard_held",
            "Discard held sync",
            key_display="del",
            tooltip="keep the current data",
            id="dashboard-discard",
        ),
        Binding(
            "m",
            "domains",
            "Email domains",
            show=False,
            tooltip="the users' email domains",
            id="dashboard-domains",
        ),
    ]

    open_issues: dict[str, int] | None = None  # by severity, at the latest rule results
    issue_trend: tuple[int, ...] = ()  # open issues after each of the last syncs

    def compose_body(self) -> ComposeResult:
        """Empty state, tiles, held decision, sync facts and the sync panel."""
        with VerticalScroll(id="dashboard-body", can_focus=False):
            yield Static("Reading the store…", id="dashboard-empty")
            with Grid(id="tiles"):
                for tile in tiles(Facts({**EMPTY_STATUS}, None)):
                    yield TopicTile(tile)
            with Vertical(id="held"):
                yield Static(id="held-text")
                with Horizontal(id="held-buttons"):
                    yield Button("Review (w)", id="held-review", variant="primary")
                    yield Button("Apply… (a)", id="held-apply", variant="warning")
                    yield Button("Discard (del)", id="held-discard")
            yield Static(id="sync-facts")
            demo = demo_note(self.ctx.data_dir.root) if self.ctx.demo else ""
            yield NotesPanel(lead=demo, id="dashboard-notes")
            yield SyncPanel(id="sync-panel")

    def on_mount(self) -> None:
        """Show the facts as they arrive; refresh now and then (the daemon may sync)."""
        self.query_one("#tiles").display = False
        self.query_one("#held").display = False
        self.query_one(SyncPanel).display = False
        self.watch(self.ds, "facts", self.show)
        if self.ctx.refresh_every:
            self.set_interval(self.ctx.refresh_every, self.ds.reload)

    @property
    def syncing(self) -> bool:
        """True while this page runs a sync or an apply."""
        return self.query_one(SyncPanel).running

    def show(self, facts: Facts | None) -> None:
        """Redraw from facts."""
        if facts is None:
            return
        empty = self.query_one("#dashboard-empty", Static)
        grid = self.query_one("#tiles")
        if facts.connection is None:
            empty.update("No source connected yet — press [b]c[/b] to connect your SIS.")
            empty.display, grid.display = True, False
        elif facts.status["last_success_at"] is None:
            empty.update("Connected, no data yet — press [b]r[/b] to run the first sync.")
            empty.display, grid.display = True, True
        else:
            empty.display, grid.display = False, True
        for tile in tiles(facts):
            self.query_one(f"#tile-{tile.id}", TopicTile).show(tile)
        self._show_held(facts.held)
        self.query_one("#sync-facts", Static).update(self._facts_text(facts))
        today = self.ctx.clock().astimezone(self.ctx.tz).date().isoformat()
        self.query_one(NotesPanel).show(facts.status, self.ctx.data_dir, today)
        self._read_open_issues()
        self.refresh_bindings()

    @work(thread=True, group="open-issues", exclusive=True, exit_on_error=False)
    def _read_open_issues(self) -> None:
        """Read the open validation issues by severity, then redraw the facts with them."""
        counts = open_issues(self.ctx.data_dir)
        with reading(self.ctx.data_dir) as conn:
            trend = issue_trend(conn) if conn is not None and counts is not None else ()
        self.app.call_from_thread(self._show_open_issues, counts, trend)

    def _show_open_issues(self, counts: dict[str, int] | None, trend: tuple[int, ...]) -> None:
        """Keep the counts and redraw the facts."""
        self.open_issues, self.issue_trend = counts, trend
        if self.facts is not None:
            self.query_one("#sync-facts", Static).update(self._facts_text(self.facts))

    def _show_held(self, held: HeldRun | None) -> None:
        """The held sync's numbers and its two buttons, or nothing."""
        box = self.query_one("#held")
        box.display = held is not None
        if held is None:
            return
        lines = [f"Sync #{held.run_id} is held: it would remove more than allowed."]
        lines += [f"  {reason}" for reason in held.reasons]
        removed = ", ".join(f"{SCREEN_LABELS[t]} −{n:,}" for t, n in held.removed.items())
        if removed:
            lines.append(f"  Removals staged: {removed}")
        lines.append(
            "Review (w) lists every record it would change; Apply (a) takes the staged data as "
            "it is; Discard (del) keeps the current data."
        )
        self.query_one("#held-text", Static).update(Content("\n".join(lines)))

    def _facts_text(self, facts: Facts) -> Content:
        """Last good sync, last attempt, next run, daemon, findings."""
        if facts.connection is None:
            return Content("")
        now, tz, doc = self.ctx.clock(), self.ctx.tz, facts.status
        rows: list[tuple[str, Content | str]] = [
            ("Last successful sync", when(doc["last_success_at"], now, tz))
        ]
        attempt = doc["last_attempt"]
        if attempt:
            status = attempt["status"]
            style = {
                "succeeded": "$text-success",
                "failed": "$text-error",
                "held": "$text-warning",
            }.get(status, "$text-accent")
            text = Content.assemble(
                (status, f"bold {style}"), " ", when(attempt["started_at"], now, tz)
            )
            if attempt["error"]:
                text = Content.assemble(text, (f" — {attempt['error']}", style))
            rows.append(("Last attempt", text))
        upcoming = next_run(facts, now)
        if upcoming:
            rows.append(("Next run", f"{local_time(upcoming, tz)} ({ago(upcoming, now)})"))
        daemon = doc["daemon"]
        rows.append(
            (
                "Daemon",
                f"running (pid {daemon['pid']})"
                if daemon["running"]
                else "not running — syncs happen when you press r",
            )
        )
        if self.open_issues is not None:
            text = Content(f"{severity_text(self.open_issues)} — press v")
            if len(self.issue_trend) > 1:
                text = Content.assemble(
                    text, "  ", (sparkline(self.issue_trend), "$text-accent"),
                    (f" last {len(self.issue_trend)} syncs", "$text-muted"),
                )  # fmt: skip
            rows.append(("Validation issues", text))
        if facts.findings:
            rows.append(
                (
                    "Findings",
                    f"{plural(facts.findings, 'duplicate sourcedId')} in the last sync — press v",
                )
            )
        parts: list[Content | str | tuple[str, str]] = []
        for label, value in rows:
            parts += [(f"{label:<22}", "dim"), value, "\n"]
        if is_stale(facts, now):
            parts.append(("STALE: no successful sync within stale_after_hours", "bold $text-error"))
        return Content.assemble(*parts).rstrip()

    # -- actions ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Apply and Discard only while a sync is held and nothing runs."""
        if action == "review_held":
            return self.facts is not None and self.facts.held is not None
        if action in ("apply_held", "discard_held"):
            return self.facts is not None and self.facts.held is not None and not self.syncing
        if action == "domains":
            return self.ds.has_data
        return True

    def start_sync(self, force: bool = False) -> None:
        """Sync now in a worker, with progress."""
        if self.facts is not None and self.facts.connection is None:
            self.notify("No source connected yet — press c to connect one.", severity="warning")
            return
        if self.syncing:
            self.notify("A sync is already running.")
            return
        panel = self.query_one(SyncPanel)
        panel.display = True
        panel.start(force)
        self.refresh_bindings()

    def action_apply_held(self) -> None:
        """Show what the held run removes; apply its staged data when the admin confirms."""
        held = self.facts.held if self.facts else None
        if held is None or self.syncing:
            return

        def confirmed(yes: bool | None) -> None:
            if yes and not self.syncing:
                panel = self.query_one(SyncPanel)
                panel.display = True
                panel.apply(held.run_id)
                self.refresh_bindings()

        self.app.push_screen(ConfirmApply(held), confirmed)

    def action_review_held(self) -> None:
        """The held sync's change log on the History page: exactly what Apply would change."""
        if self.facts is not None and self.facts.held is not None:
            self.ds.review(self.facts.held.run_id)

    def action_domains(self) -> None:
        """The users' email domains."""
        self.ds.show_domains()

    def action_discard_held(self) -> None:
        """Throw the held run's staged data away."""
        if self.facts and self.facts.held and not self.syncing:
            self._discard(self.facts.held.run_id)

    @work(thread=True, group="discard", exit_on_error=False)
    def _discard(self, run_id: int) -> None:
        """Discard in a worker, then refresh."""
        try:
            jobs.discard_held(self.ctx, run_id)
        except (BusyError, SyncError, OSError) as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error")
        else:
            self.app.call_from_thread(
                self.notify, f"Held sync #{run_id} discarded; the current data stays."
            )
        self.app.call_from_thread(self.ds.reload)

    def action_move(self, step: int) -> None:
        """Move the focus across the tile grid."""
        tiles_ = list(self.query(TopicTile))
        focused = self.focused
        if focused not in tiles_:
            if tiles_ and self.query_one("#tiles").display:
                tiles_[0].focus()
            return
        index = tiles_.index(focused) + step  # type: ignore[arg-type]
        if 0 <= index < len(tiles_):
            tiles_[index].focus()

    @on(Button.Pressed, "#held-review")
    def _review_pressed(self) -> None:
        self.action_review_held()

    @on(Button.Pressed, "#held-apply")
    def _apply_pressed(self) -> None:
        self.action_apply_held()

    @on(Button.Pressed, "#held-discard")
    def _discard_pressed(self) -> None:
        self.action_discard_held()

    def on_topic_tile_opened(self, message: TopicTile.Opened) -> None:
        """Enter on a tile: Explore on its topic."""
        self.ds.explore(message.tile.id)

    def on_sync_finished(self, message: SyncFinished) -> None:
        """Tell how the sync ended and read the store again."""
        self.query_one(SyncPanel).display = False
        result = message.result
        if result is None:
            self.notify(message.error or "the sync could not start", severity="warning")
        elif result.status == "succeeded":
            added = sum(c["added"] for c in result.changes.values())
            removed = sum(c["removed"] for c in result.changes.values())
            change = f"+{added:,} −{removed:,}" if added or removed else "no change"
            self.notify(f"Sync #{result.run_id} applied: {change}.")
        elif result.status == "held":
            self.notify(
                f"Sync #{result.run_id} held: it would remove too much. Apply or Discard below.",
                severity="warning",
            )
        else:
            self.notify(f"Sync #{result.run_id} failed: {result.error}", severity="error")
        self.ds.reload()
        self.refresh_bindings()
