"""Normalisation steps (GIHI 2023, Appendix 3): z-scores and min–max scaling to a score range.

Both functions work column by column on a DataFrame (or on one Series) and ignore missing
values: a missing input gives a missing output, and the statistics (mean, standard deviation,
minimum, maximum) are taken over the values that are present.
"""
from __future__ import annotations

import numpy as np
import pandas as pd


def zscore(x: pd.DataFrame | pd.Series, ddof: int = 1) -> pd.DataFrame | pd.Series:
    """(x − mean) / std over the available values of each column.

    ``ddof=1`` (sample standard deviation) is the default, as in R's ``sd()`` and COINr. A column
    whose available values are all equal (std 0), or that has a single available value (std
    undefined), carries no information about differences between cities: every available value
    gets z = 0 (each city sits at the mean). A column with no value stays all-missing.
    """
    if isinstance(x, pd.Series):
        return zscore(x.to_frame(), ddof=ddof).iloc[:, 0]
    x = x.astype(float)
    mean = x.mean(skipna=True)
    std = x.std(ddof=ddof, skipna=True)
    degenerate = ~(std > 0)  # 0, or NaN when fewer than ddof + 1 values
    z = (x - mean) / std.where(~degenerate, 1.0)
    z.loc[:, degenerate] = z.loc[:, degenerate].where(x.loc[:, degenerate].isna(), 0.0)
    return z


def minmax_score(z: pd.DataFrame | pd.Series, lo: float = 60.0, hi: float = 100.0) -> pd.DataFrame | pd.Series:
    """Map each column linearly onto [lo, hi]: lo + (hi − lo)·(z − min)/(max − min).

    The city with the column's maximum gets exactly ``hi`` and the one with its minimum exactly
    ``lo``. If all available values are equal (including a single city) there is no spread to
    scale; every city is then tied first and gets ``hi``.
    """
    if isinstance(z, pd.Series):
        return minmax_score(z.to_frame(), lo=lo, hi=hi).iloc[:, 0]
    z = z.astype(float)
    zmin = z.min(skipna=True)
    zmax = z.max(skipna=True)
    span = zmax - zmin
    flat = ~(span > 0)
    x = (z - zmin) / span.where(~flat, 1.0)
    x.loc[:, flat] = x.loc[:, flat].where(z.loc[:, flat].isna(), 1.0)
    out = lo + (hi - lo) * x
    return out.where(z.notna(), np.nan)
