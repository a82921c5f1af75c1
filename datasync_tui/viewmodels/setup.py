"""What the Connection page (setup) offers, without Textual: the sources to choose, path checks."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from connectors.registry import METHODS, available, vendors


@dataclass(frozen=True)
class SourceChoice:
    """One row of the wizard's first step: a vendor through one method, or a method alone."""

    key: str
    vendor_id: str | None
    method_id: str
    title: str
    method_label: str
    help: str
    available: bool
    default: bool = True

    def score(self, text: str) -> int:
        """3: every word of text in the name; 2: in name and method; 1: in the help too; else 0."""
        words = text.lower().split()
        if all(word in self.title.lower() for word in words):
            return 3
        name = f"{self.title} {self.method_label} {self.key}".lower()
        if all(word in name for word in words):
            return 2
        return 1 if all(word in f"{name} {self.help.lower()}" for word in words) else 0


def matching_choices(choices: list[SourceChoice], text: str) -> list[SourceChoice]:
    """The rows matching text, those matching by name first (each group in catalogue order)."""
    scored = [(c.score(text), i, c) for i, c in enumerate(choices)]
    return [c for score, _, c in sorted(scored, key=lambda s: (-s[0], s[1])) if score]


def source_choices() -> list[SourceChoice]:
    """Vendors (each of their methods, the default first), then the methods on their own."""
    out = []
    for v in vendors().values():
        for i, method_id in enumerate(v.methods):
            m = METHODS[method_id]
            out.append(
                SourceChoice(
                    key=f"{v.id}/{method_id}",
                    vendor_id=v.id,
                    method_id=method_id,
                    title=v.label,
                    method_label=m.label,
                    help=v.help if i == 0 else m.help,
                    available=available(method_id),
                    default=i == 0,
                )
            )
    for m in METHODS.values():
        out.append(SourceChoice(m.id, None, m.id, m.label, m.label, m.help, available(m.id)))
    return out


def required_item_text(method_id: str, item: str) -> str:
    """A missing required item told the way the admin supplies it ('enrollments.csv')."""
    if method_id in ("oneroster-csv", "csv") and "." not in item and ":" not in item:
        return f"{item}.csv"
    if method_id in ("oneroster-csv", "csv") and "." in item and ":" not in item:
        topic, _, column = item.partition(".")
        return f"the {column} column of {topic}.csv"
    return item


def path_problem(value: str) -> str | None:
    """Why a path option's value cannot be read, or None when it names a file or folder."""
    if not value.strip():
        return None
    path = Path(value.strip()).expanduser()
    if not path.exists():
        return f"no such file or folder: {value.strip()}"
    if path.is_file() and path.suffix.lower() not in (".zip", ".csv"):
        return f"{value.strip()} is not a .zip (choose the bundle's .zip or its folder)"
    return None
