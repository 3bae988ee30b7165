"""Statistical audit of the index, following JRC / COINr practice.

All assumptions are data (``data/meta/audit.yaml``, :func:`config`). Every function takes an
:class:`~gihi.model.edition.Edition`; results are computed once and kept with it.

1. **Uncertainty analysis** (:func:`uncertainty_frame`). A seeded Monte Carlo re-computes the
   composite ranks many times (1,000 runs), each run drawing
   (a) a multiplier U(1 − p, 1 + p) for each of the 12 sub-pillar weights (p = 25 %), the weights
   then renormalised within their pillar; (b) the normalisation: z-score (the engine's), min–max
   or rank; (c) the aggregation: arithmetic (the engine's) or geometric, the geometric mean taken
   on normalised values min–max rescaled to a positive range; (d) the missing-value treatment:
   the engine's available-case mean or group-mean imputation of raw values. Main cities and
   mini-hubs are scored and ranked separately, after the engine's coverage screen. Per city:
   the published (= the engine's nominal) rank, the median simulated rank and the 5th and 95th
   percentile ranks.
2. **Sensitivity analysis** (:func:`sensitivity_frame`). SALib's Saltelli/Sobol' design with the
   12 weights as one group ("weights") and the three discrete assumptions as uniform factors
   mapped onto their options (:func:`to_choice`); output: the mean absolute rank shift of a group
   against its nominal ranks; first-order and total Sobol' indices per assumption and group.
3. **Internal consistency** (:func:`consistency_frames`). Correlations (Pearson by default) of the
   nominal z-scores and aggregates of the main list: indicator ↔ sub-pillar ↔ pillar ↔ composite;
   Cronbach's alpha per pillar over its indicators' z-scores; indicators whose correlation with
   their pillar is negative or below the threshold in absolute value are flagged.

The engine's own steps are reused: :func:`gihi.model.method.normalise.zscore` and
:func:`~gihi.model.method.normalise.minmax_score`, :func:`gihi.model.method.aggregate.by_parent` (available-case weighted
means), :func:`gihi.model.method.ranking.rank_desc`. Each configuration of the discrete assumptions gives a
matrix of sub-pillar values per group, computed once; a run is then one matrix product with its
weights, so thousands of runs take well under a second.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping

import numpy as np
import pandas as pd

from gihi.model import configs
from gihi.model.configs import AuditConfig
from gihi.model.method.aggregate import by_parent
from gihi.model.method.normalise import minmax_score, zscore
from gihi.core.paths import META
from gihi.model.method.ranking import rank_desc

AUDIT_FILE = "audit.yaml"
WEIGHTS = "weights"
FACTORS = configs.AUDIT_FACTORS   # the discrete assumptions, in this order
ASSUMPTIONS = (WEIGHTS, *FACTORS)
KNOWN = configs.AUDIT_OPTIONS
GROUPS = ("main", "mini")
UNCERTAINTY_COLUMNS = ["id", "name_zh", "name_en", "group", "rank", "median_rank", "p05_rank", "p95_rank"]


# --------------------------------------------------------------------------- configuration

def parse_config(raw: Mapping, file: str = f"{META}/{AUDIT_FILE}") -> AuditConfig:
    """The parsed ``audit.yaml`` (:func:`gihi.model.configs.audit`); ``ValueError`` listing every
    problem when it is not valid (validation reports them before any build)."""
    cfg, problems = configs.audit(raw, file)
    if problems:
        raise ValueError("\n".join(str(p) for p in problems))
    return cfg


# --------------------------------------------------------------------------- building blocks

def minmax_normalise(x: pd.DataFrame, lo: float = 0.0, hi: float = 100.0) -> pd.DataFrame:
    """Min–max normalisation of each column onto [lo, hi] (the engine's :func:`minmax_score`)."""
    return minmax_score(x, lo=lo, hi=hi)


def rank_normalise(x: pd.DataFrame, ties: str = "min") -> pd.DataFrame:
    """Rank normalisation (COINr ``n_rank``): each column's values replaced by their ascending
    rank (the highest value gets the highest rank), ties by ``ties``; missing stays missing."""
    return x.astype(float).rank(method=ties, ascending=True, na_option="keep")


def impute_group_mean(x: pd.DataFrame) -> pd.DataFrame:
    """Fill each column's missing values with the mean of its available values."""
    x = x.astype(float)
    return x.fillna(x.mean(skipna=True))


def normalise(x: pd.DataFrame, how: str, cfg: AuditConfig, ddof: int = 1) -> pd.DataFrame:
    """Normalise a group's raw indicator table by ``how`` (``zscore``, ``minmax``, ``rank``)."""
    if how == "zscore":
        return zscore(x, ddof=ddof)
    if how == "minmax":
        return minmax_normalise(x, *cfg.minmax_range)
    if how == "rank":
        return rank_normalise(x, cfg.rank_ties)
    raise ValueError(f"unknown normalisation {how!r}")


def subpillar_block(n: pd.DataFrame, indicators: pd.DataFrame, subpillars: list[str], how: str,
                    geometric_range: tuple[float, float]) -> np.ndarray:
    """Sub-pillar values (cities × sub-pillars) such that the composite is increasing in
    ``block @ w`` for composite weights ``w`` of the sub-pillars.

    ``arithmetic``: the engine's available-case weighted means; ``geometric``: the logarithm of
    the weighted geometric means of the indicators rescaled to ``geometric_range`` (so that a
    weighted sum of them is the logarithm of the geometric aggregate at every level above).
    """
    if how == "arithmetic":
        return by_parent(n, indicators, "subpillar", how="mean")[subpillars].to_numpy(float)
    if how == "geometric":
        pos = minmax_score(n, lo=geometric_range[0], hi=geometric_range[1])
        return by_parent(np.log(pos), indicators, "subpillar", how="mean")[subpillars].to_numpy(float)
    raise ValueError(f"unknown aggregation {how!r}")


def cronbach_alpha(items: pd.DataFrame) -> float:
    """Cronbach's alpha of the columns of ``items`` over its complete rows:
    k/(k − 1) · (1 − Σ var(itemᵢ) / var(Σ items)), sample variances."""
    x = items.dropna().to_numpy(float)
    k = x.shape[1]
    if k < 2 or x.shape[0] < 2:
        return float("nan")
    total = x.sum(axis=1).var(ddof=1)
    if total == 0:
        return float("nan")
    return float(k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / total))


