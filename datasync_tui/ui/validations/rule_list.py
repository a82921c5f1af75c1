"""The rules the data breaks, grouped by severity, with counts, new, resolved and a trend."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from datasync_tui.rules import SEVERITIES, RuleSummary
from datasync_tui.viewmodels.validations import Overview, plural, sparkline

TITLE_WIDTH = 40
SEVERITY_STYLES = {"error": "bold $text-error", "warning": "bold $text-warning"}
SEVERITY_NAMES = {"error": "Errors", "warning": "Warnings"}


def columns_line() -> Content:
    """The column titles above the list."""
    return Content.assemble(
        (f"  {'Rule':<{TITLE_WIDTH}} {'Issues':>7} {'New':>5} {'Resolved':>8}  Trend", "dim")
    )


def rule_prompt(s: RuleSummary, compared: bool = True) -> Content:
    """One rule's line: title, issues, new, resolved and the counts of the last syncs.

    compared is False on the first results (nothing before them: no new, no resolved).
    """
    title = s.title if len(s.title) <= TITLE_WIDTH else s.title[: TITLE_WIDTH - 1] + "…"
    new = (f"+{s.new:,}" if s.new else "0") if compared else "–"
    fixed = (f"−{s.resolved:,}" if s.resolved else "0") if compared else "–"
    return Content.assemble(
        f"  {title:<{TITLE_WIDTH}} ",
        (f"{s.count:>7,}", "bold" if s.count else "dim"),
        " ",
        (f"{new:>5}", "$text-warning" if s.new and compared else "dim"),
        " ",
        (f"{fixed:>8}", "$text-success" if s.resolved and compared else "dim"),
        "  ",
        (sparkline(s.trend), "$text-accent"),
    )


def header_prompt(severity: str, found: list[RuleSummary]) -> Content:
    """A severity's heading: how many issues in how many rules."""
    issues = sum(s.count for s in found)
    broken = sum(1 for s in found if s.count)
    return Content.assemble(
        (SEVERITY_NAMES.get(severity, severity.title()), SEVERITY_STYLES.get(severity, "bold")),
        (f" — {plural(issues, 'issue')} in {plural(broken, 'rule')}", "$text-muted"),
    )


class RuleList(OptionList):
    """Errors first, then warnings; a rule's option id is its rule id."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Show records", show=False, id="rules-select"),
    ]

    def show(self, overview: Overview) -> None:
        """List the rules with issues (or resolved ones), keeping the highlighted rule."""
        keep = self.highlighted_rule
        options: list[Option | None] = []
        for severity in SEVERITIES:
            found = overview.shown(severity)
            if not found:
                continue
            if options:
                options.append(None)
            options.append(
                Option(header_prompt(severity, found), id=f"sev-{severity}", disabled=True)
            )
            compared = overview.stored is not None and overview.stored.previous_run_id is not None
            options += [Option(rule_prompt(s, compared), id=s.id) for s in found]
        footer = [f"{plural(overview.passing, 'rule')} pass"]
        footer += [
            f"{s.title}: not checked, no email domains set (press m)" for s in overview.skipped
        ]
        if options:
            options.append(None)
        options += [Option(Content.styled(text, "$text-muted"), disabled=True) for text in footer]
        self.set_options(options)
        ids = [s.id for sev in SEVERITIES for s in overview.shown(sev)]
        target = keep if keep in ids else (ids[0] if ids else None)
        if target is not None:
            self.highlighted = self.get_option_index(target)

    @property
    def highlighted_rule(self) -> str | None:
        """The rule id under the highlight (None on a heading or an empty list)."""
        if self.highlighted is None:
            return None
        option = self.get_option_at_index(self.highlighted)
        if option.id is None or option.id.startswith("sev-") or option.disabled:
            return None
        return option.id
