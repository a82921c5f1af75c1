"""The wheel carries everything the app needs: stylesheet, sample district, vendor catalogue."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_wheel_ships_data_files_and_finds_them_elsewhere(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(dist),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "datasync_tui/ui/screens.tcss" in names
    assert "datasync_tui/demo/district.zip" in names
    assert "connectors/vendors.json" in names
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    code = (
        "from datasync_tui.resources import stylesheet_path\n"
        "from datasync_tui.demo import bundled_district\n"
        "from connectors.registry import vendors\n"
        "print(stylesheet_path()); print(bundled_district()); print(len(vendors()))"
    )
    out = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(target)!r})\n{code}"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
    )
    css, district, count = out.stdout.split()
    assert css.startswith(str(target)) and Path(css).is_file()
    assert district.startswith(str(target)) and Path(district).is_file()
    assert int(count) >= 5
