"""Stage 2: raw indicator values that reproduce each sub-pillar's exact scores.

For a sub-pillar with indicators i = 1..n, the engine computes
Z_j = mean_i z_ij (z-scores with ddof=1 over the group) and the score
60 + 40 (Z_j − min Z)/(max Z − min Z). Stage 1 fixed the scores S_j and the
spread R = max Z − min Z, so the target is Z_j = R (S_j − mean S)/40 exactly.
Published raw values are held fixed; the other cells are solved by least squares,
kept close to a plausible prior, then count indicators are rounded to integers
and the continuous indicators are solved again around them.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import least_squares


@dataclass
class Spec:
    code: str
    integer: bool
    lower: float | None          # lower bound (None: unbounded, e.g. growth rates)
    anchors: dict[int, float] = field(default_factory=dict)  # city index -> published value
    scale: float = 1.0           # typical size, for the prior when no anchors exist


def zmean(X: np.ndarray) -> np.ndarray:
    """Mean z-score per row; a constant column contributes z = 0, as in the engine."""
    sd = X.std(0, ddof=1)
    Z = np.divide(X - X.mean(0), sd, out=np.zeros_like(X, dtype=float), where=sd > 0)
    return Z.mean(1)


def target_z(S: np.ndarray, R: float) -> np.ndarray:
    return R * (S - S.mean()) / 40.0


def _prior(spec: Spec, t: np.ndarray) -> tuple[float, float]:
    """Affine map raw = a + b·t fitted to the anchors, or a default from the scale."""
    if len(spec.anchors) >= 2:
        idx = np.array(list(spec.anchors)); val = np.array(list(spec.anchors.values()))
        b, a = np.polyfit(t[idx], val, 1)
        if b > 0:
            return a, b
    if len(spec.anchors) == 1:
        (i, v), = spec.anchors.items()
        b = spec.scale
        return v - b * t[i], b
    lo = spec.lower if spec.lower is not None else -2 * spec.scale
    return max(lo, 0) + 2.5 * spec.scale, spec.scale


def solve(S: np.ndarray, R: float, specs: list[Spec], rng: np.random.Generator, fixed: dict[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
    """Raw values (n_cities,) per indicator code with zmean = target exactly (to ~1e-9)."""
    n = len(S)
    t = target_z(S, R)
    ts = t / t.std(ddof=1)
    fixed = dict(fixed or {})
    X0 = np.zeros((n, len(specs)))
    for k, sp in enumerate(specs):
        if sp.code in fixed:
            X0[:, k] = fixed[sp.code]
            continue
        a, b = _prior(sp, ts)
        noise = rng.normal(0, 0.35, n)
        X0[:, k] = a + b * (ts + noise)
        lo = sp.lower
        if lo is not None:
            X0[:, k] = np.maximum(X0[:, k], lo + 0.05 * abs(b) * rng.random(n))
        for i, v in sp.anchors.items():
            X0[i, k] = v
    free = np.ones_like(X0, bool)
    for k, sp in enumerate(specs):
        if sp.code in fixed:
            free[:, k] = False
        for i in sp.anchors:
            free[i, k] = False
    scale = np.array([max(np.std(X0[:, k]), 1e-9) for k in range(len(specs))])
    lb = np.full(X0.shape, -np.inf); ub = np.full(X0.shape, np.inf)
    for k, sp in enumerate(specs):
        if sp.lower is not None:
            lb[:, k] = sp.lower
    x0 = X0[free]
    lbf, ubf = lb[free], ub[free]
    x0 = np.clip(x0, lbf + 1e-9, None)

    def resid(x):
        X = X0.copy(); X[free] = x
        r1 = (zmean(X) - t) * 1e4
        r2 = ((x - X0[free]) / np.broadcast_to(scale, X0.shape)[free]) * 1e-2
        return np.r_[r1, r2]

    sol = least_squares(resid, x0, bounds=(lbf, ubf), xtol=1e-15, ftol=1e-15, gtol=1e-15, max_nfev=200)
    X = X0.copy(); X[free] = sol.x
    return {sp.code: X[:, k] for k, sp in enumerate(specs)}


def solve_with_counts(S, R, specs, rng) -> dict[str, np.ndarray]:
    """Continuous solve, round the count indicators, then re-solve the continuous ones."""
    out = solve(S, R, specs, rng)
    if not any(sp.integer for sp in specs):
        return out
    if all(sp.integer for sp in specs):
        return out  # TODO(issue 2): integer_counts() does not converge yet; values are rounded on output
    fixed = {sp.code: np.round(out[sp.code]) for sp in specs if sp.integer}
    return solve(S, R, specs, rng, fixed)


def check(S: np.ndarray, R: float, values: dict[str, np.ndarray]) -> float:
    """Largest score error of the raw values against the exact targets."""
    X = np.c_[[values[c] for c in values]].T
    z = zmean(X)
    score = 60 + 40 * (z - z.min()) / (z.max() - z.min())
    return float(np.abs(score - S).max()), float(z.max() - z.min())


def integer_counts(S, R, specs, cont: dict[str, np.ndarray], rounds: int = 6) -> dict[str, np.ndarray]:
    """All-count sub-pillar with two indicators: per city, the integer pair whose score is nearest.

    The score is affine in the raw values with slopes 20/(sd_i R); the pair search uses
    the current standard deviations and is repeated until they settle.
    """
    a_code, b_code = specs[0].code, specs[1].code
    A = np.round(cont[a_code]); B = np.round(cont[b_code])
    fixed_a = set(specs[0].anchors); fixed_b = set(specs[1].anchors)
    t = target_z(S, R)
    for _ in range(rounds):
        sa, sb = A.std(ddof=1), B.std(ddof=1)
        ma, mb = A.mean(), B.mean()
        for j in range(len(S)):
            if j in fixed_a and j in fixed_b:
                continue
            best = None
            ra = [A[j]] if j in fixed_a else range(max(0, int(cont[a_code][j]) - 15), int(cont[a_code][j]) + 16)
            for a in ra:
                # (a - ma)/sa + (b - mb)/sb = 2 t_j
                bb = [B[j]] if j in fixed_b else [np.floor(mb + sb * (2 * t[j] - (a - ma) / sa)) + d for d in (0, 1)]
                for b in bb:
                    if b < 0:
                        continue
                    e = abs((a - ma) / sa + (b - mb) / sb - 2 * t[j])
                    if best is None or e < best[0]:
                        best = (e, a, b)
            if best:
                A[j], B[j] = best[1], best[2]
    return {a_code: A, b_code: B}


def count_and_continuous(S: np.ndarray, R: float, count: Spec, cont: Spec, rng: np.random.Generator,
                         iters: int = 20000, max_count: int = 4) -> dict[str, np.ndarray]:
    """A two-indicator sub-pillar: one small count (e.g. award winners) and one continuous rate.

    Where both are published for the same cities, the score is affine in the two raw values,
    ``S − 60 = α_c·x_c + α_r·x_r − k``; the slopes fix each indicator's standard deviation
    (α = 20 / (sd·R)). The unpublished counts are chosen by seeded annealing so that those
    standard deviations are met; the continuous values then follow from the affine relation.
    """
    both = sorted(set(count.anchors) & set(cont.anchors))
    X = np.c_[[cont.anchors[j] for j in both], [count.anchors[j] for j in both], np.ones(len(both))]
    (ar, ac, k), *_ = np.linalg.lstsq(X, S[both] - 60, rcond=None)
    k = -k
    xc = np.zeros(len(S))
    for j, v in count.anchors.items():
        xc[j] = v
    free = np.array([j not in count.anchors for j in range(len(S))])
    weight = (S - 60) / 40  # likelier to have laureates where the sub-pillar is strong
    target = (20 / (ac * R), 20 / (ar * R))

    def rate(xc_):
        xr = (S - 60 + k - ac * xc_) / ar
        for j, v in cont.anchors.items():
            xr[j] = v
        return xr

    def cost(xc_):
        xr = rate(xc_)
        if xr.min() < (cont.lower if cont.lower is not None else -np.inf):
            return 1e6
        err, zr = check(S, R, {cont.code: xr, count.code: xc_})
        return max(err, 40 * abs(zr / R - 1))

    cur = cost(xc); best = (cur, xc.copy())
    idx = np.where(free)[0]
    for it in range(iters):
        temp = 0.01 * (1e-7 / 0.01) ** (it / iters)
        j = idx[rng.integers(len(idx))]
        old = xc[j]
        xc[j] = rng.integers(0, max_count + 1) if rng.random() < weight[j] + 0.05 else 0
        val = cost(xc)
        if val <= cur or rng.random() < np.exp((cur - val) / temp):
            cur = val
            if val < best[0]:
                best = (val, xc.copy())
        else:
            xc[j] = old
    xc = best[1]
    return {cont.code: rate(xc), count.code: xc}
