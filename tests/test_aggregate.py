"""Weighted available-case means and weighted sums, by hand."""
import numpy as np
import pandas as pd
import pytest

from gihi.model.method.aggregate import by_parent, weighted_mean, weighted_sum

X = pd.DataFrame(
    {"a": [1.0, 2.0, np.nan, np.nan], "b": [4.0, np.nan, 3.0, np.nan], "c": [7.0, 8.0, 9.0, 5.0]},
    index=["p", "q", "r", "s"],
)


def test_weighted_mean_complete_row():
    w = pd.Series({"a": 2.0, "b": 1.0})
    # p: (2·1 + 1·4)/3 = 2
    assert weighted_mean(X, w)["p"] == pytest.approx(2.0)


def test_weighted_mean_renormalises_over_available():
    w = pd.Series({"a": 2.0, "b": 1.0})
    m = weighted_mean(X, w)
    assert m["q"] == pytest.approx(2.0)  # only a: 2·2/2
    assert m["r"] == pytest.approx(3.0)  # only b: 1·3/1
    assert np.isnan(m["s"])  # nothing available


def test_weighted_mean_equals_imputing_mean_of_others():
    # three columns, q misses b; mean over available (a, c) with weights 1, 1 = (2 + 8)/2 = 5;
    # imputing b by that mean and averaging all three gives (2 + 5 + 8)/3 = 5 as well
    w = pd.Series({"a": 1.0, "b": 1.0, "c": 1.0})
    assert weighted_mean(X, w)["q"] == pytest.approx(5.0)
    filled = X.loc[["q"]].fillna({"b": 5.0})
    assert weighted_mean(filled, w)["q"] == pytest.approx(5.0)


def test_weighted_sum_propagates_missing():
    w = pd.Series({"a": 0.25, "c": 0.75})
    s = weighted_sum(X, w)
    assert s["p"] == pytest.approx(0.25 * 1 + 0.75 * 7)  # 5.5
    assert s["q"] == pytest.approx(0.5 + 6.0)
    assert np.isnan(s["r"]) and np.isnan(s["s"])


def test_unknown_column_and_negative_weight():
    with pytest.raises(KeyError):
        weighted_mean(X, pd.Series({"zz": 1.0}))
    with pytest.raises(ValueError):
        weighted_sum(X, pd.Series({"a": -1.0}))


def test_by_parent():
    nodes = pd.DataFrame({"code": ["a", "b", "c"], "sub": ["S2", "S2", "S1"], "weight": [0.5, 0.5, 1.0]})
    out = by_parent(X, nodes, "sub", how="mean")
    assert list(out.columns) == ["S2", "S1"]  # order of first appearance
    assert out.loc["p", "S2"] == pytest.approx(2.5)
    assert out.loc["q", "S2"] == pytest.approx(2.0)
    assert out.loc["s", "S1"] == pytest.approx(5.0)
    assert np.isnan(by_parent(X, nodes, "sub", how="sum").loc["q", "S2"])
