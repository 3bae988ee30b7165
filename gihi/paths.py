"""Where things live: project root, default data and output directories."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = ROOT / "data"
OUTPUT_DIR = ROOT / "output"
META = "meta"


def available_years(data_dir: Path) -> list[int]:
    """Years with a dataset: sub-directories of ``data_dir`` named by a 4-digit year."""
    if not data_dir.is_dir():
        return []
    return sorted(int(p.name) for p in data_dir.iterdir() if p.is_dir() and p.name.isdigit() and len(p.name) == 4)
