"""The index engine on a hand-computed example, plus properties on random data.

The small example: 4 main cities (aa, bb, cc, dd) and 2 mini-hubs (m1, m2); a 2-pillar tree

    A (weight 2 → 0.4): A1 (1) = {I1 (1), I2 (1)}
    B (weight 3 → 0.6): B1 (1 → 1/4) = {I3}, B2 (3 → 3/4) = {I4 (2 → 2/3), I5 (1 → 1/3)}

Raw values were chosen so that every z-score is a simple fraction (sample std, ddof = 1):

    I1 = 10, 6, 6, 6     mean 7,  deviations ( 3, -1, -1, -1), SS 12,  std 2
         z = 3/2, -1/2, -1/2, -1/2
    I2 = 15, 3, 15, 7    mean 10, deviations ( 5, -7,  5, -3), SS 108, std 6
         z = 5/6, -7/6, 5/6, -1/2
    I3 = 2, 2, 2, 6      mean 3,  deviations (-1, -1, -1,  3), std 2
         z = -1/2, -1/2, -1/2, 3/2
    I4 = 15, 27, 23, 15  mean 20, deviations (-5,  7,  3, -5), SS 108, std 6
         z = -5/6, 7/6, 1/2, -5/6
    I5 = 4, 4, 0, 4      mean 3,  deviations ( 1,  1, -3,  1), std 2
         z = 1/2, 1/2, -3/2, 1/2

Sub-pillars:
    A1 = (I1 + I2)/2       = 7/6, -5/6, 1/6, -1/2
    B1 = I3                = -1/2, -1/2, -1/2, 3/2
    B2 = 2/3·I4 + 1/3·I5   = -7/18, 17/18, -1/6, -7/18
Pillars:
    A = A1                 = 7/6, -5/6, 1/6, -1/2
    B = 1/4·B1 + 3/4·B2    = -5/12, 7/12, -1/4, 1/12
Composite = 0.4·A + 0.6·B  = 13/60, 1/60, -5/60, -9/60
    (= Σ composite weight × z with weights I1 .2, I2 .2, I3 .15, I4 .3, I5 .15)
Scores 60 + 40·(Z − min)/(max − min):
    A1, A:  span 2     → 100, 60, 80, 200/3
    B1:     span 2     → 60, 60, 60, 100
    B2:     span 24/18 → 60, 100, 60 + 40·(4/24) = 200/3, 60
    B:      span 1     → 60, 100, 60 + 40·(2/12) = 200/3, 60 + 40·(6/12) = 80
    composite: span 22/60 → 100, 60 + 40·10/22 = 60 + 200/11, 60 + 40·4/22 = 60 + 80/11, 60
Mini-hubs: m1 has 5 and m2 has 1 on every indicator → m1 100, m2 60 everywhere.
"""
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import factory as F
from gihi.model.dataset import load_indicators, to_wide
from gihi.model.method.index import compute_index
from gihi.model.metadata import load_cities, load_tree

ROOT = Path(__file__).resolve().parents[1]

TREE_CSV = """code,level,parent,name_zh,name_en,weight
GIHI,index,,指数,Index,1
A,pillar,GIHI,甲,Alpha,2
B,pillar,GIHI,乙,Beta,3
A1,subpillar,A,甲一,Alpha one,1
B1,subpillar,B,乙一,Beta one,1
B2,subpillar,B,乙二,Beta two,3
"""
INDICATORS_CSV = """code,number,subpillar,weight,name_zh,name_en,flow
I1,1,A1,1,一,One,agglomeration
I2,2,A1,1,二,Two,agglomeration
I3,3,B1,1,三,Three,radiation
I4,4,B2,2,四,Four,radiation
I5,5,B2,1,五,Five,
"""
CITIES = ["aa", "bb", "cc", "dd", "m1", "m2"]
RAW = {
    "aa": [10, 15, 2, 15, 4],
    "bb": [6, 3, 2, 27, 4],
    "cc": [6, 15, 2, 23, 0],
    "dd": [6, 7, 6, 15, 4],
    "m1": [5, 5, 5, 5, 5],
    "m2": [1, 1, 1, 1, 1],
}
CODES = ["I1", "I2", "I3", "I4", "I5"]


