"""GII benchmark (gihi/analysis/gii.py and data/gii/): the cluster file against the source article, the
mapping, the combination rules, the correlations (hand-worked and scipy on the real matched set
rebuilt here from the CSVs), the disagreement rule and benchmark_frame."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from scipy import stats

import factory as F
from _seeds import seed_path
from gihi import open_edition
from gihi.analysis import gii
from gihi.core.paths import DATA_DIR

SEED = "004_2cf489413f37add2.txt"  # the WIPO GII 2025 clusters article (tests/_seeds.py finds it)
GII = DATA_DIR / "gii"
MAPPING = DATA_DIR / "2023" / "meta" / "gii_mapping.csv"
CITIES = DATA_DIR / "2023" / "meta" / "cities.csv"
CJK = "\u3400-\u9fff"


def read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


@pytest.fixture(scope="module")
def clusters() -> pd.DataFrame:
    return read(GII / "2025" / "clusters.csv")


@pytest.fixture(scope="module")
def mapping() -> pd.DataFrame:
    return read(MAPPING)


@pytest.fixture(scope="module")
def seed() -> str:
    return seed_path(SEED).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def idx(real_edition):
    """The 2023 edition (its ``scores``: every level's score and rank)."""
    return real_edition


@pytest.fixture(scope="module")
def bench(real_edition):
    return gii.compute(real_edition)


def _num(printed: str) -> float:
    return float(printed.replace(",", "").replace(" ", ""))


# --------------------------------------------------------------------------- the cluster file

# literal strings copied from the article: (snippet, cluster, field); the expected value is read
# from the snippet itself, so an edit of the CSV (or of these strings) makes the test fail
SPOT = [
    ("第1名，深圳–香港–广州", "深圳–香港–广州", "rank"),
    ("第2名，东京–横滨（Tokyo–Yokohama）", "东京–横滨", "rank"),
    ("第10名洛杉矶（Los Angeles）", "洛杉矶", "rank"),
    ("第46位，孟买（Mumbai）", "孟买", "rank"),
    ("第92 名，盐湖城（Salt Lake City）", "盐湖城", "rank"),
    ("第100名，镇江", "镇江", "rank"),
    ("巴萨罗那（排名45）", "巴萨罗那", "rank"),
    ("墨西哥城（排名79）", "墨西哥城", "rank"),
    ("北京（SP得分331,874.00）", "北京", "sp"),
    ("长沙（SP得分67, 213.20）", "长沙", "sp"),
    ("哈尔滨（SP得分51,167.10）", "哈尔滨", "sp"),
    ("东京–横滨（PCT分数135,129.00）", "东京–横滨", "pct"),
    ("西雅图（PCT分数10,883.70）", "西雅图", "pct"),
    ("圣何塞–旧金山（VC分数16,296.00）", "圣何塞–旧金山", "vc"),
    ("悉尼（VC分数1,527.00）", "悉尼", "vc"),
]


@pytest.mark.parametrize("snippet,name,field", SPOT)
def test_spot_checks_against_the_article(snippet, name, field, clusters, seed):
    assert snippet in seed
    row = clusters.set_index("name_zh").loc[name]
    if field == "rank":
        expected = int(re.search(r"(?:第|排名)(\d+)", snippet).group(1))
        assert int(row["rank"]) == expected
    else:
        printed = re.search(r"(?:得分|分数)([\d, .]+)）", snippet).group(1)
        assert row[f"{field}_printed"] == printed
        assert float(row[f"{field}_score"]) == pytest.approx(_num(printed))


def _section(seed: str, start: str, end: str) -> str:
    return seed[seed.index(start):seed.index(end)]


def test_every_rank_of_the_article_is_in_the_file_and_back(clusters, seed):
    lists = _section(seed, "一、从创新集群数量和排名观察", "二、从不同细分领域观察")
    printed = {(m.group(2), int(m.group(1))) for m in re.finditer(r"第(\d+)\s*[名位]，?([^（；、。，\s]+)", lists)}
    # the top-applicant paragraph: "还有班加罗尔（排名21）、莫斯科（排名48）", "也发生在巴萨罗那（排名45）"
    printed |= {(m.group(1), int(m.group(2))) for m in re.finditer(rf"(?:、|还有|发生在)([{CJK}–]+)（排名(\d+)）", seed)}
    ranked = clusters[clusters["rank"] != ""]
    in_file = {(n, int(r)) for n, r in zip(ranked["name_zh"], ranked["rank"])}
    assert printed == in_file
    assert len(in_file) == 72 and len(clusters) == 87


def test_every_score_is_printed_as_in_the_article(clusters, seed):
    for field, word in (("sp", "SP得分"), ("pct", "PCT分数"), ("vc", "VC分数")):
        n_article = len(re.findall(rf"（{word}[\d, .]+）", seed))
        rows = clusters[clusters[f"{field}_printed"] != ""]
        assert len(rows) == n_article, field
        for _, r in rows.iterrows():
            assert f"{r['name_zh']}（{word}{r[f'{field}_printed']}）" in seed
            assert float(r[f"{field}_score"]) == pytest.approx(_num(r[f"{field}_printed"]))
        assert (clusters.loc[clusters[f"{field}_printed"] == "", f"{field}_score"] == "").all()
    assert (len(clusters[clusters["sp_printed"] != ""]), len(clusters[clusters["pct_printed"] != ""]),
            len(clusters[clusters["vc_printed"] != ""])) == (26, 17, 30)


def test_names_and_economies_are_as_published(clusters, seed):
    for _, r in clusters.iterrows():
        assert r["name_zh"] in seed
        if r["name_en_source"] == "article":
            assert f"{r['name_zh']}（{r['name_en']}）" in seed
        else:
            assert r["name_en_source"] == "translation"
        assert (r["economy_zh"] == "") == (r["economy_source"] == "") == (r["economy_en"] == "")
        assert r["provenance"]
        has_score = any(r[f"{f}_printed"] for f in ("sp", "pct", "vc"))
        assert (r["unit_zh"], r["unit_en"]) == (("分", "points") if has_score else ("", ""))
    assert set(clusters["economy_source"]) <= {"", "section", "text", "tally"}
    # the §一 lists by economy: a cluster listed under 美国 is a US cluster
    us = _section(seed, "美国共有22个集群", "英国、德国和印度")
    us_names = {m.group(1) for m in re.finditer(r"第\d+\s*名，?([^（]+)（", us)}
    assert us_names == set(clusters.loc[clusters["economy_en"] == "United States", "name_zh"])
    assert len(us_names) == 22


def test_typed_clusters_types_and_checks(tmp_path, real_edition):
    name = gii.clusters_file(2025)
    assert name == "gii/2025/clusters.csv" and real_edition.location(name) == name
    c = gii.typed_clusters(real_edition.frame(name), name)
    assert str(c["rank"].dtype) == "Int64" and c["sp_score"].dtype == float
    assert c.set_index("name_en").loc["Beijing", "sp_score"] == pytest.approx(331874.0)
    assert c["rank"].isna().sum() == 87 - 72 and c["pct_score"].notna().sum() == 17
    d = tmp_path / "data"
    shutil.copytree(GII, d / "gii")
    p = d / "gii" / "2025" / "clusters.csv"
    text = p.read_text(encoding="utf-8").replace("\n2,东京–横滨", "\n1,东京–横滨", 1)
    p.write_text(text, encoding="utf-8")
    with pytest.raises(gii.GIIDataError, match=r"gii/2025/clusters.csv, row 2, column rank: found 1; .*first at row 1"):
        gii.typed_clusters(read(p), "gii/2025/clusters.csv")


# --------------------------------------------------------------------------- mapping and config

def test_mapping_refers_to_known_cities_and_clusters(mapping, clusters):
    cities = read(CITIES)
    assert list(mapping.columns) == ["gihi_id", "gii_cluster", "relation", "note_zh", "note_en"]
    assert mapping["gihi_id"].isin(cities["id"]).all()
    assert mapping["gii_cluster"].isin(clusters["name_en"]).all()
    assert not mapping.duplicated(["gihi_id", "gii_cluster"]).any()
    assert set(mapping["relation"]) == {"exact", "gihi_part_of_cluster", "cluster_part_of_gihi", "several_gihi_cities"}
    for _, r in mapping.iterrows():
        assert r["note_zh"].strip() and r["note_en"].strip()
        assert re.search(f"[{CJK}]", r["note_zh"]) and not re.search(r"[,;:()]", r["note_zh"]), r["note_zh"]
        assert not re.search(f"[{CJK}]", r["note_en"]), r["note_en"]
    pairs = set(zip(mapping["gihi_id"], mapping["gii_cluster"]))
    assert {("greater-bay-area", "Shenzhen–Hong Kong–Guangzhou"), ("shanghai", "Shanghai–Suzhou"),
            ("suzhou", "Shanghai–Suzhou")} <= pairs


def test_mapping_problems_lists_every_fault(clusters):
    c = gii.typed_clusters(clusters, "gii/2025/clusters.csv")
    bad = pd.DataFrame({"gihi_id": ["beijing", "atlantis", "beijing"], "gii_cluster": ["Beijing", "Beijing", "Beijing"],
                        "relation": ["exact", "twin", "exact"], "note_zh": ["同名", "", "同名"], "note_en": ["x", "y", "x"]})
    probs = gii.mapping_problems(bad, c, ["beijing"], ["exact"])
    assert any("atlantis" in p for p in probs) and any("twin" in p for p in probs)
    assert any("empty note_zh" in p for p in probs) and any("again" in p for p in probs)
    cfg = gii.check_config(yaml.safe_load((GII / "benchmark.yaml").read_text(encoding="utf-8")))
    assert gii.mapping_problems(read(MAPPING), c, read(CITIES)["id"], cfg["relations"]) == []


def test_check_config():
    raw = yaml.safe_load((GII / "benchmark.yaml").read_text(encoding="utf-8"))
    cfg = gii.check_config(raw)
    assert cfg["combine"] == "best" and [p["gihi"] for p in cfg["pairs"]] == ["composite", "A4", "B1", "C2"]
    assert "editions" not in cfg                                  # the GII edition is the GIHI edition's setting
    with pytest.raises(gii.GIIDataError, match=r"gii/benchmark.yaml, entry combine: found median; expected best or mean"):
        gii.check_config({**raw, "combine": "median"})
    with pytest.raises(gii.GIIDataError, match=r"entry pairs"):
        gii.check_config({k: v for k, v in raw.items() if k != "pairs"})


def test_edition_comes_from_the_editions_settings(real_edition, tmp_path):
    assert gii.gii_edition(real_edition) == (2025, True)              # data/2023/meta/edition.yaml sets it
    no_gii = F.make_edition(tmp_path / "a")                           # no gii/ and no gii_edition
    with pytest.raises(gii.GIIDataError, match="no GII edition"):
        gii.gii_edition(no_gii)
    # GII data but no gii_edition: the latest GII edition with a clusters.csv, flagged as not set
    root = F.make_data(tmp_path / "b", gii=True)
    shutil.copytree(root / "gii" / str(F.YEAR - 1), root / "gii" / str(F.YEAR - 3))
    (root / str(F.YEAR) / "meta" / "edition.yaml").write_text("{}\n", encoding="utf-8")
    ed = open_edition(F.YEAR, root)
    assert gii.available_editions(ed) == [F.YEAR - 3, F.YEAR - 1]
    assert gii.gii_edition(ed) == (F.YEAR - 1, False)


# --------------------------------------------------------------------------- units and combination

def test_components_and_principal_cluster():
    m = pd.DataFrame({"gihi_id": ["g1", "g2", "g3", "g3"], "gii_cluster": ["c1", "c1", "c2", "c3"]})
    assert gii.components(m) == [(["g1", "g2"], ["c1"]), (["g3"], ["c2", "c3"])]
    cl = pd.DataFrame({"name_en": ["c1", "c2", "c3", "c4"], "rank": pd.array([None, 10, 5, None], dtype="Int64")})
    assert gii.principal_cluster(["c2", "c3"], cl) == "c3"
    assert gii.principal_cluster(["c4", "c1"], cl) == "c1"  # both unranked: file order
    assert gii.principal_cluster(["c1", "c2"], cl) == "c2"  # ranked before unranked


def test_combined_rank_best_and_mean():
    s = pd.DataFrame({"composite": [90.0, 70.0, 95.0, 85.0, 80.0, 60.0],
                      "composite_rank": [2, 5, 1, 3, 4, 6]}, index=list("abcdef"))
    assert gii.combined_rank(s, ["a", "b"], "composite", "best") == 2
    # mean of a and b = 80; non-members above 80: c (95) and d (85) -> rank 3 (e at 80 is not above)
    assert gii.combined_rank(s, ["a", "b"], "composite", "mean") == 3
    assert gii.combined_rank(s, ["f"], "composite", "mean") == 6
    assert np.isnan(gii.combined_rank(s, ["zz"], "composite", "best"))
    with pytest.raises(ValueError, match="unknown combine rule"):
        gii.combined_rank(s, ["a"], "composite", "median")


def test_score_ranks_rank_printed_scores_only():
    cl = pd.DataFrame({"name_en": ["a", "b", "c", "d"], "sp_score": [5.0, np.nan, 9.0, 5.0],
                       "pct_score": [np.nan] * 4, "vc_score": [1.0, 2.0, 3.0, 4.0]})
    r = gii.score_ranks(cl)
    assert r["sp_rank"].tolist() == [2, pd.NA, 1, 2]
    assert r["pct_rank"].isna().all() and r["vc_rank"].tolist() == [4, 3, 2, 1]


# --------------------------------------------------------------------------- correlations

def test_rank_correlation_hand_worked():
    # d = (-1, 1, -1, 1, 0), sum d^2 = 4: rho = 1 - 6*4 / (5*(25-1)) = 0.8
    # pairs: 10, discordant (1,2) and (3,4): tau = (8 - 2) / 10 = 0.6
    r = gii.rank_correlation([1, 2, 3, 4, 5, None], [2, 1, 4, 3, 5, 7])
    assert r["n"] == 5
    assert r["spearman"] == pytest.approx(0.8) and r["kendall"] == pytest.approx(0.6)
    assert 0 < r["spearman_p"] < 1 and 0 < r["kendall_p"] < 1
    assert np.isnan(gii.rank_correlation([1, 2], [2, 1])["spearman"])


def _independent_units(idx, pair_gihi: str, pair_gii: str, clusters: Path = GII / "2025" / "clusters.csv",
                       mapping: Path = MAPPING) -> pd.DataFrame:
    """The matched set rebuilt from the CSVs: each main-list city goes to its best-ranked mapped
    cluster; cities sharing a cluster take their best GIHI rank."""
    cl = read(clusters)
    cl["rank"] = pd.to_numeric(cl["rank"])
    for f in ("sp_score", "pct_score", "vc_score"):
        cl[f] = pd.to_numeric(cl[f])
    m = read(mapping).merge(cl, left_on="gii_cluster", right_on="name_en")
    main = idx.scores[idx.scores["group"] == "main"]
    m = m[m["gihi_id"].isin(main.index)]
    m = m.sort_values(["gihi_id", "rank"], na_position="last").drop_duplicates("gihi_id")
    if pair_gii == "rank":
        m["y"] = m["rank"]
    else:
        m["y"] = m["gii_cluster"].map(cl.set_index("name_en")[pair_gii].rank(ascending=False, method="min"))
    m["x"] = m["gihi_id"].map(main[f"{pair_gihi}_rank"].astype(float))
    u = m.groupby("gii_cluster").agg(x=("x", "min"), y=("y", "first"))
    return u.dropna()


@pytest.mark.parametrize("pair,gihi_level,gii_field", [("composite", "composite", "rank"), ("publications", "A4", "sp_score"),
                                                      ("pct", "B1", "pct_score"), ("vc", "C2", "vc_score")])
def test_correlations_equal_scipy_on_the_real_matched_set(idx, bench, pair, gihi_level, gii_field):
    u = _independent_units(idx, gihi_level, gii_field)
    row = bench.correlations.set_index("pair").loc[pair]
    assert (row["gihi"], row["gii"]) == (gihi_level, gii_field)
    assert row["n"] == len(u)
    assert row["spearman"] == pytest.approx(stats.spearmanr(u["x"], u["y"])[0], abs=1e-12)
    assert row["kendall"] == pytest.approx(stats.kendalltau(u["x"], u["y"])[0], abs=1e-12)
    assert row["spearman_p"] == pytest.approx(stats.spearmanr(u["x"], u["y"])[1], rel=1e-9)


SYNTHETIC_PAIRS = [(p["id"], p["gihi"], p["gii"]) for p in F.BENCHMARK["pairs"]]


@pytest.mark.parametrize("pair,gihi_level,gii_field", SYNTHETIC_PAIRS)
def test_benchmark_of_a_synthetic_edition_equals_scipy(synthetic, synthetic_root, pair, gihi_level, gii_field):
    """The rules on the factory's GII data (tests/factory.py: city-01 and city-02 share Cluster 1;
    city-03 holds Cluster 3 and the better-ranked Cluster extra; the last paired city's cluster has
    no rank; city-09 and city-10 have none)."""
    b = gii.benchmark(synthetic)
    files = dict(clusters=synthetic_root / "gii" / str(F.YEAR - 1) / "clusters.csv",
                 mapping=synthetic_root / str(F.YEAR) / "meta" / "gii_mapping.csv")
    u = _independent_units(synthetic, gihi_level, gii_field, **files)
    row = b.correlations.set_index("pair").loc[pair]
    assert (row["gihi"], row["gii"], row["n"]) == (gihi_level, gii_field, len(u))
    if len(u) >= 3:
        assert row["spearman"] == pytest.approx(stats.spearmanr(u["x"], u["y"])[0], abs=1e-12)
        assert row["kendall"] == pytest.approx(stats.kendalltau(u["x"], u["y"])[0], abs=1e-12)
    units = b.units.set_index("unit")
    assert list(units.index) == ["city-01+city-02", "city-03", *[f"city-{k:02d}" for k in range(4, 9)]]
    assert (units.loc["city-03", "cluster"], units.loc["city-03", "gii_rank"]) == ("Cluster extra", 2)
    assert set(units.loc["city-03", "clusters"]) == {"Cluster 3", "Cluster extra"}
    best = int(synthetic.scores.loc[["city-01", "city-02"], "composite_rank"].min())
    assert (units.loc["city-01+city-02", "gii_rank"], units.loc["city-01+city-02", "gihi_composite_rank"]) == (3, best)
    assert pd.isna(units.loc["city-08", "gii_rank"]) and len(b.matched) == 6
    gap = u["x"].rank(method="min") - u["y"].rank(method="min") if gii_field == "rank" else None
    if gap is not None:
        d = b.disagreements
        assert len(d) == F.BENCHMARK["disagreements"]["top"]
        assert sorted(d["diff"].abs(), reverse=True) == sorted(gap.abs(), reverse=True)[:len(d)]
    f = gii.benchmark_frame(synthetic)
    assert f["id"].tolist() == ["city-03", *sorted(["city-01", "city-02"], key=lambda c: synthetic.scores.loc[c, "composite_rank"]),
                                "city-04", "city-05", "city-06", "city-07"]
    assert f["gii_rank"].tolist() == [2, 3, 3, 12, 15, 18, 21]


def test_matched_set_counts(bench):
    assert len(bench.matched) == 62 and sum(len(x) for x in bench.matched["members"]) == 63
    sh = bench.units.set_index("unit").loc["shanghai+suzhou"]
    assert sh["cluster"] == "Shanghai–Suzhou" and sh["gii_rank"] == 6
    gba = bench.units.set_index("unit").loc["greater-bay-area"]
    assert gba["cluster"] == "Shenzhen–Hong Kong–Guangzhou" and set(gba["clusters"]) == {"Shenzhen–Hong Kong–Guangzhou", "Macao–Zhuhai"}
    assert not bench.units["unit"].str.contains("cambridge|oxford|ann-arbor|heidelberg|jerusalem|eindhoven").any()


# --------------------------------------------------------------------------- disagreements

def test_indicator_mean_ranks_hand_worked():
    wide = pd.DataFrame({"I1": [10.0, 20.0, 30.0], "I2": [3.0, np.nan, 1.0], "I3": [0.1, 0.2, 0.3]}, index=list("abc"))
    ind = pd.DataFrame({"code": ["I1", "I2", "I3"], "kind": ["count", "count", "per_million"]})
    v = gii.indicator_mean_ranks(wide, ind, ["count"])
    assert v.to_dict() == {"a": (3 + 1) / 2, "b": 2.0, "c": (1 + 2) / 2}
    assert gii.indicator_mean_ranks(wide, ind, ["per_million"]).to_dict() == {"a": 3.0, "b": 2.0, "c": 1.0}


def test_reason_rule_hand_worked():
    pill = {"A": 10, "B": 50, "C": 30}
    assert gii.reason(5, 5, pill, 40, 60, 15)["code"] == "scale"          # GII higher, per capita 20 worse
    assert gii.reason(-5, 5, pill, 60, 40, 15)["code"] == "intensity"     # GIHI higher, per capita 20 better
    r = gii.reason(5, 5, pill, 40, 50, 15)                                # gap 10 < 15: pillar rule
    assert (r["code"], r["pillar"], r["pillar_rank"]) == ("below", "B", 50)
    r = gii.reason(-5, 80, {"A": 70, "B": 20, "C": 40}, 40, 45, 15)
    assert (r["code"], r["pillar"], r["pillar_rank"]) == ("above", "B", 20)
    assert (r["volume_rank"], r["per_capita_rank"]) == (40, 45)


def test_disagreements_are_the_largest_position_gaps(idx, bench):
    u = _independent_units(idx, "composite", "rank")
    gap = (u["x"].rank(method="min") - u["y"].rank(method="min"))
    top = int(bench.config["disagreements"]["top"])
    d = bench.disagreements
    assert len(d) == top
    assert sorted(d["diff"].abs(), reverse=True) == sorted(gap.abs(), reverse=True)[:top]
    assert list(d["diff"].abs()) == sorted(d["diff"].abs(), reverse=True)
    assert (d["diff"] == d["gihi_pos"] - d["gii_pos"]).all()
    assert set(d["code"]) <= {"scale", "intensity", "below", "above"}
    assert ((d["diff"] > 0) == d["code"].isin(["scale", "below"])).all()


# --------------------------------------------------------------------------- benchmark_frame

def test_benchmark_frame(bench, real_edition):
    f = gii.benchmark_frame(real_edition)
    assert list(f.columns) == ["id", "name_zh", "gii_cluster", "gihi_rank", "gii_rank"]
    assert len(f) == 63 and f["id"].is_unique
    assert f["gihi_rank"].dtype.kind == "i" and f["gii_rank"].dtype.kind == "i"
    assert f["gii_rank"].between(1, 100).all() and f["gii_rank"].is_monotonic_increasing
    cities = read(CITIES).set_index("id")
    assert (cities.loc[f["id"], "group"] == "main").all()
    r = f.set_index("id")
    assert r.loc["shanghai", "gii_cluster"] == r.loc["suzhou", "gii_cluster"] == "Shanghai–Suzhou"
    assert (r.loc["greater-bay-area", "gii_cluster"], r.loc["greater-bay-area", "gii_rank"]) == ("Shenzhen–Hong Kong–Guangzhou", 1)
    assert r.loc["beijing", "name_zh"] == "北京"
