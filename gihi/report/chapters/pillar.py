"""The three pillar chapters (science centre A, innovation highland B, innovation ecosystem C)
share one structure: the pillar ranking (top 100 with sub-pillar scores), the top-20 rank history,
the sub-pillar overview figure and one figure per sub-pillar's indicators, and four narrative
sections (overview, movers, sub-pillars, indicators) plus the data note.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from gihi.analysis import changes
from gihi.core.paths import OUTPUT_DIR, resolve
from gihi.model.edition import Edition
from gihi.report.facts import fact
from gihi.report.chapters.common import (TOP_N, TOP_TABLE, TOP_TEN, TOP_WIDE, ChapterBuilder, col, data_note,
                     first_time_in_top, first_year_fact, history_caption_fields, sound_leaders, history_columns, history_table, indicator_leaders,
                     leader_streak, movers,
                     name_cols, provenance_context, provenance_summary, ranked, region_counts, region_records,
                     subpillar_leaders, top_records)

WEST = ("europe", "north_america")
SECTIONS = ("overview", "movers", "subpillars", "indicators")   # in order; then the shared data note


@dataclass(frozen=True)
class PillarSpec:
    chapter: str
    pillar: str
    ranking_table: str           # e.g. table05
    history_table: str           # e.g. table06
    overview_figure: tuple[str, str]                 # (figure id, chart name)
    indicator_figures: tuple[tuple[str, str], ...]   # (figure id, chart name) taking (raw, scores, cities, meta)
    network_figures: tuple[tuple[str, str], ...] = ()  # (figure id, chart name) taking (raw, cities, meta)


def ranking_frame(ed: Edition, pillar: str, n: int = TOP_TABLE) -> pd.DataFrame:
    """The pillar ranking: ``rank, id, name_zh, name_en, <pillar>, <sub-pillars>`` for the top ``n``."""
    subs = ed.tree.subpillars_of(pillar)
    top = ranked(ed.scores, pillar).head(n)
    out = top[["name_zh", "name_en", pillar, *subs]].copy()
    out.insert(0, "rank", top[f"{pillar}_rank"].astype("Int64"))
    out.insert(1, "id", top.index)
    return out.reset_index(drop=True)


def contexts(ed: Edition, pillar: str) -> dict[str, dict]:
    """Narrative contexts of the pillar sections ``overview``, ``movers``, ``subpillars``, ``indicators``."""
    year, prev = ed.year, changes.previous_year(ed)
    main = ed.group("main")
    names = ed.continent_names()
    top = top_records(ed.scores, pillar, 5)
    c20 = region_counts(ed.scores, pillar, TOP_N)
    c50 = region_counts(ed.scores, pillar, TOP_WIDE)
    asia20 = [r for r in top_records(ed.scores, pillar, TOP_N) if ed.scores.loc[r["id"], "continent"] == "asia"]
    west50 = int(sum(c50.get(k, 0) for k in WEST))
    base = {"year": year, "prev_year": prev, "pillar": ed.label(pillar), "top_n": TOP_N, "top_wide": TOP_WIDE}
    overview = {
        **base,
        "n_ranked": fact(len(main), None, "ranked.main"),
        "leader": leader_streak(ed, pillar),
        "top": top,
        "gap": fact(top[0]["score"] - top[1]["score"], None, f"gap.{pillar}") if len(top) > 1 else 0.0,
        # counts of the top places by region, as Facts about the level's top n (top20.A.asia, ...)
        "regions_top20": region_records(c20, names, f"top{TOP_N}.{pillar}"),
        "regions_top50": region_records(c50, names, f"top{TOP_WIDE}.{pillar}"),
        "asia_top20": asia20,
        "n_asia_top20": fact(len(asia20), None, f"top{TOP_N}.{pillar}.asia"),
        "n_west_top20": fact(int(sum(c20.get(k, 0) for k in WEST)), None, f"top{TOP_N}.{pillar}.west"),
        "n_west_top50": fact(west50, None, f"top{TOP_WIDE}.{pillar}.west"),
        "west_top50_pct": fact(100.0 * west50 / max(1, min(TOP_WIDE, len(main))), None, f"top{TOP_WIDE}.{pillar}.west_pct"),
    }
    within = TOP_N
    mv = movers(ed, pillar, within=within)
    new10 = first_time_in_top(ed, pillar, TOP_TEN)
    new20 = [r for r in first_time_in_top(ed, pillar, TOP_N) if r["rank"] > TOP_TEN]
    moves = {**base, "within": within, **mv, "new_top10": new10, "new_top20": new20, "ten": TOP_TEN,
             "first_year": first_year_fact(ed, pillar)}
    # every level's leader scores the top of the method's scale (a parameter: param.scale.hi)
    subs = {**base, "subs": subpillar_leaders(ed, pillar, 3),
            "scale_hi": fact(float(ed.index.policy["hi"]), None, "param.scale.hi")}
    codes = list(ed.tree.indicators.loc[ed.tree.indicators["pillar"] == pillar, "code"])
    leaders = indicator_leaders(ed, codes)
    inds = {**base, "leaders": leaders, **sound_leaders(leaders)}
    return {"overview": overview, "movers": moves, "subpillars": subs, "indicators": inds}


def section_contexts(spec: PillarSpec, ed: Edition) -> dict[str, dict]:
    """Every section's narrative context, the data note included (for tests and audits)."""
    return {**contexts(ed, spec.pillar), "data_note": provenance_context(provenance_summary(ed, pillars=[spec.pillar]))}


def chart_meta(ed: Edition) -> pd.DataFrame:
    """Code labels (pillars, sub-pillars, indicators with units) for the charts."""
    from gihi.report.charts.labels import code_labels
    return code_labels(ed.tables.tree_table, ed.indicators)


def ranking_columns(ed: Edition, pillar: str) -> list:
    """The columns of a pillar ranking table: rank, city, the pillar score and its sub-pillars'."""
    return [col("rank", "rank"), *name_cols(), col(pillar, "score", label=f"score_{pillar}"),
            *[col(s, "score", label=f"score_{s}") for s in ed.tree.subpillars_of(pillar)]]


def bind(spec: PillarSpec):
    """The chapter-module API (``contexts``, ``section_contexts``) for one pillar chapter."""
    def chapter_contexts(ed: Edition) -> dict[str, dict]:
        return contexts(ed, spec.pillar)

    def chapter_section_contexts(ed: Edition) -> dict[str, dict]:
        """Every section's narrative context, the data note included."""
        return section_contexts(spec, ed)

    return chapter_contexts, chapter_section_contexts


def items(spec: PillarSpec) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The chapter's ``(TABLES, FIGURES)`` ids (:mod:`gihi.report.numbering`)."""
    figures = (spec.overview_figure, *spec.indicator_figures, *spec.network_figures)
    return (spec.ranking_table, spec.history_table), tuple(fid for fid, _ in figures)
