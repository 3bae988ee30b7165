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
