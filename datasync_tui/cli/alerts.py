"""`datasync-tui pause`, `resume` and `notify --test`: scheduled syncs and the alert channels."""

from __future__ import annotations

import argparse
import sys

from datasync_tui import alerts, pause
from datasync_tui.errors import Exit, UsageError
from datasync_tui.paths import DataDir
from datasync_tui.store import config


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """The `pause`, `resume` and `notify` sub-commands' arguments."""
    paused = sub.add_parser(
        "pause",
        help="stop scheduled syncs (the daemon's) until a date or `resume`",
        description="Stop the daemon's scheduled syncs (daily, catch-up, retries), e.g. over a "
        "term rollover, until `datasync-tui resume` or, with --until, until that day has "
        "passed. A sync you run yourself (`datasync-tui sync`, r in the app) still runs.",
    )
    paused.add_argument(
        "--until",
        metavar="YYYY-MM-DD",
        help="the last day paused: scheduled syncs start again by themselves the day after",
    )
    sub.add_parser(
        "resume",
        help="restart scheduled syncs",
        description="Undo `datasync-tui pause`: the daemon's next scheduled sync runs again.",
    )
    notify = sub.add_parser(
        "notify",
        help="test the alert channels (email, notify_url)",
        description="With --test, send a test message to every configured alert channel "
        "(email: smtp_url and notify_email; notify_url) and print what each answered. "
        "Exit 1 naming the channel and the reason when one fails.",
    )
    notify.add_argument("--test", action="store_true", help="send a test message now")


def cmd_pause(args: argparse.Namespace, data_dir: DataDir) -> int:
    """Pause scheduled syncs."""
    try:
        found = pause.pause(data_dir, args.until)
    except pause.PauseError as exc:
        raise UsageError(str(exc)) from None
    print(f"{found.describe().capitalize()}.")
    print("A sync run by hand (`datasync-tui sync`) still runs. Undo: datasync-tui resume")
    return Exit.OK


def cmd_resume(_: argparse.Namespace, data_dir: DataDir) -> int:
    """Restart scheduled syncs."""
    was = pause.resume(data_dir)
    print("Scheduled syncs resumed." if was else "Scheduled syncs were not paused.")
    return Exit.OK


def cmd_notify(args: argparse.Namespace, data_dir: DataDir) -> int:
    """Send a test to every channel; print each answer, exit 1 when one fails."""
    if not args.test:
        raise UsageError("notify: say --test to send a test message to every alert channel")
    if config.load(data_dir) is None:
        raise UsageError(
            f"no source connected in {data_dir.root}; run `datasync-tui connect ID --set …` first"
        )
    answers = alerts.send_test(data_dir)
    if not answers:
        print(
            "datasync-tui: notify: no alert channel is set up; set smtp_url and notify_email "
            "(or notify_url) with `datasync-tui connect ID --set …`",
            file=sys.stderr,
        )
        return Exit.FAILED
    for a in answers:
        if a.ok:
            print(f"{a.channel} ({a.where}): sent: {a.text}")
    failed = [a for a in answers if not a.ok]
    for a in failed:
        print(f"datasync-tui: notify: {a.channel} ({a.where}): {a.text}", file=sys.stderr)
    return Exit.FAILED if failed else Exit.OK
