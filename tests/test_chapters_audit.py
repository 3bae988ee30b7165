"""Audit chapter: the bundle validates, its tables agree with independent recomputations, and every
number of the narrative is a computed value."""
from __future__ import annotations

import numpy as np
import pytest

from gihi.analysis import audit as A
from gihi.report import narrative as nv
from gihi.report.bundle import read_bundle
from gihi.report.chapters import audit, common, section_contexts
from gihi.report.numbering import numbers
from gihi.report.recipe import Recipe, build

YEAR = 2023


@pytest.fixture(scope="module")
def bundle(real_edition, tmp_path_factory):
    out = tmp_path_factory.mktemp("audit")
    build(audit.CHAPTER, real_edition, out, figures=False)   # the chapter's notebook, run here
    return read_bundle(out / str(YEAR) / "chapters" / audit.CHAPTER)   # validates


@pytest.fixture(scope="module")
def contexts(real_edition):
    return section_contexts(audit.CHAPTER, real_edition)


def test_bundle_validates_and_states_the_reconstruction(bundle):
    assert [s.id for s in bundle.sections] == [*audit.SECTIONS, "data_note"]
    assert {t.id for t in bundle.tables} == {"audit_least_robust", "audit_sobol", "audit_alpha",
                                              "audit_corr_subpillars", "audit_corr_indicators"}
    assert bundle.provenance["reconstruction"] is True
    approach = bundle.section("approach").narrative
    assert "reconstruction" in approach["en"] and "重建数据" in approach["zh"]


def test_every_narrative_number_is_a_computed_value(bundle, contexts, real_edition):
    assert [s.id for s in bundle.sections] == list(contexts)
    n = 0
    for s in bundle.sections:
        folder = common.SHARED if s.id == "data_note" else audit.CHAPTER
        for lang in nv.LANGS:
            assert s.narrative[lang] == nv.render_section(folder, s.id, lang, contexts[s.id],
                                                          numbers=numbers(real_edition))
            assert nv.unmatched_numbers(s.narrative[lang], contexts[s.id]) == [], (s.id, lang)
            n += len(nv.narrative_numbers(s.narrative[lang]))
    assert n > 60


def test_robustness_statements_match_the_uncertainty_frame(contexts, real_edition):
    u = A.uncertainty_frame(real_edition)
    main = u[u["group"] == "main"]
    width = main["p95_rank"] - main["p05_rank"]
    top = main["rank"] <= 20
    r = contexts["robustness"]["main"]
    assert r["n_wide_top"] == int((width[top] > 5).sum()) and r["n_robust_top"] == int((width[top] <= 5).sum())
    assert r["n_wide"] == int((width > 5).sum()) and r["median_width"] == float(width.median())
    lead = r["leaders"][0]
    row = main[main["rank"] == 1].iloc[0]
    assert (lead["name"]["en"], lead["median"], lead["p05"], lead["p95"]) == (
        row["name_en"], row["median_rank"], row["p05_rank"], row["p95_rank"])
    sim = A.simulated_ranks(real_edition)["main"].loc[row["id"]].to_numpy()
    assert lead["share_same"] == pytest.approx(100 * np.mean(sim == 1))


def test_least_robust_table_is_sorted_by_width(bundle, real_edition):
    t = bundle.table("audit_least_robust").frame()
    assert len(t) == 15
    w = (t["p95_rank"] - t["p05_rank"]).tolist()
    assert w == t["width"].tolist() and w == sorted(w, reverse=True)
    u = A.uncertainty_frame(real_edition)
    main = u[u["group"] == "main"]
    assert w[0] == int((main["p95_rank"] - main["p05_rank"]).max())


def test_sensitivity_and_consistency_tables_agree_with_the_contexts(bundle, contexts):
    s = bundle.table("audit_sobol").frame()
    assert len(s) == 8 and set(s["factor_en"]) == {"Sub-pillar weights", "Normalisation", "Aggregation",
                                                  "Missing-value treatment"}
    drv = contexts["sensitivity"]["main"]["driver"]
    main = s[s["group_en"] == "Main list"]
    assert main["ST"].max() == pytest.approx(round(drv["st"], 4))
    c = bundle.table("audit_corr_indicators").frame().set_index("code")
    flagged = {f["code"] for f in contexts["consistency"]["flagged"]}
    assert flagged == set(c.index[c["flag_en"].fillna("") != ""])
    alpha = bundle.table("audit_alpha").frame().set_index("code")["alpha"]
    assert alpha.to_dict() == pytest.approx({a["code"]: round(a["alpha"], 4) for a in contexts["consistency"]["alphas"]})


def test_charts_draw_in_both_languages(real_edition):
    from gihi.report.charts.audit import audit_rank_intervals, audit_sobol
    u = A.uncertainty_frame(real_edition).dropna(subset=["rank"])
    cities = real_edition.cities
    fig = audit_rank_intervals(u, cities, lang="zh", n=None, group="mini")
    assert len(fig.axes) == 1 and len(fig.axes[0].get_yticklabels()) == 11
    s = audit.sobol_frame(real_edition)
    fig = audit_sobol(s, lang="bi")
    assert len(fig.axes) == 2
    fig = audit_rank_intervals(u, cities, lang="en", n=50, group="main")
    assert len(fig.axes) == 2   # 50 cities in two panels of 25


def test_build_draws_registered_charts(real_edition, tmp_path, monkeypatch):
    from gihi.report import recipe
    from gihi.report.charts import FIGURES
    drawn = []

    def write(self, prov, out=None):   # no bundle: hand the session a stand-in
        recipe._SESSION.get().bundle = "written"

    monkeypatch.setattr(Recipe, "figure", lambda self, id, chart, *a, **k: drawn.append((id, chart in FIGURES)))
    monkeypatch.setattr(Recipe, "write", write)
    assert build(audit.CHAPTER, real_edition, tmp_path, figures=True) == "written"
    # every figure of the chapter (the mini-hub intervals: this edition has scored mini-hubs)
    assert drawn == [(f, True) for f in audit.FIGURES]
    assert [f for f, _ in drawn] == ["audit_intervals_main", "audit_intervals_mini", "audit_sobol_chart",
                                     "audit_corr_heatmap"]
