"""`datasync-tui connect` and `check`: check a source, save it as a writer when it passes."""

from __future__ import annotations

import argparse
import sys

from connectors.base import ConnectorError
from connectors.registry import METHODS, resolve
from datasync_tui.cli.report import blocking_reason, check_lines
from datasync_tui.cli.set_values import build_settings
from datasync_tui.connection import split_secrets
from datasync_tui.errors import Exit, UsageError
from datasync_tui.paths import DataDir
from datasync_tui.store import config
from datasync_tui.sync import make_connector
from datasync_tui.sync.lock import FileLock


def add_connect_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """The `connect` and `check` sub-commands' arguments."""
    connect = sub.add_parser(
        "connect",
        help="check a source and save it when its required data is present",
        description="Check the source and save it as this data dir's connection when every "
        "required topic and field is present (exit 0); otherwise say what is missing and save "
        "nothing (exit 3). ID is a method (oneroster-csv, oneroster-api, sif, csv) or a vendor "
        "id from `datasync-tui methods`; a vendor with several methods takes --set method=…. "
        "Exit 5 while a sync runs in this data dir.",
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
        return Exit.OK
    presets = vendor.presets.get(method.id, {}) if vendor else {}
    settings = build_settings(connector_cls.all_options(), {**presets, **pairs})
    public, secrets = split_secrets(connector_cls.all_options(), settings)
    conn = config.Connection(
        method=method.id, vendor=vendor.id if vendor else None, settings=public, secrets=secrets
    )
    if not data_dir.sync_lock.exists():  # no sync ever ran here: lock (and write) only to save
        return _check_and_report(config.keep_identity(conn, config.load(data_dir)), data_dir, True)
    # As a writer: busy at once while a sync runs (never replaced under it), held to the save.
    with FileLock(data_dir.sync_lock):
        conn = config.keep_identity(conn, config.load(data_dir))
        return _check_and_report(conn, data_dir, save=True, locked=True)


def _split_pair(item: str) -> tuple[str, str]:
    """KEY=VALUE split on the first '='."""
    key, sep, value = item.partition("=")
    if not sep or not key:
        raise UsageError(f"--set {item!r}: expected KEY=VALUE")
    return key.strip(), value


def _check_and_report(
    conn: config.Connection, data_dir: DataDir, save: bool, locked: bool = False
) -> int:
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
        print(f"Not saved: {blocking_reason(report)}", file=sys.stderr)
        return Exit.NOT_SAVED
    if save:
        if locked:
            config.save(data_dir, conn)
        else:
            data_dir.ensure()
            with FileLock(data_dir.sync_lock):
                config.save(data_dir, conn)
        print(f"Saved to {data_dir.root}. Next: datasync-tui sync")
    return Exit.OK


def cmd_check(_: argparse.Namespace, data_dir: DataDir) -> int:
    """Re-check the saved source."""
    conn = saved_connection(data_dir)
    return _check_and_report(conn, data_dir, save=False)


def saved_connection(data_dir: DataDir) -> config.Connection:
    """The saved connection, or a usage error saying how to make one."""
    conn = config.load(data_dir)
    if conn is None:
        raise UsageError(
            f"no source connected in {data_dir.root}; run `datasync-tui connect ID --set …` first"
        )
    return conn
