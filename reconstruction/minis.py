"""Mini-hub targets: sub-pillar scores and spreads for the 11 mini-hubs (Table 4).

Table 4 publishes only pillar and composite scores, so the sub-pillar scores are chosen:
the all-count sub-pillars (A2, A3, B2) come from plausible counts (``MINI_COUNTS``, which
complete the report's 119-city totals of universities, institutions, leading firms and
unicorns); within each pillar the remaining sub-pillars share one score, set so that the
pillar score is reproduced exactly. The composite coefficients are fitted to Table 4
through its bottom city.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .counts import pair_scores

# id: (I03 universities, I04 institutions, I05 large facilities, I06 supercomputers,
#      I11 leading firms, I12 unicorns) -- imputed, plausible; sums complete the stated totals
MINI_COUNTS = {
    "cambridge": (1, 1, 1, 1, 5, 8), "geneva": (1, 1, 3, 0, 3, 4), "boulder": (1, 1, 1, 1, 3, 5),
    "ann-arbor": (1, 1, 0, 0, 2, 3), "oxford": (1, 1, 0, 0, 1, 3), "basel": (1, 0, 0, 0, 6, 5),
    "ithaca": (1, 1, 1, 0, 0, 1), "lausanne": (2, 1, 1, 0, 2, 3), "jerusalem": (1, 1, 0, 0, 1, 4),
    "heidelberg": (1, 2, 1, 0, 1, 1), "eindhoven": (0, 0, 0, 0, 4, 4),
}
COUNT_SUBS = {"A2": (0, 1), "A3": (2, 3), "B2": (4, 5)}
BOTTOM = {"A": "eindhoven", "B": "heidelberg", "C": "lausanne"}
COMPOSITE_BOTTOM = "eindhoven"
SCALE = 0.85  # z-range of the composite aggregate (free: the scale of every spread)


@dataclass
class MiniTargets:
    ids: list[str]
    S: np.ndarray        # (11, 12)
    R_sub: np.ndarray    # (12,)
    counts: dict         # code -> np.ndarray
    c: np.ndarray
    d: np.ndarray


def _pair(a, b):
    a = np.asarray(a, float); b = np.asarray(b, float)
    if a.std() == 0 or b.std() == 0:  # one constant count: the other alone carries the z-scores
        x = b if a.std() == 0 else a
        z = (x - x.mean()) / x.std(ddof=1) / 2
        return 60 + 40 * (z - z.min()) / (z.max() - z.min()), float(z.max() - z.min())
    return pair_scores(a, b)


def mini_targets(table: pd.DataFrame, subs: list[str], w_sub: np.ndarray, w_pil: np.ndarray) -> MiniTargets:
    ids = list(table["id"])
    pos = {c: i for i, c in enumerate(ids)}
    P = table[["A", "B", "C"]].to_numpy(float)
    G = table["composite"].to_numpy(float)
    g = pos[COMPOSITE_BOTTOM]
    top = int(np.argmax(G))
    # least squares for G − 60 = (P − P_g)·d subject to (P_top − P_g)·d = 40 (the top city scores 100)
    X, y, delta = P - P[g], G - 60, P[top] - P[g]
    X2 = X[:, :2] - np.outer(X[:, 2], delta[:2] / delta[2])
    y2 = y - X[:, 2] * 40 / delta[2]
    d01, *_ = np.linalg.lstsq(X2, y2, rcond=None)
    d = np.r_[d01, (40 - delta[:2] @ d01) / delta[2]]
    R_G = SCALE
    R_P = d * R_G / w_pil
    counts = np.array([MINI_COUNTS[c] for c in ids], float)
    S = np.zeros((len(ids), 12)); R_sub = np.zeros(12); c = np.zeros(12)
    for k, p in enumerate("ABC"):
        bot = pos[BOTTOM[p]]
        fixed = 0.0
        free = []
        for i in range(4):
            s = 4 * k + i
            sub = subs[s]
            if sub in COUNT_SUBS:
                ia, ib = COUNT_SUBS[sub]
                S[:, s], R_sub[s] = _pair(counts[:, ia], counts[:, ib])
                c[s] = w_sub[s] * R_sub[s] / R_P[k]
                fixed = fixed + c[s] * (S[:, s] - S[bot, s])
            else:
                free.append(s)
        r = P[:, k] - 60 - fixed
        if r.min() < -1e-9:
            raise ValueError(f"mini-hubs, pillar {p}: counts too influential for SCALE={SCALE}")
        total = r.max() / 40
        wf = w_sub[free] / w_sub[free].sum()
        for s, share in zip(free, wf):
            S[:, s] = 60 + 40 * r / r.max()
            c[s] = total * share
            R_sub[s] = c[s] * R_P[k] / w_sub[s]
    codes = ["I03", "I04", "I05", "I06", "I11", "I12"]
    return MiniTargets(ids, S, R_sub, {code: counts[:, i] for i, code in enumerate(codes)}, c, d)


def choose_laureates(S: np.ndarray, R: float, fixed: dict[int, int], rng: np.random.Generator,
                     draws: int = 400000, high: int = 8) -> np.ndarray:
    """Laureate counts (I02) for A1 such that the researchers' rate (I01) can take the rest exactly.

    With z02 fixed, z01 = 2T − z02 must itself have unit standard deviation, i.e.
    cov(T, z02) = var(T) (T: target mean z-score). Seeded random search over small counts.
    """
    t = R * (S - S.mean()) / 40
    X = rng.integers(0, high + 1, size=(draws, len(S))).astype(float)
    for j, v in fixed.items():
        X[:, j] = v
    sd = X.std(axis=1, ddof=1, keepdims=True)
    Z = (X - X.mean(axis=1, keepdims=True)) / np.where(sd > 0, sd, np.inf)
    cov = (Z * (t - t.mean())).sum(axis=1) / (len(S) - 1)
    k = int(np.argmin(np.abs(cov - t.var(ddof=1))))
    return X[k]
