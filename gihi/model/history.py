"""Ranks published in earlier GIHI reports (``data/history/ranks.csv``) and rank changes.

``ranks.csv`` has columns ``year,level,id,rank,source``; ``level`` is ``composite``, ``A``, ``B``
or ``C``; ``source`` says where the rank was read (table, body text). Earlier lists had other
city sets (2021: 50 cities; 2022: 100, mini-hubs ranked inside the main list), so a change is a
change of published position, not of rank on the current city set.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from gihi.core.errors import DataError, Problem
from gihi.model.io import read_table
from gihi.core.paths import meta_path

HISTORY_FILE = "history/ranks.csv"
COLUMNS = ["year", "level", "id", "rank", "source"]
LEVELS = ("composite", "A", "B", "C")


def load_history(data_dir: Path, year: int | None = None) -> pd.DataFrame:
    """Read and check ``<data_dir>/history/ranks.csv`` (city ids of ``year``'s edition); ``year``
    and ``rank`` as int."""
    data_dir, edition = Path(data_dir), year
    path = data_dir / HISTORY_FILE
    if not path.is_file():
        raise DataError([Problem(HISTORY_FILE, None, None, "no such file", "the table of earlier ranks")])
    raw = read_table(path)
    missing = [c for c in COLUMNS if c not in raw.columns]
    if missing:
        raise DataError([Problem(HISTORY_FILE, None, c, "no such column", f"columns {','.join(COLUMNS)}") for c in missing])
    ids = set(read_table(meta_path(data_dir, "cities.csv", edition))["id"])
    return history_from_frame(raw, ids)


def history_from_frame(raw: pd.DataFrame, ids: set[str]) -> pd.DataFrame:
    """The typed history table of the all-text ``history/ranks.csv`` (checked against ``ids``)."""
    raw = raw.reset_index(drop=True)
    problems = []
    seen: dict[tuple, int] = {}
    for i, r in enumerate(raw.itertuples(index=False), start=1):
        if not (r.year.isdigit() and len(r.year) == 4):
            problems.append(Problem(HISTORY_FILE, i, "year", repr(r.year), "a 4-digit year"))
        if r.level not in LEVELS:
            problems.append(Problem(HISTORY_FILE, i, "level", repr(r.level), f"one of {', '.join(LEVELS)}"))
        if r.id not in ids:
            problems.append(Problem(HISTORY_FILE, i, "id", repr(r.id), "a city id from meta/cities.csv"))
        if not (r.rank.isdigit() and int(r.rank) >= 1):
            problems.append(Problem(HISTORY_FILE, i, "rank", repr(r.rank), "a positive integer"))
        key = (r.year, r.level, r.id)
        if key in seen:
            problems.append(Problem(HISTORY_FILE, i, "year,level,id", f"{'/'.join(key)} again (first at row {seen[key]})", "one rank per year × level × city"))
        else:
            seen[key] = i
    if problems:
        raise DataError(problems)
    out = raw[COLUMNS].copy()
    out["year"] = out["year"].astype(int)
    out["rank"] = out["rank"].astype(int)
    return out


def rank_changes(ranks: pd.Series | pd.DataFrame, history: pd.DataFrame, level: str, prev_year: int) -> pd.DataFrame:
    """Rank change of each city since ``prev_year`` at ``level``; positive = moved up.

    ``ranks`` is a Series (city id → current rank) or a ranks DataFrame such as
    ``IndexResult.ranks`` (its ``level`` column is used). Returns a DataFrame indexed by ``id``
    (the order of ``ranks``) with columns ``rank``, ``prev_rank`` and
    ``change = prev_rank − rank`` (``Int64``; missing when there is no earlier rank).
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, got {level!r}")
    current = ranks[level] if isinstance(ranks, pd.DataFrame) else ranks
    current = current.astype("Int64")
    prev = history[(history["year"] == prev_year) & (history["level"] == level)].set_index("id")["rank"]
    out = pd.DataFrame({"rank": current, "prev_rank": prev.reindex(current.index).astype("Int64")})
    out["change"] = out["prev_rank"] - out["rank"]
    out.index.name = "id"
    return out
