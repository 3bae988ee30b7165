"""Statistical audit (gihi.analysis.audit): known answers from hand-worked cases, the published ranks and
analytic Sobol' indices — never from the audit's own output."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import factory as F
from gihi.analysis import audit as A
from gihi.core.paths import DATA_DIR

YEAR = 2023
CITIES = DATA_DIR / str(YEAR) / "meta" / "cities.csv"


@pytest.fixture(scope="module")
def cfg(real_edition):
    return A.config(real_edition)


@pytest.fixture(scope="module")
def model(real_edition):
    return A.model(real_edition)


@pytest.fixture(scope="module")
def synthetic_model(synthetic):
    """The audit model of the synthetic edition (tests/factory.py; its audit.yaml: factory.AUDIT)."""
    return A.model(synthetic), A.config(synthetic)


def _published_ranks(file: str) -> pd.Series:
    """Published composite ranks by city id (names mapped with 2023/meta/cities.csv)."""
    pub = pd.read_csv(DATA_DIR / str(YEAR) / "published" / file)
    ids = pd.read_csv(CITIES, dtype=str).set_index("name_zh")["id"]
    return pub.assign(id=pub["name_zh"].map(ids)).set_index("id")["composite_rank"].astype(int)


# ----------------------------------------------------------------- building blocks (hand-worked)

def test_cronbach_alpha_hand_worked():
    # two items: var 5/3 and 4.75/3, total var 6.25 → 2·(1 − 3.25/6.25) = 0.96
    two = pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, 3, 3, 5]})
    assert A.cronbach_alpha(two) == pytest.approx(0.96)
    # three items: variances 5/3, 5/3, 4/3; total 4, 7, 9, 12 → var 34/3 → 1.5·(1 − 14/34) = 15/17
    three = pd.DataFrame({"a": [1, 2, 3, 4], "b": [1, 3, 2, 4], "c": [2, 2, 4, 4]})
    assert A.cronbach_alpha(three) == pytest.approx(15 / 17)
    # incomplete rows are left out; identical items give alpha 1
    assert A.cronbach_alpha(pd.concat([three, pd.DataFrame({"a": [9.0], "b": [np.nan], "c": [1.0]})])) == pytest.approx(15 / 17)
    assert A.cronbach_alpha(pd.DataFrame({"a": [1, 2, 4], "b": [1, 2, 4]})) == pytest.approx(1.0)


def test_rank_and_minmax_normalisation_on_tiny_inputs():
    x = pd.DataFrame({"u": [10, 30, 20, 20, np.nan], "v": [2, 4, 6, 8, 10]})
    r = A.rank_normalise(x, "min")   # COINr n_rank: base::rank(ties.method = "min")
    assert r["u"].tolist()[:4] == [1, 4, 2, 2] and math.isnan(r["u"].iloc[4])
    assert r["v"].tolist() == [1, 2, 3, 4, 5]
    m = A.minmax_normalise(x, 0, 100)
    assert m["u"].tolist()[:4] == pytest.approx([0, 100, 50, 50]) and math.isnan(m["u"].iloc[4])
    assert m["v"].tolist() == pytest.approx([0, 25, 50, 75, 100])


def test_group_mean_imputation_and_choice_mapping():
    x = pd.DataFrame({"u": [1.0, np.nan, 3.0], "v": [np.nan, 5.0, 5.0]})
    assert A.impute_group_mean(x).to_numpy().tolist() == [[1, 5], [2, 5], [3, 5]]
    u = np.array([0, 0.33, 0.34, 0.66, 0.67, 0.999, 1.0])
    assert A.to_choice(u, 3).tolist() == [0, 0, 1, 1, 2, 2, 2]
    assert A.to_choice(np.array([0.49, 0.5, 1.0]), 2).tolist() == [0, 1, 1]


def test_geometric_block_is_the_log_of_the_weighted_geometric_mean():
    n = pd.DataFrame({"I1": [0.0, 1.0, 2.0], "I2": [6.0, 4.0, 2.0], "I3": [5.0, 7.0, 9.0]})
    ind = pd.DataFrame({"code": ["I1", "I2", "I3"], "subpillar": ["S", "S", "T"], "weight": [0.5, 0.5, 1.0]})
    # rescaled to [1, 100]: I1 → 1, 50.5, 100; I2 → 100, 50.5, 1; geometric means √(1·100) = 10, 50.5, 10
    g = A.subpillar_block(n, ind, ["S", "T"], "geometric", (1.0, 100.0))
    assert np.exp(g[:, 0]) == pytest.approx([10, 50.5, 10])
    assert np.exp(g[:, 1]) == pytest.approx([1, 50.5, 100])
    a = A.subpillar_block(n, ind, ["S", "T"], "arithmetic", (1.0, 100.0))
    assert a[:, 0] == pytest.approx([3, 2.5, 2])


def test_weights_renormalise_within_the_pillar(model):
    # Table 1: A1..A4 = 0.3, 0.3, 0.1, 0.3 of A (30 %); B and C sub-pillars 0.25 each of 30 % / 40 %
    nominal = dict(zip(model.subpillars, model.weights(np.ones(12))[0]))
    assert nominal["A1"] == pytest.approx(0.09) and nominal["A3"] == pytest.approx(0.03)
    assert nominal["B2"] == pytest.approx(0.075) and nominal["C4"] == pytest.approx(0.1)
    mult = np.ones(12)
    mult[model.subpillars.index("A3")] = 2.0   # A3 0.1 → 0.2, A total 1.1
    w = dict(zip(model.subpillars, model.weights(mult)[0]))
    assert w["A3"] == pytest.approx(0.3 * 0.2 / 1.1) and w["A1"] == pytest.approx(0.3 * 0.3 / 1.1)
    assert w["B1"] == pytest.approx(0.075) and sum(w.values()) == pytest.approx(1.0)


def test_config_is_validated(cfg):
    assert cfg.runs >= 1000 and cfg.perturbation == 0.25 and cfg.percentiles == (5.0, 95.0)
    assert cfg.options["normalisation"] == ("zscore", "minmax", "rank") and cfg.nominal["aggregation"] == "arithmetic"
    assert A.parse_config(_raw()) == cfg
    with pytest.raises(ValueError, match="nominal"):
        A.parse_config({**_raw(), "missing": {"nominal": "drop", "options": ["available"]}})
    # an unknown option is named, with the entry it is in
    with pytest.raises(ValueError, match=r"normalisation\.options.*'log'"):
        A.parse_config({**_raw(), "normalisation": {**_raw()["normalisation"], "options": ["zscore", "log"]}})


def _raw():
    import yaml
    return yaml.safe_load((DATA_DIR / "meta" / "audit.yaml").read_text(encoding="utf-8"))


# ----------------------------------------------------------------- the model on the 2023 data

def test_zero_perturbation_with_nominal_assumptions_reproduces_the_published_ranks(model, cfg):
    mult, _ = A.monte_carlo_design(model, cfg, runs=3, perturbation=0.0)
    assert (mult == 1).all()
    choice = np.tile(model.nominal_choice, (3, 1))
    ranks = model.simulate(mult, choice)
    for group, file in (("main", "composite.csv"), ("mini", "mini.csv")):
        pub = _published_ranks(file)
        got = pd.Series(ranks[group][:, 0], index=model.groups[group].ids)
        assert len(pub) >= 11
        assert got.reindex(pub.index).tolist() == pub.tolist(), group
        assert (ranks[group] == ranks[group][:, [0]]).all()


def test_monte_carlo_is_deterministic_and_seeded(synthetic_model):
    model, cfg = synthetic_model
    a = model.simulate(*A.monte_carlo_design(model, cfg, runs=200, seed=7))
    b = model.simulate(*A.monte_carlo_design(model, cfg, runs=200, seed=7))
    c = model.simulate(*A.monte_carlo_design(model, cfg, runs=200, seed=8))
    assert all(np.array_equal(a[g], b[g]) for g in a)
    assert not np.array_equal(a["main"], c["main"])
    m1, ch1 = A.monte_carlo_design(model, cfg, runs=50)
    assert (m1 >= 0.75).all() and (m1 <= 1.25).all() and set(np.unique(ch1[:, 0])) <= {0, 1, 2}
    assert m1.shape == (50, 6) and ch1.shape == (50, 3)          # 6 sub-pillars, 3 discrete assumptions


def test_weights_of_the_synthetic_tree(synthetic_model):
    """Sub-pillar weights in the composite, by hand from factory.TREE: A1 = 0.5 · 0.3 = 0.15, B1 = 0.4 · 0.3,
    C1 = 0.5 · 0.4; doubling B1's multiplier gives B1 0.8/1.4 of B."""
    model, _ = synthetic_model
    assert model.subpillars == ["A1", "A2", "B1", "B2", "C1", "C2"]
    nominal = dict(zip(model.subpillars, model.weights(np.ones(6))[0]))
    assert nominal == pytest.approx({"A1": 0.15, "A2": 0.15, "B1": 0.12, "B2": 0.18, "C1": 0.2, "C2": 0.2})
    mult = np.ones(6)
    mult[2] = 2.0
    w = dict(zip(model.subpillars, model.weights(mult)[0]))
    assert w["B1"] == pytest.approx(0.3 * 0.8 / 1.4) and w["B2"] == pytest.approx(0.3 * 0.6 / 1.4)
    assert w["A1"] == pytest.approx(0.15) and sum(w.values()) == pytest.approx(1.0)


