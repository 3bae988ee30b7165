"""Chapter 2 — the composite ranking (GIHI 指数综合排名): Table 2 (top 100), Table 3 (top-20 rank
history), Table 4 (mini-hubs, when they are scored), regional distribution in the top 20 / 50,
development patterns (Figure 2) and agglomeration vs radiation (Figure 3).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from gihi.model.method.index import COMPOSITE
from gihi.analysis import changes
from gihi.core.paths import OUTPUT_DIR, resolve
from gihi.model.edition import Edition
from gihi.report.facts import fact
from gihi.report.chapters.common import (MINI, TOP_N, TOP_TABLE, TOP_TEN, TOP_WIDE, ChapterBuilder, city_record, col,
                     data_note, history_caption_fields, history_columns, history_table, leader_streak, movers,
                     name_cols, provenance_context, provenance_summary, ranked, region_counts, region_records, top_records)
from gihi.report.chapters.pillar import chart_meta

CHAPTER = "01_overview"
SECTIONS = ("leaders", "movers", "regions", "patterns", "flows", "mini")   # in order; each chapter also has the shared data note
TABLES = ("table02", "table03", "table04", "regions")
FIGURES = ("fig02", "fig03", "fig04")
MINI_ITEMS = ("table04", "fig04")   # the mini-hub list and its patterns, when the edition has mini-hubs


def present(ed: Edition, item: str) -> bool:
    """Whether the optional ``item`` is in this edition's chapter (:mod:`gihi.report.numbering`)."""
    return item in MINI_ITEMS and bool(len(ed.group(MINI)))
PILLARS = ("A", "B", "C")
MOVERS_WITHIN = 30          # the report compares the movers among the top 30
PATTERN_REGIONS = (("USA", "country_iso3"), ("europe", "continent"), ("CHN", "country_iso3"))
FLOW_TOP = 5                # "high" agglomeration / radiation = among the 5 highest of the main list


def composite_frame(ed: Edition, group: str = "main", n: int | None = TOP_TABLE) -> pd.DataFrame:
    """Table 2 / Table 4: ``rank, id, names, composite`` and each pillar's score and rank."""
    top = ranked(ed.scores, COMPOSITE, group)
    if n is not None:
        top = top.head(n)
    out = pd.DataFrame({"rank": top["composite_rank"].astype("Int64"), "id": top.index,
                        "name_zh": top["name_zh"], "name_en": top["name_en"], "composite": top["composite"]})
    for p in PILLARS:
        out[p] = top[p]
        out[f"{p}_rank"] = top[f"{p}_rank"].astype("Int64")
    return out.reset_index(drop=True)


def regional_frame(ed: Edition) -> pd.DataFrame:
    """Cities per continent in the composite top 20, top 50 and the whole main list."""
    names = ed.continent_names()
    n_all = len(ed.group("main"))
    parts = {n: region_counts(ed.scores, COMPOSITE, n) for n in (TOP_N, TOP_WIDE, n_all)}
    codes = [c for c in names if any(c in s.index for s in parts.values())]
    out = pd.DataFrame({
        "continent": codes,
        "name_zh": [names[c]["zh"] for c in codes],
        "name_en": [names[c]["en"] for c in codes],
        "top20": [int(parts[TOP_N].get(c, 0)) for c in codes],
        "top50": [int(parts[TOP_WIDE].get(c, 0)) for c in codes],
        "listed": [int(parts[n_all].get(c, 0)) for c in codes],
    })
    return out.sort_values(["top20", "top50", "listed"], ascending=False, kind="mergesort").reset_index(drop=True)


def pattern_means(ed: Edition) -> list[dict]:
    """Figure 2's regions (United States, Europe, China): mean development-pattern score of each
    pillar over the region's main cities, with the strongest and weakest pillar. The numbers are
    Facts about the region (``patterns.<code>.n``, ``patterns.<code>.<pillar>``,
    ``patterns.<code>.spread``)."""
    pat = ed.patterns[ed.patterns["group"] == "main"]
    countries, continents = ed.country_names(), ed.continent_names()
    out = []
    for code, by in PATTERN_REGIONS:
        ids = [i for i in pat.index if ed.scores.loc[i, by] == code]
        if not ids:
            continue
        means = {p: float(pat.loc[ids, p].mean()) for p in PILLARS}
        order = sorted(PILLARS, key=lambda p: (-means[p], p))
        m = f"patterns.{code}"
        out.append({"code": code, "name": (countries if by == "country_iso3" else continents)[code],
                    "n": fact(len(ids), None, f"{m}.n"),
                    "means": [{"pillar": ed.label(p), "mean": fact(means[p], None, f"{m}.{p}")} for p in PILLARS],
                    "strongest": ed.label(order[0]), "weakest": ed.label(order[-1]),
                    # the difference of the printed (2-decimal) means, so that it agrees with them
                    "spread": fact(round(means[order[0]], 2) - round(means[order[-1]], 2), None, f"{m}.spread")})
    return out


