"""Methods chapter logic: indicator system, definitions, provenance tables and statements."""
from __future__ import annotations

import pytest

from gihi.chapters import common, methods


@pytest.fixture(scope="module")
def idx():
    return common.load_index(2023)


def test_system_frame(idx):
    s = methods.system_frame(idx)
    assert len(s) == 30 and list(s["code"]) == idx.tree.codes
    assert s["weight"].sum() == pytest.approx(100)
    assert s.groupby("pillar")["pillar_weight"].first().to_dict() == pytest.approx({"A": 30, "B": 30, "C": 40})


def test_definitions_frame(idx):
    d = methods.definitions_frame(idx)
    assert len(d) == 30 and (d["definition_zh"] != "").all() and (d["source_en"] != "").all()


def test_provenance_tables(idx):
    pf = methods.provenance_frame(idx)
    o = methods.overall_frame(pf)
    assert list(o["kind"]) == ["published", "derived", "imputed", "missing"]
    assert o["n"].sum() == 30 * len(idx.cities) and o["share"].sum() == pytest.approx(100)


def test_contexts_state_the_reconstruction(idx):
    ctx = methods.contexts(idx)
    p = ctx["provenance"]
    assert p["reconstruction"] is True
    assert p["indicators"]["expected"] == 30 * len(idx.cities)
    assert [f["id"] for f in p["focus"]] == ["disciplines", "ai_patents"]
    m = ctx["missing"]
    assert m["min_coverage_n"] == 20 and m["n_scored"] + m["n_excluded"] == len(idx.cities)
    assert ctx["system"]["n_indicators"] == 30 and [x["weight_pct"] for x in ctx["system"]["pillars"]] == pytest.approx([30, 30, 40])
