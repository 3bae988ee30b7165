"""Loaders for the two focus chapters' data (学科策源地 and 人工智能技术专利).

Method metadata (``data/meta``):

* ``disciplines.csv`` — ``code,name_zh,name_en,domain``: the 22 ANZSRC 2020 FoR divisions used
  by Dimensions (domain STEM or HASS);
* ``ipc_groups.csv`` — ``code,label_zh,label_en,field_group,field_group_zh``: the 30 hot-field IPC
  main groups and their Figure 26 field group.

Aggregated data of one year (``data/<year>/``), long format, one provenance per row
(``published``, ``derived`` or ``imputed``):

* ``disciplines/papers.csv`` — ``id,discipline,year,papers,hcp,provenance``;
* ``ai_patents/patents_by_year.csv`` — ``id,year,valid,pct,triadic,hq,provenance``;
* ``ai_patents/ipc.csv`` — ``id,ipc,hq_patents,provenance`` (absent pair = 0);
* ``ai_patents/ipc_universe.csv`` — ``ipc,hq_patents,provenance`` (all patents searched, not only
  the 119 cities);
* ``ai_patents/ipc_by_year.csv`` — ``ipc,year,hq_patents,provenance`` (universe, by year);
* ``ai_patents/universe.csv`` — ``measure,value,provenance,note`` (search totals);
* ``ai_patents/applicants.csv`` — ``id,applicant_zh,applicant_en,valid_patents,provenance``.

Every loader checks required columns, known city ids / discipline codes / IPC codes, integer
counts that are not negative, known provenance values and duplicated keys, and raises
:class:`FocusDataError` (a :class:`ValueError` and a :class:`~gihi.core.errors.DataError`) naming the
file, the 1-based data row and the column of every problem. Full validation is a later step.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from gihi.core.errors import DataError, Problem
from gihi.model.io import read_table
from gihi.core.paths import META, meta_path

PROVENANCE = ("published", "derived", "imputed")
DISCIPLINES_DIR = "disciplines"
AI_DIR = "ai_patents"


class FocusDataError(DataError, ValueError):
    """Invalid focus-chapter input data; ``problems`` lists every located problem."""


def _read(path: Path, file: str, required: list[str]) -> pd.DataFrame:
    if not path.is_file():
        raise FocusDataError([Problem(file, None, None, "no file", f"a CSV with columns {','.join(required)}")])
    raw = read_table(path)
    missing = [c for c in required if c not in raw.columns]
    if missing:
        raise FocusDataError([Problem(file, None, c, "no such column", f"columns {','.join(required)}") for c in missing])
    return raw


def _city_ids(data_dir: Path, year: int | None = None) -> list[str]:
    return list(_read(meta_path(data_dir, "cities.csv", year), f"{META}/cities.csv", ["id"])["id"])


def _counts(raw: pd.DataFrame, file: str, cols: list[str], problems: list[Problem]) -> dict[str, pd.Series]:
    """Parse non-negative integer columns; record a problem for every bad cell."""
    out = {}
    for col in cols:
        vals = []
        for i, text in enumerate(raw[col], start=1):
            t = text.strip()
            if t.isdigit():
                vals.append(int(t))
            else:
                problems.append(Problem(file, i, col, repr(text), "a non-negative integer"))
                vals.append(0)
        out[col] = pd.Series(vals, index=raw.index, dtype="int64")
    return out


def _member(raw: pd.DataFrame, file: str, col: str, known: set[str], what: str, problems: list[Problem]) -> None:
    for i, v in enumerate(raw[col], start=1):
        if v not in known:
            problems.append(Problem(file, i, col, repr(v), what))


def _unique(raw: pd.DataFrame, file: str, keys: list[str], problems: list[Problem]) -> None:
    dup = raw.duplicated(keys, keep="first")
    for i in [int(j) + 1 for j in raw.index[dup]]:
        row = raw.iloc[i - 1]
        problems.append(Problem(file, i, ",".join(keys), " × ".join(row[k] for k in keys) + " again",
                                f"one row per {' × '.join(keys)}"))


def _check(raw: pd.DataFrame, file: str, *, data_dir: Path, counts: list[str], keys: list[str],
           ids: bool = False, discipline: bool = False, ipc: bool = False, year: bool = False,
           edition: int | None = None) -> pd.DataFrame:
    """Common checks; returns a typed copy (counts and year as int64)."""
    problems: list[Problem] = []
    out = raw.copy()
    if ids:
        _member(raw, file, "id", set(_city_ids(data_dir, edition)), "a city id from meta/cities.csv", problems)
    if discipline:
        _member(raw, file, "discipline", set(load_discipline_meta(data_dir)["code"]),
                "a discipline code from meta/disciplines.csv", problems)
    if ipc:
        col = "ipc"
        _member(raw, file, col, set(load_ipc_groups(data_dir)["code"]), "an IPC code from meta/ipc_groups.csv", problems)
    parsed = _counts(raw, file, counts + (["year"] if year else []), problems)
    if "provenance" in raw.columns:
        _member(raw, file, "provenance", set(PROVENANCE), "one of " + ", ".join(PROVENANCE), problems)
    _unique(raw, file, keys, problems)
    if problems:
        raise FocusDataError(problems)
    for col, s in parsed.items():
        out[col] = s
    return out


def load_discipline_meta(data_dir: Path) -> pd.DataFrame:
    """``meta/disciplines.csv`` in file order: code, name_zh, name_en, domain (STEM/HASS)."""
    file = f"{META}/disciplines.csv"
    raw = _read(Path(data_dir) / META / "disciplines.csv", file, ["code", "name_zh", "name_en", "domain"])
    problems: list[Problem] = []
    _member(raw, file, "domain", {"STEM", "HASS"}, "STEM or HASS", problems)
    _unique(raw, file, ["code"], problems)
    if problems:
        raise FocusDataError(problems)
    return raw


def load_ipc_groups(data_dir: Path) -> pd.DataFrame:
    """``meta/ipc_groups.csv`` in file order (the report's top-30 table order)."""
    file = f"{META}/ipc_groups.csv"
    raw = _read(Path(data_dir) / META / "ipc_groups.csv", file,
                ["code", "label_zh", "label_en", "field_group", "field_group_zh"])
    problems: list[Problem] = []
    _unique(raw, file, ["code"], problems)
    if problems:
        raise FocusDataError(problems)
    return raw


def load_disciplines(data_dir: Path, year: int) -> pd.DataFrame:
    """``<year>/disciplines/papers.csv``: papers and highly cited papers per city × discipline × year.

    Also checks ``hcp <= papers`` on every row.
    """
    file = f"{year}/{DISCIPLINES_DIR}/papers.csv"
    cols = ["id", "discipline", "year", "papers", "hcp", "provenance"]
    raw = _read(Path(data_dir) / str(year) / DISCIPLINES_DIR / "papers.csv", file, cols)
    out = _check(raw, file, data_dir=data_dir, edition=year, counts=["papers", "hcp"], keys=["id", "discipline", "year"],
                 ids=True, discipline=True, year=True)
    bad = out.index[out["hcp"] > out["papers"]]
    if len(bad):
        raise FocusDataError([Problem(file, int(i) + 1, "hcp", str(out.at[i, "hcp"]), f"at most papers ({out.at[i, 'papers']})")
                              for i in bad])
    return out[cols]


def load_ai_patents(data_dir: Path, year: int) -> pd.DataFrame:
    """``<year>/ai_patents/patents_by_year.csv``: AI patents per city × publication year."""
    file = f"{year}/{AI_DIR}/patents_by_year.csv"
    cols = ["id", "year", "valid", "pct", "triadic", "hq", "provenance"]
    raw = _read(Path(data_dir) / str(year) / AI_DIR / "patents_by_year.csv", file, cols)
    out = _check(raw, file, data_dir=data_dir, edition=year, counts=["valid", "pct", "triadic", "hq"], keys=["id", "year"],
                 ids=True, year=True)
    return out[cols]


def load_ipc(data_dir: Path, year: int) -> pd.DataFrame:
    """``<year>/ai_patents/ipc.csv``: high-quality patents per city × hot-field IPC group."""
    file = f"{year}/{AI_DIR}/ipc.csv"
    cols = ["id", "ipc", "hq_patents", "provenance"]
    raw = _read(Path(data_dir) / str(year) / AI_DIR / "ipc.csv", file, cols)
    return _check(raw, file, data_dir=data_dir, edition=year, counts=["hq_patents"], keys=["id", "ipc"], ids=True, ipc=True)[cols]


def load_ipc_universe(data_dir: Path, year: int) -> pd.DataFrame:
    """``<year>/ai_patents/ipc_universe.csv``: high-quality patents per IPC group, whole search."""
    file = f"{year}/{AI_DIR}/ipc_universe.csv"
    cols = ["ipc", "hq_patents", "provenance"]
    raw = _read(Path(data_dir) / str(year) / AI_DIR / "ipc_universe.csv", file, cols)
    return _check(raw, file, data_dir=data_dir, edition=year, counts=["hq_patents"], keys=["ipc"], ipc=True)[cols]


def load_ipc_by_year(data_dir: Path, year: int) -> pd.DataFrame:
    """``<year>/ai_patents/ipc_by_year.csv``: high-quality patents per IPC group × year, whole search."""
    file = f"{year}/{AI_DIR}/ipc_by_year.csv"
    cols = ["ipc", "year", "hq_patents", "provenance"]
    raw = _read(Path(data_dir) / str(year) / AI_DIR / "ipc_by_year.csv", file, cols)
    return _check(raw, file, data_dir=data_dir, edition=year, counts=["hq_patents"], keys=["ipc", "year"], ipc=True, year=True)[cols]


def load_ai_universe(data_dir: Path, year: int) -> pd.Series:
    """``<year>/ai_patents/universe.csv`` as a Series ``measure -> value`` (e.g. ``hq_patents``)."""
    file = f"{year}/{AI_DIR}/universe.csv"
    cols = ["measure", "value", "provenance", "note"]
    raw = _read(Path(data_dir) / str(year) / AI_DIR / "universe.csv", file, cols)
    out = _check(raw, file, data_dir=data_dir, edition=year, counts=["value"], keys=["measure"])
    return pd.Series(out["value"].to_numpy(), index=list(out["measure"]), name="value")


def load_applicants(data_dir: Path, year: int) -> pd.DataFrame:
    """``<year>/ai_patents/applicants.csv``: named applicants per city with their valid patents."""
    file = f"{year}/{AI_DIR}/applicants.csv"
    cols = ["id", "applicant_zh", "applicant_en", "valid_patents", "provenance"]
    raw = _read(Path(data_dir) / str(year) / AI_DIR / "applicants.csv", file, cols)
    return _check(raw, file, data_dir=data_dir, edition=year, counts=["valid_patents"], keys=["id", "applicant_zh"], ids=True)[cols]


def load_focus_cities(data_dir: Path, year: int | None = None) -> pd.DataFrame:
    """The city table columns the focus chapters need: id, name_zh, name_en, country_iso3, group."""
    cols = ["id", "name_zh", "name_en", "country_iso3", "group"]
    return _read(meta_path(data_dir, "cities.csv", year), f"{META}/cities.csv", cols)[cols]


# --------------------------------------------------------------------------- typed tables of an edition

#: the focus files of one year: name → (file under <year>/, columns, integer columns)
FOCUS_FILES = {
    "papers": (f"{DISCIPLINES_DIR}/papers.csv", ["id", "discipline", "year", "papers", "hcp", "provenance"],
               ["year", "papers", "hcp"]),
    "patents": (f"{AI_DIR}/patents_by_year.csv", ["id", "year", "valid", "pct", "triadic", "hq", "provenance"],
                ["year", "valid", "pct", "triadic", "hq"]),
    "ipc": (f"{AI_DIR}/ipc.csv", ["id", "ipc", "hq_patents", "provenance"], ["hq_patents"]),
    "ipc_universe": (f"{AI_DIR}/ipc_universe.csv", ["ipc", "hq_patents", "provenance"], ["hq_patents"]),
    "ipc_by_year": (f"{AI_DIR}/ipc_by_year.csv", ["ipc", "year", "hq_patents", "provenance"], ["year", "hq_patents"]),
    "universe": (f"{AI_DIR}/universe.csv", ["measure", "value", "provenance", "note"], ["value"]),
    "applicants": (f"{AI_DIR}/applicants.csv", ["id", "applicant_zh", "applicant_en", "valid_patents", "provenance"],
                   ["valid_patents"]),
}


def typed(raw: pd.DataFrame, columns: list[str], integers: list[str]) -> pd.DataFrame:
    """An all-text focus table, already validated, with its integer columns as int64 (the
    loaders' types), rows in file order."""
    out = raw.reset_index(drop=True)[columns].astype(str)
    for c in integers:
        out[c] = out[c].str.strip().astype("int64")
    return out


def universe_series(universe: pd.DataFrame) -> pd.Series:
    """``universe.csv`` as the Series ``measure -> value`` (as :func:`load_ai_universe`)."""
    return pd.Series(universe["value"].to_numpy(), index=list(universe["measure"]), name="value")
