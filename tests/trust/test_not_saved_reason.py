"""`connect` and `check` that save nothing name the first blocking reason on stderr."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.bundles import district, write_bundle
from tests.helpers.cli import CliRunner


def rows_with_short_user() -> dict:
    """A district whose users.csv line 4 lacks two fields."""
    rows = district()
    rows["users"][2] = rows["users"][2][:-2]
    return rows


def rows_without_enrollments() -> dict:
    """A district with no enrollments.csv."""
    rows = district()
    del rows["enrollments"]
    return rows


@pytest.mark.parametrize(
    ("rows", "reason"),
    [
        (rows_with_short_user, "users.csv:4: the row has 16 fields but the header has 18"),
        (rows_without_enrollments, "enrollments: required, not found"),
    ],
)
def test_connect_names_the_first_blocking_reason(
    cli: CliRunner, tmp_path: Path, rows, reason: str
) -> None:
    bundle = write_bundle(tmp_path / "b", rows())
    done = cli("connect", "oneroster-csv", "--set", f"path={bundle}")
    assert done.returncode == 3
    assert done.stderr == f"Not saved: {reason}\n"


def test_check_names_it_too(cli: CliRunner, tmp_path: Path) -> None:
    bundle = write_bundle(tmp_path / "b")
    assert cli("connect", "oneroster-csv", "--set", f"path={bundle}").returncode == 0
    write_bundle(tmp_path / "b", rows_with_short_user())
    done = cli("check")
    assert done.returncode == 3
    assert done.stderr == "Not saved: users.csv:4: the row has 16 fields but the header has 18\n"


def test_a_missing_path_is_the_reason(cli: CliRunner, tmp_path: Path) -> None:
    done = cli("connect", "oneroster-csv", "--set", f"path={tmp_path / 'nope.zip'}")
    assert done.returncode == 3
    assert done.stderr == f"Not saved: {tmp_path / 'nope.zip'}: no such file or folder\n"
