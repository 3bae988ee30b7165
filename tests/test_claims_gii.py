"""The GII appendix's narrated numbers (chapter 09_gii) are Facts, right against tests/truth_gii.py
(the GII files, the mapping and the metadata read with the csv module, the oracle's ranks, scipy's
correlations on units built independently), and the checker catches errors put into its contexts."""
from __future__ import annotations

import pytest

import truth_gii
from claimcheck import misplaced, wrong_values
from gihi.analysis import gii
from gihi.report import facts
from gihi.report import narrative as nv
from gihi.report.chapters import section_contexts

CHAPTER = "09_gii"
SECTIONS = ("editions", "mapping", "correlations", "disagreements")
MEASURES = {
    "editions": {"gii.editions.years_apart", "gii.source.n_top", "meta.cities.main", "meta.indicators",
                 "gii.indicators.volume", "gii.indicators.per_capita", "gii.source.date.day", "gii.source.date.year",
                 "gii.clusters", "gii.clusters.ranked", "gii.clusters.sp", "gii.clusters.pct", "gii.clusters.vc"},
    "mapping": {"gii.mapping.cities", "gii.mapping.clusters", "gii.mapping.pairings", "gii.mapping.pairings.exact",
                "gii.mapping.pairings.several_gihi_cities", "gii.mapping.unmatched", "gii.mapping.minis", "gii.units",
                "gii.units.matched", "gii.units.matched.cities", "gii.units.unranked"},
    "correlations": {"gii.n.composite", "gii.spearman.composite", "gii.kendall.composite", "param.gii.p_floor",
                     "gii.spearman.vc", "gii.kendall.publications", "gii.n.pct", "gii.spearman.max_pillar",
                     "gii.spearman.min_pillar"},
    "disagreements": {"gii.units.matched", "gii.disagreements", "gii.disagreements.gii_higher",
                      "gii.disagreements.gihi_higher", "gii.disagreements.scale", "gii.gihi_rank", "gii.gii_rank",
                      "param.gii.scale_gap"},
}


@pytest.fixture(scope="module")
def contexts(real_edition):
    return section_contexts(CHAPTER, real_edition)


def _render(section: str, ctx: dict, lang: str = "en"):
    return nv.render_claims(CHAPTER, section, lang, ctx)


@pytest.mark.parametrize("section", SECTIONS)
def test_the_sections_print_their_facts(section, contexts, truth, city_of_name):
    for lang in nv.LANGS:
        html, claims = _render(section, contexts[section], lang)
        assert MEASURES[section] <= {c.fact.measure for c in claims}, lang
        assert not wrong_values(claims, truth) and not misplaced(html, claims, city_of_name)
        assert not nv.narrative_numbers(facts.unclaimed(html)), lang


def test_ranks_after_their_citys_name_are_about_it(contexts, city_of_name):
    """The listed cities' ranks printed after their own name in the sentence carry the city (in
    Chinese, where each average rank follows the city's name, those too); only the ranks printed
    where the sentence names no city are asides, with the unit in the measure."""
    html, claims = _render("disagreements", contexts["disagreements"], "zh")
    placed = {c.fact.measure for c in claims if c.fact.city is not None}
    assert {"gii.gihi_rank", "gii.gii_rank", "gii.volume_rank", "gii.per_capita_rank"} <= placed
    assert all(c.fact.measure.startswith("gii.unit.") for c in claims if c.fact.city is None and "rank" in c.fact.measure)


def test_the_listed_differences_are_the_independent_ones(real_edition, real_computed):
    assert gii.benchmark(real_edition).disagreements["unit"].tolist() == truth_gii.listed_units(real_computed)


def test_every_matched_unit_has_the_independent_ranks(real_edition, truth):
    """Not only the listed units: every matched unit of the analysis has the GIHI ranks (members'
    best) and the GII rank the truth module gives its unit, built from the mapping on its own."""
    for _, u in gii.benchmark(real_edition).matched.iterrows():
        for col, m in (("gihi_composite_rank", "gihi_rank"), ("gii_rank", "gii_rank"),
                       *((f"gihi_{p}_rank", f"gihi_rank.{p}") for p in "ABC")):
            assert int(u[col]) == truth[4][(f"gii.unit.{u['unit']}.{m}", None)], (u["unit"], m)


