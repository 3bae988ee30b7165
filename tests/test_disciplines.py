"""Discipline sources (学科策源地): the Appendix 8 rules on hand-made data, and every statement of
the report's 学科策源地 section recomputed from ``data/2023/disciplines/papers.csv``."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gihi.analysis import disciplines as dm


def papers_frame(rows):
    return pd.DataFrame(rows, columns=["id", "discipline", "year", "papers", "hcp"])


def pct2(x: float) -> float:
    """A fraction as a percentage rounded half-up to 2 decimals, as printed."""
    return np.floor(x * 100 * 100 + 0.5) / 100


# --- rules on hand-made examples -----------------------------------------------------------------

def test_totals_sum_years_and_fill_missing_pairs():
    p = papers_frame([("a", "30", 2012, 100, 1), ("a", "30", 2013, 50, 2), ("b", "31", 2012, 10, 0)])
    t = dm.city_discipline_totals(p, ids=["a", "b"], disciplines=["30", "31"])
    assert t.values.tolist() == [["a", "30", 150, 3], ["a", "31", 0, 0], ["b", "30", 0, 0], ["b", "31", 10, 0]]
    only_2013 = dm.city_discipline_totals(p, ids=["a", "b"], disciplines=["30", "31"], years=(2013, 2013))
    assert only_2013.loc[0, ["papers", "hcp"]].tolist() == [50, 2]


def test_scores_minmax_60_100_and_min_ranks():
    t = pd.DataFrame({"id": ["a", "b", "c", "a", "b", "c", "a", "b", "c"],
                      "discipline": ["x"] * 3 + ["y"] * 3 + ["z"] * 3,
                      "papers": [100] * 9, "hcp": [10, 5, 0, 10, 10, 4, 3, 3, 3]})
    s = dm.discipline_scores(t).set_index(["discipline", "id"])
    # x: 60 + 40 * (h - 0) / 10
    assert s.loc["x", "score"].tolist() == [100.0, 80.0, 60.0]
    assert s.loc["x", "rank"].tolist() == [1, 2, 3]
    # y: a tie for first shares rank 1, the next city is 3rd
    assert s.loc["y", "rank"].to_dict() == {"a": 1, "b": 1, "c": 3}
    assert s.loc[("y", "c"), "score"] == 60.0
    # z: no spread, everybody first with 100
    assert s.loc["z", "score"].tolist() == [100.0] * 3 and s.loc["z", "rank"].tolist() == [1] * 3


def test_mean_hcp_ratio_skips_disciplines_without_papers():
    t = pd.DataFrame({"id": ["a", "a", "b", "b"], "discipline": ["x", "y", "x", "y"],
                      "papers": [100, 50, 200, 0], "hcp": [2, 1, 1, 0]})
    m = dm.mean_hcp_ratio(t)
    assert m["a"] == pytest.approx(0.02)      # (2/100 + 1/50) / 2
    assert m["b"] == pytest.approx(0.005)     # 1/200; y has no papers


def test_excellence_against_baseline():
    e = dm.excellence(pd.Series({"a": 0.0175, "b": 0.01, "c": 0.008}))
    assert e["vs_baseline"].round(6).tolist() == [1.75, 1.0, 0.8]
    assert e["above_baseline"].tolist() == [True, False, False]


def _scores(hcp: dict[str, list[int]]) -> pd.DataFrame:
    """Scores for cities over disciplines d0, d1, ... from per-city HCP lists."""
    rows = [(c, f"d{j}", 1000, h) for c, hs in hcp.items() for j, h in enumerate(hs)]
    return dm.discipline_scores(pd.DataFrame(rows, columns=["id", "discipline", "papers", "hcp"]))


def test_top_n_counts_champions_and_list_order():
    sc = _scores({"a": [9, 9, 1], "b": [8, 9, 2], "c": [1, 1, 9], "d": [0, 0, 0]})
    # top 2 of each discipline: d0 a,b; d1 a,b (tie); d2 c,b
    assert dm.top_n_counts(sc, 2).to_dict() == {"a": 2, "b": 3, "c": 1, "d": 0}
    # d1 is a tie for first: both a and b are champions there
    assert dm.champions(sc).values.tolist() == [["d0", "a"], ["d1", "a"], ["d1", "b"], ["d2", "c"]]
    assert dm.champion_counts(sc).to_dict() == {"a": 2, "b": 1, "c": 1, "d": 0}
    ratio = pd.Series({"a": 0.012, "b": 0.009, "c": 0.02, "d": 0.0})
    lst = dm.source_list(sc, ratio, n=2)
    assert list(lst["id"]) == ["b", "a", "c"]          # d has no top-2 discipline
    assert list(lst["rank"]) == [1, 2, 3]


def test_list_ties_broken_by_mean_ratio_then_shared_rank():
    sc = _scores({"a": [5, 1], "b": [1, 5], "c": [3, 3]})
    lst = dm.source_list(sc, pd.Series({"a": 0.01, "b": 0.02, "c": 0.01}), n=1)
    assert list(lst["id"]) == ["b", "a"] and list(lst["n_top10"]) == [1, 1]
    same = dm.source_list(sc, pd.Series({"a": 0.01, "b": 0.01, "c": 0.01}), n=1)
    assert list(same["id"]) == ["a", "b"] and list(same["rank"]) == [1, 1]


def test_superstars_threshold():
    lst = pd.DataFrame({"id": ["a", "b", "c"], "n_top10": [22, 15, 14]})
    assert dm.superstars(lst) == ["a", "b"]
    assert dm.superstars(lst, min_top=20) == ["a"]


def test_cagr_and_paper_cagr():
    assert dm.cagr(100, 121, 2) == pytest.approx(0.10)
    assert np.isnan(dm.cagr(0, 5, 2))
    p = papers_frame([("a", "x", 2012, 60, 0), ("a", "y", 2012, 40, 0), ("a", "x", 2014, 121, 0),
                      ("b", "x", 2012, 100, 0), ("b", "x", 2014, 100, 0)])
    g = dm.paper_cagr(p)
    assert g["a"] == pytest.approx(0.10) and g["b"] == pytest.approx(0.0)


def test_emerging_needs_above_mean_growth_and_below_baseline_excellence():
    lst = pd.DataFrame({"id": ["a", "b", "c", "d"], "mean_hcp_ratio": [0.009, 0.012, 0.005, 0.02]})
    growth = pd.Series({"a": 0.10, "b": 0.08, "c": 0.02, "d": 0.01})   # mean 0.0525
    em = dm.emerging_cities(lst, growth)
    assert list(em["id"]) == ["a"]           # b is too excellent, c grows too slowly
    assert dm.emerging_cities(lst, growth, baseline=0.015)["id"].tolist() == ["a", "b"]


def test_shares_rows_sum_to_one():
    t = pd.DataFrame({"id": ["a", "a", "b", "b"], "discipline": ["x", "y", "x", "y"],
                      "papers": [30, 10, 0, 5], "hcp": [0, 0, 0, 0]})
    s = dm.discipline_shares(t)
    assert s.loc["a"].tolist() == [0.75, 0.25] and s.loc["b"].tolist() == [0.0, 1.0]


SHARES = pd.DataFrame(
    [[0.70, 0.20, 0.10], [0.68, 0.22, 0.10], [0.10, 0.20, 0.70], [0.12, 0.18, 0.70], [0.40, 0.40, 0.20]],
    index=["p", "q", "r", "s", "t"], columns=["x", "y", "z"])


def test_clustering_ward_euclidean_groups_close_profiles():
    cl = dm.cluster_profiles(SHARES)
    lab = cl.labels(2)
    assert lab["p"] == lab["q"] and lab["r"] == lab["s"] and lab["p"] != lab["r"]
    # the first merge is p-q at their Euclidean distance (Ward height of two singletons)
    assert cl.linkage[0, 2] == pytest.approx(np.hypot(0.02, 0.02))
    assert sorted(cl.leaf_order) == list("pqrst")
    order = cl.leaf_order
    assert abs(order.index("p") - order.index("q")) == 1 and abs(order.index("r") - order.index("s")) == 1


def test_clustering_deterministic_and_independent_of_row_order():
    first = dm.cluster_profiles(SHARES).leaf_order
    assert dm.cluster_profiles(SHARES).leaf_order == first
    for seed in range(5):
        shuffled = SHARES.sample(frac=1.0, random_state=seed)
        assert dm.cluster_profiles(shuffled).leaf_order == first


# --- the report's statements, recomputed from the 2023 data -------------------------------------

@pytest.fixture(scope="module")
def d(real_edition):
    cities = real_edition.cities.set_index("id")
    meta = real_edition.disciplines.meta
    papers = real_edition.disciplines.papers
    tot = dm.city_discipline_totals(papers, ids=list(cities.index), disciplines=list(meta["code"]))
    sc = dm.discipline_scores(tot)
    lst = dm.source_list(sc, dm.mean_hcp_ratio(tot))
    growth = dm.paper_cagr(papers, 2012, 2021)
    return {"country": cities["country_iso3"], "meta": meta, "papers": papers, "tot": tot, "scores": sc,
            "list": lst, "growth": growth, "n": lst.set_index("id")["n_top10"]}


SF, BOS, NY, LON, BW, BJ, GBA = ("san-francisco-san-jose", "boston", "new-york", "london", "baltimore-washington",
                                 "beijing", "greater-bay-area")
NA_WE = {"USA", "CAN", "GBR", "DEU", "FRA", "CHE", "NLD", "SWE", "DNK"}
WE = {"GBR", "DEU", "FRA", "CHE", "NLD", "SWE", "DNK"}
EA = {"CHN", "JPN", "KOR"}


def test_meta_22_disciplines_11_stem_11_hass(d):
    meta = d["meta"]
    assert len(meta) == 22 and "45" not in set(meta["code"])           # Indigenous Studies left out
    assert meta["domain"].value_counts().to_dict() == {"STEM": 11, "HASS": 11}
    named = {"49": "数学", "51": "物理学", "32": "生物医学及临床科学", "33": "建筑环境与设计",
             "40": "工程", "46": "信息与计算科学", "34": "化学", "31": "生物科学"}
    assert {k: v for k, v in zip(meta["code"], meta["name_zh"]) if k in named} == named
    assert meta.set_index("code").at["33", "domain"] == "HASS"      # 北京在 HASS 领域仅有建筑环境与设计


def test_data_grid_2012_2021(d):
    p = d["papers"]
    assert sorted(p["year"].unique()) == list(range(2012, 2022))
    assert len(p) == 119 * 22 * 10 and (p["hcp"] <= p["papers"]).all()


def test_33_cities_and_country_counts(d):
    # 共有 33 个城市成为全球学科策源地；美国 10、中国 6、英国及澳大利亚各 3、德国 2、其它 9 个国家各 1
    lst, country = d["list"], d["country"]
    assert len(lst) == 33
    counts = lst["id"].map(country).value_counts()
    assert {k: counts[k] for k in ["USA", "CHN", "GBR", "AUS", "DEU"]} == {"USA": 10, "CHN": 6, "GBR": 3, "AUS": 3, "DEU": 2}
    others = counts.drop(["USA", "CHN", "GBR", "AUS", "DEU"])
    assert len(others) == 9 and set(others) == {1}
    # 北美、西欧及东亚每个区域入榜城市数量均为 10 个左右
    reg = lst["id"].map(country)
    for members in ({"USA", "CAN"}, WE, EA):
        assert 8 <= reg.isin(members).sum() <= 12


def test_list_top10_order(d):
    # 旧金山-圣何塞、波士顿、纽约分列前三；伦敦第四；巴尔的摩-华盛顿第五；北京第六；粤港澳大湾区第七；
    # 牛津第八；芝加哥第九；洛杉矶第十
    expected = [SF, BOS, NY, LON, BW, BJ, GBA, "oxford", "chicago-naperville-elgin", "los-angeles-long-beach-anaheim"]
    assert list(d["list"]["id"].head(10)) == expected
    assert list(d["list"]["rank"].head(10)) == list(range(1, 11))
    top10 = d["list"]["id"].head(10).map(d["country"]).value_counts()
    assert (top10["USA"], top10["GBR"], top10["CHN"]) == (6, 2, 2)


def test_superstars(d):
    n, lst = d["n"], d["list"]
    assert dm.superstars(lst) == [SF, BOS, NY, LON, BW, BJ]
    assert (n[SF], n[BOS], n[NY], n[LON], n[BJ]) == (22, 22, 22, 19, 15)
    assert sum(d["country"][c] == "USA" for c in dm.superstars(lst)) == 4
    # 其余 27 个城市排名前十的学科数较超级明星城市有较大的差距
    assert n.drop(dm.superstars(lst)).max() <= 10
    assert n.min() >= 1 and n.max() <= 22                                # 值域为 1～22


def test_champions(d):
    sc, meta = d["scores"], d["meta"]
    counts = dm.champion_counts(sc)
    assert counts[counts > 0].to_dict() == {NY: 8, BJ: 7, BOS: 3, LON: 3, GBA: 1}
    ch = dm.champions(sc).merge(meta, left_on="discipline", right_on="code")
    ny = ch[ch["id"] == NY]
    assert set(ny.loc[ny["domain"] == "STEM", "code"]) == {"49", "51", "32"}   # 数学、物理学、生物医学及临床科学
    assert (ny["domain"] == "HASS").sum() == 5
    bj = ch[ch["id"] == BJ]
    assert set(bj.loc[bj["domain"] == "HASS", "code"]) == {"33"}             # 建筑环境与设计
    assert (bj["domain"] == "STEM").sum() == 6 and 6 / 11 > 0.5               # 超过 11 个学科的一半
    assert len(ch) == 22                                                      # one champion per discipline


def test_mean_hcp_ratio_statements(d):
    ratio = d["list"].set_index("id")["mean_hcp_ratio"]
    order = ratio.sort_values(ascending=False)
    assert list(order.index[:3]) == [SF, "oxford", BOS]
    assert (pct2(ratio[SF]), pct2(ratio["oxford"]), pct2(ratio[BOS])) == (1.75, 1.64, 1.60)


def test_excellence_by_region(d):
    ratio, country = d["list"].set_index("id")["mean_hcp_ratio"], d["country"]
    nawe = ratio[[country[c] in NA_WE for c in ratio.index]]
    # 北美及西欧的城市除个别城市，高被引论文占比均值都接近或高于全球基准 1%
    assert 1 <= (nawe < 0.0095).sum() <= 2
    ea = ratio[[country[c] in EA for c in ratio.index]]
    # 东亚的城市除个别城市外，均处于全球 1% 基准线之下
    assert 1 <= (ea >= 0.01).sum() <= 2


def test_emerging_science_cities(d):
    lst, growth = d["list"], d["growth"]
    em = dm.emerging_cities(lst, growth)
    expected = [GBA, "nanjing", "wuhan", "hangzhou", "shanghai", BJ, "melbourne", "sydney", "brisbane"]
    assert list(em["id"]) == expected
    g = em.set_index("id")["papers_cagr"] * 100
    assert (g[expected[:6]] > 10).all()                        # 年均复合增长率均超过 10%
    assert all(round(g[c]) == 8 for c in expected[6:])          # 在 8% 左右
    assert (em["mean_hcp_ratio"] < 0.01).all()                  # 均低于 1% 的全球基准线
    mean = (lst["id"].map(growth) * 100).mean()
    assert np.floor(mean * 10 + 0.5) / 10 == 6.1                # 平均值为 6.1%
    fastest = lst.assign(g=lst["id"].map(growth)).sort_values("g", ascending=False, kind="mergesort")
    assert list(fastest["id"].head(9)) == expected             # the nine are the fastest-growing list cities
    # 成熟城市…增长较缓；整体学科卓越度能够达到或超过全球基准
    mature = lst.loc[lst["mean_hcp_ratio"] >= 0.01, "id"]
    assert (growth[mature] * 100 < mean).all()
    hcp = d["papers"].groupby(["id", "year"])["hcp"].sum()
    assert all(hcp[(c, 2021)] > hcp[(c, 2012)] for c in expected)   # 高被引论文数量也在增长


def test_ten_year_paper_totals(d):
    totals = d["tot"].groupby("id")["papers"].sum()
    expected = [BJ, NY, BW, "tokyo", LON, BOS, GBA, "seoul", "shanghai", "paris", SF]
    in_list = totals[list(d["list"]["id"])].sort_values(ascending=False)
    assert list(in_list.index[:11]) == expected                 # SF 11th
    assert list(totals.sort_values(ascending=False).index[:11]) == expected
    assert sum(c in dm.superstars(d["list"]) for c in expected[:10]) == 5


def test_clusters_follow_regions(d):
    shares = dm.discipline_shares(d["tot"], ids=list(d["list"]["id"]))
    cl = dm.cluster_profiles(shares)
    country = d["country"]
    assert sorted(cl.leaf_order) == sorted(d["list"]["id"])
    for k in (2, 3):
        lab = cl.labels(k)
        # 来自同一国家的城市往往集中在相同的学科特色聚类中
        assert (lab.groupby(lab.index.map(country)).nunique() == 1).all()
        ea = set(lab[[country[c] in EA for c in lab.index]])
        assert len(ea) == 1 and not ea & set(lab[[country[c] in NA_WE for c in lab.index]])
    lab3 = cl.labels(3)
    us = set(lab3[[country[c] == "USA" for c in lab3.index]])
    we = set(lab3[[country[c] in WE for c in lab3.index]])
    assert len(us) == 1 and len(we) == 1 and us != we           # three-way split: EA, NA, Western Europe


def test_cluster_order_of_real_profiles_is_stable(d):
    shares = dm.discipline_shares(d["tot"], ids=list(d["list"]["id"]))
    first = dm.cluster_profiles(shares).leaf_order
    assert dm.cluster_profiles(shares.iloc[::-1]).leaf_order == first
    assert dm.cluster_profiles(shares.sample(frac=1.0, random_state=3)).leaf_order == first


def test_discipline_shares_by_region(d):
    shares = dm.discipline_shares(d["tot"], ids=list(d["list"]["id"]))
    hass = list(d["meta"].loc[d["meta"]["domain"] == "HASS", "code"])
    shares["HASS"] = shares[hass].sum(axis=1)
    c = shares.index.map(d["country"])
    ea, nawe = shares[c.isin(EA)].mean(), shares[c.isin(NA_WE)].mean()
    we, us = shares[c.isin(WE)].mean(), shares[c == "USA"].mean()
    assert all(ea[k] > nawe[k] for k in ("40", "46", "34"))       # 工程、信息与计算科学和化学
    assert all(nawe[k] > ea[k] for k in ("32", "31", "HASS"))     # 生物医学与临床、生物科学、人文艺术社科
    assert all(we[k] > us[k] for k in ("49", "51", "34"))         # 数学、物理、化学


def test_source_capacity_by_region(d):
    # 北美与西欧城市在医学、人文、艺术与社会科学领域具有相对较高的学科策源能力；东亚城市则在科学、技术和工程领域
    t10 = d["scores"][d["scores"]["rank"] <= 10].merge(d["meta"], left_on="discipline", right_on="code")
    t10["c"] = t10["id"].map(d["country"])
    assert t10.loc[t10["domain"] == "HASS", "c"].isin(NA_WE | {"AUS"}).mean() >= 0.8
    assert (t10.loc[t10["c"].isin(EA), "domain"] == "STEM").mean() >= 0.75


def test_scores_span_60_100(d):
    g = d["scores"].groupby("discipline")["score"]
    assert (g.max() == 100).all() and (g.min() == 60).all()
    assert d["scores"].groupby("discipline")["id"].count().eq(119).all()


def test_the_editions_results_are_these_rules(d, real_edition):
    """``disciplines.results(ed)`` (what the chapter, the exports and the downloads use) is the
    rules above applied to the edition's data."""
    r = dm.results(real_edition)
    pd.testing.assert_frame_equal(r["totals"], d["tot"])
    pd.testing.assert_frame_equal(r["scores"], d["scores"])
    pd.testing.assert_frame_equal(r["raw_listing"], d["list"])
    pd.testing.assert_series_equal(r["growth"], d["growth"])
    listing = r["listing"]
    assert listing["id"].tolist() == d["list"]["id"].tolist()
    assert listing["superstar"].sum() == 6 and listing["emerging"].sum() == 9
    assert listing["mean_hcp_ratio"].tolist() == pytest.approx((100 * d["list"]["mean_hcp_ratio"]).tolist(), rel=1e-12)
    assert r["clustering"].leaf_order == dm.cluster_profiles(dm.discipline_shares(d["tot"], ids=list(d["list"]["id"]))).leaf_order
    assert dm.results(real_edition) is r                                  # computed once


