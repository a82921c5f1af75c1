"""`datasync-tui history`, `changes` and `rollback`: what each sync changed, and undoing it."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path

from datasync_tui import history, pause
from datasync_tui.errors import Exit, UsageError
from datasync_tui.history import HistoryError, RunSummary
from datasync_tui.localtime import local, local_zone, zone_name
from datasync_tui.paths import DataDir
from datasync_tui.rules.export import FORMATS, ExportError, folder_problem
from datasync_tui.store import sqlite
from datasync_tui.store.db import connect
from datasync_tui.viewmodels.history import text as history_text
from datasync_tui.viewmodels.history.export import export_changes, write_document


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """The `history`, `changes` and `rollback` sub-commands' arguments."""
    hist = sub.add_parser(
        "history",
        help="the syncs, newest first, with what each changed",
        description="Every sync, newest first: its number, start (local time), status, who or "
        "what started it, per-topic added (+), updated (~), removed (−) and re-keyed (⇄) "
        "records, the open validation issues after it, and rollbacks.",
    )
    hist.add_argument("--json", action="store_true", help="print the history as JSON")
    changes = sub.add_parser(
        "changes",
        help="the record-level changes of a sync (default: the held one, else the last)",
        description="Every record sync RUN added, updated (each field before and after), "
        "removed or re-keyed. Without RUN: the held sync (what Apply would change), else the "
        "last applied one. Exit 2 when RUN is unknown or its changes were pruned (keep_syncs).",
    )
    changes.add_argument("run", nargs="?", metavar="RUN", help="the sync's number (see history)")
    changes.add_argument("--topic", metavar="T", help="only this topic (users, classes, …)")
    changes.add_argument("--json", action="store_true", help="print the changes as JSON")
    changes.add_argument(
        "--export", metavar="PATH", help="write the changes to PATH (.csv or .json)"
    )
    back = sub.add_parser(
        "rollback",
        help="make the store what it was after sync RUN (pauses scheduled syncs)",
        description="Undo every sync applied after RUN, in one transaction: the store becomes "
        "exactly what it was after RUN, recorded as a sync of its own; the rules run again. "
        "Scheduled syncs are then paused, since the source still holds what was undone "
        "(`datasync-tui resume` restarts them). On a terminal it shows what it will undo and "
        "asks; elsewhere pass --yes. Exit 2 when RUN is unknown, pruned or undone, 5 when busy.",
    )
    back.add_argument("run", metavar="RUN", help="the sync to go back to (see history)")
    back.add_argument("--yes", action="store_true", help="do not ask (for scripts)")


@contextmanager
def _store(data_dir: DataDir) -> Iterator[sqlite.Connection]:
    """The store's connection (its schema brought up to date); a missing store is a usage error."""
    if not data_dir.root.is_dir():
        raise UsageError(
            f"no data in {data_dir.root}: nothing was connected or synced there "
            "(check --data-dir or $DATASYNC_HOME)"
        )
    if not data_dir.database.exists():
        raise UsageError(f"nothing synced yet in {data_dir.root}; run `datasync-tui sync` first")
    db = connect(data_dir.database)
    try:
        yield db.connection()
    finally:
        db.close()


def cmd_history(args: argparse.Namespace, data_dir: DataDir) -> int:
    """Print every sync, newest first, for people or as JSON."""
    with _store(data_dir) as conn:
        found = history.runs(conn)
    if args.json:
        print(json.dumps({"runs": [r.as_json() for r in found]}, indent=2))
        return Exit.OK
    if not found:
        print("No syncs yet: run `datasync-tui sync`.")
        return Exit.OK
    zone = local_zone()
    print(f"Syncs, newest first ({history_text.LEGEND}):")
    for r in found:
        print(history_text.run_line(r, zone))
    paused = pause.paused(data_dir)
    if paused is not None:
        print(f"PAUSED: {paused.describe()}.")
    print(
        "`datasync-tui changes RUN` lists a sync's records; `datasync-tui rollback RUN` makes the "
        f"store what it was after RUN. Times are local ({zone_name(zone)})."
    )
    return Exit.OK


def _export_path(text: str | None) -> Path | None:
    """The --export path, checked before anything is read (extension, an existing folder)."""
    if text is None:
        return None
    if not text.strip():
        raise UsageError("--export needs a file name ending in .csv or .json")
    path = Path(text).expanduser()
    if path.suffix.lower() not in FORMATS:
        raise UsageError(f"--export {text}: the file name must end in .csv or .json")
    if problem := folder_problem(path):
        raise UsageError(f"--export {text}: {problem}")
    return path