def test_p_values_and_significance_agree_with_scipy(contexts, truth):
    """What the text says of each p-value (below the floor, significant at alpha) holds for the
    independent p-values."""
    ctx = contexts["correlations"]
    floor, alpha = truth[4][("param.gii.p_floor", None)], truth[4][("param.gii.alpha", None)]
    for r in [ctx["composite"], *ctx["pillars"]]:
        p = {k: truth[4][(f"gii.{k}.{r['id']}", None)] for k in ("spearman_p", "kendall_p")}
        assert r["rho_small"] == (p["spearman_p"] < floor) and r["tau_small"] == (p["kendall_p"] < floor)
        assert r["significant"] == (max(p.values()) < alpha)


# --------------------------------------------------------------------------- the checker fails

def _rows_without_cluster(ctx: dict) -> list[dict]:
    return [dict(r) for r in ctx["rows"] if r["cluster"]["en"] == r["name"]["en"]]


def test_two_cities_ranks_swapped_are_misplaced(contexts, city_of_name):
    """Mutation: two listed cities trade their GIHI rank (each value right for its own city)."""
    ctx = contexts["disagreements"]
    a, b = _rows_without_cluster(ctx)[:2]
    a["gihi_rank"], b["gihi_rank"] = b["gihi_rank"], a["gihi_rank"]
    rows = [a if r["name"] == a["name"] else b if r["name"] == b["name"] else r for r in ctx["rows"]]
    html, claims = _render("disagreements", {**ctx, "rows": rows})
    bad = misplaced(html, claims, city_of_name)
    assert any(a["gihi_rank"].city in x for x in bad) and any(b["gihi_rank"].city in x for x in bad), bad


def test_a_rank_printed_aside_with_another_value_is_wrong(contexts, truth):
    """Mutation: a rank printed where no city is named (the English series of average ranks; the
    Chinese one names each city) given another unit's value: its measure names the unit, so the
    value is wrong."""
    ctx = contexts["disagreements"]
    rows = [dict(r) for r in ctx["rows"]]
    shown = next(r for r in rows if r["code"] in ("scale", "intensity"))
    other = next(r for r in rows if r["volume_rank"] != shown["volume_rank"])
    old = shown["aside"]["volume_rank"]
    shown["aside"] = {**shown["aside"], "volume_rank": facts.fact(int(other["volume_rank"]), None, old.measure)}
    _, claims = _render("disagreements", {**ctx, "rows": rows}, "en")
    assert [w for w in wrong_values(claims, truth) if old.measure in w]


def test_spearman_and_kendall_swapped_are_wrong(contexts, truth):
    ctx = contexts["correlations"]
    c = ctx["composite"]
    swapped = {**c, "rho": facts.fact(float(c["tau"]), None, c["rho"].measure),
               "tau": facts.fact(float(c["rho"]), None, c["tau"].measure)}
    _, claims = _render("correlations", {**ctx, "composite": swapped})
    assert len(wrong_values(claims, truth)) == 2


def test_strongest_and_weakest_pillar_swapped_are_wrong(contexts, truth):
    ctx = contexts["correlations"]
    hi, lo = ctx["strongest"], ctx["weakest"]
    _, claims = _render("correlations", {**ctx, "strongest": {**hi, "rho": facts.fact(float(lo["rho"]), None, hi["rho"].measure)},
                                         "weakest": {**lo, "rho": facts.fact(float(hi["rho"]), None, lo["rho"].measure)}})
    assert len(wrong_values(claims, truth)) == 2


def test_a_pairing_moved_between_relations_is_two_wrong_values(contexts, truth):
    ctx = contexts["mapping"]
    rel = dict(ctx["relations"])
    a, b = "exact", "gihi_part_of_cluster"
    rel[a], rel[b] = facts.fact(int(rel[a]) - 1, None, rel[a].measure), facts.fact(int(rel[b]) + 1, None, rel[b].measure)
    _, claims = _render("mapping", {**ctx, "relations": rel})
    assert len(wrong_values(claims, truth)) == 2


def test_a_changed_parameter_is_wrong(contexts, truth):
    """Mutation: the reason rule's threshold stated as 10 places instead of the configured one."""
    ctx = contexts["disagreements"]
    gap = ctx["scale_gap"]
    _, claims = _render("disagreements", {**ctx, "scale_gap": facts.fact(int(gap) - 5, None, gap.measure)})
    assert [w for w in wrong_values(claims, truth) if "param.gii.scale_gap" in w]


def test_a_wrong_publication_date_is_wrong(contexts, truth):
    ctx = contexts["editions"]
    day = ctx["date"]["day"]
    wrong = {**ctx, "date": {**ctx["date"], "day": facts.fact(int(day) + 1, None, day.measure)}}
    for lang in nv.LANGS:
        _, claims = _render("editions", wrong, lang)
        assert [w for w in wrong_values(claims, truth) if "gii.source.date.day" in w], lang
