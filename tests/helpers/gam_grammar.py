"""A small GAM batch-file reader for the tests: GAM's quoting rules and the commands fix writes.

Written from GAM's documentation, independently of datasync_tui.fix.gam_quote:
- `gam batch` skips blank lines and lines starting with `#`, and splits every other line into
  arguments as a POSIX shell does (GAM wiki "Bulk Processing"; GAM's doBatch uses
  shlex.split): blanks separate arguments; inside '…' nothing is special; inside "…" a
  backslash escapes only " and \\; elsewhere a backslash escapes the next character ("Command
  Line Parsing", Linux and MacOS). A quote left open is an error.
- A `<UserList>` argument is split on commas and blanks (GAM's convertEntityToList).
- The commands: `gam create course`, `gam course … sync teachers|students addonly users …`
  ("Classroom - Courses", "Classroom - Membership") and `gam create user` ("Users").
"""

from __future__ import annotations

from dataclasses import dataclass, field

BLANKS = " \t"


class GrammarError(ValueError):
    """A line GAM would not run as fix meant it."""


def tokenize(line: str) -> list[str]:
    """The arguments of one line, by the POSIX quoting rules GAM's batch reader follows."""
    args: list[str] = []
    current: list[str] = []
    in_word = False
    i, n = 0, len(line)
    while i < n:
        ch = line[i]
        if ch in BLANKS:
            if in_word:
                args.append("".join(current))
                current, in_word = [], False
            i += 1
        elif ch == "'":
            end = line.find("'", i + 1)
            if end < 0:
                raise GrammarError(f"single quote left open: {line!r}")
            current.append(line[i + 1 : end])
            in_word, i = True, end + 1
        elif ch == '"':
            i += 1
            while True:
                if i >= n:
                    raise GrammarError(f"double quote left open: {line!r}")
                if line[i] == "\\" and i + 1 < n and line[i + 1] in '"\\':
                    current.append(line[i + 1])
                    i += 2
                elif line[i] == '"':
                    i += 1
                    break
                else:
                    current.append(line[i])
                    i += 1
            in_word = True
        elif ch == "\\":
            if i + 1 >= n:
                raise GrammarError(f"a backslash ends the line: {line!r}")
            current.append(line[i + 1])
            in_word, i = True, i + 2
        else:
            current.append(ch)
            in_word, i = True, i + 1
    if in_word:
        args.append("".join(current))
    return args


def commands(text: str) -> list[list[str]]:
    """Every command line of a batch file as its arguments (comments and blanks skipped)."""
    found = []
    for number, line in enumerate(text.split("\n"), 1):
        if "\r" in line:
            raise GrammarError(f"line {number}: a carriage return would split the line")
        if not line.strip() or line.startswith("#"):
            continue
        argv = tokenize(line)
        if argv[0] not in ("gam", "commit-batch"):
            raise GrammarError(f"line {number}: {argv[0]!r} is not a batch command")
        found.append(argv)
    return found


def user_list(value: str) -> list[str]:
    """A <UserList> as GAM reads it: split on commas and blanks."""
    return value.replace(",", " ").split()


@dataclass
class Command:
    """One parsed command: what it does and its arguments by keyword."""

    kind: str  # create-course, sync, create-user, commit-batch
    args: dict[str, str] = field(default_factory=dict)


def parse(argv: list[str]) -> Command:
    """One command of the three fix writes (GrammarError for anything else)."""
    if argv == ["commit-batch"]:
        return Command("commit-batch")
    words = argv[1:]
    if words[:3] == ["create", "course", "alias"]:
        return Command(
            "create-course",
            _pairs(
                words[2:],
                {"alias", "name", "section", "room", "teacher"},
                {"alias", "name", "teacher"},
            ),
        )
    if words[:1] == ["course"] and len(words) == 7 and words[2] == "sync":
        course, _, role, mode, entity, users = words[1:]
        if role not in ("teachers", "students") or mode != "addonly" or entity != "users":
            raise GrammarError(f"not a sync fix writes: {argv!r}")
        return Command("sync", {"course": course, "role": role, "users": users})
    if words[:2] == ["create", "user"] and len(words) >= 3:
        args = {
            "email": words[2],
            **_pairs(words[3:], {"firstname", "lastname"}, {"firstname", "lastname"}),
        }
        return Command("create-user", args)
    raise GrammarError(f"not a command fix writes: {argv!r}")


def _pairs(words: list[str], known: set[str], required: set[str]) -> dict[str, str]:
    """keyword value pairs, each keyword known and once; the required ones present."""
    if len(words) % 2:
        raise GrammarError(f"a keyword without its value: {words!r}")
    found: dict[str, str] = {}
    for key, value in zip(words[::2], words[1::2], strict=True):
        if key not in known or key in found:
            raise GrammarError(f"unexpected keyword {key!r} in {words!r}")
        if value == "":
            raise GrammarError(f"{key} has an empty value (GAM wants a non-empty string)")
        found[key] = value
    if missing := required - set(found):
        raise GrammarError(f"missing {sorted(missing)} in {words!r}")
    return found


def parse_file(text: str) -> list[Command]:
    """Every command of a batch file, parsed."""
    return [parse(argv) for argv in commands(text)]