def run_head(r: RunSummary, topic: str | None = None) -> list[str]:
    """The first lines of `changes`: which sync, how it ended, what it changed."""
    zone = local_zone()
    by = f" by {r.started_by}" if r.started_by else ""
    head = f"Sync #{r.id}, {r.status}, started {local(r.started_at, zone)}{by}"
    if r.status == "failed":
        return [f"{head}: it changed nothing (previous data kept): {r.error or 'no reason kept'}"]
    if r.status == "running":
        return [f"{head}: still running; its changes show once it ends"]
    figures = {t: f for t, f in r.changes.items() if topic in (None, t)}
    only = f" (only {topic})" if topic else ""
    note = "" if r.held else r.note()
    lines = [f"{head}{only}: {history_text.figures_text(figures)}" + (f" [{note}]" if note else "")]
    if r.held:
        lines.append("Held: nothing applied yet; these are the changes Apply would make.")
    return lines


def cmd_changes(args: argparse.Namespace, data_dir: DataDir) -> int:
    """Print (or export) the record-level changes of a sync; exit 2 for an unknown or pruned RUN."""
    export = _export_path(args.export)
    try:
        topic = history.check_topic(args.topic)
        wanted = history.parse_run(args.run) if args.run is not None else None
    except HistoryError as exc:
        raise UsageError(str(exc)) from None
    with _store(data_dir) as conn:
        run_id = wanted if wanted is not None else history.default_run(conn)
        if run_id is None:
            raise UsageError(f"no sync has applied data in {data_dir.root} yet; run a sync first")
        try:
            found = history.checked_run(conn, run_id)
        except HistoryError as exc:
            raise UsageError(str(exc)) from None
        if export is not None:
            try:
                written = export_changes(conn, found, export, topic)
            except ExportError as exc:
                print(f"datasync-tui: {exc}", file=sys.stderr)
                return Exit.FAILED
        if args.json:
            write_document(sys.stdout.buffer, conn, found, topic)
            sys.stdout.buffer.flush()
        else:
            print("\n".join(run_head(found, topic)))
            if export is None and found.has_log:
                _print_changes(conn, found, topic)
    if export is not None:
        noun = "change" if written == 1 else "changes"
        print(f"Exported {written:,} {noun} to {export}", file=sys.stderr if args.json else None)
    return Exit.OK


def _print_changes(conn: sqlite.Connection, run: RunSummary, topic: str | None) -> None:
    """One line per change, streamed in batches (an added record described from the store)."""
    out, count = sys.stdout, 0
    changes = history.iter_changes(conn, run.id, topic)
    while batch := list(islice(changes, 500)):
        rows = history.added_rows(conn, run, batch)
        out.writelines(history_text.change_line(c, rows.get(c.id)) + "\n" for c in batch)
        count += len(batch)
    if not count:
        out.write("  no record changed\n")


def cmd_rollback(args: argparse.Namespace, data_dir: DataDir) -> int:
    """Show what a rollback undoes, ask (or take --yes), roll back, say that syncs are paused."""
    from datasync_tui.sync.rollback import plan, rollback  # RollbackError: a usage error, exit 2

    try:
        target = history.parse_run(args.run)
    except HistoryError as exc:
        raise UsageError(str(exc)) from None
    with _store(data_dir) as conn:
        steps = plan(target)
        undone = [r for r in (history.run(conn, i) for i in steps.undo) if r is not None]
        target_run, held = history.run(conn, target), history.held_run(conn)
    if not steps.undo:
        print(f"Sync #{target} is what the store holds now: nothing to undo.")
        return Exit.OK
    lines = history_text.rollback_lines(target_run, undone, held, local_zone())
    if not args.yes:
        if not sys.stdin.isatty():
            raise UsageError(
                f"rollback: not on a terminal, so nothing was asked: pass --yes to roll back to "
                f"sync #{target} (undoing {', '.join(f'#{i}' for i in steps.undo)})"
            )
        print("\n".join(lines))
        try:
            answer = input("Roll back? [y/N] ")
        except EOFError:
            answer = ""
        if answer.strip().lower() not in ("y", "yes"):
            print("Nothing rolled back.")
            return Exit.FAILED
    result = rollback(data_dir, target)
    figures = history_text.figures_text(
        {t: {k: c.get(k, 0) for k in history.KINDS} for t, c in result.changes.items()}
    )
    print(f"Rolled back to sync #{target}, recorded as sync #{result.run_id}: {figures}.")
    print(
        "Scheduled syncs are now paused (the source still holds what was undone). Fix it in the "
        "SIS, then resume them with `datasync-tui resume`."
    )
    return Exit.OK
