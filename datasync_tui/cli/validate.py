"""`datasync-tui validate`: run the rules and the Classroom dry run over the stored data."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import orjson

from datasync_tui.errors import Exit, UsageError
from datasync_tui.paths import DataDir
from datasync_tui.rules import ERROR, RULES, SEVERITIES, ExportError, export_issues, iter_hits
from datasync_tui.rules.classroom import Classroom, dry_run
from datasync_tui.rules.export import FORMATS, folder_problem
from datasync_tui.rules.runner import Evaluation, evaluate, last_applied_run
from datasync_tui.store import config, sqlite
from datasync_tui.store.db import connect
from datasync_tui.viewmodels.classroom_advice import classroom_advice


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """The `validate` sub-command's arguments."""
    validate = sub.add_parser(
        "validate",
        help="run the validation rules and the Google Classroom dry run",
        description="Run every validation rule over the stored data, with a dry run of a "
        "Google Classroom roster import. --export writes every issue to a .csv or .json file. "
        "With --fail-on, exit 6 when an issue of that severity or above is found.",
    )
    validate.add_argument("--json", action="store_true", help="print issues and summary as JSON")
    validate.add_argument("--export", metavar="PATH", help="write every issue to PATH (.csv/.json)")
    validate.add_argument(
        "--fail-on",
        choices=SEVERITIES,
        help="exit 6 when an issue of this severity (or a more severe one) is found",
    )


def cmd_validate(args: argparse.Namespace, data_dir: DataDir) -> int:
    """Run the rules; print, export, and exit 6 when --fail-on finds an issue."""
    if args.export is not None and not args.export.strip():
        raise UsageError("--export needs a file name ending in .csv or .json")
    export = Path(args.export).expanduser() if args.export else None
    if export is not None and export.suffix.lower() not in FORMATS:
        raise UsageError(f"--export {args.export}: the file name must end in .csv or .json")
    if export is not None and (problem := folder_problem(export)):
        raise UsageError(f"--export {args.export}: {problem}")
    if not data_dir.database.exists():
        raise UsageError(f"nothing synced yet in {data_dir.root}; run `datasync-tui sync` first")
    saved = config.load(data_dir)
    domains = saved.settings.get("email_domains") if saved else None
    db = connect(data_dir.database)
    try:
        conn = db.connection()
        if last_applied_run(conn) is None:
            raise UsageError(
                f"nothing synced yet in {data_dir.root}; run `datasync-tui sync` first"
            )
        conn.execute("BEGIN")  # the rules and the dry run read one snapshot
        try:
            ev = evaluate(conn, email_domains=domains)
            classroom = dry_run(conn, ev.today)
        finally:
            conn.execute("COMMIT")
        if export is not None:
            try:
                written = export_issues(iter_hits(conn), export, total=ev.total)
            except ExportError as exc:
                print(f"datasync-tui: {exc}", file=sys.stderr)
                return Exit.FAILED
        if args.json:
            _print_json(conn, ev, classroom)
        else:
            advice = classroom_advice(conn, classroom)
            print("\n".join(report_lines(ev, classroom, advice)))
        if export is not None:
            print(
                f"Exported {written:,} issues to {export}", file=sys.stderr if args.json else None
            )
    finally:
        db.close()
    return Exit.FOUND if args.fail_on and _found(ev, args.fail_on) else Exit.OK


def _found(ev: Evaluation, fail_on: str) -> bool:
    """True when an issue of severity fail_on or a more severe one was found."""
    worst = SEVERITIES[: SEVERITIES.index(fail_on) + 1]
    return any(ev.counts.get(rule.id) for rule in RULES if rule.severity in worst)


def _print_json(conn: sqlite.Connection, ev: Evaluation, classroom: Classroom) -> None:
    """The `validate --json` document: issues (streamed, one a line), summary, Classroom figures."""
    out = sys.stdout.buffer
    out.write(b'{"issues": [')
    for n, issue in enumerate(iter_hits(conn)):
        out.write(b"\n  " if n == 0 else b",\n  ")
        out.write(orjson.dumps(issue.as_dict()))
    out.write(b"\n],\n" if ev.total else b"],\n")
    out.write(b'"summary": ' + orjson.dumps(ev.counts) + b",\n")
    out.write(b'"classroom": ' + orjson.dumps(classroom.as_json()) + b"}\n")
    out.flush()


def report_lines(ev: Evaluation, classroom: Classroom, advice: Sequence[str] = ()) -> list[str]:
    """The human summary: the dry run (and why it skips), then the rules that found something."""
    domains = ", ".join(ev.email_domains) or "none set"
    lines = [f"Validation of sync #{ev.run_id} on {ev.today} (email domains: {domains})", ""]
    skipped = _reasons(classroom.skipped_because)
    failing = _reasons(classroom.failing_because)
    lines += [
        "Google Classroom dry run:",
        f"  classes created  {classroom.classes_created:>8,}",
        f"  classes skipped  {classroom.classes_skipped:>8,}{skipped}",
        f"  users failing    {classroom.users_failing:>8,}{failing}",
    ]
    lines += [f"  {line}" for line in advice]
    for severity in SEVERITIES:
        found = [
            (r, ev.counts[r.id]) for r in RULES if r.severity == severity and ev.counts.get(r.id)
        ]
        total = sum(n for _, n in found)
        label = "errors" if severity == ERROR else "warnings"
        rules = f"{len(found)} rule{'s' * (len(found) != 1)}"
        lines += ["", f"{label}: {total:,} issue{'s' * (total != 1)} in {rules}"]
        lines += [f"  {rule.id:<31}{n:>8,}  {rule.title}" for rule, n in found]
    if ev.skipped:
        hint = "set email_domains with `datasync-tui connect ID --set email_domains=…`"
        lines += ["", f"not run: {', '.join(ev.skipped)} (no email domains; {hint})"]
    if ev.total:
        lines += ["", "See every issue with --json, or write them to a file with --export PATH."]
    return lines


def _reasons(counts: dict[str, int]) -> str:
    """'  (4 no active teacher, 1 blank title)' or nothing."""
    if not counts:
        return ""
    return "  (" + ", ".join(f"{n:,} {why}" for why, n in counts.items()) + ")"
