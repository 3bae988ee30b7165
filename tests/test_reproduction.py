"""The 2023 dataset, run through the engine, against the report's published tables.

Expected values come from data/2023/published/ (transcribed from the report),
never from the code under test.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gihi.model.dataset import to_wide
from gihi.core.paths import DATA_DIR

PUB = DATA_DIR / "2023" / "published"


@pytest.fixture(scope="module")
def result(real_edition):
    """The index of the 2023 edition (conftest.py: ``open_edition(2023)``, opened once per session)."""
    return real_edition.index


@pytest.fixture(scope="module")
def names() -> dict[str, str]:
    """Every Chinese spelling of a city → its id, read here from 2023/meta/cities.csv and
    meta/city_aliases.csv."""
    cities = pd.read_csv(DATA_DIR / "2023" / "meta" / "cities.csv", dtype=str)
    aliases = pd.read_csv(DATA_DIR / "meta" / "city_aliases.csv", dtype=str)
    return {**dict(zip(cities["name_zh"], cities["id"])), **dict(zip(aliases["alias"], aliases["city_id"]))}


@pytest.fixture(scope="module")
def data(real_edition) -> pd.DataFrame:
    """The edition's long values (id, code, value, provenance, note)."""
    return real_edition.long


def published(name: str, names: dict[str, str]) -> pd.DataFrame:
    t = pd.read_csv(PUB / f"{name}.csv")
    t.index = t["name_zh"].map(names)
    assert t.index.notna().all()
    return t


def test_the_editions_name_index_is_the_files(real_edition, names):
    assert real_edition.name_index() == names


def max_error(result, table: pd.DataFrame, col: str) -> float:
    return float((result.scores.loc[table.index, col] - table[col]).abs().max())


PILLAR_TABLES = {"A": "science", "B": "highland", "C": "ecosystem"}


@pytest.mark.parametrize("pillar", ["A", "B", "C"])
def test_pillar_table_reproduced(result, names, pillar):
    """Tables 5, 8, 10: every printed pillar and sub-pillar cell within ±0.01, every rank exact."""
    t = published(PILLAR_TABLES[pillar], names)
    for col in [pillar] + [f"{pillar}{i}" for i in range(1, 5)]:
        assert max_error(result, t, col) <= 0.01, col
    assert (result.ranks.loc[t.index, pillar] == t["rank"]).all()


def test_stated_values_in_data(real_edition, names, data):
    """Every raw value the report states for a main city is in the data as published."""
    mains = set(real_edition.cities.query("group == 'main'")["id"])
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


@pytest.mark.parametrize("col", ["composite", "A", "B", "C"])
def test_composite_table_reproduced(result, names, col):
    """Table 2: every printed score within ±0.01 and every rank exact (ranks 101–108 included)."""
    t = published("composite", names)
    assert max_error(result, t, col) <= 0.01
    assert (result.ranks.loc[t.index, col] == t[f"{col}_rank"]).all()


def test_mini_table_reproduced(result, names):
    """Table 4: mini-hubs scored and ranked as their own group."""
    t = published("mini", names)
    for col in ["composite", "A", "B", "C"]:
        assert max_error(result, t, col) <= 0.01, col
        assert (result.ranks.loc[t.index, col] == t[f"{col}_rank"]).all(), col


def test_mini_stated_values(data):
    data = data.set_index(["id", "code"])
    assert data.loc[("cambridge", "I02"), "value"] == 10          # §2.3: 10 laureates
    assert data.loc[("cambridge", "I02"), "provenance"] == "published"
    # §2.3: about 30,000 active researchers in a city of about 100,000 -> ~300,000 per million
    assert data.loc[("ithaca", "I01"), "value"] == 300000
    assert data.loc[("ithaca", "I01"), "provenance"] == "derived"


def test_every_value_has_provenance(data):
    assert len(data) == 119 * 30
    assert set(data["provenance"].astype(str)) <= {"published", "derived", "imputed"}
    assert data["value"].notna().all()


@pytest.mark.parametrize("code,total", [("I03", 134), ("I04", 150), ("I11", 1847), ("I12", 1373)])
def test_stated_totals(data, code, total):
    """§1.3: the 119 cities hold 134 leading universities, 150 top-200 institutions,
    1,847 innovation-leading firms and 1,373 unicorns."""
    assert data.loc[data["code"] == code, "value"].sum() == total


STATED_RANKS = [  # §4.3, ranks among the 119 cities
    ("I11", "san-francisco-san-jose", 1), ("I11", "beijing", 3), ("I11", "shanghai", 7),
    ("I11", "greater-bay-area", 4), ("I11", "hangzhou", 8), ("I11", "bengaluru", 78),
    ("I12", "san-francisco-san-jose", 1), ("I12", "new-york", 2), ("I12", "beijing", 3), ("I12", "bengaluru", 9),
]


@pytest.fixture(scope="module")
def indicator_ranks(data):
    return to_wide(data).rank(ascending=False, method="min")


@pytest.mark.parametrize("code,city,rank", STATED_RANKS)
def test_stated_indicator_ranks(indicator_ranks, code, city, rank):
    assert indicator_ranks.loc[city, code] == rank


# Figure 3 (§1 summary): "London, Tokyo, Baltimore–Washington, Paris and Seoul radiate more than
# they agglomerate; Boston, Shanghai, Singapore and others agglomerate more than they radiate."
FLOW_SIDES = [("london", "radiation"), ("tokyo", "radiation"), ("baltimore-washington", "radiation"),
              ("paris", "radiation"), ("seoul", "radiation"), ("boston", "agglomeration"),
              ("shanghai", "agglomeration"),
              pytest.param("singapore", "agglomeration", marks=pytest.mark.xfail(
                  strict=True, reason="known limit: the reconstruction does not constrain Appendix 7's "
                                      "flow scores; Singapore radiates more (reconstruction/README.md)"))]


@pytest.mark.parametrize("city,stronger", FLOW_SIDES)
def test_figure3_agglomeration_versus_radiation(real_edition, city, stronger):
    f = real_edition.flows.loc[city]
    weaker = "agglomeration" if stronger == "radiation" else "radiation"
    assert f[stronger] > f[weaker]
