"""Narrated numbers bound to their meaning (issue 18, item 3).

Every :class:`~gihi.report.facts.Fact` the 2023 narrative prints (a city's score or rank at a level
of the index, its rank in an earlier edition, an indicator value, a focus-chapter measure, a number
of the indicator system or the city set) is checked twice:

* **its value** against a computation that shares no code with the narrative or the engine: the
  scores and ranks of tests/oracle.py, the raw values of ``data/2023/indicators.csv`` and the
  earlier ranks of ``data/history/ranks.csv``, the focus data and the edition's metadata, read here
  with the csv module;
* **its city**: the city named nearest before the number in the same sentence is the city the
  number is about, so a number printed beside another city's name fails.

The checker itself is shown to fail on a swapped value and on a swapped name.
"""
from __future__ import annotations

import pytest

from claimcheck import misplaced, wrong_values
from gihi.report import facts
from gihi.report import narrative as nv
from gihi.report.chapters import CHAPTERS, section_contexts


# --------------------------------------------------------------------------- the 2023 narrative

def test_marking_does_not_change_the_text(marked):
    for ch, sid, lang, html, claims, plain in marked:
        assert facts.unmark(html) == plain, (ch, sid, lang)


def test_the_narrative_prints_facts(marked):
    """The check is not vacuous: most of the report's city numbers are claims, in every chapter
    that narrates city scores, ranks or indicator values."""
    per_chapter = {}
    for ch, sid, lang, html, claims, plain in marked:
        per_chapter[ch] = per_chapter.get(ch, 0) + len(claims)
    assert sum(per_chapter.values()) > 200, per_chapter
    for ch in ("01_overview", "02_science", "03_highland", "04_ecosystem"):
        assert per_chapter[ch] > 20, per_chapter


def test_every_printed_fact_is_the_independent_value(marked, truth):
    bad = []
    for ch, sid, lang, html, claims, plain in marked:
        bad += [f"{ch}/{sid}.{lang}: {b}" for b in wrong_values(claims, truth)]
    assert not bad, "\n".join(bad[:20])


def test_every_printed_fact_follows_its_citys_name(marked, city_of_name):
    bad = []
    for ch, sid, lang, html, claims, plain in marked:
        bad += [f"{ch}/{sid}.{lang}: {b}" for b in misplaced(html, claims, city_of_name)]
    assert not bad, "\n".join(bad[:20])


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_printed_number_is_a_fact_or_a_label(chapter, marked):
    """No number of the narrative is printed bare: each is a Fact (checked above) or a Label, a
    number its template declares to claim nothing (``plain``: "places 2nd to 5th") or a year
    naming a period. A number from the context printed without what it claims, or a number typed
    in a template, fails here."""
    bad = []
    for ch, sid, lang, html, claims, plain in marked:
        if ch == chapter:
            left = nv.narrative_numbers(facts.unclaimed(html))
            if left:
                bad.append(f"{ch}/{sid}.{lang}: {', '.join(left)}")
    assert not bad, "\n".join(bad)


# --------------------------------------------------------------------------- the checker fails

def _overview_context(real_edition):
    return section_contexts("01_overview", real_edition)["leaders"]


def test_a_number_printed_beside_another_citys_name_fails(real_edition, city_of_name):
    """Mutation: the second and third cities of the top five trade their score and rank (the
    context is wrong, the values themselves are right for their own cities)."""
    ctx = _overview_context(real_edition)
    first5 = [dict(r) for r in ctx["first5"]]
    for key in ("score", "rank"):
        first5[1][key], first5[2][key] = first5[2][key], first5[1][key]
    html, claims = nv.render_claims("01_overview", "leaders", "en", {**ctx, "first5": first5})
    bad = misplaced(html, claims, city_of_name)
    assert any(first5[2]["id"] in b for b in bad) and any(first5[1]["id"] in b for b in bad), bad


def test_a_wrong_value_fails(real_edition, truth):
    """Mutation: the leader's score Fact carries the runner-up's value."""
    ctx = _overview_context(real_edition)
    leader, second = ctx["leader"], ctx["top"][1]
    swapped = facts.fact(float(second["score"]), leader["id"], leader["score"].measure)
    html, claims = nv.render_claims("01_overview", "leaders", "en", {**ctx, "leader": {**leader, "score": swapped}})
    assert any(leader["id"] in b for b in wrong_values(claims, truth))


def test_the_methods_chapter_prints_the_system_as_facts(real_edition, truth):
    """The indicator system's and the city set's numbers are Facts, right against the metadata;
    swapping the main list's and the mini-hubs' counts fails."""
    ctx = section_contexts("07_methods", real_edition)["system"]
    _, claims = nv.render_claims("07_methods", "system", "en", ctx)
    measures = {c.fact.measure for c in claims}
    assert {"meta.pillars", "meta.indicators", "meta.cities.main", "meta.weight_pct.C"} <= measures
    assert not wrong_values(claims, truth)
    swapped = {**ctx, "n_main": facts.fact(int(ctx["n_mini"]), None, "meta.cities.main"),
               "n_mini": facts.fact(int(ctx["n_main"]), None, "meta.cities.mini")}
    _, claims = nv.render_claims("07_methods", "system", "en", swapped)
    assert len(wrong_values(claims, truth)) == 2


