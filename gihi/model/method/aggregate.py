"""Aggregation steps: weighted available-case means and weighted sums, one level of the tree at a time.

* :func:`weighted_mean` — Σ wᵢxᵢ / Σ wᵢ over the values present in each row. With no missing
  value and weights summing to 1 it is the plain weighted sum. A missing value is therefore
  treated as if it equalled the weighted mean of the row's other values (the available-case
  rule used for indicators within a sub-pillar).
* :func:`weighted_sum` — Σ wᵢxᵢ; a row with any missing value gives a missing result (used for
  sub-pillars → pillars → composite, where the screen guarantees completeness).
* :func:`by_parent` — applies one of the two to every parent node of a tree level.
"""
from __future__ import annotations

import numpy as np
import pandas as pd


def _aligned(values: pd.DataFrame, weights: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    weights = pd.Series(weights, dtype=float)
    missing = [c for c in weights.index if c not in values.columns]
    if missing:
        raise KeyError(f"no column for weight(s) {missing}")
    w = weights.to_numpy(float)
    if (w < 0).any() or not np.isfinite(w).all():
        raise ValueError("weights must be finite and non-negative")
    return values[list(weights.index)].to_numpy(float), w


def weighted_mean(values: pd.DataFrame, weights: pd.Series) -> pd.Series:
    """Row-wise Σ wᵢxᵢ / Σ wᵢ over the available xᵢ (weights renormalised per row).

    Only the columns named in ``weights`` are used. A row with no available value is missing.
    """
    x, w = _aligned(values, weights)
    present = ~np.isnan(x)
    num = (np.where(present, x, 0.0) * w).sum(axis=1)
    den = (present * w).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)
    return pd.Series(out, index=values.index)


def weighted_sum(values: pd.DataFrame, weights: pd.Series) -> pd.Series:
    """Row-wise Σ wᵢxᵢ; missing if any of the row's values is missing."""
    x, w = _aligned(values, weights)
    out = (np.where(np.isnan(x), 0.0, x) * w).sum(axis=1)
    return pd.Series(np.where(np.isnan(x).any(axis=1), np.nan, out), index=values.index)


def by_parent(values: pd.DataFrame, nodes: pd.DataFrame, parent: str, how: str = "mean") -> pd.DataFrame:
    """Aggregate child columns into one column per parent.

    ``nodes`` has a ``code`` column (the child column names), a ``weight`` column and a
    ``parent`` column named by the ``parent`` argument; parents keep their order of first
    appearance in ``nodes``. ``how`` is ``"mean"`` (:func:`weighted_mean`) or ``"sum"``
    (:func:`weighted_sum`).
    """
    fn = {"mean": weighted_mean, "sum": weighted_sum}[how]
    out = {}
    for p in pd.unique(nodes[parent]):
        sub = nodes[nodes[parent] == p]
        out[p] = fn(values, pd.Series(sub["weight"].to_numpy(float), index=list(sub["code"])))
    return pd.DataFrame(out, index=values.index)
