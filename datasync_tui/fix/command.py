"""`datasync-tui fix gam|classroom|emails`: files to review and run that fix what validate found."""

from __future__ import annotations

import argparse
import sys

from datasync_tui.errors import Exit, UsageError
from datasync_tui.fix.files import FixError, FixUsageError
from datasync_tui.fix.gam_file import SCOPES
from datasync_tui.fix.run import fix_classroom, fix_emails, fix_gam
from datasync_tui.paths import DataDir


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """The `fix` sub-command and its three kinds of file."""
    fix = sub.add_parser(
        "fix",
        help="write GAM and Classroom files that fix what the Classroom dry run found",
        description="Write files an admin reviews and runs: a GAM batch file (gam), "
        "Classroom-ready CSV files (classroom), or proposed addresses for users without a "
        "usable email (emails). DataSync never talks to Google: it writes files.",
    )
    kinds = fix.add_subparsers(dest="fix_kind", metavar="KIND", required=True)
    gam = kinds.add_parser(
        "gam",
        help="a GAM batch file: create the dry run's courses, sync their members",
        description="Write a GAM batch file (run it with `gam batch PATH`): `gam create "
        "course` for each class the dry run creates, then each course's teachers and "
        "students (`sync … addonly`). Skipped classes and users left out are listed in "
        "comments with the reason and the rule.",
    )
    gam.add_argument("path", metavar="PATH", help="the batch file to write (its folder must exist)")
    gam.add_argument("--scope", choices=SCOPES, default="all", help="what to write (default: all)")
    classroom = kinds.add_parser(
        "classroom",
        help="courses.csv and members.csv, ready for Classroom and GAM's csv mode",
        description="Write courses.csv (alias, name, section, room, owner) and members.csv "
        "(alias, email, role) into DIR, UTF-8, spreadsheet-safe.",
    )
    classroom.add_argument("dir", metavar="DIR", help="the folder (created if its parent exists)")
    emails = kinds.add_parser(
        "emails",
        help="proposed addresses for users without a usable email (email_pattern)",
        description="Write one row per user without an email, or with an invalid one: "
        "sourcedId, name, role, the proposed address (from the email_pattern option) and "
        "whether it collided with a taken one. --gam also writes `gam create user` lines "
        "(never a password).",
    )
    emails.add_argument("path", metavar="PATH", help="the CSV file to write")
    emails.add_argument("--gam", metavar="PATH", help="also write `gam create user` lines here")


def cmd_fix(args: argparse.Namespace, data_dir: DataDir) -> int:
    """Write the file(s) asked for and say what went where."""
    try:
        if args.fix_kind == "gam":
            result = fix_gam(data_dir, args.path, args.scope)
        elif args.fix_kind == "classroom":
            result = fix_classroom(data_dir, args.dir)
        else:
            result = fix_emails(data_dir, args.path, args.gam)
    except FixUsageError as exc:
        raise UsageError(str(exc)) from exc
    except FixError as exc:
        print(f"datasync-tui: {exc}", file=sys.stderr)
        return Exit.FAILED
    print("\n".join(result.summary_lines()))
    return Exit.OK
