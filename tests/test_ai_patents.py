"""AI technology patents (人工智能技术专利): the Appendix 9 analytics on hand-made data, and every
statement of the report's chapter recomputed from ``data/2023/ai_patents/``."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gihi.analysis import ai_patents as ai


def r1(x: float) -> float:
    """Percent rounded half-up to 1 decimal."""
    return np.floor(x * 100 * 10 + 0.5) / 10


# --- rules on hand-made examples -----------------------------------------------------------------

def small_patents() -> pd.DataFrame:
    rows = [("a", 2012, 10, 1, 1, 3), ("a", 2020, 40, 2, 2, 5), ("a", 2022, 160, 4, 1, 6),
            ("b", 2012, 20, 3, 0, 4), ("b", 2020, 20, 3, 0, 4), ("b", 2022, 45, 0, 6, 9),
            ("c", 2012, 0, 0, 0, 0), ("c", 2020, 5, 0, 0, 0), ("c", 2022, 5, 0, 0, 0)]
    return pd.DataFrame(rows, columns=["id", "year", "valid", "pct", "triadic", "hq"])


def test_city_totals_and_min_ranks():
    t = ai.city_totals(small_patents(), ids=["a", "b", "c", "z"]).set_index("id")
    assert t.loc["a", ["valid", "pct", "triadic", "hq"]].tolist() == [210, 7, 4, 14]
    assert t["valid_rank"].to_dict() == {"a": 1, "b": 2, "c": 3, "z": 4}
    assert t["pct_rank"].to_dict() == {"a": 1, "b": 2, "c": 3, "z": 3}   # c and z tie at 0
    assert t.loc["z", "valid"] == 0


def test_top_and_both_top():
    t = ai.city_totals(small_patents())
    assert ai.top(t, "valid", 2) == ["a", "b"]
    assert ai.top(t, "triadic", 2) == ["b", "a"]
    assert ai.in_both_top(t, n=2) == ["a", "b"]
    assert ai.in_both_top(t, n=1) == []                       # pct top 1 is a, triadic top 1 is b


def test_flows_stock_and_yearly_ranks():
    p = small_patents()
    f = ai.flows(p)
    assert f.loc["a"].tolist() == [10, 40, 160]
    assert ai.stock(p).loc["a"].tolist() == [10, 50, 210]
    r = ai.yearly_ranks(f)
    assert r[2012].to_dict() == {"a": 2, "b": 1, "c": 3}


def test_growth_rates():
    p = small_patents()
    g = ai.growth(p, 2020, 2022)
    assert g["a"] == pytest.approx(1.0)                        # 40 -> 160 in two years
    assert g["b"] == pytest.approx(0.5)                        # 20 -> 45
    assert np.isnan(ai.growth(p, 2012, 2020)["c"])            # no flow in 2012
    # aggregate: 65 -> 210 in two years
    assert ai.aggregate_growth(p, 2020, 2022) == pytest.approx((210 / 65) ** 0.5 - 1)


def test_ratio():
    t = ai.city_totals(small_patents(), ids=["a", "z"])
    r = ai.ratio(t, "pct")
    assert r["a"] == pytest.approx(7 / 210) and np.isnan(r["z"])


def test_top_n_series():
    wide = pd.DataFrame({2020: [1, 5, 3], 2021: [9, 6, 3]}, index=["a", "b", "c"])
    s = ai.top_n_series(wide, n=2)
    assert s.values.tolist() == [["a", 2020, 1], ["a", 2021, 9], ["b", 2020, 5], ["b", 2021, 6]]
    by_total = ai.top_n_series(wide, n=1, rank_by="total", years=(2021, 2021))   # a 10, b 11, c 6
    assert by_total.values.tolist() == [["b", 2021, 6]]


def test_hotfields_table():
    uni = pd.DataFrame({"ipc": ["X", "Y", "Z"], "hq_patents": [30, 120, 50]})
    groups = pd.DataFrame({"code": ["X", "Y", "Z"], "label_zh": ["甲", "乙", "丙"], "label_en": ["x", "y", "z"],
                           "field_group": ["g1", "g2", "g1"]})
    hf = ai.hotfields(uni, groups, hq_total=200, n=2)
    assert hf[["rank", "ipc", "label_zh", "hq_patents"]].values.tolist() == [[1, "Y", "乙", 120], [2, "Z", "丙", 50]]
    assert hf["share_pct"].tolist() == [60.0, 25.0]


def test_matrix_ranks_and_relative_advantage():
    ipc = pd.DataFrame({"id": ["a", "a", "b", "b"], "ipc": ["X", "Y", "X", "Y"], "hq_patents": [2, 2, 1, 3]})
    m = ai.hotfield_matrix(ipc, ["a", "b", "c"], ["Y", "X"])
    assert m.values.tolist() == [[2, 2], [3, 1], [0, 0]]
    assert ai.column_ranks(m)["Y"].tolist() == [2, 1, 3]
    a = ai.relative_advantage(m.loc[["a", "b"]])
    # a: shares .5/.5, b: .75/.25; pooled Y 5/8, X 3/8
    assert a.loc["a", "Y"] == pytest.approx(0.8) and a.loc["a", "X"] == pytest.approx(4 / 3)
    assert a.loc["b", "Y"] == pytest.approx(1.2) and a.loc["b", "X"] == pytest.approx(2 / 3)


def test_group_codes_and_trends():
    groups = pd.DataFrame({"code": ["X", "Y", "Z"], "field_group": ["g1", "g2", "g1"]})
    assert ai.group_codes(groups, "g1") == ["X", "Z"]
    by_year = pd.DataFrame({"ipc": ["X", "X", "Y"], "year": [2020, 2021, 2020], "hq_patents": [1, 2, 3]})
    w = ai.hotfield_trends(by_year, ["Y", "X"])
    assert w.values.tolist() == [[3, 0], [1, 2]]


def test_applicant_concentration():
    app = pd.DataFrame({"id": ["a", "a", "a", "b"], "applicant_zh": ["甲", "乙", "丙", "丁"],
                        "valid_patents": [50, 30, 10, 5]})
    t = pd.DataFrame({"id": ["a", "b"], "valid": [200, 100]})
    cr = ai.applicant_concentration(app, t, k=2)
    assert cr["a"] == pytest.approx(0.4) and cr["b"] == pytest.approx(0.05)


# --- the report's statements, recomputed from the 2023 data -------------------------------------

TK, GBA, BJ, SF, SEL, NY, KOK = ("tokyo", "greater-bay-area", "beijing", "san-francisco-san-jose", "seoul",
                                 "new-york", "kyoto-osaka-kobe")


@pytest.fixture(scope="module")
def d(real_edition):
    cities = real_edition.cities.set_index("id")
    a = real_edition.ai_patents
    p = a.patents
    t = ai.city_totals(p, ids=list(cities.index))
    return {"country": cities["country_iso3"], "p": p, "t": t, "ti": t.set_index("id"),
            "ipc": a.ipc, "groups": a.ipc_groups, "uni_ipc": a.ipc_universe, "by_year": a.ipc_by_year,
            "universe": a.universe, "app": a.applicants}


def test_years_2003_2022_all_cities(d):
    p = d["p"]
    assert sorted(p["year"].unique()) == list(range(2003, 2023)) and p["id"].nunique() == 119


def test_valid_stock_statements(d):
    # 北京 26638 件；粤港澳大湾区、东京分别有 20207、16587 件；首尔、旧金山-圣何塞分别有 9908、9341 件
    ti = d["ti"]
    assert ai.top(d["t"], "valid", 5) == [BJ, GBA, TK, SEL, SF]
    assert [ti.at[c, "valid"] for c in (BJ, GBA, TK, SEL, SF)] == [26638, 20207, 16587, 9908, 9341]
    # 前 20 城市中，中国城市占 14 席
    assert sum(d["country"][c] == "CHN" for c in ai.top(d["t"], "valid", 20)) == 14


def test_growth_rates(d):
    p = d["p"]
    # 第二阶段 2012-2020 年均增长率 32.5%；2020 年后 75.9%（sum over the 119 cities of yearly flows）
    assert r1(ai.aggregate_growth(p, 2012, 2020)) == 32.5
    assert r1(ai.aggregate_growth(p, 2020, 2022)) == 75.9
    # 第一阶段为 2011 年之前，发展缓慢
    assert ai.aggregate_growth(p, 2003, 2011) < 0.2
    g = ai.growth(p, 2020, 2022)
    assert r1(g[BJ]) == 77.0 and round(g[BJ] * 100) == 77 and r1(g[GBA]) == 92.4
    # 特别是北京、粤港澳大湾区: GBA fastest of all cities, Beijing above the aggregate
    assert g.idxmax() == GBA and g[BJ] > ai.aggregate_growth(p, 2020, 2022)


def test_figure_21_and_22_series(d):
    fig21 = ai.top_n_series(ai.stock(d["p"]), 10, (2004, 2022))
    assert list(fig21["id"].unique()) == ai.top(d["t"], "valid", 10) and fig21["year"].min() == 2004
    fig22 = ai.top_n_series(ai.flows(d["p"], "hq"), 10, rank_by="total")
    assert list(fig22["id"].unique()) == HQ_TOP20[:10]
    assert fig22.groupby("id")["value"].sum()[TK] == 10688


def test_tokyo_overtaken_in_yearly_valid_patents(d):
    # 2017 年之前东京位居第一位，2018 年、2020 年分别被北京、粤港澳大湾区反超 (yearly flows)
    f = ai.flows(d["p"])
    rk = ai.yearly_ranks(f)
    for y in f.columns:
        assert rk.at[TK, y] == (1 if y <= 2017 else 2 if y <= 2019 else 3), y
        assert (f.at[BJ, y] > f.at[TK, y]) == (y >= 2018), y
        assert (f.at[GBA, y] > f.at[TK, y]) == (y >= 2020), y


HQ_TOP20 = [TK, GBA, SF, SEL, BJ, NY, KOK, "eindhoven", "munich", "san-diego", "houston", "paris", "boston",
            "london", "shanghai", "stockholm", "stuttgart", "seattle-tacoma-bellevue", "nagoya", "hangzhou"]


def test_hq_statements(d):
    ti = d["ti"]
    assert ai.top(d["t"], "hq", 20) == HQ_TOP20
    assert (ti.at[TK, "hq"], ti.at[GBA, "hq"], ti.at[SF, "hq"]) == (10688, 9137, 5037)
    c = [d["country"][x] for x in HQ_TOP20]
    assert c.count("CHN") == 4 and c.count("JPN") == 3      # 中国城市占 4 席，日本占 3 席


def test_hq_top20_us_count_conflict(d):
    """The report says 美国城市占 5 席, but its own top-20 list has six US cities
    (SF, NY, San Diego, Houston, Boston, Seattle). The data follow the list."""
    assert [d["country"][x] for x in HQ_TOP20].count("USA") == 6


def test_hq_yearly_leadership_and_growth(d):
    h = ai.flows(d["p"], "hq")
    rk = ai.yearly_ranks(h)
    # 2020 年之前东京的高质量专利一直保持领先地位，近两年被粤港澳大湾区赶超
    assert all(rk.at[TK, y] == 1 for y in h.columns if y <= 2020)
    assert all(rk.at[GBA, y] == 1 and rk.at[TK, y] == 2 for y in (2021, 2022))
    # 近五年，东京、粤港澳大湾区、旧金山-圣何塞、首尔、北京、纽约、京都-大阪-神户均保持高速增长态势
    for c in (TK, GBA, SF, SEL, BJ, NY, KOK):
        s = h.loc[c, 2018:2022]
        assert s.is_monotonic_increasing and s.iloc[-1] >= s.iloc[0] * 1.1 ** 4, c


def test_hq_share_higher_in_west(d):
    # 欧美地区高质量专利占比高
    r = ai.ratio(d["t"], "hq")
    west = [c for c in HQ_TOP20 if d["country"][c] in {"USA", "GBR", "DEU", "FRA", "NLD", "SWE"}]
    china = [c for c in HQ_TOP20 if d["country"][c] == "CHN"]
    assert r[west].mean() > r[china].mean()


def test_pct_statements(d):
    ti, t = d["ti"], d["t"]
    # 东京 4222 件，粤港澳大湾区、北京 2769 件和 1608 件；其余前 10：旧金山-圣何塞、京都-大阪-神户、纽约、首尔、
    # 圣地亚哥、上海、达拉斯-沃斯堡
    assert ai.top(t, "pct", 10) == [TK, GBA, BJ, SF, KOK, NY, SEL, "san-diego", "shanghai", "dallas-fort-worth"]
    assert (ti.at[TK, "pct"], ti.at[GBA, "pct"], ti.at[BJ, "pct"]) == (4222, 2769, 1608)
    c = [d["country"][x] for x in ai.top(t, "pct", 20)]
    assert (c.count("USA"), c.count("CHN"), c.count("JPN"), c.count("DEU")) == (6, 4, 2, 2)
    # PCT 专利占有效发明专利的比例：斯德哥尔摩、东京、京都-大阪-神户、圣地亚哥、达拉斯-沃斯堡等城市占比较高
    r = ai.ratio(t, "pct")[ai.top(t, "pct", 20)].sort_values(ascending=False)
    assert list(r.index[:5]) == ["stockholm", TK, KOK, "san-diego", "dallas-fort-worth"]


def test_triadic_statements(d):
    t = d["t"]
    assert ai.top(t, "triadic", 10) == [TK, SF, BJ, KOK, GBA, "dallas-fort-worth", "eindhoven", NY, "san-diego", "paris"]
    c = [d["country"][x] for x in ai.top(t, "triadic", 20)]
    assert (c.count("USA"), c.count("JPN"), c.count("CHN")) == (8, 3, 3)
    # 三方专利占有效发明专利的比例：达拉斯-沃斯堡、埃因霍温、京都-大阪-神户、巴黎占比较高
    r = ai.ratio(t, "triadic")[ai.top(t, "triadic", 20)].sort_values(ascending=False)
    assert list(r.index[:4]) == ["dallas-fort-worth", "eindhoven", KOK, "paris"]


BOTH = [TK, GBA, BJ, SF, KOK, NY, SEL, "san-diego", "dallas-fort-worth", "paris", "eindhoven", "munich", "boston", "london"]


def test_14_cities_in_both_top20(d):
    assert ai.in_both_top(d["t"]) == BOTH


def test_row_consistency(d):
    p, ti = d["p"], d["ti"]
    assert (p["pct"] <= p["valid"]).all() and (p["triadic"] <= p["valid"]).all()
    assert (p["pct"] + p["triadic"] <= p["hq"]).all()
    u = d["universe"]
    assert (u["ai_patents"], u["hq_patents"]) == (408937, 118764)
    assert ti["valid"].sum() <= u["ai_patents"] and ti["hq"].sum() <= u["hq_patents"]


APPLICANTS = {
    TK: {"索尼": 1746, "日本电气股份有限公司": 1089, "日本移动通信运营商": 839, "富士通集团": 579},
    GBA: {"华为": 2267, "平安集团": 2145, "腾讯": 985, "中兴": 369, "OPPO": 368},
    BJ: {"百度": 380, "京东方": 228, "小米": 157, "京东": 136, "华为": 121, "西门子": 71, "清华大学": 168, "北京大学": 61},
    SF: {"谷歌": 2496, "英特尔": 942, "加州大学": 387},
    KOK: {"松下公司": 869, "欧姆龙集团": 569},
    SEL: {"三星集团": 2131, "LG集团": 890},
    NY: {"IBM公司": 1369}, "san-diego": {"高通公司": 1250}, "eindhoven": {"飞利浦": 2017}, "munich": {"西门子": 1506},
}


def test_applicants_and_concentration(d):
    app = d["app"]
    got = {c: dict(zip(g["applicant_zh"], g["valid_patents"])) for c, g in app.groupby("id")}
    assert got == APPLICANTS
    assert (app["provenance"] == "published").all() and app["applicant_en"].str.len().gt(0).all()
    sums = app.groupby("id")["valid_patents"].sum()
    assert (sums <= d["ti"].loc[sums.index, "valid"]).all()
    # 东京、旧金山-圣何塞、粤港澳大湾区、纽约、首尔等城市的专利主体集中度高；北京的主体比较分散
    cr = ai.applicant_concentration(app, d["t"])
    assert cr.idxmin() == BJ and all(cr[c] >= 0.2 for c in (TK, SF, GBA, NY, SEL))


IPC_TABLE = [  # 序号 IPC IPC释义 高质量专利量 占总量百分比
    ("G06N-0003", "基于生物学模型的计算机系统", 29514, 24.85), ("G06K-0009", "图形识别", 22282, 18.76),
    ("G06F-0017", "数字计算设备", 21482, 18.09), ("G06N-0020", "机器学习", 17913, 15.08),
    ("G06T-0007", "图像理解", 13133, 11.06), ("G06N-0005", "基于知识模式的计算机系统", 11756, 9.90),
    ("G06F-0016", "信息检索", 9926, 8.36), ("G06F-0003", "数据传输装置", 9504, 8.00),
    ("G05B-0013", "自适应控制系统", 8847, 7.45), ("G06Q-0010", "行政应用系统", 8422, 7.09),
    ("G06F-0015", "通用数据处理设备", 8216, 6.92), ("G06F-0019", "数字计算设备应用", 7648, 6.44),
    ("G10L-0015", "语音识别", 7607, 6.41), ("G06Q-0050", "特定行业应用系统", 7269, 6.12),
    ("G06F-0009", "程序控制单元", 7122, 6.00), ("H04L-0029", "数字信息传输设备、电路或系统", 6367, 5.36),
    ("A61B-0005", "人体测量诊断", 6239, 5.25), ("G06Q-0030", "商业应用系统", 5410, 4.56),
    ("H04L-0012", "数据交换网络", 5225, 4.40), ("G05B-0019", "程序控制系统", 5110, 4.30),
    ("G06F-0040", "自然语言处理", 4883, 4.11), ("G06N-0099", "其他计算机系统", 4790, 4.03),
    ("G16H-0050", "用于医疗诊断的信息通信技术", 4592, 3.87), ("G01N-0033", "材料分析", 4578, 3.85),
    ("G06F-0021", "数据安全装置", 4439, 3.74), ("G06V-0010", "视频识别", 4365, 3.68),
    ("G06N-0007", "基于特定数学模式的计算机系统", 4126, 3.47), ("B25J-0009", "程序控制机械手", 3708, 3.12),
    ("H04N-0005", "电视系统的零部件", 3637, 3.06), ("G06F-0007", "数据运算装置", 3611, 3.04),
]


def test_ipc_hotfield_table(d):
    hf = ai.hotfields(d["uni_ipc"], d["groups"], int(d["universe"]["hq_patents"]))
    got = [(r.ipc, r.label_zh, r.hq_patents, np.floor(r.share_pct * 100 + 0.5) / 100) for r in hf.itertuples()]
    assert got == IPC_TABLE
    assert list(hf["rank"]) == list(range(1, 31))


def test_ipc_field_groups(d):
    g = d["groups"].set_index("code")["field_group"]
    # labels printed in Figures 26(b), (c), (d); (a) takes the remaining ten
    assert set(g[g == "intelligent_control"].index) == {"G06F-0003", "G06F-0009", "H04L-0012", "B25J-0009",
                                                        "G05B-0019", "G05B-0013", "H04L-0029"}
    assert set(g[g == "computer_vision"].index) == {"G06K-0009", "G06F-0016", "G06V-0010", "H04N-0005",
                                                    "G06T-0007", "G10L-0015"}
    assert set(g[g == "applications"].index) == {"G06Q-0010", "G06Q-0050", "G06F-0019", "A61B-0005",
                                                 "G01N-0033", "G06Q-0030", "G16H-0050"}
    assert (g == "algorithms_compute").sum() == 10 and {"G06N-0003", "G06F-0017", "G06N-0020", "G06F-0040"} <= set(g[g == "algorithms_compute"].index)


def test_ipc_counts_consistent(d):
    ipc, ti = d["ipc"], d["ti"]
    uni = d["uni_ipc"].set_index("ipc")["hq_patents"]
    city = ipc.groupby("ipc")["hq_patents"].sum()
    assert (city <= uni[city.index]).all()
    assert (ipc["hq_patents"] <= ipc["id"].map(ti["hq"])).all()
    assert d["by_year"].groupby("ipc")["hq_patents"].sum().sort_index().equals(uni.sort_index())


def test_hotfield_trends(d):
    w = ai.hotfield_trends(d["by_year"])
    # 2016 年之前数字计算设备是人工智能发展的重点热点领域
    assert all(w[y].idxmax() == "G06F-0017" for y in w.columns if y < 2016)
    # 2016 年后神经网络与遗传算法、图形识别、机器学习、图像理解、信息检索呈爆发式增长趋势
    g = (w[2022] / w[2016]).sort_values(ascending=False)
    assert set(g.index[:5]) == {"G06N-0003", "G06K-0009", "G06N-0020", "G06T-0007", "G06F-0016"}


@pytest.fixture(scope="module")
def fig26(d):
    codes = list(d["groups"]["code"])
    m = ai.hotfield_matrix(d["ipc"], BOTH, codes)
    by = {g: ai.group_codes(d["groups"], g) for g in d["groups"]["field_group"].unique()}
    return {"m": m, "r": ai.column_ranks(m), "a": ai.relative_advantage(m), "by": by, "codes": codes}


def test_fig26a_algorithms(fig26):
    r, a = fig26["r"], fig26["a"]
    assert r.at[GBA, "G06N-0003"] == 1                                   # 粤港澳大湾区在神经网络与遗传算法领域位居第一
    for c in ("G06N-0003", "G06F-0017", "G06N-0020"):                    # 东京、旧金山-圣何塞显著优势
        assert r.at[TK, c] <= 3 and r.at[SF, c] <= 3, c
    for c in ("G06F-0017", "G06N-0005", "G06N-0007", "G06N-0099"):       # 各类算法、数字计算设备的比较优势
        assert a.at[TK, c] > 1 and a.at[SF, c] > 1, c
    for city in (GBA, SEL, BJ):                                          # 高度重视神经网络、机器学习、自然语言处理
        assert all(a.at[city, c] > 1 for c in ("G06N-0003", "G06N-0020", "G06F-0040")), city


def test_fig26b_intelligent_control(fig26):
    m, r, a, by = fig26["m"], fig26["r"], fig26["a"], fig26["by"]
    lead = m[by["intelligent_control"]].sum(axis=1).sort_values(ascending=False)
    assert set(lead.index[:5]) == {TK, GBA, SF, KOK, NY}                 # 主要由东京、粤港澳大湾区、旧金山、京阪神、纽约主导
    assert all(r.at[TK, c] == 1 for c in by["intelligent_control"])     # 东京全方位布局
    for city in (TK, KOK):
        assert all(a.at[city, c] > 1 for c in ("G06F-0003", "G05B-0013", "G05B-0019")), city
    for city in (GBA, SF, NY):                                           # 重点布局数据传输、数据交换
        assert all(a.at[city, c] > 1 for c in ("H04L-0029", "H04L-0012")), city


def test_fig26c_computer_vision(fig26):
    m, r, a, by = fig26["m"], fig26["r"], fig26["a"], fig26["by"]
    lead = m[by["computer_vision"]].sum(axis=1).sort_values(ascending=False)
    assert set(lead.index[:4]) == {GBA, BJ, TK, SEL}
    assert all(r.at[GBA, c] == 1 for c in ("G06K-0009", "G06F-0016", "G06V-0010"))
    assert all(r.at[TK, c] == 1 for c in ("G06T-0007", "G10L-0015", "H04N-0005"))
    assert all(r.at[TK, c] <= 3 for c in ("G06K-0009", "G06F-0016"))
    for city in (BJ, SEL):
        assert all(a.at[city, c] > 1 for c in ("G06K-0009", "G06T-0007", "G06F-0016", "G10L-0015")), city


def test_fig26d_applications(fig26):
    r, a, by = fig26["r"], fig26["a"], fig26["by"]
    assert all(r.at[TK, c] <= 5 and r.at[SF, c] <= 5 for c in by["applications"])
    assert all(r.at["eindhoven", c] <= 3 for c in ("G06F-0019", "G16H-0050", "A61B-0005"))
    assert a.at[GBA, "G06Q-0050"] > 1 and a.at[BJ, "G06Q-0050"] > 1


def test_tokyo_and_sf_lead_everywhere(fig26):
    r = fig26["r"]
    assert all(r.at[TK, c] <= 3 and r.at[SF, c] <= 5 for c in fig26["codes"])
    # 机器学习、知识处理技术、基础算法、语音识别、数字信息传输、自然语言处理、数字计算设备方面均位于全球领先地位
    for c in ("G06N-0020", "G06N-0005", "G06N-0007", "G10L-0015", "H04L-0029", "G06F-0040", "G06F-0017"):
        assert r.at[TK, c] <= 3 and r.at[SF, c] <= 3, c


def test_hot_technologies_led_by_six_cities(fig26):
    # 神经网络与遗传算法、机器学习、计算机视觉技术蓬勃发展，东京、粤港澳大湾区、北京、旧金山-圣何塞、首尔、纽约成为其主导力量
    m, by = fig26["m"], fig26["by"]
    hot = m[["G06N-0003", "G06N-0020"] + by["computer_vision"]].sum(axis=1).sort_values(ascending=False)
    assert set(hot.index[:6]) == {TK, GBA, BJ, SF, SEL, NY}


def test_chinese_cities_focus_vision_and_neural_networks(fig26):
    m, a, by = fig26["m"], fig26["a"], fig26["by"]
    cv = m[by["computer_vision"]].sum(axis=1) / m.sum(axis=1)
    pooled = m[by["computer_vision"]].to_numpy().sum() / m.to_numpy().sum()
    for city in (GBA, BJ):
        assert a.at[city, "G06N-0003"] > 1 and cv[city] > pooled


def test_periods_and_results_of_the_2023_edition(d, real_edition):
    """The periods come from data/2023/meta/edition.yaml (read here with yaml); ``results(ed)`` is
    the rules above on the edition's data, with one growth column per window of the edition."""
    import yaml
    from gihi.core.paths import DATA_DIR
    raw = yaml.safe_load((DATA_DIR / "2023" / "meta" / "edition.yaml").read_text(encoding="utf-8"))["ai_patents"]
    per = ai.periods(real_edition)
    assert per["stages"] == [tuple(s) for s in raw["stages"]] == [(2003, 2011), (2012, 2020), (2020, 2022)]
    assert per["city_growth"] == {"long": (2012, 2020), "recent": (2020, 2022)}
    assert per["stock_chart_from"] == raw["stock_chart_from"] == 2004
    r = ai.results(real_edition)
    pd.testing.assert_frame_equal(r["totals"], d["t"])
    table = r["table"].set_index("id")
    assert list(r["table"].columns[-2:]) == ["cagr_long", "cagr_recent"]
    g = ai.growth(d["p"], 2020, 2022) * 100
    assert table["cagr_recent"].reindex(g.index).tolist() == pytest.approx(g.tolist(), nan_ok=True, rel=1e-12)
    assert round(table.loc[BJ, "cagr_recent"], 1) == 77.0 and list(table.index[:5]) == [BJ, GBA, TK, SEL, SF]
    assert r["both_top"] == ai.in_both_top(d["t"])
    assert list(r["hotfields"]["ipc"].head(1)) == ["G06N-0003"] and len(r["hotfields"]) == 30


