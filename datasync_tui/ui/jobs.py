"""Blocking work the screens hand to thread workers; each holds the store lock while it runs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from connectors.base import CheckReport
from datasync_tui.ui.context import Context
from datasync_tui.viewmodels.dashboard import Facts

if TYPE_CHECKING:  # the engine loads when a sync starts, not with the first screen
    from datasync_tui.pause import Pause
    from datasync_tui.sync import SyncResult
    from datasync_tui.sync.counts import Progress
    from datasync_tui.viewmodels.history.view import RollbackPreview


def facts(ctx: Context) -> Facts:
    """The dashboard facts."""
    from datasync_tui.viewmodels.dashboard import load_facts

    with ctx.store_lock:
        return load_facts(ctx.data_dir)


def sync(ctx: Context, progress: Progress, force: bool = False) -> SyncResult:
    """One sync of the saved source (raises BusyError when another process syncs)."""
    from datasync_tui.sync import run_sync

    with ctx.store_lock:
        return run_sync(ctx.data_dir, force=force, progress=progress, started_by="TUI")


def apply_held(ctx: Context, run_id: int) -> SyncResult:
    """Apply a held run's staged data."""
    from datasync_tui.sync import apply_held as apply

    with ctx.store_lock:
        return apply(ctx.data_dir, run_id)


def discard_held(ctx: Context, run_id: int) -> None:
    """Throw a held run's staged data away."""
    from datasync_tui.sync import discard_held as discard

    with ctx.store_lock:
        discard(ctx.data_dir, run_id)


def rollback_preview(ctx: Context, target: int) -> RollbackPreview:
    """What a rollback to target would undo (or why it cannot)."""
    from datasync_tui.viewmodels.history.view import rollback_preview as preview

    with ctx.store_lock:
        return preview(ctx.data_dir, target)


def rollback(ctx: Context, target: int) -> SyncResult:
    """Make the store what it was after sync target (raises BusyError, RollbackError)."""
    from datasync_tui.sync.rollback import rollback as roll_back

    with ctx.store_lock:
        return roll_back(ctx.data_dir, target, started_by="TUI")


def set_pause(ctx: Context, until: str | None, paused: bool) -> Pause | None:
    """Pause scheduled syncs (until that day, inclusive) or resume them; the pause in force."""
    from datasync_tui import pause

    if not paused:
        pause.resume(ctx.data_dir)
        return None
    return pause.pause(ctx.data_dir, until or None, reason="paused from the History page")


def check(method_id: str, settings: dict[str, str]) -> CheckReport:
    """Reach and read a source that is not saved yet."""
    from connectors.registry import METHODS

    connector = METHODS[method_id].load()(settings)
    try:
        return connector.check()
    finally:
        connector.close()
