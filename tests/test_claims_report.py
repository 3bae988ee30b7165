"""Narrated numbers of the overview, the three pillar chapters, the methods chapter and the
shared data note (issue 18, item 3): the Facts they print, checked against tests/truth_report.py
(the oracle, the csv files, the method's results), and the checker shown to catch wrong ones."""
from __future__ import annotations

import pytest

from claimcheck import misplaced, wrong_values
from gihi.report import facts
from gihi.report import narrative as nv
from gihi.report.chapters import section_contexts

CHAPTERS = ("01_overview", "02_science", "03_highland", "04_ecosystem", "07_methods")
PILLAR_CHAPTERS = {"02_science": "A", "03_highland": "B", "04_ecosystem": "C"}


def _claims(marked, chapters=CHAPTERS) -> list:
    return [c for ch, sid, lang, html, claims, plain in marked if ch in chapters for c in claims]


def _render(chapter: str, section: str, ctx: dict, lang: str = "en"):
    return nv.render_claims(chapter, section, lang, ctx)


def _wrong(chapter: str, section: str, ctx: dict, truth) -> list[str]:
    """The wrong values of ``section`` rendered from ``ctx`` in both languages."""
    return [w for lang in nv.LANGS for w in wrong_values(_render(chapter, section, ctx, lang)[1], truth)]


# --------------------------------------------------------------------------- the narrative's Facts

def test_the_chapters_print_their_facts(marked):
    """The leaders' runs, the first and previous editions on record, the top-100 count, the
    development patterns' means, the mini-hubs ranked, the scale and the method's parameters are
    printed as Facts, in both languages."""
    for lang in nv.LANGS:
        measures = {c.fact.measure for ch, sid, lg, html, claims, plain in marked
                    if ch in CHAPTERS and lg == lang for c in claims}
        assert {"composite_since", "A_since", "B_since", "C_since", "history.A.first_year", "history.prev_year",
                "top100.composite.country.CHN", "patterns.USA.n", "patterns.europe.B", "patterns.CHN.spread",
                "ranked.mini", "param.scale.hi", "param.scale.lo", "param.ddof", "param.patterns.hi",
                "param.screen.min_coverage_pct", "param.screen.min_coverage_n", "param.screen.min_per_subpillar",
                "meta.indicators.flow.agglomeration", "meta.indicators.flow.radiation",
                "screen.scored", "screen.values"} <= measures, (lang, measures)


def test_the_chapters_facts_are_right_and_in_place(marked, truth, city_of_name):
    bad = []
    for ch, sid, lang, html, claims, plain in marked:
        if ch in CHAPTERS:
            bad += [f"{ch}/{sid}.{lang}: {b}" for b in wrong_values(claims, truth) + misplaced(html, claims, city_of_name)]
    assert not bad, "\n".join(bad)


def test_the_data_notes_print_no_bare_number(marked):
    """Every chapter's data note (the shared template) prints Facts and Labels only: the GII
    clusters' edition in the GII chapter's note is a year, its counts Facts."""
    notes = [(ch, lang, html) for ch, sid, lang, html, claims, plain in marked if sid == "data_note"]
    assert len(notes) == 2 * 8
    assert not [(ch, lang, nv.narrative_numbers(facts.unclaimed(html))) for ch, lang, html in notes
                if nv.narrative_numbers(facts.unclaimed(html))]


def test_the_leader_of_a_subpillar_scores_the_top_of_the_scale(marked):
    """The sub-pillar sentence states the scale's top (``param.scale.hi``), not a city's score."""
    for ch, sid, lang, html, claims, plain in marked:
        if ch in PILLAR_CHAPTERS and sid == "subpillars":
            assert [c.text for c in claims if c.fact.measure == "param.scale.hi"] == ["100.00"]


# --------------------------------------------------------------------------- the checker fails

def test_swapped_regional_means_fail(real_edition, truth):
    """Mutation: the United States and Europe trade their Science Centre means (each printed as
    the other region's measure): both are wrong, and nothing else."""
    ctx = section_contexts("01_overview", real_edition)["patterns"]
    regions = [dict(r, means=[dict(m) for m in r["means"]]) for r in ctx["regions"]]
    usa, europe = regions[0]["means"][0], regions[1]["means"][0]
    usa["mean"], europe["mean"] = (facts.fact(float(europe["mean"]), None, usa["mean"].measure),
                                   facts.fact(float(usa["mean"]), None, europe["mean"].measure))
    bad = _wrong("01_overview", "patterns", {**ctx, "regions": regions}, truth)
    assert len(bad) == 4 and all("patterns.USA.A" in b or "patterns.europe.A" in b for b in bad), bad


