"""Every registered chart renders on small hand-made inputs (in bi, both languages at once) as
tests/_chartcheck.py requires: no warnings (also no matplotlib log warnings), every drawn string
covered by the house fonts, Chinese labels in Chinese typographic style; LABELS and the figure
captions (UI strings ``figure.<id>``) complete in both languages. (Every chart in zh, en and bi
from the 2023 edition: tests/test_chart_geometry.py, with the same checks.)"""

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from gihi.analysis import disciplines as D
from gihi.core.paths import DATA_DIR, meta_path
from gihi.report import i18n, style
from gihi.report.chapters import CHAPTERS, chapter_module
from gihi.report.charts import FIGURES, LABELS, code_labels
from gihi.report.charts.labels import Labeller, join, zh_style_problems
from _chartcheck import CJK, check_texts, no_warnings, texts

# ---- hand-made inputs -----------------------------------------------------------------------

CITIES = pd.DataFrame([
    # id, name_zh, name_en, iso3, group, lat, lon, continent
    ("sf", "旧金山-圣何塞", "San Francisco–San Jose", "USA", "main", 37.77, -122.42, "north_america"),
    ("ny", "纽约", "New York", "USA", "main", 40.71, -74.01, "north_america"),
    ("bos", "波士顿", "Boston", "USA", "main", 42.36, -71.06, "north_america"),
    ("bj", "北京", "Beijing", "CHN", "main", 39.90, 116.40, "asia"),
    ("sh", "上海", "Shanghai", "CHN", "main", 31.23, 121.47, "asia"),
    ("gba", "粤港澳大湾区", "Guangdong–Hong Kong–Macao Greater Bay Area", "CHN", "main", 22.54, 114.06, "asia"),
    ("ldn", "伦敦", "London", "GBR", "main", 51.51, -0.13, "europe"),
    ("par", "巴黎", "Paris", "FRA", "main", 48.86, 2.35, "europe"),
    ("tyo", "东京", "Tokyo", "JPN", "main", 35.68, 139.69, "asia"),
    ("syd", "悉尼", "Sydney", "AUS", "main", -33.87, 151.21, "oceania"),
    ("sp", "圣保罗", "São Paulo", "BRA", "main", -23.55, -46.63, "south_america"),
    ("jnb", "约翰内斯堡", "Johannesburg", "ZAF", "main", -26.20, 28.05, "africa"),
    ("oxf", "牛津", "Oxford", "GBR", "mini", 51.75, -1.26, "europe"),
    ("gen", "日内瓦", "Geneva", "CHE", "mini", 46.20, 6.14, "europe"),
    ("aa", "安娜堡", "Ann Arbor", "USA", "mini", 42.28, -83.74, "north_america"),
], columns=["id", "name_zh", "name_en", "country_iso3", "group", "lat", "lon", "continent"])
IDS = list(CITIES["id"])
MAIN = list(CITIES.loc[CITIES["group"] == "main", "id"])
RNG = np.random.default_rng(20230)
SUBS = [f"{p}{k}" for p in "ABC" for k in range(1, 5)]
CODES = [f"I{k:02d}" for k in range(1, 31)]


def _read_meta(name):
    """A metadata file of the 2023 edition (data/2023/meta/<name>, else the shared data/meta/<name>)."""
    return pd.read_csv(meta_path(DATA_DIR, name, 2023), dtype=str, keep_default_na=False)


INDICATORS = _read_meta("indicators.csv")
META = code_labels(_read_meta("tree.csv"), INDICATORS)
DISCIPLINES = _read_meta("disciplines.csv")
IPC_GROUPS = _read_meta("ipc_groups.csv")

SCORES = pd.DataFrame({"id": IDS, "group": CITIES["group"]})
for col in ["composite", "A", "B", "C", *SUBS]:
    SCORES[col] = np.round(RNG.uniform(60, 100, len(IDS)), 2)
SCORES.loc[0, ["composite", "A"]] = 100.0
RAW = pd.DataFrame({"id": IDS})
for c in CODES:
    RAW[c] = np.round(RNG.lognormal(3, 1.5, len(IDS)), 3)
RAW.loc[2, "I02"] = np.nan          # a missing value is shown as "n/a"
RAW.loc[3, "I15"] = -1.5            # negative growth rate
PATTERNS = pd.DataFrame({"id": IDS, "group": CITIES["group"], "A": RNG.uniform(0, 100, len(IDS)),
                         "B": RNG.uniform(0, 100, len(IDS)), "C": RNG.uniform(0, 100, len(IDS))})