def test_zero_perturbation_reproduces_the_engines_ranks_on_a_synthetic_edition(synthetic, synthetic_model):
    model, cfg = synthetic_model
    mult, _ = A.monte_carlo_design(model, cfg, runs=2, perturbation=0.0)
    ranks = model.simulate(mult, np.tile(model.nominal_choice, (2, 1)))
    for g in ("main", "mini"):
        got = pd.Series(ranks[g][:, 0], index=model.groups[g].ids)
        assert got.tolist() == synthetic.index.ranks.loc[got.index, "composite"].astype(int).tolist()


def test_uncertainty_and_sensitivity_frames_on_a_synthetic_edition(synthetic):
    ed = synthetic
    u = A.uncertainty_frame(ed)
    cities = pd.read_csv(ed.root / str(F.YEAR) / "meta" / "cities.csv", dtype=str)
    assert list(u.columns) == A.UNCERTAINTY_COLUMNS and len(u) == len(cities)
    assert u["group"].tolist() == ["main"] * 10 + ["mini"] * 3
    assert (u["p05_rank"] <= u["median_rank"]).all() and (u["median_rank"] <= u["p95_rank"]).all()
    assert u.loc[u["group"] == "main", "p95_rank"].max() <= 10 and u.loc[u["group"] == "mini", "p95_rank"].max() <= 3
    assert [str(t) for t in u.dtypes[4:]] == ["Int64"] * 4
    s = A.sensitivity_frame(ed)
    assert set(s["factor"]) == set(A.ASSUMPTIONS) and set(s["group"]) == {"main", "mini"}
    assert (s["n_runs"] == F.AUDIT["sensitivity"]["base_samples"] * (len(A.ASSUMPTIONS) + 2)).all()
    summary = A.sobol_output_summary(ed)
    assert set(summary) == {"main", "mini"} and all(0 <= v["mean"] <= v["max"] for v in summary.values())