def test_regional_counts_are_facts(real_edition, truth):
    """The pillar chapters' counts of the top places by region are Facts, right against the
    oracle's ranks; a count moved from one region to another fails."""
    ctx = section_contexts("02_science", real_edition)["overview"]
    _, claims = nv.render_claims("02_science", "overview", "en", ctx)
    measures = {c.fact.measure for c in claims}
    assert {"top20.A.asia", "top50.A.west", "top50.A.west_pct"} <= measures, measures
    assert not wrong_values(claims, truth)
    regions = [dict(r) for r in ctx["regions_top20"]]
    a, b = regions[0], regions[1]
    a["n"], b["n"] = facts.fact(int(a["n"]) - 1, None, a["n"].measure), facts.fact(int(b["n"]) + 1, None, b["n"].measure)
    _, claims = nv.render_claims("02_science", "overview", "en", {**ctx, "regions_top20": regions})
    assert len(wrong_values(claims, truth)) == 2


def test_moves_are_facts(real_edition, truth, city_of_name):
    """A mover's places moved and the counts of cities compared and unchanged are Facts; a riser
    given another riser's move fails."""
    ctx = section_contexts("02_science", real_edition)["movers"]
    html, claims = nv.render_claims("02_science", "movers", "en", ctx)
    measures = {c.fact.measure for c in claims}
    assert {"A_rank_change", "moves.A.top20.unchanged"} <= measures, measures   # all 20 compared: said in words
    assert not wrong_values(claims, truth) and not misplaced(html, claims, city_of_name)
    risers = [dict(r) for r in ctx["risers"]]
    a, b = risers[0], risers[1]
    a["change"] = facts.fact(int(b["change"]), a["id"], a["change"].measure, a["change"].year)
    _, claims = nv.render_claims("02_science", "movers", "en", {**ctx, "risers": risers})
    assert any(a["id"] in w for w in wrong_values(claims, truth))


def test_an_unmutated_context_passes_both_checks(real_edition, truth, city_of_name):
    html, claims = nv.render_claims("01_overview", "leaders", "en", _overview_context(real_edition))
    assert claims and not wrong_values(claims, truth) and not misplaced(html, claims, city_of_name)


# --------------------------------------------------------------------------- Facts themselves

def test_a_fact_is_its_number():
    r, s = facts.fact(3, "beijing", "composite_rank"), facts.fact(83.18, "beijing", "composite")
    assert r == 3 and isinstance(r, int) and f"{r}" == "3" and r + 1 == 4 and type(r + 1) is int
    assert s == 83.18 and f"{s:.1f}" == "83.2" and type(s * 2) is float
    assert (r.city, r.measure, r.year) == ("beijing", "composite_rank", None)


def test_a_fact_survives_pickling():
    import pickle
    f = pickle.loads(pickle.dumps(facts.fact(2, "tokyo", "A_rank", 2022)))
    assert f == 2 and (f.city, f.measure, f.year) == ("tokyo", "A_rank", 2022)


def test_claim_sites_reads_the_nearest_city_in_the_sentence():
    names = {"Beijing": "beijing", "Tokyo": "tokyo"}
    html = (f'<p><span class="name">Beijing</span> ({facts.mark(0, "83.18")}) and '
            f'<span class="name">Tokyo</span> ({facts.mark(1, "80.00")}). Then {facts.mark(2, "7th")}.</p>')
    sites = facts.claim_sites(html, names)
    assert [(s.index, s.named_before) for s in sites] == [(0, "beijing"), (1, "tokyo"), (2, None)]


def test_a_semicolon_inside_parentheses_does_not_end_the_sentence():
    """"Delhi (cluster Delhi; 80th in GIHI)" is about Delhi; outside parentheses a semicolon
    still ends the sentence, and so does a full stop after a closed parenthesis."""
    names = {"Delhi": "delhi", "Tokyo": "tokyo"}
    html = (f'<p><span class="name">Delhi</span> (cluster; {facts.mark(0, "80th")} in GIHI); then {facts.mark(1, "7th")}. '
            f'<span class="name">Tokyo</span> ({facts.mark(2, "1st")}). {facts.mark(3, "2nd")}（{facts.mark(4, "3rd")}；x）</p>')
    sites = facts.claim_sites(html, names)
    assert [(s.index, s.named_before) for s in sites] == [(0, "delhi"), (1, None), (2, "tokyo"), (3, None), (4, None)]
