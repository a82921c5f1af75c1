"""An export creates no folder the user did not name; an empty --export is a usage error."""

from __future__ import annotations

from pathlib import Path

import pytest

from datasync_tui.rules.export import ExportError, write_atomically
from tests.helpers.bundles import district, write_bundle
from tests.helpers.cli import CliRunner


@pytest.fixture
def synced(cli: CliRunner, tmp_path: Path) -> CliRunner:
    """A data dir with one applied sync."""
    bundle = write_bundle(tmp_path / "b", district())
    assert cli("connect", "oneroster-csv", "--set", f"path={bundle}").returncode == 0
    assert cli("sync").returncode == 0
    return cli


def test_export_into_a_missing_folder_is_refused(synced: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "nope" / "deeper" / "x.csv"
    done = synced("validate", "--export", str(target))
    assert done.returncode == 2
    assert done.stderr.strip() == (
        f"datasync-tui: --export {target}: {target.parent}: no such folder "
        "(an export creates none; create it or pick another)"
    )
    assert not (tmp_path / "nope").exists()
    assert done.stdout == ""  # refused before the rules ran


def test_export_beside_a_file_is_refused(synced: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "plain").write_text("x")
    done = synced("validate", "--export", str(tmp_path / "plain" / "x.json"))
    assert done.returncode == 2
    assert "not a folder" in done.stderr and len(done.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("value", ["", "  "])
def test_an_empty_export_name_is_a_usage_error(synced: CliRunner, value: str) -> None:
    done = synced("validate", "--export", value)
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "datasync-tui: --export needs a file name ending in .csv or .json"
    )


def test_export_into_an_existing_folder_works(synced: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "issues.json"
    done = synced("validate", "--export", str(target))
    assert done.returncode == 0, done.stderr
    assert target.read_text().startswith("[")


def test_no_writer_makes_a_folder(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="no such folder"):
        write_atomically(tmp_path / "a" / "b.csv", lambda tmp: tmp.write_text("x") and 1)
    assert not (tmp_path / "a").exists()