def test_rank_intervals_use_observed_ranks():
    ranks = np.array([[1] * 10, list(range(1, 11))])
    q = A.rank_intervals(ranks, (5, 95), "inverted_cdf")
    assert q["median_rank"].tolist() == [1, 5] and q["p05_rank"].tolist() == [1, 1] and q["p95_rank"].tolist() == [1, 10]


def test_uncertainty_frame_shape_and_order(real_edition):
    u = A.uncertainty_frame(real_edition)
    cities = pd.read_csv(CITIES, dtype=str)
    assert list(u.columns) == ["id", "name_zh", "name_en", "group", "rank", "median_rank", "p05_rank", "p95_rank"]
    assert len(u) == 119 and set(u["id"]) == set(cities["id"]) and not u["id"].duplicated().any()
    assert (u["p05_rank"] <= u["median_rank"]).all() and (u["median_rank"] <= u["p95_rank"]).all()
    main = u[u["group"] == "main"]
    assert main["rank"].tolist() == sorted(main["rank"]) and main["p95_rank"].max() <= 108
    pub = _published_ranks("composite.csv")
    assert main.set_index("id")["rank"].reindex(pub.index).tolist() == pub.tolist()
    u.loc[0, "rank"] = 999   # the cached frame is not modified through the copy
    assert A.uncertainty_frame(real_edition).loc[0, "rank"] == 1


