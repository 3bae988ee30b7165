"""The coverage screen: ≥ 2/3 of the indicators and ≥ 1 indicator per sub-pillar (defaults)."""
import numpy as np
import pandas as pd
import pytest

from gihi.model.metadata import Tree
from gihi.model.method.screen import required_count, screen


def small_tree() -> Tree:
    """6 indicators: S1 = {i1, i2, i3}, S2 = {i4, i5}, S3 = {i6}; one pillar P."""
    pillars = pd.DataFrame({"code": ["P"], "weight": [1.0]})
    subs = pd.DataFrame({"code": ["S1", "S2", "S3"], "pillar": ["P"] * 3, "weight": [1 / 3] * 3})
    ind = pd.DataFrame({
        "code": ["i1", "i2", "i3", "i4", "i5", "i6"],
        "subpillar": ["S1", "S1", "S1", "S2", "S2", "S3"],
        "weight": [1 / 3] * 3 + [0.5] * 2 + [1.0],
        "pillar": ["P"] * 6,
    })
    labels = pd.DataFrame({"name_zh": [], "name_en": []})
    return Tree(pillars, subs, ind, labels)


def frame(rows: dict[str, list]) -> pd.DataFrame:
    return pd.DataFrame.from_dict(rows, orient="index", columns=["i1", "i2", "i3", "i4", "i5", "i6"], dtype=float)


N = np.nan


def test_required_count():
    assert required_count(30, 2 / 3) == 20
    assert required_count(6, 2 / 3) == 4
    assert required_count(5, 2 / 3) == 4  # 3.33 → 4
    assert required_count(30, 0) == 0


def test_default_screen():
    wide = frame({
        "full": [1, 2, 3, 4, 5, 6],
        "four": [1, 2, N, 4, N, 6],      # 4 of 6 = 2/3, every sub-pillar covered: kept
        "two": [N, 2, N, N, N, 6],       # 2 of 6 and S2 empty
        "no_s3": [1, 2, 3, 4, 5, N],     # 5 of 6 but S3 empty
    })
    groups = pd.Series({"full": "main", "four": "main", "two": "main", "no_s3": "mini", "absent": "mini"})
    kept, excluded = screen(wide, small_tree(), groups)
    assert list(kept) == ["full", "four"]
    assert list(excluded.columns) == ["id", "group", "reason"]
    ex = excluded.set_index("id")
    assert list(ex.index) == ["two", "no_s3", "absent"]
    assert ex.loc["no_s3", "group"] == "mini"
    assert "S3" in ex.loc["no_s3", "reason"] and "of 6" not in ex.loc["no_s3", "reason"]
    assert "data for 2 of 6 indicators" in ex.loc["two", "reason"] and "S2" in ex.loc["two", "reason"]
    assert ex.loc["absent", "reason"] == "no data"  # in groups but not in the table


def test_thresholds_are_parameters():
    wide = frame({"four": [1, 2, N, 4, N, 6], "five": [1, 2, N, 4, 5, 6]})
    groups = pd.Series({"four": "main", "five": "main"})
    kept, excluded = screen(wide, small_tree(), groups, min_coverage=0.8)  # needs 5 of 6
    assert list(kept) == ["five"] and list(excluded["id"]) == ["four"]
    kept, _ = screen(wide, small_tree(), groups, min_coverage=0.5, min_per_subpillar=2)  # S3 has 1
    assert list(kept) == []
    with pytest.raises(ValueError):
        screen(wide, small_tree(), groups, min_per_subpillar=0)
    with pytest.raises(ValueError):
        screen(wide, small_tree(), groups, min_coverage=1.5)
