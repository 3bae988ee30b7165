"""The indicator data of one year: ``data/<year>/indicators.csv`` (long format).

One row per city × indicator with columns ``id,code,value,provenance,note``:

* ``id``: city id from ``meta/cities.csv``; ``code``: indicator code from ``meta/indicators.csv``;
* ``value``: the raw indicator value, a plain number (``.`` as decimal separator, no thousands
  separator); an empty cell means the value is missing;
* ``provenance``: published / derived / imputed / missing; ``note``: free text.

:func:`load_indicators` performs basic checks (required columns, known ids and codes, numeric
values, no duplicated id × code) and raises :class:`~gihi.core.errors.DataError` listing every problem
with its location (row numbers are 1-based data rows, the header excluded). Full validation is a
later step.
"""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from gihi.core.errors import DataError, Problem
from gihi.model.io import read_table
from gihi.model.metadata import load_tree
from gihi.core.paths import meta_path

REQUIRED_COLUMNS = ["id", "code", "value", "provenance", "note"]
FILE_NAME = "indicators.csv"


def indicators_path(data_dir: Path, year: int) -> Path:
    return Path(data_dir) / str(year) / FILE_NAME


def _number(text: str) -> float | None:
    """The float in ``text``, NaN for an empty cell, or None if it is not a finite plain number."""
    t = text.strip()
    if t == "":
        return math.nan
    try:
        v = float(t)
    except ValueError:
        return None
    if not math.isfinite(v) or "_" in t:
        return None
    return v


def load_indicators(data_dir: Path, year: int) -> pd.DataFrame:
    """Read and check ``<data_dir>/<year>/indicators.csv``.

    Returns the long table with ``value`` as float (NaN = missing). ``id`` and ``code`` are
    categoricals whose categories are all cities in ``meta/cities.csv`` order and all indicators in
    Table-1 order, so that :func:`to_wide` gives a complete, ordered table.
    """
    data_dir = Path(data_dir)
    file = f"{year}/{FILE_NAME}"
    path = indicators_path(data_dir, year)
    if not path.is_file():
        raise DataError([Problem(file, None, None, "no file", f"the {year} indicator table (columns {','.join(REQUIRED_COLUMNS)})")])
    raw = read_table(path)
    missing_cols = [c for c in REQUIRED_COLUMNS if c not in raw.columns]
    if missing_cols:
        raise DataError([
            Problem(file, None, c, "no such column", f"columns {','.join(REQUIRED_COLUMNS)}") for c in missing_cols
        ])
    tree = load_tree(data_dir, year)
    city_ids = list(read_table(meta_path(data_dir, "cities.csv", year))["id"])
    return values_from_frame(raw, city_ids, tree.codes, file)


def values_from_frame(raw: pd.DataFrame, city_ids: list[str], codes: list[str], file: str) -> pd.DataFrame:
    """The typed long table of the all-text indicator table ``raw`` (see :func:`load_indicators`);
    ``city_ids`` and ``codes`` (cities.csv and Table-1 order) become the categories."""
    raw = raw.reset_index(drop=True)
    known_ids, known_codes = set(city_ids), set(codes)
    problems: list[Problem] = []
    values = []
    seen: dict[tuple[str, str], int] = {}
    for i, (cid, code, val) in enumerate(zip(raw["id"], raw["code"], raw["value"]), start=1):
        if cid not in known_ids:
            problems.append(Problem(file, i, "id", repr(cid), "a city id from meta/cities.csv"))
        if code not in known_codes:
            problems.append(Problem(file, i, "code", repr(code), "an indicator code from meta/indicators.csv"))
        v = _number(val)
        if v is None:
            problems.append(Problem(file, i, "value", repr(val), "a number, or an empty cell for a missing value"))
            v = math.nan
        values.append(v)
        key = (cid, code)
        if key in seen:
            problems.append(Problem(file, i, "id,code", f"{cid} × {code} again (first at row {seen[key]})", "one row per city × indicator"))
        else:
            seen[key] = i
    if problems:
        raise DataError(problems)
    out = raw[REQUIRED_COLUMNS].copy()
    out["id"] = pd.Categorical(out["id"], categories=city_ids)
    out["code"] = pd.Categorical(out["code"], categories=codes)
    out["value"] = pd.Series(values, index=out.index, dtype=float)
    return out


def to_wide(long: pd.DataFrame, codes: list[str] | None = None, ids: list[str] | None = None) -> pd.DataFrame:
    """Pivot the long table to index ``id``, one column per indicator code.

    Row and column order: ``ids`` / ``codes`` if given, else the categories of the ``id`` / ``code``
    columns (as returned by :func:`load_indicators`: cities.csv order, Table-1 order), else order
    of first appearance. Cells with no row are NaN.
    """
    def order(col: str, given):
        if given is not None:
            return list(given)
        s = long[col]
        if isinstance(s.dtype, pd.CategoricalDtype):
            return list(s.cat.categories)
        return list(pd.unique(s))

    row_ids, cols = order("id", ids), order("code", codes)
    frame = pd.DataFrame({"id": long["id"].astype(str), "code": long["code"].astype(str), "value": long["value"].astype(float)})
    if frame.duplicated(["id", "code"]).any():
        raise ValueError("duplicated id × code in the long table")
    wide = frame.pivot(index="id", columns="code", values="value").reindex(index=row_ids, columns=cols)
    wide.index.name = "id"
    wide.columns.name = None
    return wide.astype(float)
