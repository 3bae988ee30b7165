"""The focus chapters' narrated aggregates as Facts (issue 18, item 3): the discipline hubs'
counts, growth and clustering (05_disciplines), the AI patents' totals, stage growth, lead changes
and hot fields (06_ai_patents), checked against tests/truth_focus.py; the checker is shown to fail
on counts moved or swapped, on swapped growth rates and on a changed threshold.
"""
from __future__ import annotations

import pytest

from claimcheck import misplaced, wrong_values
from gihi.analysis import disciplines as dm
from gihi.report import facts
from gihi.report import narrative as nv
from gihi.report.chapters import disciplines, section_contexts

DISC, AI = "05_disciplines", "06_ai_patents"


def _swap(a, b) -> tuple:
    """Facts ``a`` and ``b`` with their values exchanged, each keeping what it claims."""
    return (facts.fact(facts.plain(b), a.city, a.measure, a.year), facts.fact(facts.plain(a), b.city, b.measure, b.year))


def _shift(a, b, k: int = 1) -> tuple:
    """``k`` moved from the count ``a`` to the count ``b`` (each keeping what it claims)."""
    return facts.fact(int(a) - k, a.city, a.measure), facts.fact(int(b) + k, b.city, b.measure)


def _wrong(chapter: str, section: str, ctx: dict, truth, lang: str = "en") -> list[str]:
    return wrong_values(nv.render_claims(chapter, section, lang, ctx)[1], truth)


@pytest.mark.parametrize("chapter, expected", [
    (DISC, {"disc.first_year", "disc.last_year", "disc.n_hubs", "meta.cities", "disc.n_hubs.north_america",
            "disc.n_hubs.country.USA", "disc.n_single_hub_countries", "disc.n_superstars", "disc.n_other_hubs",
            "disc.n_disciplines", "disc.n_disciplines.STEM", "disc.n_champion_cities", "disc.n_above_baseline",
            "disc.papers_cagr_pct.mean", "disc.n_emerging", "disc.n_clusters", "disc.cluster.1.n", "disc.cluster.3.n",
            "disc.cluster.3.share.32"}),
    (AI, {"ai.first_year", "ai.last_year", "ai.valid.top20.CHN", "ai.valid.total", "ai.universe.ai_patents",
          "ai.cagr_valid.2003-2011", "ai.cagr_valid.2020-2022", "ai.lead.valid_stock.1", "ai.lead.valid_stock.2",
          "ai.hq.top20.CHN", "ai.lead.hq_yearly.2", "ai.top20.pct_and_triadic", "ai.universe.hq_patents",
          "ai.hotfield.hq.G06N-0003", "ai.hotfield.share_pct.G06N-0003", "ai.n_fields.computer_vision"}),
])
def test_the_focus_chapters_print_their_aggregates_as_facts(chapter, expected, marked, truth, city_of_name):
    for lang in nv.LANGS:
        sections = [(html, claims) for ch, sid, lg, html, claims, _ in marked if ch == chapter and lg == lang]
        measures = {c.fact.measure for _, claims in sections for c in claims}
        assert expected <= measures, (lang, expected - measures)
        for html, claims in sections:
            assert not wrong_values(claims, truth) and not misplaced(html, claims, city_of_name)


# --------------------------------------------------------------------------- the checker fails

def test_two_countries_hub_counts_swapped_fail(real_edition, truth):
    ctx = section_contexts(DISC, real_edition)["sources"]
    countries = [dict(r) for r in ctx["countries"]]
    usa, chn = (next(r for r in countries if r["code"] == k) for k in ("USA", "CHN"))
    usa["n"], chn["n"] = _swap(usa["n"], chn["n"])
    bad = _wrong(DISC, "sources", {**ctx, "countries": countries}, truth)
    assert len(bad) == 2 and any("country.USA" in b for b in bad) and any("country.CHN" in b for b in bad), bad