FLOWS = pd.DataFrame({"id": IDS, "group": CITIES["group"], "agglomeration": RNG.uniform(0, 100, len(IDS)),
                      "radiation": RNG.uniform(0, 100, len(IDS))})
CHANGES = pd.DataFrame({"id": MAIN, "rank": range(1, len(MAIN) + 1),
                        "prev_rank": pd.array([2, 1, 3, 7, 4, None, 5, 9, 8, 15, 11, 10], dtype="Int64")})
LISTING = pd.DataFrame({"id": ["sf", "ny", "bos", "ldn", "bj", "tyo", "syd"],
                        "n_top10": [22, 22, 20, 19, 15, 6, 1], "n_champion": [9, 4, 3, 2, 4, 0, 0],
                        "mean_hcp_ratio": [0.0175, 0.014, 0.016, 0.0138, 0.0088, 0.0101, 0.0121]})
EXCELLENCE = LISTING.assign(papers=[700_000, 1_400_000, 1_000_000, 1_050_000, 2_000_000, 1_100_000, 300_000],
                            papers_cagr=[0.03, 0.02, 0.025, 0.03, 0.09, 0.01, 0.04])
_disc = list(DISCIPLINES["code"])
_papers = pd.DataFrame([(i, d, int(RNG.integers(50, 5000)), int(RNG.integers(0, 40)))
                        for i in ["sf", "ny", "bos", "ldn", "bj", "tyo", "syd"] for d in _disc],
                       columns=["id", "discipline", "papers", "hcp"])
SHARES = D.discipline_shares(_papers)
CLUSTERING = D.cluster_profiles(SHARES)
YEARS = list(range(2004, 2023))
SERIES = pd.DataFrame([(i, y, float((k + 1) * 100 + (y - 2004) ** 2 * (5 - k % 5)))
                       for k, i in enumerate(["tyo", "gba", "bj", "sf", "ny"]) for y in YEARS],
                      columns=["id", "year", "value"])
TOTALS = pd.DataFrame({"id": MAIN, "valid": RNG.integers(1000, 20000, len(MAIN)),
                       "pct": RNG.integers(10, 4000, len(MAIN)), "triadic": RNG.integers(0, 900, len(MAIN)),
                       "hq": RNG.integers(10, 9000, len(MAIN))})
_ipc = list(IPC_GROUPS["code"])
TRENDS = pd.DataFrame(RNG.integers(0, 3000, (len(_ipc), len(YEARS))), index=pd.Index(_ipc, name="ipc"), columns=YEARS)
_fg = list(IPC_GROUPS.loc[IPC_GROUPS["field_group"] == "computer_vision", "code"])
MATRIX = pd.DataFrame(RNG.integers(0, 3000, (6, len(_fg))), index=["tyo", "gba", "bj", "sf", "ny", "ldn"], columns=_fg)

CALLS = {
    "fig02_patterns": lambda lang: FIGURES["fig02_patterns"](PATTERNS, CITIES, META, lang=lang),
    "fig03_flows": lambda lang: FIGURES["fig03_flows"](FLOWS, SCORES, CITIES, lang=lang, n=8),
    "fig04_mini_patterns": lambda lang: FIGURES["fig04_mini_patterns"](PATTERNS, CITIES, META, lang=lang),
    "fig11_discipline_sources": lambda lang: FIGURES["fig11_discipline_sources"](LISTING, CITIES, lang=lang),
    "fig12_excellence": lambda lang: FIGURES["fig12_excellence"](EXCELLENCE, CITIES, lang=lang),
    "fig13_discipline_dendrogram": lambda lang: FIGURES["fig13_discipline_dendrogram"](CLUSTERING, CITIES, lang=lang),
    "fig14_discipline_heatmap": lambda lang: FIGURES["fig14_discipline_heatmap"](SHARES, CLUSTERING, CITIES, DISCIPLINES,
                                                                                 lang=lang),
    "fig21_ai_stock_trend": lambda lang: FIGURES["fig21_ai_stock_trend"](SERIES, CITIES, lang=lang),
    "fig22_ai_hq_trend": lambda lang: FIGURES["fig22_ai_hq_trend"](SERIES, CITIES, lang=lang),
    "fig23_ai_pct": lambda lang: FIGURES["fig23_ai_pct"](TOTALS, CITIES, lang=lang, n=8),
    "fig24_ai_triadic": lambda lang: FIGURES["fig24_ai_triadic"](TOTALS, CITIES, lang=lang, n=8),
    "fig25_hotfield_trends": lambda lang: FIGURES["fig25_hotfield_trends"](TRENDS, IPC_GROUPS, lang=lang, n=5),
    "fig26_hotfield_heatmap": lambda lang: FIGURES["fig26_hotfield_heatmap"](MATRIX, IPC_GROUPS, CITIES, lang=lang,
                                                                             field_group="computer_vision"),
    "fig28_coauthorship_network": lambda lang: FIGURES["fig28_coauthorship_network"](RAW, CITIES, META, lang=lang,
                                                                                     label_top=4),
    "fig29_patent_network": lambda lang: FIGURES["fig29_patent_network"](RAW, CITIES, META, lang=lang, label_top=4),
    "map_cities": lambda lang: FIGURES["map_cities"](CITIES, scores=SCORES, lang=lang, label_top=4),
    "rank_changes": lambda lang: FIGURES["rank_changes"](CHANGES, CITIES, lang=lang, n=10, year=2023, prev_year=2022),
    "methods_tree": lambda lang: FIGURES["methods_tree"](META, INDICATORS, lang=lang),
}

