"""Independent values of the audit chapter's narrated numbers (08_audit; see tests/test_claims.py).

Where each value comes from:

* the audit's parameters (``param.audit.*``): ``meta/audit.yaml`` read with yaml (the edition's
  own ``data/<year>/meta/audit.yaml`` when it has one, else ``data/meta/audit.yaml``);
* the city counts (``audit.<group>.n_cities``): ``meta/cities.csv`` read with the csv module,
  the cities the oracle scores (tests/oracle.py: the coverage screen);
* the rank intervals (``audit.median_rank``, ``audit.interval.lo_rank``/``hi_rank``; the share
  of runs the holder of a published place spends at it, ``audit.<group>.rank<k>.share_same_pct``;
  the counts and medians of the widths): recomputed here with
  numpy from the Monte Carlo ranks of :func:`gihi.analysis.audit.simulated_ranks`, the
  percentiles and the quantile method of the yaml, the published ranks of the oracle;
* the Sobol' indices and the rank shifts of the design: :func:`gihi.analysis.audit.sensitivity_frame`
  and :func:`~gihi.analysis.audit.sobol_output_summary` (their sums computed here);
* the consistency statistics (Cronbach's alpha, correlations, flags and counts): recomputed
  with numpy from the indicators' z-scores (``data/<year>/indicators.csv``, standardised here
  within the correlation group) and the oracle's sub-pillar, pillar and composite Z values.
"""
from __future__ import annotations


import numpy as np

import oracle
from gihi.analysis import audit as A
from _datafiles import load_yaml, meta_file, meta_rows, rows
from gihi.core.paths import DATA_DIR


def load_config(year: int) -> dict:
    """The edition's ``audit.yaml``, as parsed by yaml."""
    return load_yaml(meta_file(year, "audit.yaml"))


def groups(year: int) -> dict[str, list[str]]:
    """``{group: [city ids]}`` of the cities the oracle scores, in cities.csv order."""
    scored = oracle.scores(DATA_DIR, year)["composite"]
    out: dict[str, list[str]] = {}
    for r in meta_rows(year, "cities.csv"):
        if r["id"] in scored:
            out.setdefault(r["group"], []).append(r["id"])
    return out


# --------------------------------------------------------------------------- parameters

def n_assumptions(cfg: dict) -> int:
    """The weights plus every assumption of the yaml that lists its options."""
    return 1 + sum(isinstance(v, dict) and "options" in v for v in cfg.values())


def param_truth(cfg: dict) -> dict:
    """``{(param.audit.*, None): value}`` straight from the yaml."""
    lo, hi = cfg["uncertainty"]["percentiles"]
    geo_lo, geo_hi = cfg["aggregation"]["geometric_range"]
    s, c = cfg["sensitivity"], cfg["consistency"]
    out = {"runs": cfg["uncertainty"]["runs"], "perturbation_pct": 100 * cfg["weights"]["perturbation"],
           "percentile.lo": lo, "percentile.hi": hi, "interval_pct": hi - lo,
           "geometric_range.lo": geo_lo, "geometric_range.hi": geo_hi, "n_assumptions": n_assumptions(cfg),
           # SALib's Saltelli design without second-order terms: N × (groups + 2) runs
           "sobol_runs": s["base_samples"] * (n_assumptions(cfg) + 2), "sobol_conf_pct": 100 * s["conf_level"],
           "wide_interval": cfg["report"]["wide_interval"], "alpha_threshold": c["alpha_threshold"],
           "weak_threshold": c["weak_threshold"], "strong_threshold": c["strong_threshold"]}
    return {(f"param.audit.{k}", None): v for k, v in out.items()}


# --------------------------------------------------------------------------- rank intervals

def interval_truth(edition, cfg: dict, members: dict) -> dict:
    """Per city: median and interval ends of its simulated ranks; per published (oracle) place of
    a list held by one city: % of runs that city spends at it; per group: city count, median
    width, count of intervals wider than the cut-off, and for its top ``top_k``: the robust, wide
    and moved-median counts."""
    u = cfg["uncertainty"]
    lo, hi = (p / 100 for p in u["percentiles"])
    wide, top = cfg["report"]["wide_interval"], cfg["report"]["top_k"]
    published = oracle.ranks(DATA_DIR, edition.year)["composite"]
    out = {}
    for g, sim in A.simulated_ranks(edition).items():
        ids = members[g]
        r = sim.loc[ids].to_numpy()
        med, p_lo, p_hi = np.quantile(r, [0.5, lo, hi], axis=1, method=u["quantile_method"])
        nominal = np.array([published[i] for i in ids])
        width = p_hi - p_lo
        for i, m, a, b in zip(ids, med, p_lo, p_hi):
            out.update({("audit.median_rank", i): m, ("audit.interval.lo_rank", i): a, ("audit.interval.hi_rank", i): b})
        for k, s in zip(nominal, (r == nominal[:, None]).mean(axis=1)):
            if (nominal == k).sum() == 1:   # a place two cities share says nothing of either
                out[(f"audit.{g}.rank{k}.share_same_pct", None)] = 100 * s
        out.update({(f"audit.{g}.n_cities", None): len(ids), (f"audit.{g}.median_width", None): np.median(width),
                    (f"audit.{g}.n_wide", None): int((width > wide).sum())})
        head = nominal <= top
        out.update({(f"audit.{g}.top{top}.n_wide", None): int((width[head] > wide).sum()),
                    (f"audit.{g}.top{top}.n_robust", None): int((width[head] <= wide).sum()),
                    (f"audit.{g}.top{top}.n_moved_median", None): int((med[head] != nominal[head]).sum())})
    return out


