"""Derived views of the index: development patterns (Appendix 6) and agglomeration vs radiation
(Appendix 7). Both are computed per group (main, mini) from the z-scores of :class:`IndexResult`.

* **Development patterns** — the pillar Z scores (A, B, C) of the group's cities are min–max
  normalised *jointly* (one minimum and one maximum over all three pillars) to [0, 100], so the
  three pillar scores of a city are comparable with each other.
* **Agglomeration and radiation** — the agglomeration Z of a city is the plain mean of its
  available indicator z-scores over the indicators whose ``flow`` (``meta/indicators.csv``) is
  ``agglomeration``; likewise for ``radiation``. The two are then min–max normalised jointly to
  [0, 100]. Appendix 7 says "14 agglomeration indicators" when averaging but lists 12 (01–04, 09–12,
  19, 21, 22, 28); the list — i.e. the ``flow`` column — is followed. The 8 radiation indicators
  are 05, 07, 08, 17, 18, 20, 24, 26.
"""
from __future__ import annotations

import pandas as pd

from gihi.model.metadata import Tree
from gihi.model.method.normalise import minmax_score

FLOWS = ("agglomeration", "radiation")


def _joint_minmax(frame: pd.DataFrame, lo: float, hi: float) -> pd.DataFrame:
    """One min and one max over all cells of ``frame``."""
    cols = list(frame.columns)
    stacked = pd.concat([frame[c].astype(float) for c in cols], keys=range(len(cols)))
    scaled = minmax_score(stacked, lo=lo, hi=hi)
    return pd.DataFrame({c: scaled.loc[k] for k, c in enumerate(cols)}, index=frame.index)


def _per_group(frame: pd.DataFrame, groups: pd.Series, lo: float, hi: float) -> pd.DataFrame:
    g = groups.reindex(frame.index)
    if g.isna().any():
        raise ValueError(f"no group for city id(s) {list(frame.index[g.isna()])}")
    parts = [_joint_minmax(frame.loc[g == name], lo, hi) for name in pd.unique(g)]
    out = pd.concat(parts).reindex(frame.index) if parts else frame.copy()
    out.insert(0, "group", g)
    out.index.name = "id"
    return out.reset_index()


def development_patterns(result, groups: pd.Series, lo: float = 0.0, hi: float = 100.0) -> pd.DataFrame:
    """Columns ``id, group`` and one per pillar (A, B, C): jointly min–max scaled pillar Z, per group."""
    return _per_group(result.pillar_z, groups, lo, hi)


def flow_z(result, tree: Tree) -> pd.DataFrame:
    """Agglomeration and radiation Z: mean of the available z-scores of each flow's indicators."""
    if "flow" not in tree.indicators.columns:
        raise KeyError("meta/indicators.csv has no 'flow' column")
    out = {}
    for f in FLOWS:
        codes = list(tree.indicators.loc[tree.indicators["flow"] == f, "code"])
        if not codes:
            raise ValueError(f"no indicator has flow {f!r} in meta/indicators.csv")
        out[f] = result.z[codes].mean(axis=1, skipna=True)
    return pd.DataFrame(out, index=result.z.index)


def flows(result, tree: Tree, groups: pd.Series, lo: float = 0.0, hi: float = 100.0) -> pd.DataFrame:
    """Columns ``id, group, agglomeration, radiation``: jointly min–max scaled flow Z, per group."""
    return _per_group(flow_z(result, tree), groups, lo, hi)