def test_a_region_counted_wrong_fails(real_edition, truth):
    """Mutation: a region's city count and China's count in the top 100 are one too many."""
    ctx = section_contexts("01_overview", real_edition)
    regions = [dict(r) for r in ctx["patterns"]["regions"]]
    regions[2]["n"] = facts.fact(int(regions[2]["n"]) + 1, None, regions[2]["n"].measure)
    assert len(_wrong("01_overview", "patterns", {**ctx["patterns"], "regions": regions}, truth)) == 2
    reg = ctx["regions"]
    more = facts.fact(int(reg["n_china_listed"]) + 1, None, reg["n_china_listed"].measure)
    bad = _wrong("01_overview", "regions", {**reg, "n_china_listed": more}, truth)
    assert len(bad) == 2 and all("top100.composite.country.CHN" in b for b in bad), bad


@pytest.mark.parametrize("chapter", list(PILLAR_CHAPTERS))
def test_a_leaders_run_from_another_year_fails(chapter, real_edition, truth):
    """Mutation: the pillar leader's run of first places is said to start a year later."""
    ctx = section_contexts(chapter, real_edition)["overview"]
    lead = ctx["leader"]
    since = facts.fact(int(lead["since"]) + 1, lead["id"], lead["since"].measure)
    bad = _wrong(chapter, "overview", {**ctx, "leader": {**lead, "since": since}}, truth)
    assert len(bad) == 2 and all(f"{lead['id']}/{PILLAR_CHAPTERS[chapter]}_since" in b for b in bad), bad


def test_a_leaders_run_printed_beside_another_city_fails(real_edition, city_of_name):
    """Mutation: the composite leader's ``since`` claims to be about the runner-up."""
    ctx = section_contexts("01_overview", real_edition)["leaders"]
    lead, second = ctx["leader"], ctx["top"][1]
    since = facts.fact(int(lead["since"]), second["id"], lead["since"].measure)
    html, claims = _render("01_overview", "leaders", {**ctx, "leader": {**lead, "since": since}})
    assert any(second["id"] in b and "_since" in b for b in misplaced(html, claims, city_of_name))


def test_another_first_edition_on_record_fails(real_edition, truth):
    ctx = section_contexts("02_science", real_edition)["movers"]
    assert ctx["new_top10"], "the first edition on record is printed only with a city new to the top 10"
    first = facts.fact(int(ctx["first_year"]) - 1, None, ctx["first_year"].measure)
    assert len(_wrong("02_science", "movers", {**ctx, "first_year": first}, truth)) == 2


@pytest.mark.parametrize("key,value", [("min_coverage_pct", 75.0), ("min_coverage_n", 23), ("min_per_subpillar", 2)])
def test_a_changed_screening_threshold_fails(key, value, real_edition, truth):
    """Mutation: the missing-value section states another threshold of the screen."""
    ctx = section_contexts("07_methods", real_edition)["missing"]
    assert not _wrong("07_methods", "missing", ctx, truth)
    bad = _wrong("07_methods", "missing", {**ctx, key: facts.fact(value, None, ctx[key].measure)}, truth)
    assert len(bad) == 2 and all(ctx[key].measure in b for b in bad), bad


def test_a_changed_scale_fails(real_edition, truth):
    """Mutation: the scale is said to be 50–100 in the methods chapter (twice per language), and a
    sub-pillar's leader to score 99."""
    ctx = section_contexts("07_methods", real_edition)["normalisation"]
    bad = _wrong("07_methods", "normalisation", {**ctx, "lo": facts.fact(50.0, None, "param.scale.lo")}, truth)
    assert len(bad) == 4 and all("param.scale.lo" in b for b in bad), bad
    ctx = section_contexts("03_highland", real_edition)["subpillars"]
    bad = _wrong("03_highland", "subpillars", {**ctx, "scale_hi": facts.fact(99.0, None, "param.scale.hi")}, truth)
    assert len(bad) == 2, bad


def test_swapped_flow_counts_fail(real_edition, truth):
    """Mutation: the agglomeration and spillover indicators' counts trade places."""
    ctx = section_contexts("07_methods", real_edition)["normalisation"]
    n = ctx["n_flow"]
    swapped = {"agglomeration": facts.fact(int(n["radiation"]), None, n["agglomeration"].measure),
               "radiation": facts.fact(int(n["agglomeration"]), None, n["radiation"].measure)}
    assert len(_wrong("07_methods", "normalisation", {**ctx, "n_flow": swapped}, truth)) == 4
