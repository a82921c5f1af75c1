"""Browse the store without Textual: topic views, keyset pages, search, records, domains, export.

`open_view` builds a `Pager` for a `View` (a topic, a sort, a search and filters); the pager
answers `rows(start, count)` for any position from an index (keyset paging, positions from
sparse checkpoints), so a screen asks only for the rows it shows.
"""

from __future__ import annotations

from datasync_tui.store.read import reader
from datasync_tui.viewmodels.explore.choices import filter_choices
from datasync_tui.viewmodels.explore.domains import DomainRow, DomainSummary, domain_summary
from datasync_tui.viewmodels.explore.export import default_export_name, export_view
from datasync_tui.viewmodels.explore.pager import Pager, Row, open_view
from datasync_tui.viewmodels.explore.records import Record, Related, load_record
from datasync_tui.viewmodels.explore.topics import (
    ENTRIES,
    SPECS,
    Entry,
    Filters,
    Sort,
    TopicSpec,
    View,
)

__all__ = [
    "ENTRIES",
    "SPECS",
    "DomainRow",
    "DomainSummary",
    "Entry",
    "Filters",
    "Pager",
    "Record",
    "Related",
    "Row",
    "Sort",
    "TopicSpec",
    "View",
    "default_export_name",
    "domain_summary",
    "export_view",
    "filter_choices",
    "load_record",
    "open_view",
    "reader",
]
