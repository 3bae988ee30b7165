"""Integer counts for a sub-pillar made of two count indicators (e.g. B2: leading firms, unicorns).

Every published score pins a city's pair (a, b) to a line ``u_a·a + u_b·b = S − 60`` whose
slopes follow from the data's own standard deviations. A seeded local search picks one
integer pair per city so that the scores recomputed from the counts fall inside the rounding
box of every printed value, the stated counts and ranks hold, and the spread of the
sub-pillar aggregate matches the one the pillar tables imply.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

TOL = 0.0045  # printed scores: stay this close to the printed value


def pair_scores(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, float]:
    """Scores (60–100) and z-range of the mean of two z-scored count vectors (ddof=1)."""
    z = ((a - a.mean()) / a.std(ddof=1) + (b - b.mean()) / b.std(ddof=1)) / 2
    return 60 + 40 * (z - z.min()) / (z.max() - z.min()), float(z.max() - z.min())


@dataclass
class CountProblem:
    published: np.ndarray                   # (n,) printed scores, nan where unpublished
    anchors: dict[int, tuple[int | None, int | None]] = field(default_factory=dict)
    ranks: list[tuple[int, int, int, int]] = field(default_factory=list)  # (indicator 0/1, city, lowest, highest rank)
    z_range: float | None = None            # target spread of the aggregate
    totals: tuple[int | None, int | None] = (None, None)  # target sums (soft)
    others: tuple[np.ndarray, np.ndarray] | None = None  # counts of cities outside the group (ranks, totals)
    max_count: int = 400
    unpublished_max: float = 1.0            # unpublished cities stay below 60 + this


def fit_units(p: CountProblem) -> tuple[float, float]:
    rows, y = [], []
    for j, (x, w) in p.anchors.items():
        if x is not None and w is not None and not np.isnan(p.published[j]):
            rows.append((x, w)); y.append(p.published[j] - 60)
    sol, *_ = np.linalg.lstsq(np.array(rows, float), np.array(y), rcond=None)
    return float(sol[0]), float(sol[1])


def candidates_for(p: CountProblem, units: tuple[float, float], j: int, tol: float) -> list[tuple[int, int]]:
    """Integer pairs for city j within ``tol`` of its score line (unpublished: any small pair)."""
    ua, ub = units
    v = p.published[j]
    fa, fb = p.anchors.get(j, (None, None))
    target = (v - 60) if not np.isnan(v) else None
    cands = []
    for a in ([fa] if fa is not None else range(p.max_count + 1)):
        if target is None:
            bs = range(0, int(p.unpublished_max / ub) + 1)
        else:
            c = (target - ua * a) / ub
            bs = [int(np.floor(c)), int(np.floor(c)) + 1]
        for b in ([fb] if fb is not None else bs):
            if b < 0:
                continue
            val = ua * a + ub * b
            if target is None and val <= p.unpublished_max or target is not None and abs(val - target) <= tol:
                cands.append((a, b))
    return cands


def candidates(p: CountProblem, units: tuple[float, float], tol: float = 0.02) -> list[list[tuple[int, int]]]:
    """Candidates per city; where the lattice is too coarse for ``tol`` (small counts), the rounding box."""
    out = []
    for j in range(len(p.published)):
        cands = candidates_for(p, units, j, tol) or candidates_for(p, units, j, max(tol, 0.0049))
        if not cands:
            raise ValueError(f"city {j}: no integer pair near {p.published[j]}")
        out.append(cands)
    return out


def _rank(x: np.ndarray, j: int, others: np.ndarray | None = None) -> int:
    """Competition rank of city j (1 = largest), counting cities outside the group too."""
    extra = 0 if others is None else int((others > x[j]).sum())
    return int((x > x[j]).sum()) + 1 + extra


def objective(p: CountProblem, a: np.ndarray, b: np.ndarray) -> float:
    s, zr = pair_scores(a.astype(float), b.astype(float))
    m = ~np.isnan(p.published)
    e = np.abs(s[m] - p.published[m])
    excess = np.maximum(e - TOL, 0)
    oth = p.others or (None, None)
    pen = sum(max(lo - r, 0, r - hi) for k, j, lo, hi in p.ranks for r in [_rank(a if k == 0 else b, j, oth[k])])
    spread = 0.0 if p.z_range is None else 40 * abs(zr / p.z_range - 1)
    extra = (0, 0) if p.others is None else (p.others[0].sum(), p.others[1].sum())
    tot = sum(abs(x.sum() + e - t) / t for x, e, t in zip((a, b), extra, p.totals) if t)
    return float(100 * (excess ** 2).sum() + 1e-3 * (e ** 2).mean() + max(spread - TOL, 0) ** 2 * 100 + pen + 0.01 * tot)


def solve_counts(p: CountProblem, seed: int = 0, iters: int = 40000, share_b: float = 0.45, t0: float = 0.5, polish: int = 10) -> tuple[np.ndarray, np.ndarray, float]:
    """Seeded simulated annealing over each city's candidate pairs; returns (a, b, objective)."""
    rng = np.random.default_rng(seed)
    units = fit_units(p)
    cands = candidates(p, units, tol=0.02)
    choice = []
    for cs in cands:  # start: the pair closest to a typical split between the two counts
        tot = np.array([x + y for x, y in cs], float)
        frac = np.array([y / t if t else share_b for (x, y), t in zip(cs, tot)])
        choice.append(int(np.argmin(np.abs(frac - share_b) + 1e-6 * tot)))
    a = np.array([cands[j][c][0] for j, c in enumerate(choice)])
    b = np.array([cands[j][c][1] for j, c in enumerate(choice)])
    cur = objective(p, a, b)
    best = (cur, a.copy(), b.copy())
    movable = [j for j, cs in enumerate(cands) if len(cs) > 1]
    for it in range(iters):
        temp = t0 * (1e-6 / t0) ** (it / iters)  # simulated annealing, geometric cooling
        # move one city, or two at once (so that the spreads can stay put while ranks change)
        js = movable[rng.integers(len(movable))], movable[rng.integers(len(movable))]
        js = js[:1] if rng.random() < 0.7 or js[0] == js[1] else js
        olds = [(a[j], b[j]) for j in js]
        for j in js:
            a[j], b[j] = cands[j][rng.integers(len(cands[j]))]
        val = objective(p, a, b)
        if val <= cur or rng.random() < np.exp((cur - val) / temp):
            cur = val
            if val < best[0]:
                best = (val, a.copy(), b.copy())
        else:
            for j, o in zip(js, olds):
                a[j], b[j] = o
    a, b, cur = best[1], best[2], best[0]
    for _ in range(polish):  # greedy polish: each city takes its best candidate, given the others
        improved = False
        for j in movable:
            keep = a[j], b[j]
            for cand in cands[j]:
                a[j], b[j] = cand
                val = objective(p, a, b)
                if val < cur - 1e-12:
                    cur, keep, improved = val, cand, True
            a[j], b[j] = keep
        if not improved:
            break
    return a, b, cur


