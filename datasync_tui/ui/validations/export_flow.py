"""The Validations page's export: ask where, write in a worker with a progress bar, tell."""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.widgets import Label, ProgressBar

from datasync_tui.rules import ExportError
from datasync_tui.ui.base import PageScreen
from datasync_tui.ui.validations.dialogs import ExportDialog
from datasync_tui.ui.validations.messages import ExportFinished, ExportProgressed
from datasync_tui.ui.validations.rule_list import RuleList
from datasync_tui.viewmodels import validations as vv
from datasync_tui.viewmodels.format import display_path


def open_count(ov: vv.Overview, rule: str) -> int:
    """A rule's open issues."""
    return next((s.count for s in ov.summaries if s.id == rule), 0)


class IssueExport(PageScreen):
    """Export every issue (x) or the highlighted rule's (X) to a file the admin names."""

    overview: vv.Overview | None = None
    exporting = False

    def action_export(self, rule_only: bool = False) -> None:
        """Ask where to export every issue (or the highlighted rule's), then export in a worker."""
        ov = self.overview
        if ov is None or ov.stored is None or self.exporting:
            return
        rule = self.query_one(RuleList).highlighted_rule if rule_only else None
        if rule_only and (rule is None or not open_count(ov, rule)):
            self.notify("Highlight a rule with issues first.", severity="warning")
            return
        now = self.ctx.clock().astimezone(self.ctx.tz)
        default = vv.default_export(self.ctx.data_dir, now.replace(tzinfo=None))
        if self.ctx.demo:  # the demo's data dir is thrown away on quit: not the place for a file
            default = Path.cwd() / default.name
        if rule is not None:
            title = next(s.title for s in ov.summaries if s.id == rule)
            what = f"the {vv.plural(open_count(ov, rule), 'issue')} of “{title}”"
        else:
            what = f"all {vv.plural(ov.total, 'issue')}"

        def chosen(path: Path | None) -> None:
            if path is not None:
                self._start_export(path, rule)

        self.app.push_screen(ExportDialog(what, display_path(str(default))), chosen)

    def _start_export(self, path: Path, rule: str | None) -> None:
        """Show the progress bar and write the file in a worker."""
        self.exporting = True
        row = self.query_one("#validations-exporting")
        row.display = True
        self.query_one("#validations-export-label", Label).update(
            f"Exporting to {display_path(str(path))}"
        )
        self.query_one(ProgressBar).update(total=None, progress=0)
        self.refresh_bindings()
        self._export(path, rule)

    @work(thread=True, group="validations-export", exit_on_error=False)
    def _export(self, path: Path, rule: str | None) -> None:
        """Write the export off the UI thread, posting progress."""
        try:
            count = vv.export(
                self.ctx.data_dir,
                path,
                rule,
                progress=lambda done, total: self.post_message(ExportProgressed(done, total)),
            )
        except (ExportError, OSError) as exc:
            self.post_message(ExportFinished(path, None, str(exc)))
            return
        except Exception as exc:  # told here, not lost in a log: the admin asked for a file
            self.post_message(ExportFinished(path, None, f"{exc.__class__.__name__}: {exc}"))
            return
        self.post_message(ExportFinished(path, count))

    def on_export_progressed(self, message: ExportProgressed) -> None:
        """Move the bar."""
        self.query_one(ProgressBar).update(total=message.total, progress=message.done)

    def on_export_finished(self, message: ExportFinished) -> None:
        """Hide the bar and name the file (or say why there is none)."""
        self.exporting = False
        self.query_one("#validations-exporting").display = False
        self.refresh_bindings()
        where = display_path(str(message.path))
        if message.error is not None or message.count is None:
            self.notify(
                message.error or "the export failed",
                title="Export failed",
                severity="error",
                timeout=15,
            )
            return
        self.notify(
            f"{vv.plural(message.count, 'issue')} written to {where}",
            title="Export done",
            timeout=15,
        )
