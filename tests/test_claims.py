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

import csv
import re

import pytest

import oracle
from gihi.core.paths import DATA_DIR
from gihi.report import facts
from gihi.report import narrative as nv
from gihi.report.chapters import CHAPTERS, common, section_contexts
from gihi.report.numbering import numbers

YEAR = 2023


# --------------------------------------------------------------------------- independent values

def _rows(*parts) -> list[dict]:
    with open(DATA_DIR.joinpath(*parts), encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _rank(values: dict, key) -> int:
    """1 + the number of strictly larger values (ties share the best rank)."""
    return 1 + sum(v > values[key] for v in values.values())


def _cagr(first: float, last: float, periods: int) -> float:
    return 100 * ((last / first) ** (1 / periods) - 1)


def ai_truth() -> dict:
    """``{(measure, city): value}`` of the AI-patent chapter, from its csv files (Appendix 9)."""
    rows = _rows(str(YEAR), "ai_patents", "patents_by_year.csv")
    out, flows = {}, {}
    for m in ("valid", "pct", "triadic", "hq"):
        tot = {}
        for r in rows:
            tot[r["id"]] = tot.get(r["id"], 0) + int(r[m])
        out.update({(f"ai.{m}", i): v for i, v in tot.items()})
        out.update({(f"ai.{m}_rank", i): _rank(tot, i) for i in tot})
    for r in rows:
        flows[(r["id"], int(r["year"]))] = flows.get((r["id"], int(r["year"])), 0) + int(r["valid"])
    years = sorted({y for _, y in flows})
    for s in years:
        for e in years:
            if e > s:
                out.update({(f"ai.cagr_valid.{s}-{e}", i): _cagr(flows[(i, s)], flows[(i, e)], e - s)
                            for i, _ in flows if flows.get((i, s), 0) > 0 and (i, e) in flows})
    group_of = {r["code"]: r["field_group"] for r in _rows("meta", "ipc_groups.csv")}
    for r in _rows(str(YEAR), "ai_patents", "ipc.csv"):
        if r["ipc"] in group_of:
            key = (f"ai.group_hq.{group_of[r['ipc']]}", r["id"])
            out[key] = out.get(key, 0) + int(r["hq_patents"])
    return out


def discipline_truth() -> dict:
    """``{(measure, city): value}`` of the discipline chapter, from papers.csv (Appendix 8)."""
    rows = _rows(str(YEAR), "disciplines", "papers.csv")
    domain = {r["code"]: r["domain"] for r in _rows("meta", "disciplines.csv")}
    hcp, papers, by_year = {}, {}, {}
    for r in rows:
        k = (r["id"], r["discipline"])
        hcp[k] = hcp.get(k, 0) + int(r["hcp"])
        papers[k] = papers.get(k, 0) + int(r["papers"])
        by_year[(r["id"], int(r["year"]))] = by_year.get((r["id"], int(r["year"])), 0) + int(r["papers"])
    ids = sorted({i for i, _ in hcp})
    out = {}
    for d in sorted({d for _, d in hcp}):
        col = {i: hcp.get((i, d), 0) for i in ids}
        for i in ids:
            r = _rank(col, i)
            out[("disc.n_top10", i)] = out.get(("disc.n_top10", i), 0) + (r <= 10)
            for m in ("disc.n_champion", f"disc.n_champion.{domain[d]}"):
                out[(m, i)] = out.get((m, i), 0) + (r == 1)
    first, last = min(y for _, y in by_year), max(y for _, y in by_year)
    for i in ids:
        ratios = [hcp[(i, d)] / papers[(i, d)] for (j, d) in papers if j == i and papers[(i, d)] > 0]
        out[("disc.mean_hcp_ratio_pct", i)] = 100 * sum(ratios) / len(ratios)
        out[("disc.papers", i)] = sum(v for (j, _), v in papers.items() if j == i)
        if by_year.get((i, first), 0) > 0:
            out[("disc.papers_cagr_pct", i)] = _cagr(by_year[(i, first)], by_year[(i, last)], last - first)
    return out


def meta_truth() -> dict:
    """``{(measure, None): value}`` of the indicator system and the city set, from the edition's
    metadata csv files (``data/2023/meta/``)."""
    tree = _rows(str(YEAR), "meta", "tree.csv")
    pillars = [r for r in tree if r["level"] == "pillar"]
    subs = {r["code"]: r["parent"] for r in tree if r["level"] == "subpillar"}
    indicators = _rows(str(YEAR), "meta", "indicators.csv")
    groups = [r["group"] for r in _rows(str(YEAR), "meta", "cities.csv")]
    total = sum(float(p["weight"]) for p in pillars)
    out = {"meta.pillars": len(pillars), "meta.subpillars": len(subs), "meta.indicators": len(indicators),
           "meta.cities": len(groups), "meta.cities.main": groups.count("main"), "meta.cities.mini": groups.count("mini")}
    for p in pillars:
        out[f"meta.weight_pct.{p['code']}"] = 100 * float(p["weight"]) / total
        out[f"meta.subpillars.{p['code']}"] = sum(parent == p["code"] for parent in subs.values())
        out[f"meta.indicators.{p['code']}"] = sum(subs[r["subpillar"]] == p["code"] for r in indicators)
    return {(k, None): v for k, v in out.items()}


WEST = ("europe", "north_america")


def top_truth(ranks: dict) -> dict:
    """``{(measure, None): count}`` of the main list's top 20 and top 50 at every level, by
    continent, by country and for Europe with North America (``top50.A.west``, its share
    ``west_pct``): the oracle's ranks, ties in cities.csv order, the continents of countries.csv."""
    cont = {r["iso3"]: r["continent"] for r in _rows("meta", "countries.csv")}
    main = [r for r in _rows(str(YEAR), "meta", "cities.csv") if r["group"] == "main"]
    out: dict = {}
    for level in ("composite", "A", "B", "C"):
        order = sorted(main, key=lambda r: (ranks[level][r["id"]], int(r["seq"])))
        for n in (20, 50):
            top = order[:n]
            for r in top:
                for key in (f"top{n}.{level}.{cont[r['country_iso3']]}", f"top{n}.{level}.country.{r['country_iso3']}"):
                    out[key] = out.get(key, 0) + 1
            west = sum(cont[r["country_iso3"]] in WEST for r in top)
            out[f"top{n}.{level}.west"], out[f"top{n}.{level}.west_pct"] = west, 100 * west / len(top)
            out.setdefault(f"top{n}.{level}.asia", 0)
    return {(k, None): v for k, v in out.items()}


def moves_truth(ranks: dict, history: dict) -> dict:
    """``{(measure, None): count}``: how many of a list's top ``n`` have a rank in the previous
    edition on record (``moves.A.top20.compared``) and how many kept it (``.unchanged``)."""
    cities = _rows(str(YEAR), "meta", "cities.csv")
    prev = max(y for y, _, _ in history)
    out = {}
    for level, group, n in [("composite", "main", 30), ("A", "main", 20), ("B", "main", 20), ("C", "main", 20),
                            ("mini", "mini", 30)]:
        now = ranks["composite" if level == "mini" else level]
        order = sorted((r for r in cities if r["group"] == group), key=lambda r: (now[r["id"]], int(r["seq"])))[:n]
        before = [history.get((prev, level, r["id"])) for r in order]
        out[f"moves.{level}.top{n}.compared"] = sum(b is not None for b in before)
        out[f"moves.{level}.top{n}.unchanged"] = sum(b == now[r["id"]] for b, r in zip(before, order))
    return {(k, None): v for k, v in out.items()}


def lead_truth(scores: dict, ranks: dict, history: dict) -> dict:
    """The leader's lead over the runner-up (``gap.A``), its run of first places up to this
    edition (``A_streak``, keyed by the leader) and the number of cities ranked (``ranked.main``)."""
    main = {r["id"] for r in _rows(str(YEAR), "meta", "cities.csv") if r["group"] == "main"}
    out = {("ranked.main", None): sum(c in ranks["composite"] for c in main)}
    years = sorted({y for y, _, _ in history}, reverse=True)
    for level in ("composite", "A", "B", "C"):
        by_score = sorted((c for c in main if c in scores[level]), key=lambda c: -scores[level][c])
        out[(f"gap.{level}", None)] = scores[level][by_score[0]] - scores[level][by_score[1]]
        leader, streak = by_score[0], 1
        for y in years:
            if history.get((y, level, leader)) != 1:
                break
            streak += 1
        out[(f"{level}_streak", leader)] = streak
    return out


def prov_truth() -> dict:
    """The data notes' counts: values (or records) by provenance per scope, and their shares of
    the expected number, from the data files themselves."""
    tree = _rows(str(YEAR), "meta", "tree.csv")
    pillar_of = {r["code"]: r["parent"] for r in tree if r["level"] == "subpillar"}
    pillar = {r["code"]: pillar_of[r["subpillar"]] for r in _rows(str(YEAR), "meta", "indicators.csv")}
    n_cities = len(_rows(str(YEAR), "meta", "cities.csv"))
    values = [r for r in _rows(str(YEAR), "indicators.csv") if r["value"] != ""]
    scopes = {"indicators": set(pillar)}
    scopes.update({f"indicators_{p.lower()}": {c for c in pillar if pillar[c] == p} for p in set(pillar.values())})
    counts = {}
    for sid, codes in scopes.items():
        rows = [r for r in values if r["code"] in codes]
        counts[sid] = (n_cities * len(codes), [r["provenance"] for r in rows])
    for sid, files in (("disciplines", ["papers.csv"]),
                       ("ai_patents", ["patents_by_year.csv", "ipc.csv", "ipc_universe.csv", "ipc_by_year.csv",
                                       "universe.csv", "applicants.csv"])):
        provs = [r["provenance"] for f in files for r in _rows(str(YEAR), sid, f)]
        counts[sid] = (len(provs), provs)
    n_gii = len(_rows("gii", "2025", "clusters.csv"))
    counts["gii"] = (n_gii, ["published"] * n_gii)
    out = {}
    for sid, (expected, provs) in counts.items():
        out[f"prov.{sid}.expected"] = expected
        for k in ("published", "derived", "imputed"):
            out[f"prov.{sid}.{k}"] = provs.count(k)
        out[f"prov.{sid}.missing"] = expected - len(provs)
        for k in ("published", "derived", "imputed", "missing"):
            out[f"prov.{sid}.{k}_pct"] = 100 * out[f"prov.{sid}.{k}"] / (expected or 1)
    return {(k, None): v for k, v in out.items()}


@pytest.fixture(scope="module")
def truth():
    """``(scores, ranks, raw values, history ranks, focus values)``, none of them from gihi."""
    scores, ranks = oracle.scores(DATA_DIR, YEAR), oracle.ranks(DATA_DIR, YEAR)
    raw = {(r["id"], r["code"]): float(r["value"]) for r in _rows(str(YEAR), "indicators.csv") if r["value"]}
    history = {(int(r["year"]), r["level"], r["id"]): int(r["rank"]) for r in _rows("history", "ranks.csv")}
    return scores, ranks, raw, history, {**ai_truth(), **discipline_truth(), **meta_truth(), **top_truth(ranks),
                                         **moves_truth(ranks, history), **lead_truth(scores, ranks, history),
                                         **prov_truth()}


def _number(text: str) -> float:
    """The number in a printed claim: ``83.18``, ``3rd``, ``第3``, ``26,638``, ``75.9%``."""
    m = re.search(r"\d[\d,]*(?:\.\d+)?", text)
    assert m, text
    return float(m.group().replace(",", ""))


def _decimals(text: str) -> int:
    m = re.search(r"\.(\d+)", text)
    return len(m.group(1)) if m else 0


def expected(claim: nv.Claim, truth) -> float:
    """The value the claim should print, computed independently; KeyError when unknown."""
    scores, ranks, raw, history, focus = truth
    f = claim.fact
    year = f.year or YEAR
    if f.measure.startswith(("ai.", "disc.", "meta.", "top", "moves.", "gap.", "ranked.", "prov.")) \
            or f.measure.endswith("_streak"):
        return focus[(f.measure, f.city)]
    if f.measure.endswith("_rank_change"):   # printed as places moved, the direction in words
        level = f.measure[: -len("_rank_change")]
        return abs(history[(year, level, f.city)] - ranks["composite" if level == "mini" else level][f.city])
    if f.measure.endswith("_rank"):
        level = f.measure[: -len("_rank")]
        if year == YEAR:
            return ranks["composite" if level == "mini" else level][f.city]
        return history[(year, level, f.city)]
    assert year == YEAR, claim
    if f.measure in scores:
        return scores[f.measure][f.city]
    return raw[(f.city, f.measure)]


def wrong_values(claims: list[nv.Claim], truth) -> list[str]:
    """Claims whose printed number is not the independent value at the printed precision."""
    bad = []
    for c in claims:
        want = expected(c, truth)
        got = _number(c.text)
        if abs(got - want) > 0.5 * 10 ** -_decimals(c.text) + 1e-9:
            bad.append(f"{c.fact.about}: printed {c.text}, expected {want}")
    return bad


def misplaced(html: str, claims: list[nv.Claim], city_of_name: dict) -> list[str]:
    """Claims printed where the nearest city named before them is another city (or none)."""
    bad = []
    for site in facts.claim_sites(html, city_of_name):
        c = claims[site.index]
        if c.fact.city is not None and site.named_before != c.fact.city:
            bad.append(f"{c.fact.about} printed as {c.text} after {site.named_before}: {site.sentence!r}")
    return bad


@pytest.fixture(scope="module")
def city_of_name(real_edition):
    c = real_edition.cities
    return {**dict(zip(c["name_zh"], c["id"])), **dict(zip(c["name_en"], c["id"]))}


@pytest.fixture(scope="module")
def marked(real_edition):
    """``(chapter, section, lang, marked html, claims, plain html)`` of every 2023 section."""
    nums = numbers(real_edition)
    out = []
    for ch in CHAPTERS:
        for sid, ctx in section_contexts(ch, real_edition).items():
            folder = common.SHARED if sid == "data_note" else ch
            for lang in nv.LANGS:
                html, claims = nv.render_claims(folder, sid, lang, ctx, numbers=nums)
                plain = nv.render_section(folder, sid, lang, ctx, numbers=nums)
                out.append((ch, sid, lang, html, claims, plain))
    return out


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