# appendix charts, on the 2023 edition (their inputs are computed frames, not raw tables): called
# with the session's edition (the real_edition fixture)
def _audit_intervals(lang, ed):
    from gihi.analysis import audit
    return FIGURES["audit_rank_intervals"](audit.uncertainty_frame(ed).dropna(subset=["rank"]), ed.cities,
                                           lang=lang, n=12, group="main")


def _audit_sobol(lang, ed):
    from gihi.report.chapters import audit
    return FIGURES["audit_sobol"](audit.sobol_frame(ed), lang=lang)


def _audit_heatmap(lang, ed):
    from gihi.analysis import audit
    return FIGURES["audit_corr_heatmap"](audit.consistency(ed)["subpillar_matrix"], ed.tree.labels, lang=lang)


def _gii_scatter(lang, ed):
    from gihi.analysis import gii
    from gihi.report.chapters import gii as chapter
    composite, _ = chapter.scatter_panels(ed, gii.benchmark(ed))
    return FIGURES["gii_rank_scatter"](composite, ed.continent_names(), lang=lang)


EDITION_CALLS = {"audit_rank_intervals": _audit_intervals, "audit_sobol": _audit_sobol,
                 "audit_corr_heatmap": _audit_heatmap, "gii_rank_scatter": _gii_scatter}

for _name in ("fig05_science_top20", "fig15_highland_top20", "fig27_ecosystem_top20"):
    CALLS[_name] = (lambda n: lambda lang: FIGURES[n](SCORES, CITIES, META, lang=lang, n=8))(_name)
for _name in FIGURES:
    if _name not in CALLS and _name not in EDITION_CALLS:
        CALLS[_name] = (lambda n: lambda lang: FIGURES[n](RAW, SCORES, CITIES, META, lang=lang, n=8))(_name)


#: the figure ids of the report (each chapter module's FIGURES): the chapter builder captions
#: each with the UI string figure.<id>
FIGURE_IDS = [f for ch in CHAPTERS for f in chapter_module(ch).FIGURES]
#: fields a caption may contain
CAPTION_FIELDS = {"n": 20, "year": 2023, "edition": 2025}


def _caption(fid: str, lang: str) -> str:
    return i18n.t(f"figure.{fid}", lang, **CAPTION_FIELDS)


def test_registry_is_covered():
    assert not set(CALLS) & set(EDITION_CALLS)
    assert set(CALLS) | set(EDITION_CALLS) == set(FIGURES)
    assert all(callable(f) for f in FIGURES.values())
    assert len(FIGURE_IDS) == len(set(FIGURE_IDS)) > 40
    missing = [f for f in FIGURE_IDS if not i18n.has(f"figure.{f}")]
    assert missing == [], "figures without a caption string"


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_chart_renders(name, caplog, request):
    """Drawn in both languages at once (bi), the drawing with the most text; every chart is drawn
    in zh, en and bi from the 2023 edition, with the same checks, by tests/test_chart_geometry.py."""
    _check_chart(name, "bi", caplog, request)


def _check_chart(name, lang, caplog, request):
    ed = request.getfixturevalue("real_edition") if name in EDITION_CALLS else None
    with no_warnings(caplog):
        fig = CALLS[name](lang) if ed is None else EDITION_CALLS[name](lang, ed)
        assert isinstance(fig, Figure)
        fig.draw_without_rendering()
    check_texts(fig, lang)