def to_choice(u: np.ndarray, k: int) -> np.ndarray:
    """Map uniform values in [0, 1] onto the options 0..k−1 (equal sub-intervals; 1 → k − 1)."""
    return np.minimum(np.floor(np.asarray(u, float) * k).astype(int), k - 1)


# --------------------------------------------------------------------------- the model

@dataclass(frozen=True)
class GroupModel:
    ids: list[str]
    nominal: np.ndarray                 # the engine's composite ranks (int), in ``ids`` order
    blocks: dict                        # (normalisation, aggregation, missing) → cities × sub-pillars


@dataclass(frozen=True)
class Model:
    """Everything a run needs: the tree's weights and each group's precomputed blocks."""

    subpillars: list[str]
    pillar_of: np.ndarray               # index of each sub-pillar's pillar
    sub_weights: np.ndarray             # nominal sub-pillar weights within their pillar
    pillar_weights: np.ndarray
    options: dict                       # factor → options (tuple)
    nominal_choice: np.ndarray          # index of the nominal option of each factor
    groups: dict                        # group → GroupModel

    def weights(self, mult: np.ndarray) -> np.ndarray:
        """Composite weights of the sub-pillars (runs × sub-pillars) for weight multipliers
        ``mult``: sub-pillar weights × multipliers, renormalised within each pillar, × pillar weight."""
        w = np.atleast_2d(mult) * self.sub_weights
        tot = np.zeros((w.shape[0], len(self.pillar_weights)))
        for j in range(w.shape[1]):
            tot[:, self.pillar_of[j]] += w[:, j]
        return w / tot[:, self.pillar_of] * self.pillar_weights[self.pillar_of]

    def simulate(self, mult: np.ndarray, choice: np.ndarray) -> dict[str, np.ndarray]:
        """Ranks (cities × runs) per group for runs given by weight multipliers ``mult``
        (runs × sub-pillars) and option indices ``choice`` (runs × factors)."""
        mult, choice = np.atleast_2d(mult), np.atleast_2d(choice).astype(int)
        w = self.weights(mult)
        out = {}
        for g, gm in self.groups.items():
            comp = np.empty((len(gm.ids), len(w)))
            for combo in np.unique(choice, axis=0):
                sel = (choice == combo).all(axis=1)
                key = tuple(self.options[f][k] for f, k in zip(FACTORS, combo))
                comp[:, sel] = gm.blocks[key] @ w[sel].T
            out[g] = rank_desc(pd.DataFrame(comp)).to_numpy(int)   # the engine's ranking rule
        return out


