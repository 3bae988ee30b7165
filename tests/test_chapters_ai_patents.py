"""AI-patents chapter logic."""
from __future__ import annotations

import pandas as pd
import pytest

from gihi.analysis import ai_patents as ai
from gihi.report.chapters import ai_patents


@pytest.fixture(scope="module")
def data(real_edition):
    return ai_patents.load(real_edition), real_edition


def test_leader_changes():
    flows = pd.DataFrame({2001: [5, 3, 1], 2002: [5, 6, 1], 2003: [5, 6, 1], 2004: [5, 6, 9]}, index=["a", "b", "c"])
    assert ai_patents.leader_changes(flows) == [{"year": 2001, "id": "a"}, {"year": 2002, "id": "b"}, {"year": 2004, "id": "c"}]


def test_top_frame(data):
    p, ed = data
    recent = tuple(ai.periods(ed)["city_growth"]["recent"])
    assert recent == (2020, 2022)   # data/2023/meta/edition.yaml
    t = ai_patents.top_frame(p, ed.cities, recent)
    assert len(t) == 20 and list(t["rank"]) == sorted(t["rank"])
    assert t.loc[0, "id"] == "beijing" and t.loc[0, "valid"] == 26638  # stated in the report
    growth = ai.growth(p.patents, *recent)
    assert t["cagr_recent"].tolist() == pytest.approx((100 * t["id"].map(growth)).tolist())


def test_contexts(data):
    p, ed = data
    ctx = ai_patents.contexts(p, ed.cities, 2023, ai.periods(ed))
    assert set(ctx) == {"volume", "growth", "quality", "hotfields"}
    v = ctx["volume"]
    assert [c["value"] for c in v["top"]] == sorted((c["value"] for c in v["top"]), reverse=True)
    assert v["n_china_top"] == 14 and v["universe_ai"] == 408937
    g = ctx["growth"]
    assert [round(s["cagr_pct"], 1) for s in g["stages"]][1:] == [32.5, 75.9]
    assert g["leader_changes"][0]["id"] == "tokyo"
    h = ctx["hotfields"]
    assert [f["code"] for f in h["top"]][:2] == ["G06N-0003", "G06K-0009"]
    assert [g_["code"] for g_ in h["groups"]] == list(ai_patents.FIELD_GROUPS)
    assert ctx["quality"]["n_both"] == len(p.both_top) == 14
