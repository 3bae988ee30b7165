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
from gihi.core.paths import OUTPUT_DIR, resolve
from gihi.model.edition import Edition
from gihi.report.chapters.common import MAIN, MINI, col, name_cols, provenance_context, provenance_summary

CHAPTER = "08_audit"
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
    r = iv.loc[cid]
    return {"id": cid, "name": {"zh": r["name_zh"], "en": r["name_en"]}, "rank": int(r["rank"]),
            "median": int(r["median_rank"]), "p05": int(r["p05_rank"]), "p95": int(r["p95_rank"]),
            "width": int(r["width"]), "share_same": float(r["share_same"])}


def _group_robustness(iv: pd.DataFrame, group: str, top: int, wide: int, k: int = 3) -> dict:
    g = iv[iv["group"] == group].sort_values(["rank", "id"], kind="mergesort")
    if g.empty:
        return {"present": False, "n": 0}
    head = g[g["rank"] <= top]
    wide_ids = head[head["width"] > wide].sort_values(["width", "rank"], ascending=[False, True], kind="mergesort").index
    moved = head[head["median_rank"] != head["rank"]]
    return {"present": True, "n": int(len(g)), "n_top": int(len(head)), "n_wide_top": int(len(wide_ids)),
            "n_robust_top": int(len(head) - len(wide_ids)), "n_wide": int((g["width"] > wide).sum()),
            "leaders": [_rec(iv, c) for c in head.index[:k]], "widest": [_rec(iv, c) for c in wide_ids[:k]],
            "n_moved_median": int(len(moved)), "median_width": float(g["width"].astype(float).median()),
            "max_width": int(g["width"].max()), "widest_all": _rec(iv, g.sort_values(["width", "rank"], ascending=[False, True], kind="mergesort").index[0])}


def _factor_recs(sob: pd.DataFrame, group: str) -> list[dict]:
    s = sob[sob["group"] == group]
    recs = [{"factor": f, "label": _label(f"audit.factor.{f}"), "s1": float(r["S1"]), "st": float(r["ST"]),
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
    base = {"year": year, "interval_pct": _interval_pct(cfg), "p_lo": cfg.percentiles[0], "p_hi": cfg.percentiles[1],
            "wide": wide, "top_k": top, "runs": cfg.runs}
    approach = {**base, "perturbation_pct": 100 * cfg.perturbation, "n_subpillars": len(ed.tree.subpillars),
                "options": opts, "nominal": nominal, "geo_lo": cfg.geometric_range[0], "geo_hi": cfg.geometric_range[1],
                "n_main": int((ed.scores["group"] == MAIN).sum()), "n_mini": int((ed.scores["group"] == MINI).sum()),
                "n_assumptions": len(A.ASSUMPTIONS), "sobol_runs": n_sobol, "sobol_n": cfg.sobol_n,
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
        groups[g] = {"present": True, "label": _label(f"audit.group.{g}"), "factors": recs, "driver": recs[0],
                     "rest": recs[1:], "mean_shift": shifts[g]["mean"], "max_shift": shifts[g]["max"],
                     # sums of the printed (2-decimal) indices, so that they agree with what the reader adds up
                     "sum_st": sum(round(r["st"], 2) for r in recs), "sum_s1": sum(round(r["s1"], 2) for r in recs)}
    missing = [r for g in groups.values() for r in g.get("factors", []) if r["factor"] == "missing"]
    sensitivity = {**base, "main": groups[MAIN], "mini": groups[MINI], "sobol_runs": n_sobol, "n_missing": n_missing,
                   "missing_inert": bool(n_missing == 0 and missing and all(r["st"] == 0 and r["s1"] == 0 for r in missing)),
                   "conf_pct": 100 * cfg.sobol_conf}
    cons = A.consistency(ed)
    ind = cons["indicators"]
    lab = ed.label
    flagged = [{"code": r["code"], "label": lab(r["code"]), "pillar": lab(r["pillar"]), "subpillar": lab(r["subpillar"]),
                "r_pillar": float(r["r_pillar"]), "r_subpillar": float(r["r_subpillar"]), "kind": r["flag"],
                "kind_label": _label(f"audit.flag.{r['flag']}")}
               for _, r in ind.iterrows() if r["flag"]]
    ok = ind[ind["flag"] == ""].sort_values("r_pillar", kind="mergesort")
    alphas = [{"pillar": lab(r["code"]), "code": r["code"], "alpha": float(r["alpha"]), "n": int(r["n_indicators"]),
               "r_composite": float(r["r_composite"])} for _, r in cons["pillars"].iterrows()]
    consistency = {**base, "method": _label(f"audit.corr.{cfg.corr_method}"), "n_cities": int(cons["n_cities"]),
                   "group": _label(f"audit.group.{cfg.corr_group}"), "threshold": cfg.weak_threshold,
                   "alpha_threshold": cfg.alpha_threshold, "alphas": alphas,
                   "n_alpha_ok": sum(a["alpha"] >= cfg.alpha_threshold for a in alphas), "n_pillars": len(alphas),
                   "flagged": flagged, "n_flagged": len(flagged),
                   "n_negative": sum(f["kind"] == "negative" for f in flagged), "n_indicators": int(len(ind)),
                   "weakest_ok": ({"code": ok.iloc[0]["code"], "label": lab(ok.iloc[0]["code"]), "pillar": lab(ok.iloc[0]["pillar"]),
                                   "r_pillar": float(ok.iloc[0]["r_pillar"])} if len(ok) else None),
                   "n_strong": int((ind["r_pillar"] >= cfg.strong_threshold).sum()), "strong": cfg.strong_threshold,
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
