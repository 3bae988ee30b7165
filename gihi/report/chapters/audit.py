"""Appendix — statistical audit (JRC / COINr practice): Monte Carlo rank intervals of the main
list and the mini-hubs, the least robust ranks, Sobol' indices of the assumptions, and the
internal consistency of the framework (correlations, Cronbach's alpha, flagged indicators).

The computation is :mod:`gihi.analysis.audit`; its assumptions are ``data/meta/audit.yaml``.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from gihi.analysis import audit as A
from gihi.report import i18n
from gihi.report.facts import fact
from gihi.core.paths import OUTPUT_DIR, resolve
from gihi.model.edition import Edition
from gihi.report.chapters.common import MAIN, MINI, col, name_cols, provenance_context, provenance_summary

CHAPTER = "08_audit"
#: prefix of the measures of the audit's parameters (``data/meta/audit.yaml``)
PARAM = "param.audit"
TABLES = ("audit_least_robust", "audit_sobol", "audit_alpha", "audit_corr_subpillars", "audit_corr_indicators")
FIGURES = ("audit_intervals_main", "audit_intervals_mini", "audit_sobol_chart", "audit_corr_heatmap")


def present(ed: Edition, item: str) -> bool:
    """Whether the optional ``item`` is in this edition's chapter (:mod:`gihi.report.numbering`)."""
    return item == "audit_intervals_mini" and bool((ed.scores["group"] == MINI).any())
SECTIONS = ("approach", "robustness", "sensitivity", "consistency")


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _label(key: str) -> dict:
    return i18n.both(key)


def _interval_pct(cfg: A.AuditConfig) -> float:
    return cfg.percentiles[1] - cfg.percentiles[0]


# --------------------------------------------------------------------------- frames

def intervals(ed: Edition) -> pd.DataFrame:
    """:func:`gihi.analysis.audit.uncertainty_frame` of the scored cities plus ``width`` (p95 − p05)
    and ``share_same`` (% of runs at the published rank)."""
    u = A.uncertainty_frame(ed).dropna(subset=["rank"]).set_index("id")
    u["width"] = (u["p95_rank"] - u["p05_rank"]).astype("Int64")
    share = {}
    for g, r in A.simulated_ranks(ed).items():
        nominal = u.loc[r.index, "rank"].astype(int).to_numpy()
        share.update(dict(zip(r.index, 100.0 * (r.to_numpy() == nominal[:, None]).mean(axis=1))))
    u["share_same"] = pd.Series(share).reindex(u.index).astype(float)
    return u


def least_robust_frame(iv: pd.DataFrame, n: int, group: str = MAIN) -> pd.DataFrame:
    """The ``n`` cities of ``group`` with the widest intervals (ties: better published rank first)."""
    g = iv[iv["group"] == group].reset_index()
    g = g.sort_values(["width", "rank", "id"], ascending=[False, True, True], kind="mergesort").head(n)
    return g[["rank", "id", "name_zh", "name_en", "median_rank", "p05_rank", "p95_rank", "width"]].reset_index(drop=True)


def sobol_frame(ed: Edition) -> pd.DataFrame:
    """Sobol' indices with the groups' and assumptions' names."""
    s = A.sensitivity_frame(ed)
    for lang in i18n.LANGS:
        s[f"group_{lang}"] = [_cap(i18n.t(f"audit.group.{g}", lang)) for g in s["group"]]
        s[f"factor_{lang}"] = [_cap(i18n.t(f"audit.factor.{f}", lang)) for f in s["factor"]]
    return s


def consistency_tables(ed: Edition, cons: dict) -> dict[str, pd.DataFrame]:
    """The three consistency tables with names (and the flags in words)."""
    lab = ed.tree.labels
    ind = cons["indicators"].copy()
    for k in i18n.LANGS:
        ind[f"name_{k}"] = ind["code"].map(lab[f"name_{k}"])
        ind[f"flag_{k}"] = [i18n.t(f"audit.flag.{f}", k) if f else "" for f in ind["flag"]]
    ind = ind[["code", "name_zh", "name_en", "subpillar", "pillar", "r_subpillar", "r_pillar", "r_composite",
               "flag_zh", "flag_en"]]
    subs = cons["subpillars"].copy()
    pil = cons["pillars"].copy()
    for frame in (subs, pil):
        for k in i18n.LANGS:
            frame.insert(1 if k == "zh" else 2, f"name_{k}", frame["code"].map(lab[f"name_{k}"]))
    return {"indicators": ind, "subpillars": subs, "pillars": pil}


