"""The `datasync-tui` command: the TUI by default, and headless commands for scripts and cron."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from connectors.base import ConnectorError
from connectors.registry import METHODS, vendors
from datasync_tui import __version__
from datasync_tui.cli.alerts import add_parsers as add_alerts_parsers
from datasync_tui.cli.alerts import cmd_notify, cmd_pause, cmd_resume
from datasync_tui.cli.connect import add_connect_parsers, cmd_check, cmd_connect, saved_connection
from datasync_tui.cli.error_line import DB_ERRORS, error_line
from datasync_tui.cli.history import add_parsers as add_history_parsers
from datasync_tui.cli.history import cmd_changes, cmd_history, cmd_rollback
from datasync_tui.cli.report import ProgressLine, source_where, status_lines, sync_lines
from datasync_tui.cli.validate import add_parser as add_validate_parser
from datasync_tui.cli.validate import cmd_validate
from datasync_tui.errors import DataSyncError, Exit, UsageError
from datasync_tui.fix.command import add_parser as add_fix_parser
from datasync_tui.fix.command import cmd_fix
from datasync_tui.paths import DataDir
from datasync_tui.private import owner_only, tighten
from datasync_tui.status import collect
from datasync_tui.store import config
from datasync_tui.store.health import store_problem
from datasync_tui.sync import run_sync
from datasync_tui.sync.lock import FileLock

DESCRIPTION = """\
Connect your district's SIS, pull its rostering data every day, and see what would break
a Google Classroom roster sync. Run without a command for the full-screen app."""

EPILOG = """\
examples:
  datasync-tui connect oneroster-csv --set path=/srv/sis/oneroster.zip
  datasync-tui connect powerschool --set base_url=https://sis.example.org/ims/oneroster/v1p1 \\
      --set client_id=abc --set client_secret=@/etc/datasync/secret
  datasync-tui sync
  datasync-tui status --json
  datasync-tui validate --export issues.csv --fail-on error
  datasync-tui history
  datasync-tui changes --topic users