def test_results_of_a_synthetic_edition(synthetic, synthetic_root):
    """On the factory's papers (4 disciplines, 5 years, 13 cities): totals and scores by hand with pandas."""
    import factory as F
    r = dm.results(synthetic)
    papers = pd.read_csv(synthetic_root / str(F.YEAR) / "disciplines" / "papers.csv", dtype={"discipline": str})
    tot = papers.groupby(["id", "discipline"])[["papers", "hcp"]].sum()
    got = r["totals"].set_index(["id", "discipline"])
    assert got.loc[tot.index, ["papers", "hcp"]].values.tolist() == tot.values.tolist()
    for code, g in r["scores"].groupby("discipline"):
        h = tot.xs(code, level="discipline")["hcp"]
        expected = 60 + 40 * (h - h.min()) / (h.max() - h.min())
        assert g.set_index("id")["score"].sort_index().tolist() == pytest.approx(expected.sort_index().tolist(), abs=1e-12)
    years = sorted(papers["year"].unique())
    per_year = papers.groupby(["id", "year"])["papers"].sum()
    c = "city-01"
    expected = (per_year[(c, years[-1])] / per_year[(c, years[0])]) ** (1 / (years[-1] - years[0])) - 1
    assert r["growth"][c] == pytest.approx(expected, rel=1e-12)