def build_model(ed, cfg: AuditConfig) -> Model:
    """Precompute the model of one year's index (``ed``: an :class:`~gihi.model.edition.Edition`)."""
    tree = ed.tree
    subs = list(tree.subpillars["code"])
    pillars = list(tree.pillars["code"])
    pillar_of = np.array([pillars.index(p) for p in tree.subpillars["pillar"]])
    ddof = int(ed.index.policy.get("ddof", 1))
    kept = ed.index.groups
    groups = {}
    for g in [g for g in GROUPS if g in set(kept)] + sorted(set(kept) - set(GROUPS)):
        ids = sorted(kept.index[kept == g])        # the engine's order within a group
        x = ed.wide.reindex(index=ids, columns=tree.codes).astype(float)
        blocks = {}
        for m in cfg.options["missing"]:
            xm = x if m == "available" else impute_group_mean(x)
            for n in cfg.options["normalisation"]:
                nx = normalise(xm, n, cfg, ddof)
                for a in cfg.options["aggregation"]:
                    blocks[(n, a, m)] = subpillar_block(nx, tree.indicators, subs, a, cfg.geometric_range)
        nominal = ed.index.ranks["composite"].reindex(ids).to_numpy(int)
        groups[g] = GroupModel(ids, nominal, blocks)
    return Model(subs, pillar_of, tree.subpillars["weight"].to_numpy(float), tree.pillars["weight"].to_numpy(float),
                 dict(cfg.options), np.array([cfg.options[f].index(cfg.nominal[f]) for f in FACTORS]), groups)