HALF = 0.005        # a printed two-decimal score p covers [p - HALF, p + HALF)
INSIDE = 1e-6       # required distance from a box edge after the repair
FREE_DELTAS = tuple(d for d in range(-5, 6) if d)
NEAR = 0.05         # own pairs tried: their score, the others' counts unchanged, this close to the print


def _box_misses(p: CountProblem, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Cities whose printed score the pair scores miss (outside their printing box)."""
    s, _ = pair_scores(a.astype(float), b.astype(float))
    m = ~np.isnan(p.published)
    lo, hi = p.published - HALF + INSIDE, p.published + HALF - INSIDE
    return np.where(m & ((s < lo) | (s > hi)))[0]


def _ranks_hold(p: CountProblem, a: np.ndarray, b: np.ndarray) -> bool:
    oth = p.others or (None, None)
    return all(lo <= _rank(a if k == 0 else b, j, oth[k]) <= hi for k, j, lo, hi in p.ranks)


def exact_prints(p: CountProblem, a: np.ndarray, b: np.ndarray, ids: list[str], window: int = 40) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Repair the cities whose printed score the annealing left outside its box.

    The annealing's objective is soft: two cities printed a hundredth apart may end with the same
    pair. For each missed city, this tries every pair within ``window`` units whose score lands in
    its box, together with up to two moves of a few units on cities without a published score
    (they shift the standard deviations, so the scale, of every city), and keeps the change of
    fewest units that puts every published score in its box with the stated counts and ranks held.
    Deterministic; returns the repaired counts and a line per change."""
    a, b = a.copy(), b.copy()
    log: list[str] = []
    free = [j for j in range(len(p.published)) if np.isnan(p.published[j]) and j not in p.anchors]
    singles = [(j, k, d) for j in free for k in (0, 1) for d in FREE_DELTAS]
    extras = [()] + [(s,) for s in singles] + [(s, t) for i, s in enumerate(singles) for t in singles[i + 1:]
                                               if s[:2] != t[:2]]
    for j in _box_misses(p, a, b):
        if j in p.anchors:
            raise ValueError(f"{ids[j]}: its stated counts miss its printed score")
        fa, fb = a[j], b[j]
        own = []
        for x in range(max(fa - window, 0), fa + window + 1):
            for y in range(max(fb - window, 0), fb + window + 1):
                aa, bb = a.copy(), b.copy()
                aa[j], bb[j] = x, y
                if abs(pair_scores(aa.astype(float), bb.astype(float))[0][j] - p.published[j]) < NEAR:
                    own.append((x, y))
        best = None
        for x, y in sorted(own, key=lambda q: (abs(q[0] - fa) + abs(q[1] - fb), q)):
            cost0 = abs(x - fa) + abs(y - fb)
            if best is not None and cost0 > best[0]:
                break
            for extra in extras:
                cost = cost0 + sum(abs(d) for _, _, d in extra)
                if best is not None and cost >= best[0]:
                    continue
                aa, bb = a.copy(), b.copy()
                aa[j], bb[j] = x, y
                for i, k, d in extra:
                    (aa if k == 0 else bb)[i] += d
                if min(aa.min(), bb.min()) < 0 or len(_box_misses(p, aa, bb)) or not _ranks_hold(p, aa, bb):
                    continue
                best = (cost, aa, bb, (x, y), extra)
        if best is None:
            raise ValueError(f"{ids[j]}: no pair within {window} units puts every printed score in its box")
        _, a, b, (x, y), extra = best
        log.append(f"{ids[j]}: ({fa}, {fb}) -> ({x}, {y})" + "".join(
            f"; {ids[i]} {'ab'[k]} {d:+d}" for i, k, d in extra))
    return a, b, log
