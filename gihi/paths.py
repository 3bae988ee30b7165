"""Where things live: project root, default data and output directories."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = ROOT / "data"
OUTPUT_DIR = ROOT / "output"
META = "meta"
#: the build's working directory inside an output directory (gihi.build; shared figure cache)
STAGING = ".build"
#: PDF edition → the part of its file name: GIHI-2023-bilingual.pdf, GIHI-2023-zh.pdf, ...
EDITION_FILES = {"bi": "bilingual", "zh": "zh", "en": "en"}


def pdf_name(year: int, lang: str) -> str:
    """``GIHI-<year>-bilingual.pdf`` / ``GIHI-<year>-zh.pdf`` / ``GIHI-<year>-en.pdf``."""
    if lang not in EDITION_FILES:
        raise ValueError(f"unknown edition {lang!r}; expected one of {', '.join(EDITION_FILES)}")
    return f"GIHI-{int(year)}-{EDITION_FILES[lang]}.pdf"


def available_years(data_dir: Path) -> list[int]:
    """Years with a dataset: sub-directories of ``data_dir`` named by a 4-digit year."""
    if not data_dir.is_dir():
        return []
    return sorted(int(p.name) for p in data_dir.iterdir() if p.is_dir() and p.name.isdigit() and len(p.name) == 4)
