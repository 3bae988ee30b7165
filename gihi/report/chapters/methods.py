"""Methods chapter — the indicator system (Table 1), definitions and sources (Appendix 2),
normalisation and aggregation (Appendix 3), the missing-value policy, and the provenance of this
edition's data (published / derived / imputed values, overall, per indicator and per focus file).
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import Iterable

import pandas as pd

from gihi.model.method.patterns import FLOWS
from gihi.core.paths import OUTPUT_DIR, resolve
from gihi.analysis import changes
from gihi.model.edition import Edition
from gihi.report.facts import fact
from gihi.report.chapters.common import (MINI, PROVENANCE_KINDS, TOP_TABLE, col, focus_provenance, indicator_provenance,
                     name_cols, previous_year_fact, provenance_context, provenance_summary)
from gihi.report.chapters.pillar import chart_meta  # noqa: F401 (the methods notebook draws the tree from it)

CHAPTER = "07_methods"
SECTIONS = ("system", "normalisation", "missing", "provenance")   # in order
DATA_NOTE = False   # the methods chapter has no data note of its own
TABLES = ("table01", "appendix2", "provenance_overall", "provenance_indicators", "imputed_cells", "provenance_focus",
          "excluded")
FIGURES = ("tree",)


def present(ed: Edition, item: str) -> bool:
    """Whether the optional ``item`` is in this edition's chapter (:mod:`gihi.report.numbering`)."""
    if item == "imputed_cells":
        return bool(len(imputed_frame(ed)))
    if item == "excluded":
        return bool(len(excluded_frame(ed)))
    return False
PATTERN_RANGE = (0.0, 100.0)   # gihi.model.method.patterns defaults (Appendices 6 and 7)


def system_frame(ed: Edition) -> pd.DataFrame:
    """Table 1: one row per indicator with its pillar, sub-pillar, weights (percent) and names."""
    tr = ed.tree
    ind = tr.indicators
    pw = tr.pillars.set_index("code")["weight"]
    sw = tr.subpillars.set_index("code")["weight"]
    cw = tr.composite_weights()
    lab = tr.labels
    return pd.DataFrame({
        "pillar": ind["pillar"], "pillar_zh": ind["pillar"].map(lab["name_zh"]), "pillar_en": ind["pillar"].map(lab["name_en"]),
        "pillar_weight": 100 * ind["pillar"].map(pw),
        "subpillar": ind["subpillar"], "subpillar_zh": ind["subpillar"].map(lab["name_zh"]),
        "subpillar_en": ind["subpillar"].map(lab["name_en"]), "subpillar_weight": 100 * ind["subpillar"].map(sw),
        "code": ind["code"], "name_zh": ind["code"].map(lab["name_zh"]), "name_en": ind["code"].map(lab["name_en"]),
        "weight": 100 * ind["code"].map(cw),
    }).reset_index(drop=True)


def definitions_frame(ed: Edition) -> pd.DataFrame:
    """Appendix 2: definitions, units, periods and sources of the indicators."""
    cols = ["code", "name_zh", "name_en", "unit_zh", "unit_en", "period_zh", "period_en", "definition_zh", "definition_en",
            "source_zh", "source_en"]
    return ed.indicators[cols].reset_index(drop=True)


def provenance_frame(ed: Edition) -> pd.DataFrame:
    """Per indicator: published / derived / imputed / missing cells, with the indicator names."""
    p = indicator_provenance(ed)
    lab = ed.tree.labels
    p.insert(1, "name_zh", p["code"].map(lab["name_zh"]))
    p.insert(2, "name_en", p["code"].map(lab["name_en"]))
    return p


#: why a city's values had to be imputed (UI strings ``imputed.reason.<key>``), by what the
#: report publishes about the city: main cities in its top-100 tables, the other main cities,
#: the mini-hubs (Table 4: pillar and composite scores only)
IMPUTED_REASONS = ("main_listed", "main_unlisted", "mini")


def code_ranges(codes: Iterable[str]) -> str:
    """Indicator codes as compact runs: ``I01–I03, I07``."""
    nums = sorted({int(c[1:]) for c in codes})
    runs, start = [], None
    for i, n in enumerate(nums):
        if start is None:
            start = n
        if i + 1 == len(nums) or nums[i + 1] != n + 1:
            runs.append(f"I{start:02d}" if start == n else f"I{start:02d}–I{n:02d}")
            start = None
    return ", ".join(runs)


def imputed_reason(group: str, rank: float | None, listed: int = TOP_TABLE) -> str:
    """The key of :data:`IMPUTED_REASONS` for a city of ``group`` with composite ``rank``."""
    if group == MINI:
        return "mini"
    return "main_listed" if rank is not None and not pd.isna(rank) and rank <= listed else "main_unlisted"


