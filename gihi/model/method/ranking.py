"""Ranking step."""
from __future__ import annotations

import pandas as pd


def rank_desc(scores: pd.Series | pd.DataFrame) -> pd.Series | pd.DataFrame:
    """Rank by descending score: 1 = highest. Ties share the smallest rank ("min": 1, 2, 2, 4).

    Ranks are taken on the full-precision scores (not on rounded ones). Missing scores get a
    missing rank. Works column by column on a DataFrame; the result has dtype ``Int64``.
    """
    return scores.rank(method="min", ascending=False, na_option="keep").astype("Int64")
