"""`datasync-tui service`: a systemd user unit that runs the daemon for one data dir."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from datasync_tui.paths import DataDir

UNIT_NAME = "datasync-tui"
NEEDS_QUOTES = re.compile(r"[\s\"'\\;]")


def systemd_word(arg: str) -> str:
    """One command-line word as systemd reads it: % and $ escaped, quoted when needed."""
    word = arg.replace("%", "%%").replace("$", "$$")
    if not word or NEEDS_QUOTES.search(word):
        word = '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return word


def daemon_command(data_dir: DataDir) -> list[str]:
    """The daemon's command line, with this install's executable (never a PATH lookup)."""
    script = Path(sys.executable).parent / "datasync-tui"
    base = [str(script)] if script.exists() else [sys.executable, "-m", "datasync_tui.cli"]
    return [*base, "--data-dir", str(data_dir.root), "--daemon"]


def unit_text(data_dir: DataDir) -> str:
    """A systemd user unit: foreground daemon, journal logs, restart on failure, SIGHUP reload."""
    root = str(data_dir.root)
    exec_start = " ".join(systemd_word(word) for word in daemon_command(data_dir))
    tz = os.environ.get("TZ")
    environment = ["PYTHONUNBUFFERED=1", *([f"TZ={tz}"] if tz else [])]
    lines = [
        f"# DataSync TUI daemon for {root}",
        f"# Save as ~/.config/systemd/user/{UNIT_NAME}.service, then:",
        "#   systemctl --user daemon-reload",
        f"#   systemctl --user enable --now {UNIT_NAME}",
        "#   loginctl enable-linger $USER   # keep it running while you are logged out",
        f"# Logs: journalctl --user -u {UNIT_NAME}, and {root}/logs/daemon.log",
        "",
        "[Unit]",
        f"Description=DataSync TUI daily rostering sync ({root.replace('%', '%%')})",
        "",
        "[Service]",
        "Type=simple",
        f"ExecStart={exec_start}",
        "# Re-read the saved connection (sync_at, notify_url, …) without a restart.",
        "ExecReload=/bin/kill -HUP $MAINPID",
        "Restart=on-failure",
        "RestartSec=60",
        "# 5: another daemon already runs for this data dir; restarting would not help.",
        "RestartPreventExitStatus=5",
        "# SIGTERM to the daemon only: it stops its sync in progress itself (last good data kept).",
        "KillMode=mixed",
        "TimeoutStopSec=30",
        *(f"Environment={systemd_word(value)}" for value in environment),
        "UMask=0077",
        "",
        "[Install]",
        "WantedBy=default.target",
    ]
    return "\n".join(lines) + "\n"