def imputed_frame(ed: Edition) -> pd.DataFrame:
    """Issue-6 list of the imputed cells: one row per city with imputed values — how many, which
    indicators (compact runs) and why (:func:`imputed_reason`, texts in zh and en)."""
    from gihi.report import i18n
    long = ed.long[(ed.long["provenance"] == "imputed") & ed.long["value"].notna()]
    rows = []
    c = ed.cities.set_index("id")
    order = {cid: i for i, cid in enumerate(ed.cities["id"])}
    for cid, g in sorted(long.groupby("id"), key=lambda kv: order.get(kv[0], 10**6)):
        group = str(c.at[cid, "group"])
        rank = ed.scores["composite_rank"].get(cid) if "composite_rank" in ed.scores else None
        reason = imputed_reason(group, rank)
        rows.append({"id": cid, "name_zh": c.at[cid, "name_zh"], "name_en": c.at[cid, "name_en"],
                     "n": len(g), "codes": code_ranges(g["code"].astype(str)), "reason": reason,
                     "reason_zh": i18n.t(f"imputed.reason.{reason}", "zh"),
                     "reason_en": i18n.t(f"imputed.reason.{reason}", "en")})
    return pd.DataFrame(rows, columns=["id", "name_zh", "name_en", "n", "codes", "reason", "reason_zh", "reason_en"])


def overall_frame(prov: pd.DataFrame) -> pd.DataFrame:
    """The four provenance kinds over all indicators: count and share of the expected cells (%)."""
    from gihi.report import i18n
    exp = int(prov["expected"].sum())
    return pd.DataFrame({"kind": list(PROVENANCE_KINDS),
                         "kind_zh": [i18n.t(f"provkind.{k}", "zh") for k in PROVENANCE_KINDS],
                         "kind_en": [i18n.t(f"provkind.{k}", "en") for k in PROVENANCE_KINDS],
                         "n": [int(prov[k].sum()) for k in PROVENANCE_KINDS],
                         "share": [100.0 * prov[k].sum() / exp if exp else 0.0 for k in PROVENANCE_KINDS]})


def excluded_frame(ed: Edition) -> pd.DataFrame:
    c = ed.cities.set_index("id")
    e = ed.index.excluded
    return pd.DataFrame({"id": e["id"], "name_zh": e["id"].map(c["name_zh"]), "name_en": e["id"].map(c["name_en"]),
                         "group": e["group"], "reason": e["reason"]}).reset_index(drop=True)


HISTORY_TABLES = ("table03", "table06", "table09", "table11")   # the rank-history tables of chapters 1–4


def comparison_context(ed: Edition) -> dict:
    """What the rank comparisons of this edition compare with: ``prev_year`` (None: nothing),
    ``source`` (``computed`` from the previous edition's data, or ``published`` ranks),
    ``changed`` (what differs between the two editions' methods, when both are computed) and
    ``same_method`` (whether the previous data were also scored under this edition's method)."""
    c = changes.comparison(ed)
    return {"prev_year": previous_year_fact(c["prev_year"]), "source": "computed" if c["computed"] else "published",
            "changed": c["changed"],
            "same_method": bool(len(changes.same_method(ed))), "tables": list(HISTORY_TABLES)}


def screen_context(ed: Edition, pol: dict, n_ind: int) -> dict:
    """The missing-value section's numbers as Facts: the screen's thresholds (``param.screen.*``),
    the cities scored and left out and the missing values of the scored cities (``screen.*``)."""
    excl = ed.index.excluded
    scored = list(ed.scores.index)
    wide = ed.wide.loc[scored] if scored else ed.wide.iloc[:0]
    n_mini = int((excl["group"] == MINI).sum()) if len(excl) else 0
    return {"min_coverage_pct": fact(100 * float(pol["min_coverage"]), None, "param.screen.min_coverage_pct"),
            "min_coverage_n": fact(math.ceil(pol["min_coverage"] * n_ind - 1e-9), None, "param.screen.min_coverage_n"),
            "min_per_subpillar": fact(int(pol["min_per_subpillar"]), None, "param.screen.min_per_subpillar"),
            "n_scored": fact(len(scored), None, "screen.scored"), "n_excluded": fact(len(excl), None, "screen.excluded"),
            "excluded_groups": sorted(set(excl["group"])) if len(excl) else [],
            "n_excluded_mini": fact(n_mini, None, "screen.excluded.mini"),
            "n_missing_scored": fact(int(wide.isna().sum().sum()), None, "screen.missing"),
            "n_cells_scored": fact(int(wide.size), None, "screen.values")}


