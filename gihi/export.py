"""Data outputs of the build: CSV files in ``<output-dir>/<year>/data/``.

* ``index_scores.csv`` — ``id, name_zh, name_en, group, composite, composite_rank, A, A_rank, B,
  B_rank, C, C_rank, A1..A4, B1..B4, C1..C4``; main cities first by composite rank, then the
  mini-hubs by theirs (ties in cities.csv order); scores rounded to 4 decimals;
* ``indicators_raw.csv`` — ``id`` and the indicators in Table-1 order, values as the engine used
  them (empty = missing), rows in cities.csv order;
* ``indicator_tree.csv`` — ``code, pillar, subpillar, weight`` (the indicator's weight in the
  composite, 6 decimals);
* ``development_patterns.csv`` — ``id, group, A, B, C`` (Appendix 6, [0, 100], 4 decimals);
* ``flows.csv`` — ``id, group, agglomeration, radiation`` (Appendix 7, [0, 100], 4 decimals);
* ``excluded.csv`` — ``id, group, reason``: cities removed by the coverage screen (header only
  when none).

Files are UTF-8 with ``\\n`` line ends and are byte-identical for identical inputs. They are
written into a temporary directory next to ``out_dir`` that replaces ``out_dir`` only once every
file has been written (:func:`staged`).
"""
from __future__ import annotations

import math
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

from .index import COMPOSITE, IndexResult
from .metadata import Tree
from .patterns import development_patterns, flows

SCORE_DECIMALS = 4
WEIGHT_DECIMALS = 6


def plain_value(v):
    """A cell as a plain Python scalar: None when missing (None, NA, NaT, NaN, ±inf), else bool,
    int, float (never -0.0) or str — numpy scalars included."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        f = float(v)
        return f + 0.0 if math.isfinite(f) else None
    return str(v)


def _plain_number(v: float) -> str:
    """Shortest round-trip text of a float, without a trailing ``.0`` (134.0 → ``134``)."""
    s = repr(float(v))
    return s[:-2] if s.endswith(".0") else s


def _rounded(frame: pd.DataFrame, columns: list[str], decimals: int) -> pd.DataFrame:
    out = frame.copy()
    for c in columns:
        out[c] = out[c].astype(float).round(decimals) + 0.0  # + 0.0 turns -0.0 into 0.0
    return out


def write_csv(frame: pd.DataFrame, path: Path, float_format=None) -> Path:
    """``frame`` as UTF-8 CSV with ``\n`` line ends and no index (the format of every data output)."""
    frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n", float_format=float_format)
    return path


def write_atomic(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same directory and
    ``os.replace``: a reader sees the old file or the new one, never half of one; the temporary
    file is removed if anything fails (Ctrl-C included). Mode 0644, like any other output."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


@contextmanager
def staged(out_dir: Path):
    """Yield a fresh temporary directory next to ``out_dir``; on normal exit, swap it in as
    ``out_dir`` (the previous ``out_dir``, if any, is removed); on error, delete it and leave
    ``out_dir`` untouched."""
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    os.chmod(tmp, 0o755)
    old = None
    if out_dir.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
        os.rmdir(old)
        os.replace(out_dir, old)
    try:
        os.replace(tmp, out_dir)
    except BaseException:
        if old is not None:
            os.replace(old, out_dir)
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _group_order(groups: pd.Series) -> list[str]:
    first = [g for g in ("main", "mini") if g in set(groups)]
    return first + sorted(g for g in set(groups) if g not in first)


def index_scores_table(result: IndexResult, cities: pd.DataFrame, tree: Tree) -> pd.DataFrame:
    """The ``index_scores.csv`` table (scores not yet rounded)."""
    pillars, subs = list(tree.pillars["code"]), list(tree.subpillars["code"])
    c = cities.set_index("id")
    ids = [i for i in cities["id"] if i in result.scores.index]
    base = pd.DataFrame({"id": ids, "name_zh": c.loc[ids, "name_zh"].to_numpy(), "name_en": c.loc[ids, "name_en"].to_numpy(),
                         "group": c.loc[ids, "group"].to_numpy()})
    cols = {}
    for level in [COMPOSITE, *pillars]:
        cols[level] = result.scores.loc[ids, level].to_numpy(float)
        cols[f"{level}_rank"] = result.ranks.loc[ids, level].to_numpy()
    for s in subs:
        cols[s] = result.scores.loc[ids, s].to_numpy(float)
    table = pd.concat([base, pd.DataFrame(cols)], axis=1)
    for level in [COMPOSITE, *pillars]:
        table[f"{level}_rank"] = table[f"{level}_rank"].astype("Int64")
    table["_g"] = table["group"].map({g: k for k, g in enumerate(_group_order(table["group"]))})
    table["_seq"] = range(len(table))  # cities.csv order breaks ties
    table = table.sort_values(["_g", "composite_rank", "_seq"], kind="stable").drop(columns=["_g", "_seq"])
    return table.reset_index(drop=True)


def write_data_outputs(result: IndexResult, cities: pd.DataFrame, tree: Tree, raw_wide: pd.DataFrame, out_dir: Path,
                       atomic: bool = True) -> list[Path]:
    """Write the data outputs to ``out_dir`` and return their paths (under ``out_dir``).

    ``cities`` is :func:`gihi.metadata.load_cities`; ``raw_wide`` the wide raw table the index was
    computed from. With ``atomic=False`` the files go straight into an existing ``out_dir`` (used
    when the caller stages several writers together with :func:`staged`).
    """
    out_dir = Path(out_dir)
    if atomic:
        with staged(out_dir) as tmp:
            written = write_data_outputs(result, cities, tree, raw_wide, tmp, atomic=False)
        return [out_dir / p.relative_to(tmp) for p in written]

    pillars, subs = list(tree.pillars["code"]), list(tree.subpillars["code"])
    score_fmt = f"%.{SCORE_DECIMALS}f"
    written = []

    scores = index_scores_table(result, cities, tree)
    written.append(write_csv(_rounded(scores, [COMPOSITE, *pillars, *subs], SCORE_DECIMALS), out_dir / "index_scores.csv", score_fmt))

    codes = tree.codes
    raw = raw_wide.reindex(index=list(cities["id"]), columns=codes).astype(float)
    raw.index.name = "id"
    written.append(write_csv(raw.reset_index(), out_dir / "indicators_raw.csv", _plain_number))

    w = tree.composite_weights()
    tree_table = pd.DataFrame({
        "code": codes,
        "pillar": tree.indicators["pillar"].to_numpy(),
        "subpillar": tree.indicators["subpillar"].to_numpy(),
        "weight": [round(float(w[c]), WEIGHT_DECIMALS) for c in codes],
    })
    written.append(write_csv(tree_table, out_dir / "indicator_tree.csv", f"%.{WEIGHT_DECIMALS}f"))

    groups = cities.set_index("id")["group"]
    order = [i for i in cities["id"] if i in result.scores.index]
    pat = development_patterns(result, groups).set_index("id").loc[order].reset_index()
    written.append(write_csv(_rounded(pat, pillars, SCORE_DECIMALS), out_dir / "development_patterns.csv", score_fmt))
    fl = flows(result, tree, groups).set_index("id").loc[order].reset_index()
    written.append(write_csv(_rounded(fl, ["agglomeration", "radiation"], SCORE_DECIMALS), out_dir / "flows.csv", score_fmt))

    written.append(write_csv(result.excluded[["id", "group", "reason"]], out_dir / "excluded.csv"))
    return written
