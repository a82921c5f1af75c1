"""The generated districts the benchmark runs on, made once per scale and reused."""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from datasync_tui.demo.generate import GENERATOR_VERSION, generate_district

OUT = Path(__file__).resolve().parent / "out"

# ~10 classes per student (year-long and semester sections) gives ~10 enrollments per user.
SCALES: dict[str, dict[str, object]] = {
    "small": {"students": 9_350, "teachers": 620, "classes_per_student": (10, 11)},
    "full": {"students": 93_500, "teachers": 6_200, "classes_per_student": (10, 11)},
}


@dataclass(frozen=True)
class District:
    """A generated bundle folder, its row counts, and how long it took to make (None: reused)."""

    folder: Path
    counts: dict[str, int]
    seconds: float | None

    @property
    def files(self) -> list[Path]:
        """The bundle's CSV files, manifest included, sorted by name."""
        return sorted(self.folder.glob("*.csv"))

    @property
    def size_mb(self) -> float:
        """Total size of the CSV files in MB."""
        return sum(path.stat().st_size for path in self.files) / 1e6


def ensure_district(scale: str, regenerate: bool = False) -> District:
    """The district of a scale under bench/out/<scale>/bundle, generated unless already there."""
    params = SCALES[scale]
    root = OUT / scale
    folder, marker = root / "bundle", root / "generated.json"
    wanted = {"generator": GENERATOR_VERSION, "params": _jsonable(params), "problems": False}
    if not regenerate and marker.is_file() and (folder / "manifest.csv").is_file():
        recorded = json.loads(marker.read_text(encoding="utf-8"))
        if {key: recorded.get(key) for key in wanted} == wanted:
            return District(folder, recorded["counts"], None)
    shutil.rmtree(root, ignore_errors=True)
    started = time.perf_counter()
    counts = generate_district(folder, problems=False, **params)  # type: ignore[arg-type]
    seconds = time.perf_counter() - started
    marker.write_text(json.dumps({**wanted, "counts": counts}, indent=1), encoding="utf-8")
    return District(folder, counts, seconds)


def _jsonable(params: dict[str, object]) -> dict[str, object]:
    """The parameters as they read back from JSON (tuples become lists)."""
    return json.loads(json.dumps(params))
