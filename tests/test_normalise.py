"""z-scores (sample std) and min–max scores, checked against hand-computed values."""
import math

import numpy as np
import pandas as pd
import pytest

from gihi.model.method.normalise import minmax_score, zscore


def test_zscore_sample_std_by_hand():
    # mean 7, deviations (3, -1, -1, -1), sum of squares 12, sample variance 12/3 = 4, std 2
    z = zscore(pd.Series([10.0, 6.0, 6.0, 6.0]))
    assert z.tolist() == [1.5, -0.5, -0.5, -0.5]


def test_zscore_ddof0_differs():
    # population variance 12/4 = 3
    z = zscore(pd.Series([10.0, 6.0, 6.0, 6.0]), ddof=0)
    assert z.iloc[0] == pytest.approx(3 / math.sqrt(3))


def test_zscore_ignores_missing():
    # available 15, 3, 15: mean 11, deviations (4, -8, 4), variance 96/2 = 48, std 4·√3
    z = zscore(pd.Series([15.0, 3.0, 15.0, np.nan]))
    s3 = math.sqrt(3)
    assert z.iloc[:3].tolist() == pytest.approx([1 / s3, -2 / s3, 1 / s3])
    assert np.isnan(z.iloc[3])


def test_zscore_columnwise_and_degenerate_columns():
    df = pd.DataFrame({
        "a": [10.0, 6.0, 6.0, 6.0],
        "const": [4.0, 4.0, np.nan, 4.0],    # no spread: z = 0 where present
        "single": [np.nan, 2.0, np.nan, np.nan],  # std undefined: z = 0 where present
        "empty": [np.nan] * 4,
    })
    z = zscore(df)
    assert z["a"].tolist() == [1.5, -0.5, -0.5, -0.5]
    assert z["const"].fillna(-9).tolist() == [0.0, 0.0, -9, 0.0]
    assert z["single"].fillna(-9).tolist() == [-9, 0.0, -9, -9]
    assert z["empty"].isna().all()


def test_minmax_by_hand():
    # min -5/6, max 7/6, span 2: 60 + 40·(z + 5/6)/2
    s = minmax_score(pd.Series([7 / 6, -5 / 6, 1 / 6, -1 / 2]))
    assert s.tolist() == pytest.approx([100.0, 60.0, 80.0, 200 / 3])
    assert s.iloc[0] == 100.0 and s.iloc[1] == 60.0  # exact extremes


def test_minmax_other_range_missing_and_flat():
    df = pd.DataFrame({"x": [0.0, 1.0, np.nan, 4.0], "flat": [2.0, 2.0, 2.0, np.nan]})
    s = minmax_score(df, lo=0, hi=100)
    assert s["x"].iloc[[0, 1, 3]].tolist() == [0.0, 25.0, 100.0]
    assert np.isnan(s["x"].iloc[2])
    assert s["flat"].iloc[:3].tolist() == [100.0, 100.0, 100.0]  # no spread: all tied first
    assert np.isnan(s["flat"].iloc[3])
