"""The bilingual UI strings of an edition: ``meta/strings.csv`` and ``meta/strings.d/*.csv``.

Each file has the columns ``key,zh,en`` (one row per key; a key defined twice, in one file or
across files, is a validation error). The edition carries them (``Edition.strings``); opening or
loading an edition makes its strings the *active* catalogue of the process, which
:mod:`gihi.report.i18n` reads. A process that opens no edition (a test, a script) gets the
repository's strings, read on first use.
"""
from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from gihi.core import trace
from gihi.core.paths import DATA_DIR, META

LANGS = ("zh", "en")
STRINGS_FILE = "strings.csv"
STRINGS_DIR = "strings.d"
COLUMNS = ("key", "zh", "en")

_ACTIVE: dict[str, dict[str, str]] | None = None


class StringsError(ValueError):
    """A strings file is malformed (missing columns, duplicated or empty keys)."""


def logical_names(tables) -> list[str]:
    """The strings files among the logical names of ``tables``: strings.csv, then strings.d/ in name order."""
    main = f"{META}/{STRINGS_FILE}"
    extra = sorted(k for k in tables if k.startswith(f"{META}/{STRINGS_DIR}/") and k.endswith(".csv"))
    return ([main] if main in tables else []) + extra


def from_frames(frames: list[pd.DataFrame]) -> dict[str, dict[str, str]]:
    """``{key: {"zh": ..., "en": ...}}`` of validated strings tables (texts stripped)."""
    out: dict[str, dict[str, str]] = {}
    for f in frames:
        for key, zh, en in f[list(COLUMNS)].itertuples(index=False, name=None):
            out[key.strip()] = {"zh": zh.strip(), "en": en.strip()}
    return out


def string_files(data_dir: Path | str | None = None) -> list[Path]:
    """``strings.csv`` then ``strings.d/*.csv`` in name order."""
    main = Path(data_dir or DATA_DIR) / META / STRINGS_FILE
    return [main, *sorted((main.parent / STRINGS_DIR).glob("*.csv"))]


def read_strings(data_dir: Path | str | None = None) -> dict[str, dict[str, str]]:
    """The strings of a data directory, read and checked here (outside an edition)."""
    out: dict[str, dict[str, str]] = {}
    where: dict[str, str] = {}
    for p in string_files(data_dir):
        if not p.is_file():
            raise StringsError(f"{p}: no such file (the bilingual UI strings, columns {','.join(COLUMNS)})")
        trace.event(trace.PARSE, str(p))
        with p.open(encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise StringsError(f"{p.name}: missing column(s) {', '.join(missing)}; expected {','.join(COLUMNS)}")
            for row_no, row in enumerate(reader, start=1):
                key = (row["key"] or "").strip()
                if not key:
                    raise StringsError(f"{p.name}, row {row_no}: empty key")
                if key in out:
                    raise StringsError(f"{p.name}, row {row_no}: key {key!r} again (first in {where[key]})")
                out[key] = {lang: (row[lang] or "").strip() for lang in LANGS}
                where[key] = p.name
    return out


def activate(strings: dict[str, dict[str, str]]) -> None:
    """Make ``strings`` the process's catalogue (done by opening or loading an edition)."""
    global _ACTIVE
    _ACTIVE = strings


def active() -> dict[str, dict[str, str]]:
    """The process's catalogue: the last edition's strings, else the repository's."""
    global _ACTIVE
    if _ACTIVE is None:
        _ACTIVE = read_strings()
    return _ACTIVE