def test_results_of_a_synthetic_edition(synthetic, synthetic_root):
    """On the factory's patents (tests/factory.py): its edition.yaml windows, totals by hand with pandas."""
    import factory as F
    r = ai.results(synthetic)
    pat = pd.read_csv(synthetic_root / str(F.YEAR) / "ai_patents" / "patents_by_year.csv")
    years = sorted(pat["year"].unique())
    assert ai.periods(synthetic)["city_growth"] == {"long": (years[0], years[-1]), "recent": (years[-2], years[-1])}
    table = r["table"].set_index("id")
    totals = pat.groupby("id")["valid"].sum()
    assert table["valid"].to_dict() == totals.to_dict()
    flow = pat.set_index(["id", "year"])["valid"]
    c = "hub-02"
    assert table.loc[c, "cagr_recent"] == pytest.approx(100 * (flow[(c, years[-1])] / flow[(c, years[-2])] - 1), rel=1e-12)
    assert table["valid_rank"].tolist() == sorted(table["valid_rank"].tolist())
    uni = pd.read_csv(synthetic_root / str(F.YEAR) / "ai_patents" / "ipc_universe.csv")
    hq_total = pd.read_csv(synthetic_root / str(F.YEAR) / "ai_patents" / "universe.csv").set_index("measure").at["hq_patents", "value"]
    hot = r["hotfields"].set_index("ipc")
    assert hot["share_pct"].to_dict() == pytest.approx((100 * uni.set_index("ipc")["hq_patents"] / hq_total).to_dict())
