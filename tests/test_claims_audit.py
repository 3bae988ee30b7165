"""The audit appendix's narrated numbers are Facts (issue 18, item 3): every number of its four
sections is right against tests/truth_audit.py and printed after the city it is about, and the
checker catches a swapped interval, a misattributed Sobol' index, a moved count and a changed
parameter."""
from __future__ import annotations

import pytest

from claimcheck import misplaced, wrong_values
from gihi.report import facts
from gihi.report import narrative as nv
from gihi.report.chapters import section_contexts

CHAPTER = "08_audit"
EXPECTED = {
    "approach": {"param.audit.runs", "param.audit.perturbation_pct", "param.audit.percentile.lo",
                 "param.audit.percentile.hi", "param.audit.interval_pct", "param.audit.sobol_runs",
                 "param.audit.n_assumptions", "meta.subpillars", "audit.main.n_cities", "audit.mini.n_cities"},
    "robustness": {"audit.main.top20.n_robust", "audit.main.top20.n_wide", "audit.main.top20.n_moved_median",
                   "composite_rank", "audit.median_rank", "audit.interval.lo_rank", "audit.interval.hi_rank",
                   "audit.main.rank1.share_same_pct", "audit.main.median_width", "audit.main.n_wide",
                   "audit.mini.median_width", "param.audit.wide_interval"},
    "sensitivity": {"audit.sobol.main.st.aggregation", "audit.sobol.main.s1.aggregation",
                    "audit.sobol.main.st.weights", "audit.sobol.main.sum_st", "audit.sobol.main.sum_s1",
                    "audit.sobol.main.mean_shift", "audit.sobol.main.max_shift", "audit.sobol.mini.st.weights",
                    "param.audit.sobol_runs", "param.audit.sobol_conf_pct"},
    "consistency": {"audit.main.n_cities", "audit.alpha.A", "meta.indicators.A", "audit.r_composite.C",
                    "param.audit.alpha_threshold", "param.audit.weak_threshold", "param.audit.strong_threshold",
                    "audit.n_strong", "audit.r_pillar.I27", "audit.r_subpillar.I27", "audit.weakest_unflagged.r_pillar"},
}


@pytest.fixture(scope="module")
def contexts(real_edition):
    return section_contexts(CHAPTER, real_edition)


def _render(section: str, ctx: dict, lang: str = "en"):
    return nv.render_claims(CHAPTER, section, lang, ctx)


def _as(value, like):
    """``value`` as a Fact claiming what ``like`` claims."""
    return facts.fact(value, like.city, like.measure, like.year)


# --------------------------------------------------------------------------- the chapter as built

@pytest.mark.parametrize("lang", nv.LANGS)
@pytest.mark.parametrize("section", sorted(EXPECTED))
def test_the_audit_prints_its_numbers_as_facts(section, lang, contexts, truth, city_of_name):
    html, claims = _render(section, contexts[section], lang)
    assert EXPECTED[section] <= {c.fact.measure for c in claims}
    assert not wrong_values(claims, truth)
    assert not misplaced(html, claims, city_of_name)
    assert not nv.narrative_numbers(facts.unclaimed(html))


# --------------------------------------------------------------------------- the checker fails

@pytest.mark.parametrize("lang", nv.LANGS)
def test_two_of_the_widest_intervals_swapped_are_misplaced(lang, contexts, city_of_name):
    """Mutation: the first two of the widest top-20 cities trade their rank and interval (each
    value right for its own city, printed after the other's name)."""
    ctx = contexts["robustness"]
    widest = [dict(r) for r in ctx["main"]["widest"]]
    a, b = widest[0], widest[1]
    for key in ("rank", "p05", "p95"):
        a[key], b[key] = b[key], a[key]
    html, claims = _render("robustness", {**ctx, "main": {**ctx["main"], "widest": widest}}, lang)
    bad = misplaced(html, claims, city_of_name)
    assert any(a["id"] in x for x in bad) and any(b["id"] in x for x in bad), bad