# --------------------------------------------------------------------------- narrative contexts

def _rec(iv: pd.DataFrame, cid: str) -> dict:
    """A city's published rank, median rank and interval as Facts about it. The share of runs at
    its published rank is a Fact about that place of its list (``audit.main.rank3.share_same_pct``):
    the list of leaders prints it after a semicolon, in a sentence that does not name the city."""
    r = iv.loc[cid]
    rank = int(r["rank"])
    return {"id": cid, "name": {"zh": r["name_zh"], "en": r["name_en"]}, "rank": fact(rank, cid, "composite_rank"),
            "median": fact(int(r["median_rank"]), cid, "audit.median_rank"),
            "p05": fact(int(r["p05_rank"]), cid, "audit.interval.lo_rank"),
            "p95": fact(int(r["p95_rank"]), cid, "audit.interval.hi_rank"), "width": int(r["width"]),
            "share_same": fact(float(r["share_same"]), None, f"audit.{r['group']}.rank{rank}.share_same_pct")}


def _group_robustness(iv: pd.DataFrame, group: str, top: int, wide: int, k: int = 3) -> dict:
    g = iv[iv["group"] == group].sort_values(["rank", "id"], kind="mergesort")
    if g.empty:
        return {"present": False, "n": 0}
    head = g[g["rank"] <= top]
    wide_ids = head[head["width"] > wide].sort_values(["width", "rank"], ascending=[False, True], kind="mergesort").index
    moved = head[head["median_rank"] != head["rank"]]
    m = f"audit.{group}"
    return {"present": True, "n": fact(len(g), None, f"{m}.n_cities"), "n_top": int(len(head)),
            "n_wide_top": fact(len(wide_ids), None, f"{m}.top{top}.n_wide"),
            "n_robust_top": fact(len(head) - len(wide_ids), None, f"{m}.top{top}.n_robust"),
            "n_wide": fact(int((g["width"] > wide).sum()), None, f"{m}.n_wide"),
            "leaders": [_rec(iv, c) for c in head.index[:k]], "widest": [_rec(iv, c) for c in wide_ids[:k]],
            "n_moved_median": fact(len(moved), None, f"{m}.top{top}.n_moved_median"),
            "median_width": fact(float(g["width"].astype(float).median()), None, f"{m}.median_width"),
            "max_width": int(g["width"].max()), "widest_all": _rec(iv, g.sort_values(["width", "rank"], ascending=[False, True], kind="mergesort").index[0])}


def _factor_recs(sob: pd.DataFrame, group: str) -> list[dict]:
    s = sob[sob["group"] == group]
    m = f"audit.sobol.{group}"
    recs = [{"factor": f, "label": _label(f"audit.factor.{f}"), "s1": fact(float(r["S1"]), None, f"{m}.s1.{f}"),
             "st": fact(float(r["ST"]), None, f"{m}.st.{f}"),
             "s1_conf": float(r["S1_conf"]), "st_conf": float(r["ST_conf"])} for f, (_, r) in zip(s["factor"], s.iterrows())]
    return sorted(recs, key=lambda r: (-r["st"], A.ASSUMPTIONS.index(r["factor"])))


