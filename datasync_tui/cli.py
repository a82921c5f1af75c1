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
from connectors.registry import METHODS, resolve, vendors
from datasync_tui import __version__
from datasync_tui.paths import DataDir
from datasync_tui.report import ProgressLine, check_lines, source_where, status_lines, sync_lines
from datasync_tui.settings import UsageError, build_settings, split_secrets
from datasync_tui.status import collect
from datasync_tui.store import config
from datasync_tui.store.config import ConfigError
from datasync_tui.store.db import StoreError
from datasync_tui.sync import BusyError, SyncError, make_connector, run_sync
from datasync_tui.sync.lock import FileLock
from datasync_tui.validate_cmd import add_parser as add_validate_parser
from datasync_tui.validate_cmd import cmd_validate

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_NOT_SAVED, EXIT_HELD, EXIT_BUSY = 0, 1, 2, 3, 4, 5

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
    connect = sub.add_parser(
        "connect",
        help="check a source and save it when its required data is present",
        description="Check the source and save it as this data dir's connection when every "
        "required topic and field is present (exit 0); otherwise say what is missing and save "
        "nothing (exit 3). ID is a method (oneroster-csv, oneroster-api, sif, csv) or a vendor "
        "id from `datasync-tui methods`; a vendor with several methods takes --set method=….",
        epilog="Secret values may be given as @PATH (read from a file), env:NAME (read from an "
        "environment variable) or - (asked for without echo on a terminal).",
    )
    connect.add_argument("source", metavar="ID", help="method or vendor id")
    connect.add_argument(
        "--set",
        dest="settings",
        metavar="KEY=VALUE",
        action="append",
        default=[],
        help="an option of the method (repeatable); `connect ID --set help=1` lists them",
    )
    sub.add_parser(
        "check",
        help="re-run the check of the saved source",
        description="Reach and read the saved source again; exit 3 when required data is missing.",
    )
    sync = sub.add_parser(
        "sync",
        help="sync now: progress on a terminal, summary at the end",
        description="Pull the saved source into the local store in one transaction. If it fails, "
        "the previous data stays (exit 1). If it would remove more than max_removal_pct of a "
        "topic it is held and nothing is applied (exit 4). Exit 5 when another sync runs.",
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
    return EXIT_OK


def cmd_connect(args: argparse.Namespace, data_dir: DataDir) -> int:
    """Check a source; save it when the check passes."""
    pairs = dict(_split_pair(item) for item in args.settings)
    chosen = pairs.pop("method", None)
    try:
        method, vendor = resolve(args.source, chosen)
    except ConnectorError as exc:
        raise UsageError(str(exc)) from exc
    connector_cls = method.load()
    if "help" in pairs:
        for opt in connector_cls.all_options():
            flags = "required" if opt.required and opt.default is None else "optional"
            default = f", default {opt.default}" if opt.default else ""
            print(f"{opt.name}\t{flags}{default}\t{opt.help}")
        return EXIT_OK
    presets = vendor.presets.get(method.id, {}) if vendor else {}
    settings = build_settings(connector_cls.all_options(), {**presets, **pairs})
    public, secrets = split_secrets(connector_cls.all_options(), settings)
    conn = config.Connection(
        method=method.id, vendor=vendor.id if vendor else None, settings=public, secrets=secrets
    )
    return _check_and_report(config.keep_identity(conn, config.load(data_dir)), data_dir, True)


def _split_pair(item: str) -> tuple[str, str]:
    """KEY=VALUE split on the first '='."""
    key, sep, value = item.partition("=")
    if not sep or not key:
        raise UsageError(f"--set {item!r}: expected KEY=VALUE")
    return key.strip(), value


def _check_and_report(conn: config.Connection, data_dir: DataDir, save: bool) -> int:
    """Run the check, print it, and save the connection when asked and it passed."""
    connector = make_connector(conn)
    try:
        report = connector.check()
    finally:
        connector.close()
    label = conn.settings.get("path") or conn.settings.get("base_url") or conn.method
    for line in check_lines(report, f"{METHODS[conn.method].label} at {label}"):
        print(line)
    if not report.ok:
        print("Not saved: fix what is listed above and run this again.", file=sys.stderr)
        return EXIT_NOT_SAVED
    if save:
        config.save(data_dir, conn)
        print(f"Saved to {data_dir.root}. Next: datasync-tui sync")
    return EXIT_OK


def cmd_check(_: argparse.Namespace, data_dir: DataDir) -> int:
    """Re-check the saved source."""
    conn = _saved(data_dir)
    return _check_and_report(conn, data_dir, save=False)


def _saved(data_dir: DataDir) -> config.Connection:
    """The saved connection, or a usage error saying how to make one."""
    conn = config.load(data_dir)
    if conn is None:
        raise UsageError(
            f"no source connected in {data_dir.root}; run `datasync-tui connect ID --set …` first"
        )
    return conn


def cmd_sync(args: argparse.Namespace, data_dir: DataDir) -> int:
    """Run one sync with progress; exit by outcome."""
    _saved(data_dir)
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
        return EXIT_FAILED
    return EXIT_HELD if result.status == "held" else EXIT_OK


def cmd_status(args: argparse.Namespace, data_dir: DataDir) -> int:
    """Print the status, for people or as JSON."""
    doc = collect(data_dir)
    if args.json:
        print(json.dumps(doc, indent=2))
    else:
        print("\n".join(status_lines(doc, source_where(data_dir))))
    return EXIT_OK


def cmd_disconnect(args: argparse.Namespace, data_dir: DataDir) -> int:
    """Forget the source; with --purge, delete every stored record too."""
    with FileLock(data_dir.sync_lock):
        had = config.forget(data_dir)
        if args.purge:
            for name in ("datasync.db", "datasync.db-wal", "datasync.db-shm"):
                (data_dir.root / name).unlink(missing_ok=True)
            shutil.rmtree(data_dir.exports, ignore_errors=True)
            shutil.rmtree(data_dir.logs, ignore_errors=True)
    print(
        ("Disconnected." if had else "No source was connected.")
        + (" Stored data, history and exports deleted." if args.purge else "")
    )
    return EXIT_OK


def cmd_service(_: argparse.Namespace, data_dir: DataDir) -> int:
    """Print the systemd user unit for this data dir."""
    from datasync_tui.daemon_service import unit_text

    print(unit_text(data_dir), end="")
    return EXIT_OK


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
    "disconnect": cmd_disconnect,
    "service": cmd_service,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: parse, dispatch, and turn every failure into one clear line."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.demo:
            return run_demo()
        data_dir = DataDir.resolve(args.data_dir)
        if args.daemon:
            if args.command is not None:
                raise UsageError("--daemon runs alone: give it no command")
            from datasync_tui.daemon import serve  # schedule, httpx: only for the daemon

            return serve(data_dir)
        if args.command is None:
            return _no_command(parser, data_dir)
        return COMMANDS[args.command](args, data_dir)
    except UsageError as exc:
        print(f"datasync-tui: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BusyError as exc:
        print(f"datasync-tui: {exc}", file=sys.stderr)
        return EXIT_BUSY
    except BrokenPipeError:  # `datasync-tui validate --json | head`: the reader left, say nothing
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILED
    except (ConnectorError, ConfigError, StoreError, SyncError, OSError) as exc:
        print(f"datasync-tui: error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("datasync-tui: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the last line of defence: one line, no traceback
        if os.environ.get("DATASYNC_DEBUG"):
            raise
        print(f"datasync-tui: internal error: {exc.__class__.__name__}: {exc}", file=sys.stderr)
        return EXIT_FAILED


def _no_command(parser: argparse.ArgumentParser, data_dir: DataDir) -> int:
    """Without a command: the full-screen app on a terminal, else the status and help."""
    if _on_terminal():
        from datasync_tui.ui import run  # textual only loads for the full-screen app

        return run(data_dir.ensure())
    print("\n".join(status_lines(collect(data_dir), source_where(data_dir))))
    print()
    parser.print_help()
    return EXIT_OK


def _on_terminal() -> bool:
    """True when both ends are a terminal (a full-screen app makes sense)."""
    return sys.stdin.isatty() and sys.stdout.isatty()


if __name__ == "__main__":
    sys.exit(main())
