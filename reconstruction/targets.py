"""Stage 1: exact sub-pillar, pillar and composite scores for all 108 main cities.

Published cells are rounded to 0.01, so each true value lies within ±0.005 of
the printed one. Min–max rescaling makes each pillar score an affine function of
its sub-pillar scores, P_j = 60 + Σ_s c_s (S_sj − S_sm) with m the pillar's
bottom city, and the composite likewise of the pillars. The coefficients
c_s = w_s R_s / R_P encode the spreads R of the underlying z-score aggregates.
Given the coefficients, finding true scores is a linear programme: stay inside
the rounding boxes, honour every published rank (unpublished cities fill the
rank slots that the tables leave empty), keep every level inside [60, 100].

A2 and A3 are fixed first from integer counts (universities and institutions;
large facilities and supercomputers), which the published scores determine.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_matrix, lil_matrix

from .counts import CountProblem, exact_prints, pair_scores
from .counts import solve_counts as solve_b2_counts
from .published import Published

SEED_B2 = 2
TOL_LADDER = (0.0049, 0.006, 0.0075, 0.009)  # published values: |true - printed| <= tol
EPS = 1e-3     # strict order margin between consecutive published ranks (survives stage 2)

# Rank slots the tables leave empty, filled by cities with no published rank
# (chosen so that the programme is feasible; see reconstruction/README.md).
SLOTS = {
    "A": {"mumbai": 103, "johannesburg": 104, "jakarta": 106},
    "B": {"mumbai": 101, "johannesburg": 105},
    "C": {"chennai": 102, "jakarta": 103, "johannesburg": 105, "lanzhou": 106, "fuzhou": 107, "changchun": 108},
}
BOTTOM = {"A": "dubai", "B": "sao-paulo", "C": "changchun"}  # pillar minimum (60)
COMPOSITE_BOTTOM = "johannesburg"
# Sub-pillars whose published column has no 60.00: the city that takes the minimum.
SUB_MIN = {"A1": "dubai", "A4": "las-vegas", "B4": "sao-paulo", "C2": "changchun", "C3": "changchun", "C4": "changchun"}


def integer_pair(values: np.ndarray, units: tuple[float, float], limits: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """Nearest non-negative integer pair (a, b) with units·(a, b) ≈ value − 60, per city."""
    a = np.arange(limits[0] + 1)[:, None]
    b = np.arange(limits[1] + 1)[None, :]
    grid = a * units[0] + b * units[1]
    out_a = np.zeros(len(values), int); out_b = np.zeros(len(values), int)
    for k, v in enumerate(values):
        i = np.unravel_index(np.argmin(np.abs(grid - (v - 60))), grid.shape)
        out_a[k], out_b[k] = int(i[0]), int(i[1])
    return out_a, out_b


def fit_units(values: np.ndarray, a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    m = ~np.isnan(values)
    x, *_ = np.linalg.lstsq(np.c_[a[m], b[m]].astype(float), values[m] - 60, rcond=None)
    return float(x[0]), float(x[1])


@dataclass
class IntegerSubpillar:
    a: np.ndarray
    b: np.ndarray
    scores: np.ndarray
    z_range: float


def solve_counts(pub: Published, sub: str, anchors: dict[str, tuple[int, int]], units0: tuple[float, float], limits: tuple[int, int]) -> IntegerSubpillar:
    """Integer counts for a two-count sub-pillar; cities without a published score get (0, 0)."""
    col = pub.subs.index(sub)
    vals = pub.S[:, col]
    units = units0
    for _ in range(3):
        a, b = integer_pair(np.nan_to_num(vals, nan=60.0), units, limits)
        for cid, (x, y) in anchors.items():
            a[pub.index(cid)], b[pub.index(cid)] = x, y
        units = fit_units(vals, a, b)
    scores, zr = pair_scores(a, b)
    return IntegerSubpillar(a, b, scores, zr)


def regression_coefficients(pub: Published) -> tuple[np.ndarray, np.ndarray]:
    c = np.zeros(12)
    for k in range(3):
        m = ~np.isnan(pub.S[:, 4 * k])
        x, *_ = np.linalg.lstsq(np.c_[np.ones(m.sum()), pub.S[m, 4 * k:4 * k + 4]], pub.P[m, k], rcond=None)
        c[4 * k:4 * k + 4] = x[1:]
    m = ~np.isnan(pub.G)
    x, *_ = np.linalg.lstsq(np.c_[np.ones(m.sum()), pub.P[m]], pub.G[m], rcond=None)
    return c, x[1:]


@dataclass
class Targets:
    S: np.ndarray      # (N,12) exact sub-pillar scores
    P: np.ndarray      # (N,3)
    G: np.ndarray      # (N,)
    c: np.ndarray
    d: np.ndarray
    R_sub: np.ndarray  # z-range of each sub-pillar aggregate (mean of z)
    counts: dict       # sub -> IntegerSubpillar


def _spreads(pub: Published, c: np.ndarray, d: np.ndarray, r_a2: float) -> np.ndarray:
    """Z-ranges of the 12 sub-pillar aggregates: R_A2 from the integer data fixes the scale;
    R_s = c_s R_P / w_s and R_P = d_P R_G / W_P."""
    R_A = r_a2 * pub.w_sub[1] / c[1]
    R_G = R_A * pub.w_pil[0] / d[0]
    R_P = d * R_G / pub.w_pil
    return np.array([c[s] * R_P[s // 4] / pub.w_sub[s] for s in range(12)])


B2_ANCHORS = {"san-francisco-san-jose": (217, 310), "tokyo": (151, 8), "kyoto-osaka-kobe": (49, 0),
              "bengaluru": (2, 36), "new-york": (None, 140), "beijing": (None, 107)}
# (indicator 0 = leading firms I11 / 1 = unicorns I12, city, lowest, highest rank among the main cities).
# §4.3 ranks; Bengaluru's I11 rank 78 counts the mini-hubs too, so among main cities it lies in 67..78.
B2_RANKS = [(0, "beijing", 3, 3), (0, "greater-bay-area", 4, 4), (0, "shanghai", 7, 7), (0, "hangzhou", 8, 8),
            (0, "bengaluru", 67, 78), (1, "bengaluru", 9, 9), (1, "new-york", 2, 2), (1, "beijing", 3, 3)]
B2_TOTALS = (1800, 1340)  # soft targets: §1.3's 119-city totals (1,847 and 1,373) less a share for mini-hubs


def _b2_problem(pub: Published, z_range: float | None) -> CountProblem:
    return CountProblem(pub.S[:, 5], {pub.index(c): v for c, v in B2_ANCHORS.items()},
                        [(k, pub.index(c), lo, hi) for k, c, lo, hi in B2_RANKS], z_range=z_range, totals=B2_TOTALS)


def solve_b2(pub: Published, z_range: float, iters: int = 200000) -> IntegerSubpillar:
    """Leading firms and unicorns per main city from the published B2 scores (seeded annealing)."""
    prob = _b2_problem(pub, z_range)
    a, b, _ = solve_b2_counts(prob, seed=SEED_B2, iters=iters)
    scores, zr = pair_scores(a, b)
    return IntegerSubpillar(a, b, scores, zr)


def exact_b2(pub: Published, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """The annealed B2 counts with the cities whose printed B2 score they miss repaired
    (:func:`reconstruction.counts.exact_prints`); run on the final counts, before the polish."""
    return exact_prints(_b2_problem(pub, None), np.asarray(a).astype(int), np.asarray(b).astype(int), pub.ids)


def _full_ranks(pub: Published, k: int) -> np.ndarray:
    r = pub.P_rank[:, k].copy()
    for cid, slot in SLOTS["ABC"[k]].items():
        r[pub.index(cid)] = slot
    return r


def _prior(pub: Published, ranks: np.ndarray, k: int) -> np.ndarray:
    """Plausible value for unpublished sub-pillar cells: mean of published neighbours in pillar rank."""
    prior = np.full((len(pub.ids), 4), 60.0)
    have = ~np.isnan(pub.S[:, 4 * k])
    for j in range(len(pub.ids)):
        if have[j]:
            continue
        near = np.where(have)[0]
        near = near[np.argsort(np.abs(ranks[near] - ranks[j]), kind="mergesort")[:6]]
        prior[j] = pub.S[near, 4 * k:4 * k + 4].mean(axis=0)
    return prior


def solve_targets(pub: Published) -> Targets:
    n = len(pub.ids)
    a2 = solve_counts(pub, "A2", {}, (2.99, 2.12), (12, 14))
    a3 = solve_counts(pub, "A3", {"beijing": (13, 40), "greater-bay-area": (1, 23), "san-francisco-san-jose": (7, 21),
                                  "tokyo": (16, 14), "paris": (3, 12)}, (1.2412, 0.5966), (20, 40))
    c, d = regression_coefficients(pub)
    # The integer data fix A2 and A3 exactly and the ratio of their coefficients:
    # c_A3 / c_A2 = (w_A3 R_A3) / (w_A2 R_A2), because c_s = w_s R_s / R_P.
    k = (pub.w_sub[2] / pub.w_sub[1]) * (a3.z_range / a2.z_range)
    m = ~np.isnan(pub.S[:, 0])
    X = np.c_[np.ones(m.sum()), pub.S[m, 0], a2.scores[m] + k * a3.scores[m], pub.S[m, 3]]
    x, *_ = np.linalg.lstsq(X, pub.P[m, 0], rcond=None)
    c[0], c[1], c[2], c[3] = x[1], x[2], k * x[2], x[3]
    R_sub = _spreads(pub, c, d, a2.z_range)
    b2 = solve_b2(pub, R_sub[5])
    # Refit pillar B with B2 fixed; B2's realised spread then fixes R_B, and with R_A the
    # ratio of the composite coefficients: d_B / d_A = (W_B R_B) / (W_A R_A).
    m = ~np.isnan(pub.S[:, 4])
    X = np.c_[np.ones(m.sum()), pub.S[m, 4], b2.scores[m], pub.S[m, 6], pub.S[m, 7]]
    x, *_ = np.linalg.lstsq(X, pub.P[m, 1], rcond=None)
    c[4:8] = x[1:]
    R_A = a2.z_range * pub.w_sub[1] / c[1]
    R_B = b2.z_range * pub.w_sub[5] / c[5]
    kappa = (pub.w_pil[1] * R_B) / (pub.w_pil[0] * R_A)
    m = ~np.isnan(pub.G)
    X = np.c_[np.ones(m.sum()), pub.P[m, 0] + kappa * pub.P[m, 1], pub.P[m, 2]]
    x, *_ = np.linalg.lstsq(X, pub.G[m], rcond=None)
    d = np.array([x[1], kappa * x[1], x[2]])
    fixed = np.full((n, 12), np.nan)
    fixed[:, 1] = a2.scores
    fixed[:, 2] = a3.scores
    fixed[:, 5] = b2.scores
    ranks = np.c_[[_full_ranks(pub, k) for k in range(3)]].T
    prior = np.hstack([_prior(pub, ranks[:, k], k) for k in range(3)])
    for tol in TOL_LADDER:  # tightest rounding box first; every step stays inside the ±0.01 test
        try:
            S = _lp(pub, c, d, ranks, fixed, prior, tol)
            break
        except RuntimeError:
            continue
    else:
        raise RuntimeError(f"stage 1 linear programme infeasible up to tolerance {TOL_LADDER[-1]}")
    print(f"stage 1: pillar and composite cells within ±{tol}")
    P = np.zeros((n, 3))
    for k, p in enumerate("ABC"):
        m = pub.index(BOTTOM[p])
        P[:, k] = 60 + (S[:, 4 * k:4 * k + 4] - S[m, 4 * k:4 * k + 4]) @ c[4 * k:4 * k + 4]
    g = pub.index(COMPOSITE_BOTTOM)
    G = 60 + (P - P[g]) @ d
    R_sub = _spreads(pub, c, d, a2.z_range)
    return Targets(S, P, G, c, d, R_sub, {"A2": a2, "A3": a3, "B2": b2})


def _lp(pub: Published, c, d, ranks, fixed, prior, tol: float = 0.0049) -> np.ndarray:
    n = len(pub.ids)
    nS = n * 12
    nv = 2 * nS  # S and |S - target|
    rows, rhs, eq_rows, eq_rhs = [], [], [], []

    def sv(j, s):
        return j * 12 + s

    bottoms = [pub.index(BOTTOM[p]) for p in "ABC"]
    g = pub.index(COMPOSITE_BOTTOM)

    def prow(j, k):
        r = {}
        for i in range(4):
            s = 4 * k + i
            r[sv(j, s)] = r.get(sv(j, s), 0) + c[s]
            r[sv(bottoms[k], s)] = r.get(sv(bottoms[k], s), 0) - c[s]
        return r

    def grow(j):
        r = {}
        for k in range(3):
            for src, sign in ((prow(j, k), 1), (prow(g, k), -1)):
                for key, v in src.items():
                    r[key] = r.get(key, 0) + sign * d[k] * v
        return r

    def diff(r1, r2):
        return {key: r1.get(key, 0) - r2.get(key, 0) for key in set(r1) | set(r2)}

    def neg(r):
        return {key: -v for key, v in r.items()}

    def band(row, value):
        rows.append(row); rhs.append(value - 60 + tol)
        rows.append(neg(row)); rhs.append(-(value - 60 - tol))

    def order(score_row, rank):
        o = [j for j in np.argsort(np.where(np.isnan(rank), 1e9, rank), kind="mergesort") if not np.isnan(rank[j])]
        for a, b in zip(o[:-1], o[1:]):
            rows.append(diff(score_row(b), score_row(a))); rhs.append(-EPS)
        for j in range(n):
            if np.isnan(rank[j]):
                rows.append(diff(score_row(j), score_row(o[-1]))); rhs.append(-EPS)
        return o[0]

    for k in range(3):
        for j in range(n):
            r = prow(j, k)
            if not np.isnan(pub.P[j, k]):
                band(r, pub.P[j, k])
            rows.append(neg(r)); rhs.append(0.0)
            rows.append(r); rhs.append(40.0)
        top = order(lambda j, k=k: prow(j, k), ranks[:, k])
        eq_rows.append(prow(top, k)); eq_rhs.append(40.0)
    for j in range(n):
        r = grow(j)
        if not np.isnan(pub.G[j]):
            band(r, pub.G[j])
        rows.append(neg(r)); rhs.append(0.0)
        rows.append(r); rhs.append(40.0)
    top = order(grow, pub.G_rank)
    eq_rows.append(grow(top)); eq_rhs.append(40.0)
    # absolute deviations from the printed value (published) or the prior (unpublished)
    cost = np.zeros(nv)
    lb = np.full(nv, 60.0); ub = np.full(nv, 100.0)
    lb[nS:] = 0; ub[nS:] = 40
    for j in range(n):
        for s in range(12):
            v = sv(j, s)
            target = pub.S[j, s]
            if not np.isnan(fixed[j, s]):
                lb[v] = ub[v] = fixed[j, s]
                continue
            if not np.isnan(target):
                lb[v], ub[v] = max(60, target - 0.0049), min(100, target + 0.0049)
                cost[nS + v] = 1.0
            else:
                target = prior[j, s]
                cost[nS + v] = 0.01
            rows.append({v: 1, nS + v: -1}); rhs.append(target)
            rows.append({v: -1, nS + v: -1}); rhs.append(-target)
    for s in range(12):
        col = pub.S[:, s]
        if True:
            tops = np.where(col == 100.0)[0]
            if len(tops) and np.isnan(fixed[tops[0], s]):
                lb[sv(tops[0], s)] = ub[sv(tops[0], s)] = 100.0
            lows = np.where(col == 60.0)[0]
            if len(lows) and pub.subs[s] not in SUB_MIN and np.isnan(fixed[lows[0], s]):
                k = s // 4
                j = lows[np.argmax(ranks[lows, k])]  # the lowest-ranked city in the pillar
                lb[sv(j, s)] = ub[sv(j, s)] = 60.0
    for sub, cid in SUB_MIN.items():
        v = sv(pub.index(cid), pub.subs.index(sub))
        lb[v] = ub[v] = 60.0

    def mat(rs):
        m = lil_matrix((len(rs), nv))
        for i, r in enumerate(rs):
            for key, v in r.items():
                m[i, key] = v
        return csr_matrix(m)

    res = linprog(cost, A_ub=mat(rows), b_ub=np.array(rhs), A_eq=mat(eq_rows), b_eq=np.array(eq_rhs),
                  bounds=list(zip(lb, ub)), method="highs")
    if res.status != 0:
        raise RuntimeError(f"stage 1 linear programme failed: {res.message}")
    return res.x[:nS].reshape(n, 12)
