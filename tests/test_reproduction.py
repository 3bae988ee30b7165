"""The 2023 dataset, run through the engine, against an independent implementation of the method
(tests/oracle.py) and the report's published tables.

* The oracle (plain numpy on the raw files, no code shared with ``gihi``) computes every level's
  score and rank; the engine (``ed.scores``) must agree cell by cell (scores within 1e-9, ranks
  exactly) for every scored city and level.
* The published tables (data/2023/published/{composite,science,highland,ecosystem,mini}.csv,
  transcribed from the report, never from the code under test) are compared with the oracle:
  every published rank exactly, and every score **as printed** — the oracle's score rounded half
  up to two decimals must be the published string (1 944 cells).
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd
import pytest

import oracle
from gihi.core.paths import DATA_DIR

YEAR = 2023
PUB = DATA_DIR / str(YEAR) / "published"


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


@pytest.fixture(scope="module")
def expected() -> tuple[dict, dict]:
    """``(scores, ranks)`` of the oracle: ``{level: {city id: value}}``, from the raw files."""
    return oracle.scores(DATA_DIR, YEAR), oracle.ranks(DATA_DIR, YEAR)


def published(name: str, names: dict[str, str]) -> pd.DataFrame:
    """A published table as printed (every cell a string), indexed by city id."""
    t = pd.read_csv(PUB / f"{name}.csv", dtype=str, keep_default_na=False)
    t.index = t["name_zh"].map(names)
    assert t.index.notna().all(), list(t.loc[t.index.isna(), "name_zh"])
    assert t.index.is_unique
    return t


def printed(x: float) -> str:
    """A score as the report prints it: rounded half up to two decimals."""
    return str(Decimal(repr(float(x))).quantize(Decimal("0.01"), ROUND_HALF_UP))


def test_printed_rounds_half_up():
    assert [printed(x) for x in (94.655, 60.0, 100, 82.114999, 66.205)] == ["94.66", "60.00", "100.00", "82.11", "66.21"]


def test_the_editions_name_index_is_the_files(real_edition, names):
    assert real_edition.name_index() == names


# --------------------------------------------------------------------------- engine = oracle

def test_engine_scores_equal_the_oracle(real_edition, expected):
    """Every level (composite, pillars, sub-pillars) of every scored city, within 1e-9."""
    scores, _ = expected
    engine = real_edition.scores
    assert set(scores) == {"composite", "A", "B", "C", *(f"{p}{i}" for p in "ABC" for i in range(1, 5))}
    for level, by_city in scores.items():
        assert set(by_city) == set(engine.index), level
        want = pd.Series(by_city).reindex(engine.index)
        diff = (engine[level].astype(float) - want).abs()
        assert diff.max() <= 1e-9, f"{level}: {diff.idxmax()} differs by {diff.max():.3g}"


def test_engine_ranks_equal_the_oracle(real_edition, expected):
    _, ranks = expected
    engine = real_edition.scores
    for level, by_city in ranks.items():
        want = pd.Series(by_city).reindex(engine.index)
        got = engine[f"{level}_rank"].astype(int)
        bad = got[got != want]
        assert bad.empty, f"{level}: " + ", ".join(f"{i} engine {got[i]} oracle {want[i]}" for i in bad.index)


# --------------------------------------------------------------------------- oracle = published

# table → (the score columns, {rank column: level})
TABLES = {
    "composite": (["composite", "A", "B", "C"], {f"{c}_rank": c for c in ("composite", "A", "B", "C")}),  # Table 2
    "science": (["A", "A1", "A2", "A3", "A4"], {"rank": "A"}),                                              # Table 5
    "highland": (["B", "B1", "B2", "B3", "B4"], {"rank": "B"}),                                             # Table 8
    "ecosystem": (["C", "C1", "C2", "C3", "C4"], {"rank": "C"}),                                            # Table 10
    "mini": (["composite", "A", "B", "C"], {f"{c}_rank": c for c in ("composite", "A", "B", "C")}),       # Table 4
}

def test_the_tables_hold_1944_printed_scores(names):
    assert sum(len(published(t, names)) * len(cols) for t, (cols, _) in TABLES.items()) == 1944


@pytest.mark.parametrize("table", list(TABLES))
def test_published_ranks_equal_the_oracle(table, names, expected):
    """Tables 2, 4, 5, 8, 10: every printed rank (ranks 101–108 of Table 2 and the mini list included)."""
    _, ranks = expected
    t = published(table, names)
    bad = [f"{t.at[i, 'name_zh']} {col}: printed {t.at[i, col]}, oracle {ranks[level][i]}"
           for col, level in TABLES[table][1].items() for i in t.index if int(t.at[i, col]) != ranks[level][i]]
    assert not bad, bad


@pytest.mark.parametrize("table", list(TABLES))
def test_published_scores_print_exactly(table, names, expected):
    """Every printed score is the oracle's score rounded half up to two decimals, string for string."""
    scores, _ = expected
    t = published(table, names)
    bad = [f"{t.at[i, 'name_zh']} {col}: printed {t.at[i, col]}, oracle {scores[col][i]!r} -> {printed(scores[col][i])}"
           for col in TABLES[table][0] for i in t.index if printed(scores[col][i]) != t.at[i, col]]
    assert not bad, f"{len(bad)} cell(s) off: {bad}"


def test_seattle_and_bengaluru_b2_print_apart(data, names):
    """The pair the annealing once gave both (Bengaluru's stated 2 leading firms and 36 unicorns)
    printed Seattle's B2 as 62.83; Seattle's counts are now its own and Table 8's 62.82 / 62.83 hold."""
    d = data.set_index(["id", "code"])
    pair = lambda c: tuple(d.loc[(c, code), "value"] for code in ("I11", "I12"))  # noqa: E731
    assert pair("bengaluru") == (2, 36) and pair("seattle-tacoma-bellevue") != pair("bengaluru")
    t = published("highland", names)
    assert (t.at["seattle-tacoma-bellevue", "B2"], t.at["bengaluru", "B2"]) == ("62.82", "62.83")


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
            continue  # mini-hubs: see test_mini_stated_values
        if key not in data.index or not np.isclose(data[key], float(r["value"]), rtol=0, atol=1e-9):
            missing.append(f"{r['name_zh']} {r['code']} {r['value']} -> {data.get(key)}")
    assert not missing, missing


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
