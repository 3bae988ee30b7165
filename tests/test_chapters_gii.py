"""GII benchmark chapter: the bundle validates, its tables and figures are those the layout places,
the narrative is the generated one and every number in it is a computed value, and the scatter
chart renders in the house style without staying in the chart registry."""
from __future__ import annotations

import re

import pandas as pd
import pytest
from matplotlib.figure import Figure

from gihi.report import charts, i18n

from gihi.analysis import gii
from gihi.report import narrative as nv
from gihi.report.layout import load_layout
from gihi.report.bundle import bundle_dir, read_bundle
from gihi.report.chapters import CHAPTERS, DATA_INPUTS, common
from gihi.report.chapters import gii as chapter
from gihi.report.charts.gii import gii_rank_scatter
from gihi.report.numbering import numbers
from gihi.report.recipe import build

YEAR = 2023
CJK = "\u3400-\u9fff"


@pytest.fixture(scope="module")
def ed(real_edition):
    return real_edition


@pytest.fixture(scope="module")
def bench(ed):
    return gii.compute(ed)   # computed afresh, not the edition's kept result


@pytest.fixture(scope="module")
def bundle(ed, tmp_path_factory):
    out = tmp_path_factory.mktemp("gii")
    build(chapter.CHAPTER, ed, out, lang="en")  # the chapter's notebook; with figures: the registry must be clean afterwards
    return read_bundle(bundle_dir(out, YEAR, chapter.CHAPTER))  # validates


def test_registered_as_an_appendix():
    assert CHAPTERS["09_gii"] == "gii" and "gii" in DATA_INPUTS["09_gii"]
    lay = load_layout()["09_gii"]
    assert lay.appendix is True


def test_bundle_matches_the_layout(bundle, bench):
    assert charts.FIGURES[chapter.CHART] is gii_rank_scatter
    assert [s.id for s in bundle.sections] == [*chapter.SECTIONS, "data_note"]
    ids = {t.id for t in bundle.tables} | {f.id for f in bundle.figures}
    placed = {p.id for items in load_layout()["09_gii"].sections.values() for p in items}
    assert placed == ids
    assert len(bundle.table("gii_mapping").rows) == len(bench.mapping)
    assert len(bundle.table("gii_clusters").rows) == len(bench.clusters)
    assert len(bundle.table("gii_disagreements").rows) == bench.config["disagreements"]["top"]
    scopes = {s["id"]: s for s in bundle.provenance["scopes"]}
    assert scopes["gii"]["expected"] == scopes["gii"]["published"] == len(bench.clusters)
    assert bundle.provenance["reconstruction"] is True


def test_tables_carry_the_computed_values(bundle, bench):
    corr = bundle.table("gii_correlations").frame()
    assert corr["n"].tolist() == bench.correlations["n"].tolist()
    assert corr["spearman"].tolist() == pytest.approx(bench.correlations["spearman"].round(4).tolist())
    assert corr["kendall"].tolist() == pytest.approx(bench.correlations["kendall"].round(4).tolist())
    m = bundle.table("gii_mapping").frame()
    used = m[m["in_correlation"]]
    assert len(used) == sum(len(x) for x in bench.matched["members"])  # one pairing per matched city
    d = bundle.table("gii_disagreements").frame()
    assert (d["diff"] == d["gihi_pos"] - d["gii_pos"]).all()
    assert all(re.search(f"[{CJK}]", r) for r in d["reason_zh"]) and not any(re.search(f"[{CJK}]", r) for r in d["reason_en"])


def test_narrative_is_generated_and_its_numbers_are_computed(bundle, ed):
    ctx = chapter.section_contexts(ed)
    assert list(ctx) == [s.id for s in bundle.sections]
    n = 0
    for s in bundle.sections:
        folder = common.SHARED if s.id == "data_note" else chapter.CHAPTER
        for lang in nv.LANGS:
            assert s.narrative[lang] == nv.render_section(folder, s.id, lang, ctx[s.id], numbers=numbers(ed))
            assert nv.unmatched_numbers(s.narrative[lang], ctx[s.id]) == [], (s.id, lang)
            n += len(nv.narrative_numbers(s.narrative[lang]))
    assert n > 80


