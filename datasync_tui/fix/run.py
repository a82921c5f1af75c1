"""Write any of the three fix files over a data dir: what the CLI and the TUI both call."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from datasync_tui.fix import classroom_csv, email_files, gam_file
from datasync_tui.fix.emails import Proposal, propose
from datasync_tui.fix.files import FixUsageError, dir_target, file_target
from datasync_tui.fix.roster import Snapshot, snapshot
from datasync_tui.fix.rows import build_plan, members_loading
from datasync_tui.paths import DataDir

KINDS = ("gam", "classroom", "emails")
NO_PATTERN = (
    "email_pattern is not set; set it with `datasync-tui connect ID --set "
    "email_pattern=student={given}.{family}{n}@students.example.org;teacher=…`"
)


@dataclass(frozen=True)
class FixResult:
    """What a fix command wrote: the files, the counts, and the dry run it came from."""

    kind: str
    paths: list[Path]
    counts: dict[str, int]
    dry_run: dict[str, int] = field(default_factory=dict)

    def preview(self, lines: int = 12) -> list[str]:
        """The first lines of the first file written (what the TUI shows)."""
        found: list[str] = []
        with self.paths[0].open(encoding="utf-8-sig", errors="replace") as fh:
            for text in fh:
                found.append(text.rstrip("\r\n"))
                if len(found) >= lines:
                    break
        return found


def fix_gam(data_dir: DataDir, target: str | Path, scope: str = "all") -> FixResult:
    """Write the GAM batch file for scope (all, create, members)."""
    if scope not in gam_file.SCOPES:
        raise FixUsageError(f"--scope {scope}: use one of {', '.join(gam_file.SCOPES)}")
    path = file_target(target, "file")
    with snapshot(data_dir) as snap:
        plan = build_plan(snap)
        with members_loading(snap, plan) as members:
            counts = gam_file.write_gam(path, plan, scope, _about(snap), members)
        return FixResult("gam", [path], counts, _dry(snap))


def fix_classroom(data_dir: DataDir, target: str | Path) -> FixResult:
    """Write courses.csv and members.csv into the folder."""
    folder = dir_target(target)
    with snapshot(data_dir) as snap:
        plan = build_plan(snap)
        with members_loading(snap, plan) as members:
            counts = classroom_csv.write_classroom(folder, plan, members)
        paths = [folder / classroom_csv.COURSES, folder / classroom_csv.MEMBERS]
        return FixResult("classroom", paths, counts, _dry(snap))


def fix_emails(
    data_dir: DataDir, target: str | Path, gam_target: str | Path | None = None
) -> FixResult:
    """Write the proposals' CSV (and the `gam create user` file when asked)."""
    path = file_target(target, "file")
    gam_path = file_target(gam_target, "file") if gam_target is not None else None
    if gam_path is not None and gam_path == path:
        raise FixUsageError(f"{path}: the CSV and the --gam file must be two files")
    with snapshot(data_dir, dry=False) as snap:
        if not snap.email_pattern:
            raise FixUsageError(NO_PATTERN)
        proposals = propose(snap.conn, snap.email_pattern)
        counts = email_files.write_csv(path, proposals)
        paths = [path]
        if gam_path is not None:
            counts = email_files.write_gam(gam_path, proposals, _about(snap))
            paths.append(gam_path)
        return FixResult("emails", paths, counts)


def email_proposals(data_dir: DataDir) -> dict[str, Proposal]:
    """Every flagged user's proposal by sourcedId (empty when email_pattern is not set)."""
    with snapshot(data_dir, dry=False) as snap:
        if not snap.email_pattern:
            return {}
        return {p.sourced_id: p for p in propose(snap.conn, snap.email_pattern)}


def _about(snap: Snapshot) -> str:
    """Which data the file comes from, for its header."""
    domains = ", ".join(snap.evaluation.email_domains) or "none set"
    return f"sync #{snap.evaluation.run_id}, rules as of {snap.today}, email domains {domains}"


def _dry(snap: Snapshot) -> dict[str, int]:
    """The dry run's three figures, as `validate --json` gives them."""
    return snap.classroom.as_json() if snap.classroom else {}