exit status: 0 ok, 1 sync failed (previous data kept), 2 usage error, 3 check failed
(nothing saved), 4 sync held (nothing applied), 5 another sync is running,
6 validate --fail-on found an issue.
Data lives in --data-dir, else $DATASYNC_HOME, else the user data dir."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command."""
    parser = argparse.ArgumentParser(
        prog="datasync-tui",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"datasync-tui {__version__}")
    parser.add_argument(
        "--data-dir", metavar="DIR", help="where data lives (default: $DATASYNC_HOME or user dir)"
    )
    parser.add_argument(
        "--daemon",
        action="store_true",
        help="run the daily sync in the foreground, as a service (systemd); stop with SIGTERM",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="load the bundled sample district into a throwaway data dir and show it",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser(
        "methods",
        help="list every method and vendor: id<TAB>label<TAB>methods",
        description="List every method and vendor, one per line: id, label, methods "
        "(comma-separated, the default first), separated by tabs.",
    )
    add_connect_parsers(sub)
    sync = sub.add_parser(
        "sync",
        help="sync now: progress on a terminal, summary at the end",
        description="Pull the saved source into the local store in one transaction. If it fails, "
        "the previous data stays (exit 1). If it would remove more than max_removal_pct of a "
        "topic it is held and nothing is applied (exit 4). Exit 5 when another sync runs. "
        "It runs even while scheduled syncs are paused (`datasync-tui pause`).",
    )
    sync.add_argument("--force", action="store_true", help="apply even past the deletion threshold")
    status = sub.add_parser(
        "status",
        help="counts per topic, sync times, daemon state",
        description="Counts per topic (records marked tobedeleted excluded), the last good sync, "
        "the last attempt, the next scheduled run and the daemon's state.",
    )
    status.add_argument("--json", action="store_true", help="print the status as JSON")
    add_validate_parser(sub)
    add_history_parsers(sub)
    add_alerts_parsers(sub)
    add_fix_parser(sub)
    disconnect = sub.add_parser(
        "disconnect",
        help="forget the saved source",
        description="Forget the saved source and its secrets. With --purge, also delete every "
        "stored record, the sync history and exports.",
    )
    disconnect.add_argument(
        "--purge", action="store_true", help="also delete all stored data, history and exports"
    )
    sub.add_parser(
        "service",
        help="print a systemd user unit that runs --daemon for this data dir",
        description="Print a systemd user unit that runs `datasync-tui --daemon` for this data "
        "dir; save it under ~/.config/systemd/user/ and enable it with systemctl --user.",
    )
    return parser


def cmd_methods(_: argparse.Namespace, __: DataDir) -> int:
    """Print methods, then vendors, one per line."""
    for m in METHODS.values():
        print(f"{m.id}\t{m.label}\t{m.id}")
    for v in vendors().values():
        print(f"{v.id}\t{v.label}\t{','.join(v.methods)}")
    return Exit.OK


def cmd_sync(args: argparse.Namespace, data_dir: DataDir) -> int:
    """Run one sync with progress; exit by outcome."""
    saved_connection(data_dir)
    progress = ProgressLine()
    started = time.monotonic()
    try:
        result = run_sync(data_dir, force=args.force, progress=progress)
    finally:
        progress.close()
    for line in sync_lines(result, time.monotonic() - started):
        print(line)
    if result.status == "failed":
        print(f"datasync-tui: sync failed: {result.error}", file=sys.stderr)
        return Exit.FAILED
    return Exit.HELD if result.status == "held" else Exit.OK


def cmd_status(args: argparse.Namespace, data_dir: DataDir) -> int:
    """Print the status, for people or as JSON; a damaged or read-only store is said first."""
    _require(data_dir)
    problem = store_problem(data_dir.database)
    if problem:
        print(f"datasync-tui: error: {problem}", file=sys.stderr)
        return Exit.FAILED
    doc = collect(data_dir)
    if args.json:
        print(json.dumps(doc, indent=2))
    else:
        print("\n".join(status_lines(doc, source_where(data_dir))))
    return Exit.OK


def _require(data_dir: DataDir) -> None:
    """A read-only command never creates a data dir: a missing one is said (a mistyped path)."""
    if not data_dir.root.is_dir():
        raise UsageError(
            f"no data in {data_dir.root}: nothing was connected or synced there "
            "(check --data-dir or $DATASYNC_HOME)"
        )


def cmd_disconnect(args: argparse.Namespace, data_dir: DataDir) -> int:
    """Forget the source; with --purge, delete every stored record too."""
    if not data_dir.root.is_dir():
        print("No source was connected.")
        return Exit.OK
    with FileLock(data_dir.sync_lock):
        had = config.forget(data_dir)
        if args.purge:
            for name in ("datasync.db", "datasync.db-wal", "datasync.db-shm", "alerts.json"):
                (data_dir.root / name).unlink(missing_ok=True)
            shutil.rmtree(data_dir.exports, ignore_errors=True)
            shutil.rmtree(data_dir.logs, ignore_errors=True)
    print(
        ("Disconnected." if had else "No source was connected.")
        + (" Stored data, history and exports deleted." if args.purge else "")
    )
    return Exit.OK


def cmd_service(_: argparse.Namespace, data_dir: DataDir) -> int:
    """Print the systemd user unit for this data dir."""
    from datasync_tui.daemon.service import unit_text

    print(unit_text(data_dir), end="")
    return Exit.OK


def run_demo() -> int:
    """Open the TUI over the bundled sample district, in a throwaway data dir removed on exit."""
    from datasync_tui.demo import EMAIL_DOMAIN, bundled_district

    with tempfile.TemporaryDirectory(prefix="datasync-demo-") as tmp:
        data_dir = DataDir(Path(tmp)).ensure()
        conn = config.Connection(
            method="oneroster-csv",
            vendor=None,
            settings={"path": str(bundled_district()), "email_domains": EMAIL_DOMAIN},
        )
        config.save(data_dir, conn)
        if not _on_terminal():
            print(f"Demo: the bundled sample district, in a throwaway data dir ({tmp}).")
            code = cmd_sync(argparse.Namespace(force=False), data_dir)
            if code:
                return code
            print()
            return cmd_status(argparse.Namespace(json=False), data_dir)
        from datasync_tui.ui import run  # textual only loads for the full-screen app

        return run(data_dir, sync_on_start=True, demo=True)


COMMANDS = {
    "methods": cmd_methods,
    "connect": cmd_connect,
    "check": cmd_check,
    "sync": cmd_sync,
    "status": cmd_status,
    "validate": cmd_validate,
    "fix": cmd_fix,
    "disconnect": cmd_disconnect,
    "service": cmd_service,
    "history": cmd_history,
    "changes": cmd_changes,
    "rollback": cmd_rollback,
    "pause": cmd_pause,
    "resume": cmd_resume,
    "notify": cmd_notify,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: parse, dispatch, and turn every failure into one clear line."""
    parser = build_parser()
    args = parser.parse_args(argv)
    owner_only()  # student data: every file and dir this creates is owner-only, whatever the umask
    data_dir: DataDir | None = None
    try:
        if args.demo:
            return run_demo()
        data_dir = DataDir.resolve(args.data_dir)
        note = tighten(data_dir.root)
        if note:
            print(f"datasync-tui: note: {note}", file=sys.stderr)
        if args.daemon:
            if args.command is not None:
                raise UsageError("--daemon runs alone: give it no command")
            from datasync_tui.daemon.serve import serve  # schedule, httpx: only for the daemon

            return serve(data_dir)
        if args.command is None:
            return _no_command(parser, data_dir)
        return COMMANDS[args.command](args, data_dir)
    except DataSyncError as exc:  # every failure the app can explain: one line, its exit code
        print(f"datasync-tui: {exc.label}{error_line(exc, data_dir)}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:  # `datasync-tui validate --json | head`: the reader left, say nothing
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return Exit.FAILED
    except (ConnectorError, OSError, *DB_ERRORS) as exc:  # a source's or the store's fault
        print(f"datasync-tui: error: {error_line(exc, data_dir)}", file=sys.stderr)
        return Exit.FAILED
    except KeyboardInterrupt:
        print("datasync-tui: interrupted", file=sys.stderr)
        return Exit.INTERRUPTED
    except Exception as exc:  # the last line of defence: one line, no traceback
        if os.environ.get("DATASYNC_DEBUG"):
            raise
        print(f"datasync-tui: internal error: {exc.__class__.__name__}: {exc}", file=sys.stderr)
        return Exit.FAILED


def _no_command(parser: argparse.ArgumentParser, data_dir: DataDir) -> int:
    """Without a command: the full-screen app on a terminal, else the status and help."""
    if _on_terminal():
        from datasync_tui.ui import run  # textual only loads for the full-screen app

        return run(data_dir.ensure())
    if data_dir.root.is_dir():
        print("\n".join(status_lines(collect(data_dir), source_where(data_dir))))
    else:
        print(f"No data in {data_dir.root} yet: connect a source with `datasync-tui connect`.")
    print()
    parser.print_help()
    return Exit.OK


def _on_terminal() -> bool:
    """True when both ends are a terminal (a full-screen app makes sense)."""
    return sys.stdin.isatty() and sys.stdout.isatty()
