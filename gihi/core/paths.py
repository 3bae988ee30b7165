"""Where things live: project root, default data and output directories."""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = ROOT / "data"
OUTPUT_DIR = ROOT / "output"
META = "meta"
#: the build's working directory inside an output directory (gihi.pipeline.build; shared figure cache)
STAGING = ".build"
PREVIEW = ".preview"   # <output>/.preview/: where the preview (report_build.py --preview) works
#: PDF edition → the part of its file name: GIHI-2023-bilingual.pdf, GIHI-2023-zh.pdf, ...
EDITION_FILES = {"bi": "bilingual", "zh": "zh", "en": "en"}


def pdf_name(year: int, lang: str) -> str:
    """``GIHI-<year>-bilingual.pdf`` / ``GIHI-<year>-zh.pdf`` / ``GIHI-<year>-en.pdf``."""
    if lang not in EDITION_FILES:
        raise ValueError(f"unknown edition {lang!r}; expected one of {', '.join(EDITION_FILES)}")
    return f"GIHI-{int(year)}-{EDITION_FILES[lang]}.pdf"


def resolve(path: str | os.PathLike | None, default: Path) -> Path:
    """``path`` as an absolute path: None (or "") → ``default``; a relative path is taken from
    the current working directory, as on any command line."""
    if path is None or str(path) == "":
        return default
    return Path(os.path.abspath(Path(path).expanduser()))


def meta_path(data_dir: str | os.PathLike, name: str, year: int | None = None) -> Path:
    """Where the metadata file ``name`` of an edition is: ``<data_dir>/<year>/meta/<name>`` when it
    exists (it replaces the shared file for that year), else ``<data_dir>/meta/<name>``."""
    if year is not None:
        own = Path(data_dir) / str(int(year)) / META / name
        if own.is_file():
            return own
    return Path(data_dir) / META / name


def available_years(data_dir: Path) -> list[int]:
    """Years with a dataset: sub-directories of ``data_dir`` named by a 4-digit year."""
    if not data_dir.is_dir():
        return []
    return sorted(int(p.name) for p in data_dir.iterdir() if p.is_dir() and p.name.isdigit() and len(p.name) == 4)