def test_a_hub_moved_between_continents_fails(real_edition, truth):
    ctx = section_contexts(DISC, real_edition)["sources"]
    regions = [dict(r) for r in ctx["regions"]]
    regions[0]["n"], regions[1]["n"] = _shift(regions[0]["n"], regions[1]["n"])
    assert len(_wrong(DISC, "sources", {**ctx, "regions": regions}, truth, "zh")) == 2


def test_two_clusters_sizes_swapped_fail(real_edition, truth):
    ctx = section_contexts(DISC, real_edition)["profiles"]
    clusters = [dict(c) for c in ctx["clusters"]]
    clusters[0]["n"], clusters[1]["n"] = _swap(clusters[0]["n"], clusters[1]["n"])
    top = [dict(d) for d in clusters[2]["top"]]
    top[0]["share_pct"], top[1]["share_pct"] = _swap(top[0]["share_pct"], top[1]["share_pct"])
    clusters[2]["top"] = top
    bad = _wrong(DISC, "profiles", {**ctx, "clusters": clusters}, truth)
    assert len(bad) == 4 and sum("disc.cluster.3.share" in b for b in bad) == 2, bad


@pytest.mark.parametrize("section, key, value", [("superstars", "n_stars", 17), ("excellence", "n_above", 0.012)])
def test_a_changed_threshold_fails(section, key, value, real_edition, truth, monkeypatch):
    """The thresholds are Labels ("at least 15", "the 1% baseline"); a method run with another
    superstar threshold or baseline gives counts the independent values do not confirm."""
    dd = disciplines.load(real_edition)
    monkeypatch.setattr(dm, "SUPERSTAR_MIN" if key == "n_stars" else "BASELINE", value)
    ctx = disciplines.contexts(dd, real_edition)[section]
    assert any(ctx[key].measure in b for b in _wrong(DISC, section, ctx, truth)), ctx[key]


def test_two_stages_growth_swapped_fail(real_edition, truth):
    ctx = section_contexts(AI, real_edition)["growth"]
    stages = [dict(s) for s in ctx["stages"]]
    stages[0]["cagr_pct"], stages[2]["cagr_pct"] = _swap(stages[0]["cagr_pct"], stages[2]["cagr_pct"])
    bad = _wrong(AI, "growth", {**ctx, "stages": stages}, truth, "zh")
    assert len(bad) == 2 and any("2003-2011" in b for b in bad) and any("2020-2022" in b for b in bad), bad


def test_a_wrong_lead_change_year_fails(real_edition, truth):
    """The stock's lead change given the yearly high-quality count's year."""
    ctx = section_contexts(AI, real_edition)["growth"]
    changes = [dict(c) for c in ctx["leader_changes"]]
    hq_year = section_contexts(AI, real_edition)["quality"]["hq_changes"][1]["year"]
    changes[1]["year"] = facts.fact(int(hq_year), None, changes[1]["year"].measure)
    bad = _wrong(AI, "growth", {**ctx, "leader_changes": changes}, truth)
    assert len(bad) == 1 and "ai.lead.valid_stock.2" in bad[0], bad


def test_two_hot_fields_counts_swapped_fail(real_edition, truth):
    ctx = section_contexts(AI, real_edition)["hotfields"]
    top = [dict(f) for f in ctx["top"]]
    top[0]["hq"], top[1]["hq"] = _swap(top[0]["hq"], top[1]["hq"])
    bad = _wrong(AI, "hotfields", {**ctx, "top": top}, truth)
    assert len(bad) == 2 and all("ai.hotfield.hq." in b for b in bad), bad


def test_counts_of_the_top_20_off_by_one_fail(real_edition, truth):
    ctx = section_contexts(AI, real_edition)
    volume, quality = dict(ctx["volume"]), dict(ctx["quality"])
    volume["n_china_top"] = facts.fact(int(volume["n_china_top"]) + 1, None, volume["n_china_top"].measure)
    quality["n_both"] = facts.fact(int(quality["n_both"]) - 1, None, quality["n_both"].measure)
    assert ["ai.valid.top20.CHN" in b for b in _wrong(AI, "volume", volume, truth)] == [True]
    assert ["ai.top20.pct_and_triadic" in b for b in _wrong(AI, "quality", quality, truth, "zh")] == [True]