def contexts(ed: Edition) -> dict[str, dict]:
    year = ed.year
    cfg = A.config(ed)
    rep = cfg.report
    top, wide = int(rep["top_k"]), int(rep["wide_interval"])
    iv = intervals(ed)
    prov = provenance_summary(ed)
    kept = list(ed.index.groups.index)
    n_missing = int(ed.wide.reindex(kept).isna().sum().sum()) if kept else 0
    opts = {f: [_label(f"audit.option.{o}") for o in cfg.options[f]] for f in A.FACTORS}
    nominal = {f: _label(f"audit.option.{cfg.nominal[f]}") for f in A.FACTORS}
    sob = A.sensitivity_frame(ed)
    n_sobol = int(sob["n_runs"].iloc[0]) if len(sob) else 0
    sobol_runs = fact(n_sobol, None, f"{PARAM}.sobol_runs")
    base = {"year": year, "interval_pct": fact(_interval_pct(cfg), None, f"{PARAM}.interval_pct"),
            "p_lo": fact(cfg.percentiles[0], None, f"{PARAM}.percentile.lo"),
            "p_hi": fact(cfg.percentiles[1], None, f"{PARAM}.percentile.hi"),
            "wide": fact(wide, None, f"{PARAM}.wide_interval"), "top_k": top, "runs": fact(cfg.runs, None, f"{PARAM}.runs")}
    approach = {**base, "perturbation_pct": fact(100 * cfg.perturbation, None, f"{PARAM}.perturbation_pct"),
                "n_subpillars": fact(len(ed.tree.subpillars), None, "meta.subpillars"), "options": opts, "nominal": nominal,
                "geo_lo": fact(cfg.geometric_range[0], None, f"{PARAM}.geometric_range.lo"),
                "geo_hi": fact(cfg.geometric_range[1], None, f"{PARAM}.geometric_range.hi"),
                "n_main": fact(int((ed.scores["group"] == MAIN).sum()), None, f"audit.{MAIN}.n_cities"),
                "n_mini": fact(int((ed.scores["group"] == MINI).sum()), None, f"audit.{MINI}.n_cities"),
                "n_assumptions": fact(len(A.ASSUMPTIONS), None, f"{PARAM}.n_assumptions"), "sobol_runs": sobol_runs,
                "sobol_n": cfg.sobol_n,
                "n_missing": n_missing, "reconstruction": bool(prov["reconstruction"])}
    robustness = {**base, "main": _group_robustness(iv, MAIN, top, wide),
                  "mini": _group_robustness(iv, MINI, top, wide)}
    shifts = A.sobol_output_summary(ed)
    groups = {}
    for g in (MAIN, MINI):
        recs = _factor_recs(sob, g)
        if not recs:
            groups[g] = {"present": False}
            continue
        m = f"audit.sobol.{g}"
        groups[g] = {"present": True, "label": _label(f"audit.group.{g}"), "factors": recs, "driver": recs[0],
                     "rest": recs[1:], "mean_shift": fact(shifts[g]["mean"], None, f"{m}.mean_shift"),
                     "max_shift": fact(shifts[g]["max"], None, f"{m}.max_shift"),
                     # sums of the printed (2-decimal) indices, so that they agree with what the reader adds up
                     "sum_st": fact(sum(round(r["st"], 2) for r in recs), None, f"{m}.sum_st"),
                     "sum_s1": fact(sum(round(r["s1"], 2) for r in recs), None, f"{m}.sum_s1")}
    missing = [r for g in groups.values() for r in g.get("factors", []) if r["factor"] == "missing"]
    sensitivity = {**base, "main": groups[MAIN], "mini": groups[MINI], "sobol_runs": sobol_runs, "n_missing": n_missing,
                   "missing_inert": bool(n_missing == 0 and missing and all(r["st"] == 0 and r["s1"] == 0 for r in missing)),
                   "conf_pct": fact(100 * cfg.sobol_conf, None, f"{PARAM}.sobol_conf_pct")}
    cons = A.consistency(ed)
    ind = cons["indicators"]
    lab = ed.label
    flagged = [{"code": r["code"], "label": lab(r["code"]), "pillar": lab(r["pillar"]), "subpillar": lab(r["subpillar"]),
                "r_pillar": fact(float(r["r_pillar"]), None, f"audit.r_pillar.{r['code']}"),
                "r_subpillar": fact(float(r["r_subpillar"]), None, f"audit.r_subpillar.{r['code']}"), "kind": r["flag"],
                "kind_label": _label(f"audit.flag.{r['flag']}")}
               for _, r in ind.iterrows() if r["flag"]]
    ok = ind[ind["flag"] == ""].sort_values("r_pillar", kind="mergesort")
    alphas = [{"pillar": lab(r["code"]), "code": r["code"], "alpha": fact(float(r["alpha"]), None, f"audit.alpha.{r['code']}"),
               "n": fact(int(r["n_indicators"]), None, f"meta.indicators.{r['code']}"),
               "r_composite": fact(float(r["r_composite"]), None, f"audit.r_composite.{r['code']}")}
              for _, r in cons["pillars"].iterrows()]
    consistency = {**base, "method": _label(f"audit.corr.{cfg.corr_method}"),
                   "n_cities": fact(int(cons["n_cities"]), None, f"audit.{cfg.corr_group}.n_cities"),
                   "group": _label(f"audit.group.{cfg.corr_group}"),
                   "threshold": fact(cfg.weak_threshold, None, f"{PARAM}.weak_threshold"),
                   "alpha_threshold": fact(cfg.alpha_threshold, None, f"{PARAM}.alpha_threshold"), "alphas": alphas,
                   "n_alpha_ok": fact(sum(a["alpha"] >= cfg.alpha_threshold for a in alphas), None, "audit.n_alpha_ok"),
                   "n_pillars": fact(len(alphas), None, "meta.pillars"),
                   "flagged": flagged, "n_flagged": fact(len(flagged), None, "audit.n_flagged"),
                   "n_negative": sum(f["kind"] == "negative" for f in flagged),
                   "n_indicators": fact(len(ind), None, "meta.indicators"),
                   "weakest_ok": ({"code": ok.iloc[0]["code"], "label": lab(ok.iloc[0]["code"]), "pillar": lab(ok.iloc[0]["pillar"]),
                                   "r_pillar": fact(float(ok.iloc[0]["r_pillar"]), None, "audit.weakest_unflagged.r_pillar")}
                                  if len(ok) else None),
                   "n_strong": fact(int((ind["r_pillar"] >= cfg.strong_threshold).sum()), None, "audit.n_strong"),
                   "strong": fact(cfg.strong_threshold, None, f"{PARAM}.strong_threshold"),
                   "reconstruction": bool(prov["reconstruction"])}
    return {"approach": approach, "robustness": robustness, "sensitivity": sensitivity, "consistency": consistency}


