"""The 2023 dataset, run through the engine, against the report's published tables.

Expected values come from data/2023/published/ (transcribed from the report),
never from the code under test.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gihi.dataset import load_indicators, to_wide
from gihi.index import compute_index
from gihi.metadata import load_cities, load_tree, name_index
from gihi.paths import DATA_DIR

PUB = DATA_DIR / "2023" / "published"


@pytest.fixture(scope="module")
def result():
    tree = load_tree(DATA_DIR)
    cities = load_cities(DATA_DIR).set_index("id")
    wide = to_wide(load_indicators(DATA_DIR, 2023))
    return compute_index(wide, cities["group"], tree)


def published(name: str) -> pd.DataFrame:
    t = pd.read_csv(PUB / f"{name}.csv")
    t.index = t["name_zh"].map(name_index(DATA_DIR))
    assert t.index.notna().all()
    return t


def max_error(result, table: pd.DataFrame, col: str) -> float:
    return float((result.scores.loc[table.index, col] - table[col]).abs().max())


@pytest.mark.parametrize("col", ["C", "C1", "C2", "C3", "C4"])
def test_ecosystem_table_reproduced(result, col):
    assert max_error(result, published("ecosystem"), col) <= 0.01


@pytest.mark.parametrize("col", ["A2", "A3", "A4", "B1", "B3", "B4"])
def test_subpillars_reproduced(result, col):
    table = published("science" if col[0] == "A" else "highland")
    assert max_error(result, table, col) <= 0.01


def test_stated_values_in_data():
    """Every raw value the report states for a main city is in the data as published."""
    names = name_index(DATA_DIR)
    mains = set(load_cities(DATA_DIR).query("group == 'main'")["id"])
    data = load_indicators(DATA_DIR, 2023)
    data = data.set_index(["id", "code"])["value"]
    sv = pd.read_csv(PUB / "stated_values.csv")
    sv = sv[~sv["unit"].astype(str).str.contains("component")]
    missing = []
    for _, r in sv.iterrows():
        key = (names[r["name_zh"]], r["code"])
        if key[0] not in mains:
            continue  # mini-hubs: see test_mini_table_reproduced
        if key not in data.index or not np.isclose(data[key], float(r["value"]), rtol=0, atol=1e-9):
            missing.append(f"{r['name_zh']} {r['code']} {r['value']} -> {data.get(key)}")
    assert not missing, missing


@pytest.mark.xfail(strict=True, reason="issue 2 open: B2 counts are not yet integer-exact and A1's two anchored "
                   "indicators over-determine its spread; see reconstruction/README.md")
@pytest.mark.parametrize("col", ["composite", "A", "B"])
def test_composite_table_reproduced(result, col):
    t = published("composite")
    assert max_error(result, t, col) <= 0.01
    assert (result.ranks.loc[t.index, col] == t[f"{col}_rank"]).all()


@pytest.mark.xfail(strict=True, reason="issue 2 open: mini-hub data not reconstructed yet")
def test_mini_table_reproduced(result):
    t = pd.read_csv(PUB / "mini.csv")
    t.index = t["name_zh"].map(name_index(DATA_DIR))
    assert max_error(result, t, "composite") <= 0.01