def test_narrative_states_the_editions_and_the_correlations(bundle, bench):
    ed = bundle.section("editions").narrative
    assert "GIHI 2023" in ed["en"] and "GII 2025" in ed["en"] and "2 years later" in ed["en"]
    assert "GII 2025" in ed["zh"] and "晚2年发布" in ed["zh"]
    text = nv.narrative_text(bundle.section("correlations").narrative["en"])
    for _, r in bench.correlations.iterrows():
        assert f"{r['spearman']:.2f}" in text and f"{r['kendall']:.2f}" in text
    comp = bench.correlations.set_index("pair").loc["composite"]
    assert f"Over the {int(comp['n'])} matched units" in text
    # every listed difference is narrated with both ranks as printed in the table, under its reason
    dis = bundle.section("disagreements").narrative["en"]
    for _, r in bench.disagreements.iterrows():
        assert f"{r['name_en']}</span> (" in dis
        assert f"{nv.fmt_rank(r['gihi_rank'])} in GIHI, {nv.fmt_rank(r['gii_rank'])} in GII" in dis
    for code, phrase in (("scale", "Scale accounts for"), ("intensity", "Per-capita intensity works")):
        assert (phrase in dis) == bool((bench.disagreements["code"] == code).any())


def test_chinese_and_english_style(bundle):
    for s in bundle.sections:
        for para in re.findall(r"<(p|li)>(.*?)</\1>", s.narrative["zh"], re.S):
            text = re.sub(r"<[^>]+>", "", para[1])
            assert not re.search(rf"[{CJK}（），。：；、][ \t\n]|[ \t\n][{CJK}（），。：；、]", text), text[:80]
            prose = nv.narrative_text(f"<p>{para[1]}</p>")
            assert not re.search(r"[,;:()!?]", prose), prose[:80]
        en = re.sub(r"<[^>]+>", "", s.narrative["en"])
        assert not re.search(f"[{CJK}]", en) and "  " not in en


def test_reason_wording_comes_from_the_strings(bench):
    r = bench.disagreements.iloc[0].to_dict()
    key = f"gii.reason.{r['code']}" + (f".{r['pillar']}" if isinstance(r["pillar"], str) else "")
    assert i18n.has(key)
    fields = {k: nv.ordinal_en(int(r[k])) for k in ("volume_rank", "per_capita_rank", "gii_rank")}
    if isinstance(r["pillar"], str):
        fields["pillar_rank"] = nv.ordinal_en(int(r["pillar_rank"]))
    assert chapter.reason_text(r, "en") == i18n.t(key, "en", **fields)
    assert f"({int(r['gii_rank'])}" in chapter.reason_text(r, "en") or r["code"] in ("scale", "intensity")


def test_rank_scatter_renders_small_input():
    pts = pd.DataFrame({"x": [1, 5, 9], "y": [2, 4, 8], "label_zh": ["甲", "乙", "丙"], "label_en": ["A", "B", "C"],
                        "continent": ["asia", "europe", "north_america"], "show": [True, False, True]})
    panel = {"points": pts, "diagonal": True, "title": {"zh": "标题", "en": "Title"}, "stat": {"zh": "ρ＝0.50", "en": "ρ = 0.50"},
             "equal": {"zh": "排名相同", "en": "Equal rank"}, "xlabel": {"zh": "横轴", "en": "x"}, "ylabel": {"zh": "纵轴", "en": "y"}}
    names = {"asia": {"zh": "亚洲", "en": "Asia"}, "europe": {"zh": "欧洲", "en": "Europe"},
             "north_america": {"zh": "北美洲", "en": "North America"}}
    for lang in ("zh", "en", "bi"):
        fig = gii_rank_scatter([panel, dict(panel, diagonal=False)], names, lang=lang)
        assert isinstance(fig, Figure) and len(fig.axes) == 2
        texts = [t.get_text() for t in fig.axes[0].texts]
        assert ("A" in " ".join(texts)) == (lang != "zh") and ("B" not in texts)
    with pytest.raises(ValueError, match="lang must be one of"):
        gii_rank_scatter([panel], names, lang="de")