# --------------------------------------------------------------------------- bundle

def percentiles(cfg: A.AuditConfig) -> tuple:
    """The interval's lower and upper percentiles, as printed (5 and 95)."""
    return tuple(int(p) if float(p).is_integer() else p for p in cfg.percentiles)


def least_robust_columns(cfg: A.AuditConfig) -> list:
    """The columns of the least-robust table."""
    lo, hi = percentiles(cfg)
    return [col("rank", "rank"), *name_cols(), col("median_rank", "rank", label="audit_median_rank"),
            col("p05_rank", "rank", label="audit_pct_rank", p=lo), col("p95_rank", "rank", label="audit_pct_rank", p=hi),
            col("width", "int", label="audit_width")]


def sobol_columns(cfg: A.AuditConfig) -> list:
    """The columns of the Sobol' table."""
    conf = int(round(100 * cfg.sobol_conf))
    return [col("group_zh", "text", lang="zh", label="group"), col("group_en", "text", lang="en", label="group"),
            col("factor_zh", "text", lang="zh", label="audit_assumption"),
            col("factor_en", "text", lang="en", label="audit_assumption"),
            col("S1", "num", label="audit_s1"), col("S1_conf", "num", label="audit_conf", conf=conf),
            col("ST", "num", label="audit_st"), col("ST_conf", "num", label="audit_conf", conf=conf)]


def alpha_columns() -> list:
    """The columns of the Cronbach's alpha table."""
    return [col("code", "text", label="pillar_code"), col("name_zh", "text", lang="zh", label="pillar"),
            col("name_en", "text", lang="en", label="pillar"), col("n_indicators", "int", label="audit_n_indicators"),
            col("alpha", "num", label="audit_alpha"), col("r_composite", "num", label="audit_r_composite")]


def subpillar_correlation_columns() -> list:
    """The columns of the sub-pillar correlation table."""
    return [col("code", "text", label="subpillar_code"), col("name_zh", "text", lang="zh", label="subpillar"),
            col("name_en", "text", lang="en", label="subpillar"), col("pillar", "text", label="pillar_code"),
            col("r_pillar", "num", label="audit_r_pillar"), col("r_composite", "num", label="audit_r_composite")]


def indicator_correlation_columns() -> list:
    """The columns of the indicator correlation table."""
    return [col("code", "text", label="indicator_code"), col("name_zh", "text", lang="zh", label="indicator"),
            col("name_en", "text", lang="en", label="indicator"), col("subpillar", "text", label="subpillar_code"),
            col("pillar", "text", label="pillar_code"), col("r_subpillar", "num", label="audit_r_subpillar"),
            col("r_pillar", "num", label="audit_r_pillar"), col("r_composite", "num", label="audit_r_composite"),
            col("flag_zh", "text", lang="zh", label="audit_flag"), col("flag_en", "text", lang="en", label="audit_flag")]


def provenance(ed: Edition) -> dict:
    """The chapter's provenance summary: every indicator."""
    return provenance_summary(ed)


def section_contexts(ed: Edition) -> dict[str, dict]:
    """Every section's narrative context, the data note included."""
    return {**contexts(ed), "data_note": provenance_context(provenance_summary(ed))}
