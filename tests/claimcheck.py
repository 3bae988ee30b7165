"""The checker of narrated numbers (issue 18, item 3), shared by tests/test_claims*.py.

Every :class:`~gihi.report.facts.Fact` a narrative prints is checked twice:

* **its value** (:func:`wrong_values`) against a computation that shares no code with the
  narrative: the scores and ranks of tests/oracle.py, the raw csv files read with the csv module,
  and for the audit's and the GII benchmark's statistics the analyses' result frames
  (``gihi.analysis``, which no narrative code feeds); see :func:`truth_of`;
* **its city** (:func:`misplaced`): the city named nearest before the number in the same sentence
  is the city the number is about.

The fixtures ``truth``, ``marked`` and ``city_of_name`` (tests/conftest.py) hold these for the
2023 edition.
"""
from __future__ import annotations

import csv
import re

import oracle
from _datafiles import rows
import truth_audit
import truth_focus
import truth_gii
import truth_report
from gihi.core.paths import DATA_DIR
from gihi.report import facts
from gihi.report import narrative as nv
from gihi.report.chapters import CHAPTERS, common, section_contexts
from gihi.report.numbering import numbers

YEAR = 2023
#: the independent values of the chapters' other numbers, one module each (``truth(edition)``):
#: the audit's and the GII benchmark's statistics from the analyses' result frames (gihi.analysis,
#: which no narrative code feeds), the focus chapters' aggregates from their csv files, and the
#: overview's, pillar chapters' and methods chapter's remaining numbers
CHAPTER_TRUTHS = (truth_audit, truth_gii, truth_focus, truth_report)


# --------------------------------------------------------------------------- independent values

def _rows(*parts) -> list[dict]:
    return rows(DATA_DIR.joinpath(*parts))


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


def truth_of(edition) -> tuple:
    """``(scores, ranks, raw values, history ranks, other values)``, none of them from the narrative
    code: the oracle's, the csv files', and the chapters' truth modules' (``CHAPTER_TRUTHS``)."""
    scores, ranks = oracle.scores(DATA_DIR, YEAR), oracle.ranks(DATA_DIR, YEAR)
    raw = {(r["id"], r["code"]): float(r["value"]) for r in _rows(str(YEAR), "indicators.csv") if r["value"]}
    history = {(int(r["year"]), r["level"], r["id"]): int(r["rank"]) for r in _rows("history", "ranks.csv")}
    focus = {**ai_truth(), **discipline_truth(), **meta_truth(), **top_truth(ranks), **moves_truth(ranks, history),
             **lead_truth(scores, ranks, history), **prov_truth()}
    for module in CHAPTER_TRUTHS:
        focus.update(module.truth(edition))
    return scores, ranks, raw, history, focus


def _number(text: str) -> float:
    """The number in a printed claim, sign included: ``83.18``, ``3rd``, ``第3``, ``26,638``, ``75.9%``, ``-0.61``."""
    m = re.search(r"-?\d[\d,]*(?:\.\d+)?", text)
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
    if (f.measure, f.city) in focus:
        return focus[(f.measure, f.city)]
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


def names_of(edition) -> dict:
    """Every printed city name (both languages) -> its id."""
    c = edition.cities
    return {**dict(zip(c["name_zh"], c["id"])), **dict(zip(c["name_en"], c["id"]))}


def marked_sections(edition) -> list[tuple]:
    """``(chapter, section, lang, marked html, claims, plain html)`` of every section."""
    nums = numbers(edition)
    out = []
    for ch in CHAPTERS:
        for sid, ctx in section_contexts(ch, edition).items():
            folder = common.SHARED if sid == "data_note" else ch
            for lang in nv.LANGS:
                html, claims = nv.render_claims(folder, sid, lang, ctx, numbers=nums)
                plain = nv.render_section(folder, sid, lang, ctx, numbers=nums)
                out.append((ch, sid, lang, html, claims, plain))
    return out