# --------------------------------------------------------------------------- Sobol' indices

def sobol_truth(edition) -> dict:
    """Each group's indices per assumption, their sums as printed (2 decimals each) and the mean
    and largest average rank shift of the design's runs."""
    out = {}
    for g, s in A.sensitivity_frame(edition).groupby("group"):
        for k in ("st", "s1"):
            col = s[k.upper()]
            out.update({(f"audit.sobol.{g}.{k}.{f}", None): v for f, v in zip(s["factor"], col)})
            out[(f"audit.sobol.{g}.sum_{k}", None)] = sum(round(float(v), 2) for v in col)
    for g, y in A.sobol_output_summary(edition).items():
        out[(f"audit.sobol.{g}.mean_shift", None)], out[(f"audit.sobol.{g}.max_shift", None)] = y["mean"], y["max"]
    return out


# --------------------------------------------------------------------------- internal consistency

def _indicator_z(year: int, ids: list[str]) -> tuple[list[dict], np.ndarray]:
    """The indicators (indicators.csv rows) and their z-scores over ``ids`` (cities × indicators)."""
    inds = meta_rows(year, "indicators.csv")
    x = np.full((len(ids), len(inds)), np.nan)
    pos = {i: k for k, i in enumerate(ids)}
    col = {r["code"]: j for j, r in enumerate(inds)}
    for r in rows(DATA_DIR / str(year) / "indicators.csv"):
        if r["id"] in pos and r["code"] in col and r["value"].strip():
            x[pos[r["id"]], col[r["code"]]] = float(r["value"])
    return inds, (x - np.nanmean(x, axis=0)) / np.nanstd(x, axis=0, ddof=1)


def _pearson(a: np.ndarray, b: np.ndarray) -> float:
    ok = ~(np.isnan(a) | np.isnan(b))
    return float(np.corrcoef(a[ok], b[ok])[0, 1])


def _alpha(items: np.ndarray) -> float:
    x = items[~np.isnan(items).any(axis=1)]
    k = x.shape[1]
    return k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / x.sum(axis=1).var(ddof=1))


def consistency_truth(year: int, cfg: dict, members: dict) -> dict:
    """Cronbach's alpha and the correlations of the correlation group's cities, the flags of
    the indicators and the counts the narrative states."""
    c = cfg["consistency"]
    assert c["method"] == "pearson", "recompute the rank correlations here before narrating them"
    ids = members[c["group"]]
    inds, z = _indicator_z(year, ids)
    lz = oracle.level_z(DATA_DIR, year)
    level = lambda code: np.array([lz[code][i] for i in ids])
    pillar_of = {r["code"]: r["parent"] for r in meta_rows(year, "tree.csv") if r["level"] == "subpillar"}
    pillars = sorted(set(pillar_of.values()))
    out, r_pillar, flagged = {}, {}, set()
    for j, r in enumerate(inds):
        code, p = r["code"], pillar_of[r["subpillar"]]
        r_pillar[code] = rp = _pearson(z[:, j], level(p))
        out[("audit.r_pillar." + code, None)] = rp
        out[("audit.r_subpillar." + code, None)] = _pearson(z[:, j], level(r["subpillar"]))
        if abs(rp) < c["weak_threshold"] or rp < 0:
            flagged.add(code)
    alphas = {}
    for p in pillars:
        cols = [j for j, r in enumerate(inds) if pillar_of[r["subpillar"]] == p]
        alphas[p] = out[("audit.alpha." + p, None)] = _alpha(z[:, cols])
        out[("audit.r_composite." + p, None)] = _pearson(level(p), level("composite"))
    unflagged = [v for k, v in r_pillar.items() if k not in flagged]
    out.update({("audit.n_alpha_ok", None): sum(a >= c["alpha_threshold"] for a in alphas.values()),
                ("audit.n_flagged", None): len(flagged),
                ("audit.n_strong", None): sum(v >= c["strong_threshold"] for v in r_pillar.values()),
                ("audit.weakest_unflagged.r_pillar", None): min(unflagged)})
    return out


def truth(edition) -> dict:
    """``{(measure, city or None): value}``."""
    year = edition.year
    cfg, members = load_config(year), groups(year)
    return {**param_truth(cfg), **interval_truth(edition, cfg, members), **sobol_truth(edition),
            **consistency_truth(year, cfg, members)}