def test_empty_input_gives_no_data_figure():
    fig = FIGURES["fig04_mini_patterns"](PATTERNS[PATTERNS["group"] == "main"], CITIES, META, lang="en")
    assert "n/a" in texts(fig)


def test_labels_complete_in_both_languages():
    captions = {f"figure.{f}": {lang: _caption(f, lang) for lang in i18n.LANGS} for f in FIGURE_IDS}
    for table in (LABELS, captions):
        for key, entry in table.items():
            assert set(entry) == {"zh", "en"}, key
            assert entry["zh"].strip() and entry["en"].strip(), key
            assert CJK.search(entry["zh"]), f"{key}: zh label has no Chinese"
            assert not CJK.search(entry["en"]), f"{key}: en label has Chinese"
            assert not zh_style_problems(entry["zh"]), (key, entry["zh"])
            style.check_glyphs(entry["zh"] + entry["en"])


def test_bilingual_join_and_lookup():
    assert join("科学中心", "Science Centre", "bi") == "科学中心 Science Centre"
    assert join("科学中心", "Science Centre", "zh") == "科学中心"
    assert join("科学中心", "Science Centre", "en") == "Science Centre"
    lab = Labeller("bi", meta=META, cities=CITIES)
    assert lab.code("A") == "科学中心 Science Centre"
    assert lab.city("bj") == "北京 Beijing"
    assert lab.unit("I13", sep="|") == "百万美元|USD million"   # report notes dropped from units
    assert _caption("fig05", "zh") == "科学中心前20城市（都市圈）发展状况"   # the caption of fig05_science_top20
    with pytest.raises(ValueError):
        join("a", "b", "fr")
    with pytest.raises(ValueError):
        FIGURES["fig03_flows"](FLOWS, SCORES, CITIES, lang="de")


def test_zh_style_checker():
    assert zh_style_problems("科学中心（每百万人）") == []
    assert zh_style_problems("科学 中心")
    assert zh_style_problems("科学中心(每百万人)")


def test_network_charts_draw_each_citys_centrality_and_no_links():
    """Figures 28 and 29 draw what the data hold (I17, I18: each city's centrality in the
    network): one dot per main city with a value, at that value; no link between cities (the
    inputs have none); the same figure whatever the order of the inputs."""
    from matplotlib.collections import LineCollection, PathCollection
    shuffled = RAW.sample(frac=1, random_state=1), CITIES.sample(frac=1, random_state=2)
    for name, code in (("fig28_coauthorship_network", "I17"), ("fig29_patent_network", "I18")):
        dots = []
        for raw, cities in ((RAW, CITIES), shuffled):
            ax = FIGURES[name](raw, cities, META, lang="en", label_top=4).axes[0]
            (points,) = [c for c in ax.collections if isinstance(c, PathCollection)]
            assert not [c for c in ax.collections if isinstance(c, LineCollection)], name
            dots.append(points.get_offsets())
        assert sorted(dots[0][:, 0]) == pytest.approx(sorted(RAW.set_index("id").loc[MAIN, code].dropna()))
        assert np.array_equal(np.asarray(dots[0]), np.asarray(dots[1])), name


def test_network_charts_name_the_cities_they_are_given():
    """With ``label_ids`` the network charts name those cities (the chapters pass the composite
    leaders: a leader is not named from the estimated centralities), not the most central ones."""
    main = [i for i in RAW["id"] if i in set(MAIN)]
    want = main[-2:]                      # two cities that are not the most central ones
    fig = FIGURES["fig28_coauthorship_network"](RAW, CITIES, META, lang="en", label_ids=[*want, "nowhere"])
    names = {t.get_text() for t in fig.axes[0].texts if t.get_text()}
    lab = CITIES.set_index("id")["name_en"]
    assert names == {lab[i] for i in want}


def test_reference_cities_are_the_composite_leaders_then_each_continents_best(real_edition):
    from gihi.report.chapters import common
    ids = common.reference_cities(real_edition, n=3)
    s = real_edition.scores[real_edition.scores["group"] == "main"].sort_values("composite_rank")
    assert ids[:3] == list(s.index[:3])
    best = s.drop_duplicates("continent")   # each continent's highest-ranked city
    assert ids[3:] == [i for i in best.index if i not in ids[:3]]