def flow_groups(ed: Edition, n: int = TOP_N, k: int = FLOW_TOP) -> dict:
    """Figure 3's reading of the composite top ``n``: cities high in both agglomeration and
    radiation (both among the ``k`` highest of the main list), radiation-led and
    agglomeration-led cities (the rest, by which score is larger)."""
    fl = ed.flows[ed.flows["group"] == "main"]
    top_ids = list(ranked(ed.scores, COMPOSITE).index[:n])

    def top_k(c):
        return set(fl[c].sort_index(kind="mergesort").sort_values(ascending=False, kind="mergesort").index[:k])

    high_a, high_r = top_k("agglomeration"), top_k("radiation")
    rec = lambda i: dict(city_record(ed.scores, i), agglomeration=float(fl.loc[i, "agglomeration"]),
                         radiation=float(fl.loc[i, "radiation"]))
    both = [rec(i) for i in top_ids if i in high_a and i in high_r]
    rest = [i for i in top_ids if not (i in high_a and i in high_r)]
    rad = [rec(i) for i in rest if fl.loc[i, "radiation"] > fl.loc[i, "agglomeration"]]
    agg = [rec(i) for i in rest if fl.loc[i, "radiation"] <= fl.loc[i, "agglomeration"]]
    return {"both": both, "radiation_led": rad, "agglomeration_led": agg, "k": k}


def contexts(ed: Edition) -> dict[str, dict]:
    year = ed.year
    main = ed.group("main")
    base = {"year": year, "prev_year": changes.previous_year(ed), "top_n": TOP_N, "top_wide": TOP_WIDE}
    top = top_records(ed.scores, COMPOSITE, TOP_N)
    leaders = {**base, "n_ranked": fact(len(main), None, "ranked.main"), "n_table": int(min(TOP_TABLE, len(main))),
               "leader": leader_streak(ed, COMPOSITE), "top": top,
               "gap": fact(top[0]["score"] - top[1]["score"], None, f"gap.{COMPOSITE}"), "first5": top[:5], "rest20": top[5:],
               "pillar_leaders": [{"pillar": ed.label(p), **top_records(ed.scores, p, 1)[0]} for p in PILLARS]}
    mv = {**base, "within": MOVERS_WITHIN, **movers(ed, COMPOSITE, within=MOVERS_WITHIN, whole_list=True)}
    cn, cc = ed.continent_names(), ed.country_names()
    c20, c50 = region_counts(ed.scores, COMPOSITE, TOP_N), region_counts(ed.scores, COMPOSITE, TOP_WIDE)
    k50 = region_counts(ed.scores, COMPOSITE, TOP_WIDE, by="country_iso3")
    asia20 = [r for r in top if ed.scores.loc[r["id"], "continent"] == "asia"]
    listed = ranked(ed.scores, COMPOSITE).head(TOP_TABLE)
    cn_listed = listed[listed["country_iso3"] == "CHN"]
    regions = {**base, "regions_top20": region_records(c20, cn, f"top{TOP_N}.{COMPOSITE}"),
               "regions_top50": region_records(c50, cn, f"top{TOP_WIDE}.{COMPOSITE}"),
               "countries_top50": region_records(k50.head(3), cc, f"top{TOP_WIDE}.{COMPOSITE}.country"),
               "asia_top20": asia20, "n_asia_top20": fact(len(asia20), None, f"top{TOP_N}.{COMPOSITE}.asia"),
               "n_table": int(len(listed)),
               "n_china_listed": fact(len(cn_listed), None, f"top{len(listed)}.{COMPOSITE}.country.CHN"),
               "china_top10": [city_record(ed.scores, i) for i in cn_listed.index if cn_listed.loc[i, "composite_rank"] <= TOP_TEN],
               "ten": TOP_TEN}
    patterns = {**base, "regions": pattern_means(ed)}
    flows = {**base, **flow_groups(ed)}
    mini = ed.group(MINI)
    n_mini_expected = int((ed.cities["group"] == MINI).sum())
    excl = ed.index.excluded
    mini_ctx = {**base, "present": bool(len(mini)), "n_mini": fact(len(mini), None, "ranked.mini"),
                "n_expected": fact(n_mini_expected, None, "meta.cities.mini"),
                "n_excluded": fact(int((excl["group"] == MINI).sum()) if len(excl) else 0, None, "screen.excluded.mini"),
                "top": top_records(ed.scores, COMPOSITE, 3, group=MINI) if len(mini) else [],
                "pillar_leaders": ([{"pillar": ed.label(p), **top_records(ed.scores, p, 1, group=MINI)[0]} for p in PILLARS]
                                   if len(mini) else [])}
    return {"leaders": leaders, "movers": mv, "regions": regions, "patterns": patterns, "flows": flows, "mini": mini_ctx}


def composite_columns() -> list:
    """The columns of the composite ranking tables (Tables 2 and 4)."""
    cols = [col("rank", "rank"), *name_cols(), col("composite", "score", label="score_composite")]
    for p in PILLARS:
        cols += [col(p, "score", label=f"score_{p}"), col(f"{p}_rank", "rank", label=f"rank_{p}")]
    return cols


def regional_columns() -> list:
    """The columns of the regional table (continents of the top 20 and top 50)."""
    return [col("name_zh", "text", lang="zh", label="continent"), col("name_en", "text", lang="en", label="continent"),
            col("top20", "int", label="top_k", k=TOP_N), col("top50", "int", label="top_k", k=TOP_WIDE),
            col("listed", "int")]


def provenance(ed: Edition) -> dict:
    """The chapter's provenance summary: all indicators of the year."""
    return provenance_summary(ed)


def section_contexts(ed: Edition) -> dict[str, dict]:
    """Every section's narrative context, the data note included (for tests and audits)."""
    return {**contexts(ed), "data_note": provenance_context(provenance(ed))}