def monte_carlo_design(model: Model, cfg: AuditConfig, runs: int | None = None, seed: int | None = None,
                       perturbation: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``(mult, choice)`` of a seeded Monte Carlo: uniform weight multipliers and uniformly drawn
    options (the same seed gives the same design)."""
    runs = cfg.runs if runs is None else int(runs)
    p = cfg.perturbation if perturbation is None else float(perturbation)
    rng = np.random.default_rng(cfg.seed if seed is None else int(seed))
    mult = rng.uniform(1 - p, 1 + p, size=(runs, len(model.subpillars)))
    choice = np.column_stack([rng.integers(0, len(model.options[f]), size=runs) for f in FACTORS])
    return mult, choice


def rank_intervals(ranks: np.ndarray, percentiles: tuple[float, float], method: str) -> dict[str, np.ndarray]:
    """Median and percentile ranks of each row (city) of ``ranks`` (cities × runs)."""
    q = np.quantile(ranks, [0.5, percentiles[0] / 100, percentiles[1] / 100], axis=1, method=method)
    return {"median_rank": q[0], "p05_rank": q[1], "p95_rank": q[2]}


def mean_abs_shift(ranks: np.ndarray, nominal: np.ndarray) -> np.ndarray:
    """Mean absolute rank shift of each run (column) against the nominal ranks."""
    return np.abs(ranks - nominal[:, None]).mean(axis=0)


# --------------------------------------------------------------------------- Sobol' indices

def sobol_problem(model: Model, cfg: AuditConfig) -> dict:
    """The SALib problem: 12 weight multipliers (one group) and one uniform factor per
    discrete assumption."""
    p = cfg.perturbation
    return {"num_vars": len(model.subpillars) + len(FACTORS),
            "names": [f"w_{s}" for s in model.subpillars] + list(FACTORS),
            "bounds": [[1 - p, 1 + p]] * len(model.subpillars) + [[0.0, 1.0]] * len(FACTORS),
            "groups": [WEIGHTS] * len(model.subpillars) + list(FACTORS)}


def sobol_indices(problem: dict, evaluate: Callable[[np.ndarray], Mapping[str, np.ndarray]], n: int, *, seed: int,
                  num_resamples: int = 100, conf_level: float = 0.95) -> pd.DataFrame:
    """First-order and total Sobol' indices (SALib, Saltelli design, no second order).

    ``evaluate(X)`` maps the sample matrix to ``{output name: values}``. Returns one row per
    output × factor (group): ``output, factor, S1, S1_conf, ST, ST_conf, n_runs``. An output
    without variance gets indices 0 (nothing to apportion).
    """
    from SALib.analyze import sobol as analyze
    from SALib.sample import sobol as sample

    x = sample.sample(problem, n, calc_second_order=False, seed=seed)
    factors = list(pd.unique(pd.Series(problem.get("groups") or problem["names"])))
    rows = []
    for name, y in evaluate(x).items():
        y = np.asarray(y, float)
        if np.var(y) == 0:
            si = {k: np.zeros(len(factors)) for k in ("S1", "S1_conf", "ST", "ST_conf")}
        else:
            si = analyze.analyze(problem, y, calc_second_order=False, num_resamples=num_resamples,
                                 conf_level=conf_level, seed=seed)
        for j, f in enumerate(factors):
            rows.append({"output": name, "factor": f, **{k: float(si[k][j]) for k in ("S1", "S1_conf", "ST", "ST_conf")},
                         "n_runs": int(len(x))})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- an edition's results

def config(ed) -> AuditConfig:
    """The edition's ``meta/audit.yaml``, parsed and checked."""
    name = f"{META}/{AUDIT_FILE}"
    return ed.view("audit/config", lambda: parse_config(ed.config(name), ed.location(name)))


def model(ed) -> Model:
    """The audit model of an edition (kept with it for this process; not saved)."""
    return ed.view("audit/model", lambda: build_model(ed, config(ed)))


def simulated_ranks(ed) -> dict[str, pd.DataFrame]:
    """The Monte Carlo ranks per group: cities (index, the engine's order) × runs (copies)."""
    def compute():
        m = model(ed)
        sim = m.simulate(*monte_carlo_design(m, config(ed)))
        return {g: pd.DataFrame(sim[g], index=pd.Index(m.groups[g].ids, name="id")) for g in sim}
    return {g: f.copy() for g, f in ed.result("audit/simulated_ranks", compute).items()}


def _uncertainty(ed) -> pd.DataFrame:
    cfg = config(ed)
    ranks = simulated_ranks(ed)
    parts = []
    for g, r in ranks.items():
        st = rank_intervals(r.to_numpy(), cfg.percentiles, cfg.quantile_method)
        nominal = ed.index.ranks.loc[list(r.index), "composite"].to_numpy(int)
        parts.append(pd.DataFrame({"id": list(r.index), "rank": nominal, **st}))
    sim = pd.concat(parts, ignore_index=True).set_index("id") if parts else pd.DataFrame(columns=UNCERTAINTY_COLUMNS[4:])
    c = ed.cities.set_index("id")
    scored = ed.scores.assign(_g=ed.scores["group"].map({g: k for k, g in enumerate(GROUPS)}).fillna(len(GROUPS)))
    order = list(scored.sort_values(["_g", "group", "composite_rank", "seq"], kind="mergesort").index)
    order += [i for i in ed.cities.sort_values("seq", kind="mergesort")["id"] if i not in set(order)]
    out = pd.DataFrame({"id": order, "name_zh": c.loc[order, "name_zh"].to_numpy(),
                        "name_en": c.loc[order, "name_en"].to_numpy(), "group": c.loc[order, "group"].to_numpy()})
    for k in UNCERTAINTY_COLUMNS[4:]:
        out[k] = pd.array(sim[k].reindex(order).to_numpy(), dtype="Int64") if len(sim) else pd.array([None] * len(out), dtype="Int64")
    return out


def uncertainty_frame(ed) -> pd.DataFrame:
    """One row per city of ``meta/cities.csv``: ``id, name_zh, name_en, group, rank,
    median_rank, p05_rank, p95_rank``. ``rank`` is the published (= the engine's nominal)
    composite rank within the group; the others summarise the Monte Carlo ranks (``p05_rank`` /
    ``p95_rank``: the lower / upper percentile of ``audit.yaml``, 5th / 95th). Main cities come
    first by rank, then the mini-hubs, then any city the screen excluded (ranks missing).
    A copy of the edition's result ``audit/uncertainty``."""
    return ed.result("audit/uncertainty", lambda: _uncertainty(ed)).copy()


def _sensitivity(ed) -> dict:
    cfg, m = config(ed), model(ed)
    nf = len(m.subpillars)
    outputs: dict[str, np.ndarray] = {}

    def evaluate(x):
        choice = np.column_stack([to_choice(x[:, nf + j], len(m.options[f])) for j, f in enumerate(FACTORS)])
        ranks = m.simulate(x[:, :nf], choice)
        outputs.update({g: mean_abs_shift(ranks[g], m.groups[g].nominal) for g in m.groups})
        return outputs

    frame = sobol_indices(sobol_problem(m, cfg), evaluate, cfg.sobol_n, seed=cfg.sobol_seed,
                          num_resamples=cfg.sobol_resamples, conf_level=cfg.sobol_conf)
    return {"indices": frame.rename(columns={"output": "group"}), "outputs": outputs}


def sensitivity_frame(ed) -> pd.DataFrame:
    """Sobol' indices of the mean absolute rank shift per group and assumption:
    ``group, factor, S1, S1_conf, ST, ST_conf, n_runs`` (a copy of the edition's result)."""
    return ed.result("audit/sensitivity", lambda: _sensitivity(ed))["indices"].copy()


def sobol_output_summary(ed) -> dict[str, dict]:
    """Per group: mean and maximum over the Sobol' runs of the mean absolute rank shift."""
    y = ed.result("audit/sensitivity", lambda: _sensitivity(ed))["outputs"]
    return {g: {"mean": float(v.mean()), "max": float(v.max())} for g, v in y.items()}


# --------------------------------------------------------------------------- internal consistency

def consistency_frames(ed, cfg: AuditConfig) -> dict[str, pd.DataFrame]:
    """Correlations and Cronbach's alpha on the nominal results of ``cfg.corr_group``.

    * ``indicators``: ``code, subpillar, pillar, r_subpillar, r_pillar, r_composite, flag``
      (``flag``: ``negative`` if r with the pillar ≤ −threshold, ``weak`` if |r| < threshold, else empty);
    * ``subpillars``: ``code, pillar, r_pillar, r_composite``;
    * ``pillars``: ``code, n_indicators, alpha, r_composite``;
    * ``subpillar_matrix``: the correlations of the sub-pillar Z scores with each other (index
      and columns the sub-pillar codes).
    """
    res, tree = ed.index, ed.tree
    ids = [i for i in res.groups.index if res.groups[i] == cfg.corr_group]
    z, sub, pil = res.z.loc[ids], res.subpillar_z.loc[ids], res.pillar_z.loc[ids]
    comp = res.composite_z.loc[ids]
    r = lambda a, b: float(a.astype(float).corr(b.astype(float), method=cfg.corr_method))
    thr = cfg.weak_threshold
    ind = tree.indicators
    rows = []
    for code, sp, p in zip(ind["code"], ind["subpillar"], ind["pillar"]):
        rp = r(z[code], pil[p])
        flag = "weak" if abs(rp) < thr else ("negative" if rp < 0 else "")
        rows.append({"code": code, "subpillar": sp, "pillar": p, "r_subpillar": r(z[code], sub[sp]),
                     "r_pillar": rp, "r_composite": r(z[code], comp), "flag": flag})
    subs = pd.DataFrame([{"code": s, "pillar": p, "r_pillar": r(sub[s], pil[p]), "r_composite": r(sub[s], comp)}
                         for s, p in zip(tree.subpillars["code"], tree.subpillars["pillar"])])
    pills = pd.DataFrame([{"code": p, "n_indicators": int((ind["pillar"] == p).sum()),
                           "alpha": cronbach_alpha(z[list(ind.loc[ind["pillar"] == p, "code"])]),
                           "r_composite": r(pil[p], comp)} for p in tree.pillars["code"]])
    matrix = sub.astype(float).corr(method=cfg.corr_method)
    matrix.index.name, matrix.columns.name = "code", None
    return {"indicators": pd.DataFrame(rows), "subpillars": subs, "pillars": pills, "n_cities": len(ids),
            "subpillar_matrix": matrix}


def consistency(ed) -> dict:
    """:func:`consistency_frames` of the edition (frames copied)."""
    out = ed.result("audit/consistency", lambda: consistency_frames(ed, config(ed)))
    return {k: (v.copy() if isinstance(v, pd.DataFrame) else v) for k, v in out.items()}


__all__ = ["AuditConfig", "Model", "config", "parse_config", "build_model", "monte_carlo_design", "normalise",
           "minmax_normalise", "rank_normalise", "impute_group_mean", "cronbach_alpha", "to_choice",
           "rank_intervals", "mean_abs_shift", "sobol_problem", "sobol_indices", "uncertainty_frame",
           "sensitivity_frame", "simulated_ranks", "consistency_frames", "consistency", "model", "sobol_output_summary",
           "UNCERTAINTY_COLUMNS", "FACTORS", "ASSUMPTIONS"]
