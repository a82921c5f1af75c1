"""Write any of the three fix files over a data dir: what the CLI and the TUI both call."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from datasync_tui.fix import classroom_csv, email_files, gam_file
from datasync_tui.fix.emails import Proposal, propose
from datasync_tui.fix.files import FixUsageError, dir_target, file_target
from datasync_tui.fix.gam_quote import plural
from datasync_tui.fix.roster import Snapshot, snapshot
from datasync_tui.fix.rows import build_plan, members_loading
from datasync_tui.paths import DataDir

KINDS = ("gam", "classroom", "emails")
LABELS = {
    "gam": "GAM batch file: create the courses, sync their members",
    "classroom": "Classroom CSV files: courses.csv and members.csv in a folder",
    "emails": "Proposed addresses for users without a usable email (CSV)",
}
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

    def summary_lines(self) -> list[str]:
        """What was written where, in a few lines (the CLI prints them)."""
        first, *rest = self.count_lines()
        return [f"Wrote {', '.join(str(p) for p in self.paths)}: {first}", *rest]

    def count_lines(self) -> list[str]:
        """What the files hold and what was left out (the TUI shows them)."""
        c = self.counts
        if self.kind == "gam":
            lines = [
                f"{plural(c['courses'], 'course')} to create, {c['teacher_syncs']:,} teacher "
                f"and {c['student_syncs']:,} student lists to sync.",
            ]
        elif self.kind == "classroom":
            lines = [
                f"{plural(c['courses'], 'course')}, {c['teachers']:,} teacher and "
                f"{c['students']:,} student places.",
            ]
        else:
            lines = [
                f"{plural(c['users'], 'user')} without a usable email, "
                f"{plural(c['proposed'], 'address', 'addresses')} proposed "
                f"({c['collided']:,} numbered after a collision), {c['without']:,} without one.",
            ]
            if "create_user" in c:
                lines.append(f"{c['create_user']:,} `gam create user` lines (no passwords).")
        if self.kind != "emails":
            see = "the file's comments" if self.kind == "gam" else "datasync-tui validate"
            lines.append(
                f"Left out: {plural(c['skipped'], 'class', 'classes')} skipped, "
                f"{plural(c['failing'], 'user')} failing, {c['left_out']:,} disabled or inactive "
                f"(see {see})."
            )
        return lines

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


def email_proposals(data_dir: DataDir) -> dict[str, Proposal] | None:
    """Every flagged user's proposal by sourcedId (None when email_pattern is not set)."""
    with snapshot(data_dir, dry=False) as snap:
        if not snap.email_pattern:
            return None
        return {p.sourced_id: p for p in propose(snap.conn, snap.email_pattern)}


def default_target(data_dir: DataDir, kind: str, now: datetime) -> Path:
    """Where the TUI offers to write: the data dir's exports folder, stamped with the time."""
    stamp = now.strftime("%Y-%m-%d-%H%M%S")
    names = {"gam": f"classroom-{stamp}.gam", "classroom": f"classroom-{stamp}"}
    return data_dir.exports / names.get(kind, f"email-proposals-{stamp}.csv")


def check_target(data_dir: DataDir, kind: str, text: str) -> Path:
    """The typed path, absolute, once it can be written (FixUsageError says why not)."""
    if not text.strip():
        raise FixUsageError("type where to write")
    path = Path(text.strip()).expanduser().absolute()
    if path.parent == data_dir.exports.absolute():
        return path  # the data dir's own exports folder is made when needed
    return dir_target(path) if kind == "classroom" else file_target(path)


def write_fix(data_dir: DataDir, kind: str, target: Path) -> FixResult:
    """Write one kind of fix file (the TUI's entry; gam with every scope)."""
    if target.parent == data_dir.exports.absolute():
        data_dir.exports.mkdir(mode=0o700, parents=True, exist_ok=True)
    if kind == "gam":
        return fix_gam(data_dir, target)
    if kind == "classroom":
        return fix_classroom(data_dir, target)
    return fix_emails(data_dir, target)


def _about(snap: Snapshot) -> str:
    """Which data the file comes from, for its header."""
    domains = ", ".join(snap.evaluation.email_domains) or "none set"
    return f"sync #{snap.evaluation.run_id}, rules as of {snap.today}, email domains {domains}"


def _dry(snap: Snapshot) -> dict[str, int]:
    """The dry run's three figures, as `validate --json` gives them."""
    return snap.classroom.as_json() if snap.classroom else {}