def write_small(tmp: Path, raw: dict[str, list] = RAW) -> Path:
    meta = tmp / "meta"
    meta.mkdir(parents=True)
    (meta / "tree.csv").write_text(TREE_CSV, encoding="utf-8")
    (meta / "indicators.csv").write_text(INDICATORS_CSV, encoding="utf-8")
    rows = ["id,seq,name_zh,name_en,country_iso3,group,lat,lon"]
    for k, c in enumerate(CITIES, start=1):
        rows.append(f"{c},{k},城{k},City {c},XXX,{'mini' if c.startswith('m') else 'main'},0,0")
    (meta / "cities.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (meta / "countries.csv").write_text("iso3,name_zh,name_en,continent\nXXX,某国,Somewhere,asia\n", encoding="utf-8")
    (tmp / "2023").mkdir()
    lines = ["id,code,value,provenance,note"]
    for c, vals in raw.items():
        for code, v in zip(CODES, vals):
            lines.append(f"{c},{code},{'' if v is None else v},{'missing' if v is None else 'published'},")
    (tmp / "2023" / "indicators.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp


def run_small(tmp: Path, raw=RAW, **policy):
    d = write_small(tmp, raw)
    tree = load_tree(d)
    groups = load_cities(d).set_index("id")["group"]
    return compute_index(to_wide(load_indicators(d, 2023)), groups, tree, **policy)


MAIN = ["aa", "bb", "cc", "dd"]


def test_hand_example_z_levels(tmp_path):
    r = run_small(tmp_path)
    assert list(r.z.columns) == CODES
    assert r.z.loc[MAIN, "I2"].tolist() == pytest.approx([5 / 6, -7 / 6, 5 / 6, -1 / 2])
    assert r.z.loc[MAIN, "I4"].tolist() == pytest.approx([-5 / 6, 7 / 6, 1 / 2, -5 / 6])
    assert list(r.subpillar_z.columns) == ["A1", "B1", "B2"]
    assert r.subpillar_z.loc[MAIN, "A1"].tolist() == pytest.approx([7 / 6, -5 / 6, 1 / 6, -1 / 2])
    assert r.subpillar_z.loc[MAIN, "B2"].tolist() == pytest.approx([-7 / 18, 17 / 18, -1 / 6, -7 / 18])
    assert r.pillar_z.loc[MAIN, "B"].tolist() == pytest.approx([-5 / 12, 7 / 12, -1 / 4, 1 / 12])
    assert r.composite_z.loc[MAIN].tolist() == pytest.approx([13 / 60, 1 / 60, -5 / 60, -9 / 60])


def test_hand_example_scores_and_ranks(tmp_path):
    r = run_small(tmp_path)
    assert list(r.scores.columns) == ["composite", "A", "B", "A1", "B1", "B2"]
    assert list(r.ranks.columns) == list(r.scores.columns)
    s = r.scores.loc[MAIN]
    assert s["A1"].tolist() == pytest.approx([100, 60, 80, 200 / 3])
    assert s["A"].tolist() == pytest.approx([100, 60, 80, 200 / 3])
    assert s["B1"].tolist() == pytest.approx([60, 60, 60, 100])
    assert s["B2"].tolist() == pytest.approx([60, 100, 200 / 3, 60])
    assert s["B"].tolist() == pytest.approx([60, 100, 200 / 3, 80])
    assert s["composite"].tolist() == pytest.approx([100, 60 + 200 / 11, 60 + 80 / 11, 60])
    k = r.ranks.loc[MAIN]
    assert k["composite"].tolist() == [1, 2, 3, 4]
    assert k["A"].tolist() == [1, 4, 2, 3]
    assert k["B"].tolist() == [4, 1, 3, 2]
    assert k["B1"].tolist() == [2, 2, 2, 1]  # ties share the smallest rank
    assert k["B2"].tolist() == [3, 1, 2, 3]
    # mini-hubs: their own group
    assert (r.scores.loc["m1"] == 100).all() and (r.scores.loc["m2"] == 60).all()
    assert (r.ranks.loc["m1"] == 1).all() and (r.ranks.loc["m2"] == 2).all()
    assert r.groups.to_dict() == {c: ("mini" if c.startswith("m") else "main") for c in CITIES}
    assert r.excluded.empty


def test_missing_value_available_case(tmp_path):
    # dd misses I2: I2 is z-scored over aa, bb, cc = 15, 3, 15 (mean 11, deviations 4, -8, 4,
    # variance 96/2 = 48, std 4√3): z = 1/√3, -2/√3, 1/√3. dd's A1 is its I1 z alone (-1/2),
    # i.e. its missing I2 z is imputed by the mean of its other z in A1.
    raw = dict(RAW, dd=[6, None, 6, 15, 4])
    r = run_small(tmp_path, raw)
    s3 = np.sqrt(3)
    assert np.isnan(r.z.loc["dd", "I2"])
    assert r.z.loc[["aa", "bb", "cc"], "I2"].tolist() == pytest.approx([1 / s3, -2 / s3, 1 / s3])
    assert r.subpillar_z.loc[MAIN, "A1"].tolist() == pytest.approx(
        [(1.5 + 1 / s3) / 2, (-0.5 - 2 / s3) / 2, (-0.5 + 1 / s3) / 2, -0.5])
    assert "dd" in r.scores.index and r.excluded.empty


def test_screen_excludes_and_reports(tmp_path):
    # dd misses I3, the only indicator of B1 → excluded; the others are scored as a group of 3
    raw = dict(RAW, dd=[6, 7, None, 15, 4])
    r = run_small(tmp_path, raw)
    assert "dd" not in r.scores.index
    assert r.excluded.to_dict("records") == [
        {"id": "dd", "group": "main", "reason": "no indicator with data in sub-pillar(s) B1"}]
    # I1 over aa, bb, cc = 10, 6, 6: mean 22/3, deviations 8/3, -4/3, -4/3, var (96/9)/2 = 16/3
    assert r.z.loc["aa", "I1"] == pytest.approx((8 / 3) / np.sqrt(16 / 3))
    # the same result as leaving dd out of the input entirely
    raw2 = {k: v for k, v in RAW.items() if k != "dd"}
    r2 = run_small(tmp_path / "b", raw2)
    pd.testing.assert_frame_equal(r.scores.loc[["aa", "bb", "cc"]], r2.scores.loc[["aa", "bb", "cc"]])
    # the coverage threshold is a parameter: 4 of 5 fails at 0.9
    r3 = run_small(tmp_path / "c", dict(RAW, cc=[6, None, 2, 23, 0]), min_coverage=0.9)
    assert list(r3.excluded["id"]) == ["cc"] and "data for 4 of 5" in r3.excluded["reason"].iloc[0]


# --- properties on random data: a synthetic edition (tests/factory.py) ---------------------------

N_MAIN, N_MINI = 40, 8


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    """A synthetic edition's tree, groups and values: 40 main cities, 8 mini-hubs, 9 indicators in
    6 sub-pillars, ~5 % of the values missing (seeded)."""
    ed = F.make_edition(tmp_path_factory.mktemp("index"), n_main=N_MAIN, n_mini=N_MINI, seed=20231, missing=0.05)
    assert ed.wide.isna().any().any()
    return ed.tree, ed.groups, ed.wide


def test_every_level_spans_60_100(real):
    tree, groups, wide = real
    r = compute_index(wide, groups, tree)
    assert len(r.scores) + len(r.excluded) == N_MAIN + N_MINI
    assert len(r.excluded) > 0                                       # the random gaps exclude some cities
    for g in ("main", "mini"):
        s = r.scores[r.groups == g]
        assert (s.min() == 60).all() and (s.max() == 100).all(), g
        assert (r.ranks[r.groups == g].min() == 1).all()


def test_unit_change_changes_nothing(real):
    tree, groups, wide = real
    r = compute_index(wide, groups, tree)
    w2 = wide.copy()
    w2["I05"] *= 1000.0
    w2["I08"] *= 0.01
    r2 = compute_index(w2, groups, tree)
    pd.testing.assert_frame_equal(r.scores, r2.scores, rtol=1e-12, atol=1e-9)
    pd.testing.assert_frame_equal(r.ranks, r2.ranks)


def test_row_order_changes_nothing(real):
    tree, groups, wide = real
    r = compute_index(wide, groups, tree)
    perm = np.random.default_rng(7).permutation(len(wide))
    r2 = compute_index(wide.iloc[perm], groups.sample(frac=1, random_state=3), tree)
    pd.testing.assert_frame_equal(r.ranks, r2.ranks.loc[r.ranks.index], check_exact=True)
    pd.testing.assert_frame_equal(r.scores, r2.scores.loc[r.scores.index], check_exact=True)


def test_row_order_of_long_file_changes_nothing(tmp_path):
    r = run_small(tmp_path)
    d = tmp_path / "shuffled"
    write_small(d)
    f = d / "2023" / "indicators.csv"
    lines = f.read_text(encoding="utf-8").splitlines()
    body = lines[1:]
    np.random.default_rng(1).shuffle(body)
    f.write_text("\n".join([lines[0], *body]) + "\n", encoding="utf-8")
    r2 = compute_index(to_wide(load_indicators(d, 2023)), load_cities(d).set_index("id")["group"], load_tree(d))
    pd.testing.assert_frame_equal(r.scores, r2.scores, check_exact=True)
    pd.testing.assert_frame_equal(r.ranks, r2.ranks)


def test_mini_hubs_do_not_affect_main(real):
    tree, groups, wide = real
    r = compute_index(wide, groups, tree)
    mini = groups.index[groups == "mini"]
    w2 = wide.copy()
    w2.loc[mini] = w2.loc[mini] * 50 + 3
    r2 = compute_index(w2, groups, tree)
    main = r.groups.index[r.groups == "main"]
    pd.testing.assert_frame_equal(r.scores.loc[main], r2.scores.loc[main], check_exact=True)
    pd.testing.assert_frame_equal(r.z.loc[main], r2.z.loc[main], check_exact=True)


def test_complete_data_composite_equals_appendix3_sum(real):
    # Appendix 3: composite Z = Σ wᵢ zᵢ over the indicators (composite weights, worked out by hand
    # from the factory's tree: e.g. I04 = 2/3 · 0.4 · 0.3 = 0.08)
    tree, groups, wide = real
    full = wide.fillna(1.0)
    r = compute_index(full, groups, tree)
    w = pd.Series(F.composite_weights())
    assert w["I04"] == pytest.approx(0.08) and w["I09"] == pytest.approx(0.2) and w.sum() == pytest.approx(1.0)
    direct = (r.z[tree.codes] * w[tree.codes]).sum(axis=1)
    assert np.allclose(r.composite_z, direct, atol=1e-12)


def test_bad_inputs(real):
    tree, groups, wide = real
    with pytest.raises(KeyError):
        compute_index(wide.drop(columns=["I07"]), groups, tree)
    with pytest.raises(ValueError):
        compute_index(wide, groups.drop(wide.index[0]), tree)
