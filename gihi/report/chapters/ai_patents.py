"""Focus chapter — AI technology patents (人工智能技术专利): valid-patent stock and growth
(Figure 21), high-quality patents (Figure 22), PCT and triadic patents (Figures 23–24), hot-field
trends (Figure 25), hot-field distribution by field group (Figure 26 a–d) and the IPC top-30 table.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from gihi.analysis import ai_patents as ai
from gihi.core.paths import OUTPUT_DIR, resolve
from gihi.model.edition import Edition
from gihi.report.facts import fact
from gihi.report.chapters.common import (ChapterBuilder, col, data_note, name_cols, provenance_context,
                     provenance_summary)

CHAPTER = "06_ai_patents"
SECTIONS = ("volume", "growth", "quality", "hotfields")   # in order; each chapter also has the shared data note
TABLES = ("ai_top20", "ipc_top30")
TOP = ai.TOP
FIELD_GROUPS = ("algorithms_compute", "intelligent_control", "computer_vision", "applications")
FIG26 = dict(zip(FIELD_GROUPS, ("fig26a", "fig26b", "fig26c", "fig26d")))
FIGURES = ("fig21", "fig22", "fig23", "fig24", "fig25", *FIG26.values())


@dataclass(frozen=True)
class PatentData:
    patents: pd.DataFrame
    totals: pd.DataFrame       # city_totals over all cities (sorted by id)
    ipc: pd.DataFrame
    ipc_groups: pd.DataFrame
    ipc_universe: pd.DataFrame
    ipc_by_year: pd.DataFrame
    universe: pd.Series
    hotfields: pd.DataFrame
    both_top: list[str]        # cities in both the PCT and the triadic top 20 (Figure 26)


def load(ed: Edition) -> PatentData:
    """The chapter's data: the edition's AI-patent tables and analyses (:func:`gihi.analysis.ai_patents.results`)."""
    a, r = ed.ai_patents, ai.results(ed)
    return PatentData(a.patents, r["totals"], a.ipc, a.ipc_groups, a.ipc_universe, a.ipc_by_year, a.universe,
                      r["hotfields"], r["both_top"])


def top_frame(pd_: PatentData, cities: pd.DataFrame, recent: tuple[int, int], n: int = TOP) -> pd.DataFrame:
    """The valid-stock top ``n``: rank, names, valid, hq, pct, triadic and the growth (%) over the
    ``recent`` window (start, end)."""
    t = pd_.totals.sort_values(["valid_rank", "id"], kind="mergesort").head(n).copy()
    names = cities.set_index("id")
    t["name_zh"] = t["id"].map(names["name_zh"])
    t["name_en"] = t["id"].map(names["name_en"])
    s, e = recent
    t["cagr_recent"] = 100 * t["id"].map(ai.growth(pd_.patents, s, e))
    t = t.rename(columns={"valid_rank": "rank"})
    return t[["rank", "id", "name_zh", "name_en", "valid", "hq", "pct", "triadic", "cagr_recent"]].reset_index(drop=True)


def _rec(cities: pd.DataFrame, cid: str, **values) -> dict:
    r = cities.loc[cid]
    return {"id": cid, "name": {"zh": r["name_zh"], "en": r["name_en"]}, **values}


def leader_changes(flows: pd.DataFrame) -> list[dict]:
    """The city with the largest yearly flow, each time it changes (first year included)."""
    out, prev = [], None
    for y in flows.columns:
        col_ = flows[y].sort_index(kind="mergesort").sort_values(ascending=False, kind="mergesort")
        lead = col_.index[0]
        if lead != prev:
            out.append({"year": int(y), "id": lead})
            prev = lead
    return out


def lead_records(cities: pd.DataFrame, wide: pd.DataFrame, measure: str) -> list[dict]:
    """The leaders of a wide id × year table in turn (:func:`leader_changes`), each with the year
    its lead began as a Fact ``<measure>.<k>`` (k = 1 for the first leader): about no one city,
    as the Chinese text names the new leader after the year."""
    return [_rec(cities, r["id"], year=fact(r["year"], None, f"{measure}.{k}"))
            for k, r in enumerate(leader_changes(wide), start=1)]


def group_label(groups: pd.DataFrame, g: str) -> dict:
    zh = groups.loc[groups["field_group"] == g, "field_group_zh"].iloc[0]
    from gihi.report import i18n
    return {"zh": zh, "en": i18n.t(f"fieldgroup.{g}", "en")}


def contexts(pd_: PatentData, cities: pd.DataFrame, year: int, periods: dict) -> dict[str, dict]:
    c = cities.set_index("id")
    t = pd_.totals.set_index("id")
    base = {"year": year, "top_n": TOP}

    def top_by(measure, n):
        return [_rec(c, i, value=fact(int(t.loc[i, measure]), i, f"ai.{measure}"),
                     rank=fact(int(t.loc[i, f"{measure}_rank"]), i, f"ai.{measure}_rank"))
                for i in ai.top(pd_.totals, measure, n)]

    valid20 = ai.top(pd_.totals, "valid", TOP)
    cn = [i for i in valid20 if c.loc[i, "country_iso3"] == "CHN"]
    volume = {**base, "top": top_by("valid", 5), "n_china_top": fact(len(cn), None, f"ai.valid.top{TOP}.CHN"),
              "first_year": fact(pd_.patents["year"].min(), None, "ai.first_year"),
              "last_year": fact(pd_.patents["year"].max(), None, "ai.last_year"),
              "total_valid": fact(int(t["valid"].sum()), None, "ai.valid.total"),
              "universe_ai": fact(int(pd_.universe["ai_patents"]), None, "ai.universe.ai_patents")}
    stages = [{"start": s, "end": e,
               "cagr_pct": fact(100 * ai.aggregate_growth(pd_.patents, s, e), None, f"ai.cagr_valid.{s}-{e}")}
              for s, e in periods["stages"]]
    s, e = periods["city_growth"]["recent"]
    g = ai.growth(pd_.patents, s, e)
    g20 = g.reindex(valid20).dropna().sort_index(kind="mergesort").sort_values(ascending=False, kind="mergesort")
    # the leader by stock, as Figure 21 draws it (the yearly counts of high-quality patents are Figure 22's)
    changes = lead_records(c, ai.stock(pd_.patents, "valid"), "ai.lead.valid_stock")
    growth = {**base, "stages": stages, "fastest": [_rec(c, i, cagr_pct=fact(100 * float(v), i, f"ai.cagr_valid.{s}-{e}"))
                                               for i, v in g20.head(3).items()],
              "leader_changes": changes, "first_leader": changes[0], "recent": {"start": s, "end": e}}
    hq_changes = lead_records(c, ai.flows(pd_.patents, "hq"), "ai.lead.hq_yearly")
    hqc = [i for i in ai.top(pd_.totals, "hq", TOP) if c.loc[i, "country_iso3"] == "CHN"]
    n_both = fact(len(pd_.both_top), None, f"ai.top{TOP}.pct_and_triadic")
    universe_hq = fact(int(pd_.universe["hq_patents"]), None, "ai.universe.hq_patents")
    quality = {**base, "hq": top_by("hq", 3), "pct": top_by("pct", 3), "triadic": top_by("triadic", 3),
               "n_both": n_both, "both": [_rec(c, i) for i in pd_.both_top],
               "universe_hq": universe_hq, "hq_changes": hq_changes, "n_china_hq": fact(len(hqc), None, f"ai.hq.top{TOP}.CHN"),
               # cities whose high-quality count exceeds PCT + triadic (the report's series do not add up)
               "n_hq_above_sum": fact(int((t["hq"] > t["pct"] + t["triadic"]).sum()), None, "ai.n_hq_above_pct_triadic"),
               "n_cities": fact(len(t), None, "meta.cities")}
    hot = pd_.hotfields
    top5 = [{"code": r["ipc"], "label": {"zh": r["label_zh"], "en": r["label_en"]},
             "hq": fact(int(r["hq_patents"]), None, f"ai.hotfield.hq.{r['ipc']}"),
             "share_pct": fact(float(r["share_pct"]), None, f"ai.hotfield.share_pct.{r['ipc']}")}
            for _, r in hot.head(5).iterrows()]
    groups = []
    for gname in FIELD_GROUPS:
        codes = ai.group_codes(pd_.ipc_groups, gname)
        m = ai.hotfield_matrix(pd_.ipc, pd_.both_top, codes)
        tot = m.sum(axis=1).sort_index(kind="mergesort").sort_values(ascending=False, kind="mergesort")
        groups.append({"code": gname, "label": group_label(pd_.ipc_groups, gname),
                       "n_fields": fact(len(codes), None, f"ai.n_fields.{gname}"),
                       "top": [_rec(c, i, value=fact(int(v), i, f"ai.group_hq.{gname}")) for i, v in tot.head(3).items()]})
    hotfields = {**base, "top": top5, "n_table": int(len(hot)), "groups": groups, "n_both": n_both, "universe_hq": universe_hq}
    return {"volume": volume, "growth": growth, "quality": quality, "hotfields": hotfields}


def top_columns(recent: tuple[int, int]) -> list:
    """The columns of the valid-stock top-20 table (growth over the ``recent`` window)."""
    s, e = recent
    return [col("rank", "rank"), *name_cols(), col("valid", "int", label="ai_valid"), col("hq", "int", label="ai_hq"),
            col("pct", "int", label="ai_pct"), col("triadic", "int", label="ai_triadic"),
            col("cagr_recent", "pct", label="cagr_years", start=s, end=e)]


def ipc_columns() -> list:
    """The columns of the IPC hot-field table."""
    return [col("rank", "rank"), col("ipc", "text"), col("label_zh", "text", lang="zh", label="ipc_label"),
            col("label_en", "text", lang="en", label="ipc_label"), col("hq_patents", "int", label="ai_hq"),
            col("share_pct", "pct")]


def provenance(ed: Edition) -> dict:
    """The chapter's provenance summary: the AI-patent data."""
    return provenance_summary(ed, pillars=[], focus=["ai_patents"])


def section_contexts(ed: Edition) -> dict[str, dict]:
    """Every section's narrative context, the data note included (for tests and audits)."""
    ctx = contexts(load(ed), ed.cities, ed.year, ai.periods(ed))
    return {**ctx, "data_note": provenance_context(provenance(ed))}
