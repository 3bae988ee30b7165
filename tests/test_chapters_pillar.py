"""The three pillar chapters (science, highland, ecosystem): ranking and history frames, contexts."""
from __future__ import annotations

import pytest

from gihi.report.chapters import common, ecosystem, highland, pillar, science


@pytest.fixture(scope="module")
def ed(real_edition):
    return real_edition


@pytest.mark.parametrize("mod", [science, highland, ecosystem])
def test_ranking_frame(ed, mod):
    p = mod.SPEC.pillar
    f = pillar.ranking_frame(ed, p)
    subs = ed.tree.subpillars_of(p)
    assert list(f.columns) == ["rank", "id", "name_zh", "name_en", p, *subs]
    assert len(f) == min(100, len(ed.group("main")))
    assert f[p].is_monotonic_decreasing and f.loc[0, p] == pytest.approx(100.0)


@pytest.mark.parametrize("mod", [science, highland, ecosystem])
def test_contexts(ed, mod):
    ctx = mod.contexts(ed)
    assert set(ctx) == {"overview", "movers", "subpillars", "indicators"}
    o = ctx["overview"]
    assert o["top"][0]["rank"] == 1 and len(o["top"]) == 5
    assert sum(r["n"] for r in o["regions_top20"]) == 20
    assert o["gap"] == pytest.approx(o["top"][0]["score"] - o["top"][1]["score"])
    assert o["west_top50_pct"] == pytest.approx(100 * o["n_west_top50"] / 50)
    subs = ctx["subpillars"]["subs"]
    assert [s["code"] for s in subs] == ed.tree.subpillars_of(mod.SPEC.pillar)
    assert all(s["top"][0]["score"] == pytest.approx(100.0) for s in subs)
    codes = [i["code"] for i in ctx["indicators"]["leaders"]]
    assert codes == list(ed.tree.indicators.loc[ed.tree.indicators["pillar"] == mod.SPEC.pillar, "code"])


def test_science_history_matches_table6(ed):
    h = common.history_table(ed, "A").set_index("id")
    # Table 6: Nanjing 2022 = 59, 2021 = 31; Melbourne has no 2021 rank
    assert (h.loc["nanjing", "rank_prev"], h.loc["nanjing", "rank_prev2"]) == (59, 31)
    assert str(h["rank_prev2"].dtype) == "Int64" and h["rank_prev2"].isna()["melbourne"]


def test_specs_cover_the_report_figures():
    figs = [f for m in (science, highland, ecosystem)
            for f, _ in (m.SPEC.overview_figure, *m.SPEC.indicator_figures, *m.SPEC.network_figures)]
    assert figs == ["fig05", "fig06", "fig07", "fig08", "fig09", "fig10", "fig15", "fig16", "fig17", "fig18", "fig19",
                    "fig27", "fig30", "fig31", "fig32", "fig33", "fig28", "fig29"]
    from gihi.report.charts import FIGURES
    for m in (science, highland, ecosystem):
        for _, chart in (m.SPEC.overview_figure, *m.SPEC.indicator_figures, *m.SPEC.network_figures):
            assert chart in FIGURES