def test_another_citys_interval_is_a_wrong_value(contexts, truth):
    """Mutation: the widest city's upper end carries the next city's value, claimed for itself."""
    ctx = contexts["robustness"]
    widest = [dict(r) for r in ctx["main"]["widest"]]
    widest[0]["p95"] = _as(int(widest[1]["p95"]), widest[0]["p95"])
    _, claims = _render("robustness", {**ctx, "main": {**ctx["main"], "widest": widest}})
    bad = wrong_values(claims, truth)
    assert bad and all(widest[0]["id"] in x and "interval.hi_rank" in x for x in bad), bad


def test_shares_of_two_leaders_swapped_are_wrong_values(contexts, truth):
    """Mutation: the 2nd and 3rd cities' shares of runs at their published ranks traded."""
    ctx = contexts["robustness"]
    leaders = [dict(r) for r in ctx["main"]["leaders"]]
    a, b = leaders[1], leaders[2]
    a["share_same"], b["share_same"] = _as(float(b["share_same"]), a["share_same"]), _as(float(a["share_same"]), b["share_same"])
    _, claims = _render("robustness", {**ctx, "main": {**ctx["main"], "leaders": leaders}})
    assert len(wrong_values(claims, truth)) == 2


def test_a_count_moved_between_robust_and_wide_fails_twice(contexts, truth):
    ctx = contexts["robustness"]
    m = ctx["main"]
    moved = {**m, "n_robust_top": _as(int(m["n_robust_top"]) - 1, m["n_robust_top"]),
             "n_wide_top": _as(int(m["n_wide_top"]) + 1, m["n_wide_top"])}
    _, claims = _render("robustness", {**ctx, "main": moved})
    assert len(wrong_values(claims, truth)) == 2


def test_a_sobol_index_given_to_another_assumption_fails(contexts, truth):
    """Mutation: the second assumption's total effect printed with the driver's value."""
    ctx = contexts["sensitivity"]
    main = ctx["main"]
    rest = [dict(r) for r in main["rest"]]
    rest[0]["st"] = _as(float(main["driver"]["st"]), rest[0]["st"])
    _, claims = _render("sensitivity", {**ctx, "main": {**main, "rest": rest}})
    bad = wrong_values(claims, truth)
    assert len(bad) == 1 and f"audit.sobol.main.st.{rest[0]['factor']}" in bad[0], bad


def test_a_changed_parameter_fails(contexts, truth):
    """Mutation: the narrative states twice the Monte Carlo runs of audit.yaml."""
    ctx = contexts["approach"]
    _, claims = _render("approach", {**ctx, "runs": _as(2 * int(ctx["runs"]), ctx["runs"])})
    bad = wrong_values(claims, truth)
    assert len(bad) == 1 and "param.audit.runs" in bad[0], bad


def test_the_group_counts_swapped_fail_twice(contexts, truth):
    ctx = contexts["approach"]
    swapped = {**ctx, "n_main": _as(int(ctx["n_mini"]), ctx["n_main"]), "n_mini": _as(int(ctx["n_main"]), ctx["n_mini"])}
    _, claims = _render("approach", swapped)
    assert len(wrong_values(claims, truth)) == 2


def test_alphas_of_two_pillars_swapped_fail_twice(contexts, truth):
    ctx = contexts["consistency"]
    alphas = [dict(a) for a in ctx["alphas"]]
    a, b = alphas[0], alphas[1]
    a["alpha"], b["alpha"] = _as(float(b["alpha"]), a["alpha"]), _as(float(a["alpha"]), b["alpha"])
    _, claims = _render("consistency", {**ctx, "alphas": alphas})
    bad = wrong_values(claims, truth)
    assert {x.split("/")[1] for x in bad if "/audit.alpha." in x} == {a["alpha"].measure, b["alpha"].measure}, bad
