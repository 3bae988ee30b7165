"""Methods chapter logic: indicator system, definitions, provenance tables and statements."""
from __future__ import annotations

import pytest

from gihi.report.chapters import methods


@pytest.fixture(scope="module")
def ed(real_edition):
    return real_edition


def test_system_frame(ed):
    s = methods.system_frame(ed)
    assert len(s) == 30 and list(s["code"]) == ed.tree.codes
    assert s["weight"].sum() == pytest.approx(100)
    assert s.groupby("pillar")["pillar_weight"].first().to_dict() == pytest.approx({"A": 30, "B": 30, "C": 40})


def test_definitions_frame(ed):
    d = methods.definitions_frame(ed)
    assert len(d) == 30 and (d["definition_zh"] != "").all() and (d["source_en"] != "").all()


def test_provenance_tables(ed):
    pf = methods.provenance_frame(ed)
    o = methods.overall_frame(pf)
    assert list(o["kind"]) == ["published", "derived", "imputed", "missing"]
    assert o["n"].sum() == 30 * len(ed.cities) and o["share"].sum() == pytest.approx(100)


def test_contexts_state_the_reconstruction(ed):
    ctx = methods.contexts(ed)
    p = ctx["provenance"]
    assert p["reconstruction"] is True
    assert p["indicators"]["expected"] == 30 * len(ed.cities)
    assert [f["id"] for f in p["focus"]] == ["disciplines", "ai_patents"]
    m = ctx["missing"]
    assert m["min_coverage_n"] == 20 and m["n_scored"] + m["n_excluded"] == len(ed.cities)
    assert ctx["system"]["n_indicators"] == 30 and [x["weight_pct"] for x in ctx["system"]["pillars"]] == pytest.approx([30, 30, 40])


def test_code_ranges_compacts_runs():
    from gihi.report.chapters.methods import code_ranges
    assert code_ranges(["I03", "I01", "I02", "I07", "I09", "I10"]) == "I01–I03, I07, I09–I10"
    assert code_ranges(["I30"]) == "I30" and code_ranges([]) == ""


def test_imputed_cells_are_listed_with_a_reason(ed):
    import pandas as pd
    from gihi.report.chapters.methods import imputed_frame
    from gihi.core.paths import DATA_DIR
    raw = pd.read_csv(DATA_DIR / "2023" / "indicators.csv")
    imputed = raw[(raw["provenance"] == "imputed") & raw["value"].notna()]
    f = imputed_frame(ed).set_index("id")
    assert int(f["n"].sum()) == len(imputed)
    assert f["n"].to_dict() == imputed.groupby("id").size().to_dict()
    # the report lists the top 100 of its 108 main cities and, for the 11 mini-hubs, pillar scores only
    assert f["reason"].value_counts().to_dict() == {"main_listed": 100, "mini": 11, "main_unlisted": 8}
    assert (f["reason_zh"].str.len() > 10).all() and (f["reason_en"].str.len() > 20).all()


# --------------------------------------------------------------------------- which comparison

def _system_text(ed, lang):
    from gihi.report import narrative as nv
    ctx = methods.contexts(ed)["system"]
    return nv.narrative_text(nv.render_section("07_methods", "system", lang, ctx))


def test_2023_compares_with_the_published_ranks(ed):
    c = methods.comparison_context(ed)
    assert (c["prev_year"], c["source"], c["changed"], c["same_method"]) == (2022, "published", [], False)
    assert "ranks published in the GIHI 2022 report" in _system_text(ed, "en")
    assert "与2022年GIHI报告公布的排名比较" in _system_text(ed, "zh")


@pytest.mark.parametrize("weights,changed", [(None, []), ({"A1": 0.4, "A2": 0.6}, ["weights"])])
def test_a_computed_previous_edition_and_a_changed_method_are_said(tmp_path, weights, changed):
    from factory import make_data
    from gihi import open_edition
    root = make_data(tmp_path / "data", 2023, history=False)
    make_data(root, 2024, history=False, weights=weights)
    ed = open_edition(2024, root)
    c = methods.comparison_context(ed)
    assert (c["prev_year"], c["source"], c["changed"], c["same_method"]) == (2023, "computed", changed, bool(changed))
    en, zh = _system_text(ed, "en"), _system_text(ed, "zh")
    assert "the 2023 edition as this builder computes it" in en
    if changed:
        assert "The method has changed since then (the weights)" in en and "此后方法有所调整（权重）" in zh
    else:
        assert "the two comparisons coincide" in en and "两种比较结果一致" in zh


def test_a_first_edition_compares_with_nothing(tmp_path):
    from factory import make_data
    from gihi import open_edition
    ed = open_edition(2024, make_data(tmp_path / "data", 2024, history=False))
    assert methods.comparison_context(ed)["prev_year"] is None
    assert "This is the first edition on record" in _system_text(ed, "en")
    assert "本期为首期" in _system_text(ed, "zh")