def contexts(ed: Edition) -> dict[str, dict]:
    tr = ed.tree
    pol = ed.index.policy
    n_ind = len(tr.codes)
    # the numbers of the indicator system and the city set, as Facts about the edition's metadata
    system = {"year": ed.year, "n_pillars": fact(len(tr.pillars), None, "meta.pillars"),
              "n_subpillars": fact(len(tr.subpillars), None, "meta.subpillars"),
              "n_indicators": fact(n_ind, None, "meta.indicators"),
              "pillars": [{"label": ed.label(p), "weight_pct": fact(100 * float(w), None, f"meta.weight_pct.{p}"),
                           "n_sub": fact(len(tr.subpillars_of(p)), None, f"meta.subpillars.{p}"),
                           "n_ind": fact(int((tr.indicators["pillar"] == p).sum()), None, f"meta.indicators.{p}")}
                          for p, w in zip(tr.pillars["code"], tr.pillars["weight"])],
              "n_cities": fact(len(ed.cities), None, "meta.cities"),
              "n_main": fact(int((ed.cities["group"] == "main").sum()), None, "meta.cities.main"),
              "n_mini": fact(int((ed.cities["group"] == "mini").sum()), None, "meta.cities.mini")}
    system["comparison"] = comparison_context(ed)
    flow = tr.indicators["flow"] if "flow" in tr.indicators.columns else pd.Series([], dtype=str)
    # the method's parameters (param.*) and the flows' indicator counts, as Facts
    normalisation = {"lo": fact(float(pol["lo"]), None, "param.scale.lo"), "hi": fact(float(pol["hi"]), None, "param.scale.hi"),
                     "ddof": fact(int(pol["ddof"]), None, "param.ddof"),
                     "pattern_lo": fact(PATTERN_RANGE[0], None, "param.patterns.lo"),
                     "pattern_hi": fact(PATTERN_RANGE[1], None, "param.patterns.hi"),
                     "n_flow": {f: fact(int((flow == f).sum()), None, f"meta.indicators.flow.{f}") for f in FLOWS}}
    missing = {**screen_context(ed, pol, n_ind), "n_indicators": system["n_indicators"]}
    prov = provenance_summary(ed, focus=["disciplines", "ai_patents"])
    pc = provenance_context(prov)
    ind = pc["scopes"][0]
    provenance = {"year": ed.year, "indicators": ind, "focus": pc["scopes"][1:], "reconstruction": pc["reconstruction"],
                  "n_indicators": system["n_indicators"], "n_cities": system["n_cities"]}
    return {"system": system, "normalisation": normalisation, "missing": missing, "provenance": provenance}


def system_columns() -> list:
    """The columns of Table 1 (the indicator system and its weights)."""
    return [col("pillar", "text", label="pillar_code"), col("pillar_zh", "text", lang="zh", label="pillar"),
            col("pillar_en", "text", lang="en", label="pillar"), col("pillar_weight", "pct", label="weight_parent"),
            col("subpillar", "text", label="subpillar_code"), col("subpillar_zh", "text", lang="zh", label="subpillar"),
            col("subpillar_en", "text", lang="en", label="subpillar"), col("subpillar_weight", "pct", label="weight_parent"),
            col("code", "text", label="indicator_code"), col("name_zh", "text", lang="zh", label="indicator"),
            col("name_en", "text", lang="en", label="indicator"), col("weight", "pct", label="weight_composite")]


def definitions_columns() -> list:
    """The columns of Appendix 2 (definitions, units, periods and sources)."""
    return [col("code", "text", label="indicator_code"), col("name_zh", "text", lang="zh", label="indicator"),
            col("name_en", "text", lang="en", label="indicator"), col("unit_zh", "text", lang="zh", label="unit"),
            col("unit_en", "text", lang="en", label="unit"), col("period_zh", "text", lang="zh", label="period"),
            col("period_en", "text", lang="en", label="period"),
            col("definition_zh", "text", lang="zh", label="definition"), col("definition_en", "text", lang="en", label="definition"),
            col("source_zh", "text", lang="zh", label="source"), col("source_en", "text", lang="en", label="source")]


def overall_columns() -> list:
    """The columns of the overall provenance table."""
    return [col("kind_zh", "text", lang="zh", label="provenance_kind"), col("kind_en", "text", lang="en", label="provenance_kind"),
            col("n", "int", label="cells"), col("share", "pct")]


def provenance_columns() -> list:
    """The columns of the provenance-by-indicator table."""
    return [col("code", "text", label="indicator_code"), col("name_zh", "text", lang="zh", label="indicator"),
            col("name_en", "text", lang="en", label="indicator"), col("expected", "int"),
            *[col(k, "int") for k in PROVENANCE_KINDS]]


def imputed_columns() -> list:
    """The columns of the imputed-cells table."""
    return [*name_cols(), col("n", "int", label="imputed_cells"), col("codes", "text", label="indicators"),
            col("reason_zh", "text", lang="zh", label="imputed_reason"), col("reason_en", "text", lang="en", label="imputed_reason")]


def focus_frame(ed: Edition) -> pd.DataFrame:
    """The focus chapters' data by file and provenance."""
    return pd.concat([focus_provenance(ed, f) for f in ("disciplines", "ai_patents")], ignore_index=True)


def focus_columns() -> list:
    """The columns of the focus-data provenance table."""
    return [col("file", "text"), col("expected", "int", label="rows"), *[col(k, "int") for k in PROVENANCE_KINDS]]


def excluded_columns() -> list:
    """The columns of the table of cities the screen left out."""
    return [*name_cols(), col("group", "text"), col("reason", "text")]


def provenance(ed: Edition) -> dict:
    """The chapter's provenance summary: every indicator and both focus datasets."""
    return provenance_summary(ed, focus=["disciplines", "ai_patents"])


def section_contexts(ed: Edition) -> dict[str, dict]:
    """Every section's narrative context (the methods chapter has no separate data note)."""
    return contexts(ed)