# ----------------------------------------------------------------- Sobol' indices

def test_sobol_indices_of_an_additive_model_and_a_dummy_factor():
    problem = {"num_vars": 4, "names": ["x1", "x2", "x3", "d"], "bounds": [[0, 1]] * 4,
               "groups": ["g", "g", "h", "dummy"]}

    def evaluate(x):
        # Var(x1 + x2) = 2/12, Var(2·x3) = 4/12 → S_g = 1/3, S_h = 2/3; d has no effect
        return {"y": x[:, 0] + x[:, 1] + 2 * x[:, 2]}

    s = A.sobol_indices(problem, evaluate, 512, seed=3).set_index("factor")
    assert list(s.index) == ["g", "h", "dummy"] and (s["n_runs"] == 512 * 5).all()
    assert s.loc["g", "S1"] == pytest.approx(1 / 3, abs=0.06) and s.loc["h", "ST"] == pytest.approx(2 / 3, abs=0.06)
    assert abs(s.loc["dummy", "S1"]) < 1e-12 and abs(s.loc["dummy", "ST"]) < 1e-12


def test_missing_value_treatment_is_inert_on_complete_data(real_edition, cfg):
    raw = pd.read_csv(DATA_DIR / str(YEAR) / "indicators.csv")
    assert raw["value"].notna().all()   # the 2023 table has no gaps …
    s = A.sensitivity_frame(real_edition)
    miss = s[s["factor"] == "missing"]
    assert len(miss) == 2 and (miss[["S1", "ST"]].abs() < 1e-12).all().all()   # … so the treatment moves nothing
    assert (s["n_runs"] == cfg.sobol_n * (len(A.ASSUMPTIONS) + 2)).all() and s["n_runs"].iloc[0] <= 5000
    assert set(s["factor"]) == {"weights", "normalisation", "aggregation", "missing"}


# ----------------------------------------------------------------- internal consistency

@pytest.mark.parametrize("which, codes", [("real_edition", ("I01", "I15", "I27")), ("synthetic", ("I01", "I05", "I09"))])
def test_consistency_matches_numpy_and_an_independent_alpha(which, codes, request):
    ed = request.getfixturevalue(which)
    cfg = A.config(ed)
    c = A.consistency(ed)
    ids = ed.scores.index[ed.scores["group"] == "main"]
    z, pil = ed.index.z.loc[ids], ed.index.pillar_z.loc[ids]
    ind = c["indicators"].set_index("code")
    for code in codes:                     # one indicator of each pillar
        p = ind.loc[code, "pillar"]
        assert ind.loc[code, "r_pillar"] == pytest.approx(np.corrcoef(z[code], pil[p])[0, 1])
    # alpha from the covariance matrix: k/(k − 1) · (1 − trace(C) / sum(C))
    codes = [k for k in ind.index if ind.loc[k, "pillar"] == "C"]
    cov = np.cov(z[codes].to_numpy(), rowvar=False)
    k = len(codes)
    alpha = k / (k - 1) * (1 - np.trace(cov) / cov.sum())
    assert c["pillars"].set_index("code").loc["C", "alpha"] == pytest.approx(alpha)
    flagged = ind.index[ind["flag"] != ""].tolist()
    expected = [k for k in ind.index if ind.loc[k, "r_pillar"] < cfg.weak_threshold]
    assert flagged == expected
