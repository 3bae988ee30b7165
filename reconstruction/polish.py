"""Polish: the last step of the 2023 reconstruction — every published score prints exactly.

Stages 1–3 put every published cell within a hundredth of the printed value; a few land just
outside their *printing box*: a score prints as ``p`` (rounded half up to two decimals) when it
lies in ``[p − 0.005, p + 0.005)``. This step moves imputed values, and only those, by small
amounts until every reachable printed cell is inside its box with a margin (``MARGIN``), keeping
every city's order at every level (so every published rank) and every value within its bounds.

1. **Count step.** A sub-pillar made only of count indicators (A2, A3, B2) can move only by whole
   units. Its scores depend on the counts through the indicators' standard deviations, so adding
   a few units to the imputed counts of cities without a published score in it shifts every
   published score of it. The smallest such change (at most two cells, a few units each) that
   puts every printed cell of the sub-pillar in its box is taken; counts with a stated total
   (stated_facts.csv) are not moved. A cell no imputed count can reach is reported.
2. **Newton / LP step.** The scores of all levels are linearised numerically in the imputed
   continuous values and in the imputed counts fine enough for one unit not to matter
   (``FINE``, e.g. I08's citations); a linear programme (HiGHS) finds the smallest total change,
   in standard deviations of each indicator (counts cost ``COUNT_COST`` times more), that puts
   every printed cell in its box with the margin and keeps consecutive cities at every level at
   least ``min(gap / 2, ORDER_GAP)`` apart. Values are rounded as written (6 decimals, counts to
   integers), scored again, and the step is repeated until every cell prints exactly.

Near-ties (two cities closer than ``TIE`` at a sub-pillar, e.g. equal counts or equal priors) are
kept exactly by not moving either city's values in that sub-pillar: the z-scores of unmoved
cells change only by a common positive affine map. Groups (main, mini) are scaled separately.
Deterministic: no random numbers; HiGHS is run single-threaded.
"""
from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import linprog
from scipy.sparse import csr_matrix, hstack, identity, vstack

from .counts import HALF   # a printed two-decimal score p covers [p - HALF, p + HALF)

MARGIN = 5e-4         # target: inside [p - HALF + MARGIN, p + HALF - MARGIN]
ACCEPT = MARGIN / 2   # accepted after rounding: at least this far inside the box
ORDER_GAP = 1e-4      # consecutive cities keep at least min(gap / 2, ORDER_GAP) apart
ORDER_NEAR = 0.2      # order pairs further apart than this (score points) are not in the LP
TIE = 1e-6            # closer than this at a sub-pillar: a near-tie, left exactly as it is
STEP = 0.25           # trust region of one iteration, in standard deviations of the indicator
FINE = MARGIN / 5     # a count moves in the LP only if one unit moves no score by more than this
COUNT_COST = 10.0     # cost of moving a (fine) count, relative to a continuous value
DECIMALS = 6          # continuous values are written with six decimals
MAX_ITER = 12
VERBOSE = False       # print each iteration's LP and shortfalls (debugging)
ELASTIC = 1e4       # cost of a violated constraint in the LP, per thousandth of a score point
COUNT_DELTAS = (-2, -1, 1, 2, 3, 4)  # count step: units added to one imputed count


def printed(x: float) -> str:
    """A score as the report prints it: rounded half up to two decimals."""
    return str(Decimal(repr(float(x))).quantize(Decimal("0.01"), ROUND_HALF_UP))


# --------------------------------------------------------------------------- scoring

class Scorer:
    """All 16 levels (composite, pillars, sub-pillars) of a group's value matrix, as the engine
    computes them: z-scores (ddof=1; constant indicator 0), weighted means, min–max 60–100."""

    def __init__(self, tree):
        self.codes = list(tree.codes)
        self.subs = list(tree.subpillars["code"])
        self.pillars = list(tree.pillars["code"])
        self.levels = ["composite", *self.pillars, *self.subs]
        ind = tree.indicators.set_index("code")
        sp = tree.subpillars.set_index("code")
        self.Ws = np.zeros((len(self.codes), len(self.subs)))
        for k, c in enumerate(self.codes):
            self.Ws[k, self.subs.index(ind.at[c, "subpillar"])] = float(ind.at[c, "weight"])
        self.Ws /= self.Ws.sum(0)
        self.Wp = np.zeros((len(self.subs), len(self.pillars)))
        for s, c in enumerate(self.subs):
            self.Wp[s, self.pillars.index(sp.at[c, "pillar"])] = float(sp.at[c, "weight"])
        self.Wp /= self.Wp.sum(0)
        self.Wc = tree.pillars.set_index("code").loc[self.pillars, "weight"].to_numpy(float)
        self.Wc = self.Wc / self.Wc.sum()
        self.sub_of = np.array([self.subs.index(ind.at[c, "subpillar"]) for c in self.codes])

    def Z(self, X: np.ndarray) -> np.ndarray:
        sd = X.std(0, ddof=1)
        z = np.divide(X - X.mean(0), sd, out=np.zeros_like(X, dtype=float), where=sd > 0)
        zs = z @ self.Ws
        zp = zs @ self.Wp
        return np.c_[zp @ self.Wc, zp, zs]

    def scores(self, X: np.ndarray) -> np.ndarray:
        """(n cities, 16 levels) scores in 60–100."""
        Z = self.Z(X)
        lo, hi = Z.min(0), Z.max(0)
        return 60 + 40 * (Z - lo) / np.where(hi > lo, hi - lo, 1.0)


def ranks(S: np.ndarray) -> np.ndarray:
    """Competition ranks per column (1 = highest; ties share the best rank)."""
    return 1 + (S[None, :, :] > S[:, None, :]).sum(1)


# --------------------------------------------------------------------------- inputs

@dataclass
class Published:
    """Printed cells and ranks of one group: ``cells[(level, city)] = printed string``."""
    cells: dict = field(default_factory=dict)
    ranks: dict = field(default_factory=dict)
    tables: dict = field(default_factory=dict)  # (level, city) -> how many table cells print it

    def add(self, level: str, city: str, text: str) -> None:
        old = self.cells.setdefault((level, city), text)
        if old != text:
            raise ValueError(f"{city} {level} printed as {old} and {text}")
        self.tables[(level, city)] = self.tables.get((level, city), 0) + 1


TABLES = {  # file -> (score columns, {rank column: level})
    "composite": (["composite", "A", "B", "C"], {f"{c}_rank": c for c in ("composite", "A", "B", "C")}),
    "science": (["A", "A1", "A2", "A3", "A4"], {"rank": "A"}),
    "highland": (["B", "B1", "B2", "B3", "B4"], {"rank": "B"}),
    "ecosystem": (["C", "C1", "C2", "C3", "C4"], {"rank": "C"}),
    "mini": (["composite", "A", "B", "C"], {f"{c}_rank": c for c in ("composite", "A", "B", "C")}),
}


def load_printed(pub_dir: Path, names: dict[str, str], groups: pd.Series) -> dict[str, Published]:
    out: dict[str, Published] = {}
    for table, (cols, rank_cols) in TABLES.items():
        t = pd.read_csv(pub_dir / f"{table}.csv", dtype=str, keep_default_na=False)
        for _, r in t.iterrows():
            cid = names[r["name_zh"]]
            p = out.setdefault(groups[cid], Published())
            for col in cols:
                p.add(col, cid, r[col])
            for col, level in rank_cols.items():
                p.ranks[(level, cid)] = int(r[col])
    return out


def stated_totals(pub_dir: Path) -> set[str]:
    """Indicators whose sum over the cities the report states (and the data hold)."""
    f = pd.read_csv(pub_dir / "stated_facts.csv", dtype=str, keep_default_na=False)
    f = f[(f["kind"] == "total") & (f["status"] == "") & f["subject"].str.startswith("sum over")]
    return set(f["code"])


# --------------------------------------------------------------------------- one group

@dataclass
class GroupReport:
    group: str
    cells: int = 0
    exact_before: int = 0
    exact_after: int = 0
    unreachable: list = field(default_factory=list)   # (level, city, printed, score, table cells)
    count_moves: list = field(default_factory=list)   # (city, code, old, new)
    iterations: int = 0
    near_tie_swaps: int = 0
    min_slack: float = float("nan")


class Group:
    def __init__(self, name, ids, X, prov, scorer: Scorer, kinds, lower, upper, pub: Published, totals: set[str]):
        self.name, self.ids, self.X, self.prov, self.sc = name, list(ids), X.copy(), prov, scorer
        self.pos = {c: j for j, c in enumerate(self.ids)}
        self.is_count = np.array([kinds[c] == "count" for c in scorer.codes])
        self.lower, self.upper, self.pub, self.totals = lower, upper, pub, totals
        lv = {l: i for i, l in enumerate(scorer.levels)}
        keys = sorted(pub.cells, key=lambda k: (lv[k[0]], self.pos[k[1]]))
        self.cell_idx = np.array([(self.pos[c], lv[l]) for l, c in keys], dtype=int).reshape(-1, 2)
        self.cell_keys = keys
        p = np.array([float(pub.cells[k]) for k in keys])
        self.p, self.lo, self.hi = p, p - HALF, p + HALF
        self.mult = np.array([pub.tables[k] for k in keys])  # table cells per (level, city)
        self.report = GroupReport(name, int(self.mult.sum()))

    # ------------------------------------------------------------------ helpers
    def cell_scores(self, S: np.ndarray) -> np.ndarray:
        return S[self.cell_idx[:, 0], self.cell_idx[:, 1]]

    def exact(self, S: np.ndarray) -> np.ndarray:
        return np.array([printed(s) == self.pub.cells[k] for s, k in zip(self.cell_scores(S), self.cell_keys)])

    def slack(self, S: np.ndarray) -> np.ndarray:
        s = self.cell_scores(S)
        return np.minimum(s - self.lo, self.hi - s)

    def written(self, X: np.ndarray) -> np.ndarray:
        """The values as the file holds them: counts integer, the others with six decimals."""
        X = np.vectorize(lambda x: round(float(x), DECIMALS))(X)  # as build_2023.py rounds them
        X[:, self.is_count] = np.round(X[:, self.is_count])
        return X

    # ------------------------------------------------------------------ count step
    def count_step(self) -> None:
        sc = self.sc
        S = sc.scores(self.X)
        for s, sub in enumerate(sc.subs):
            members = np.where(sc.sub_of == s)[0]
            if not self.is_count[members].all():
                continue
            level = 1 + len(sc.pillars) + s
            rows = np.where(self.cell_idx[:, 1] == level)[0]
            if not len(rows) or (self.slack(S)[rows] > 1e-9).all():
                continue
            # a city at the top or bottom of a level would move the scale of every other city there
            extreme = set(np.argmin(S, 0)) | set(np.argmax(S, 0))
            # only cities with no printed cell in the pillar (its score, its sub-pillars): their
            # sub-pillar scores there are free; their pillar and composite places are kept
            pillar = int(np.argmax(sc.Wp[s]))
            own_levels = {1 + pillar} | {1 + len(sc.pillars) + t for t in range(len(sc.subs)) if np.argmax(sc.Wp[t]) == pillar}
            printed_in = {j for j, l in self.cell_idx if l in own_levels}
            cells = [(j, k) for k in members for j in range(len(self.ids))
                     if j not in printed_in and j not in extreme and self.prov[j, k] == "imputed"
                     and sc.codes[k] not in self.totals]
            singles = [((j, k), d) for j, k in cells for d in COUNT_DELTAS if self.X[j, k] + d >= max(self.lower[k], 0)]
            options = [(c,) for c in singles] + [(a, b) for a, b in itertools.combinations(singles, 2) if a[0] != b[0]]
            found = []
            for opt in options:
                X = self.X.copy()
                for (j, k), d in opt:
                    X[j, k] += d
                sl = self.slack(sc.scores(X))[rows].min()
                if sl > 1e-9:
                    found.append(((sum(abs(d) for _, d in opt), -sl), opt))  # fewest units, then most slack
            found.sort(key=lambda f: f[0])
            best = next((opt for _, opt in found if self.can_compensate(opt)), None)
            if best is None:
                continue  # left to the report: no imputed count reaches these cells
            for (j, k), d in best:
                self.report.count_moves.append((self.ids[j], sc.codes[k], self.X[j, k], self.X[j, k] + d))
                self.X[j, k] += d
                self.count_moved.setdefault(j, set()).update(own_levels - {1 + pillar})
            S = sc.scores(self.X)

    def can_compensate(self, opt) -> bool:
        """Whether the cities a count change moves can come back, with their own movable values,
        to their places (and printing boxes) at the pillar and composite levels: the room their
        values leave (to their bounds, linearised) must be twice what is needed."""
        sc = self.sc
        X = self.X.copy()
        for (j, k), d in opt:
            X[j, k] += d
        S = sc.scores(X)
        M = self.movable()
        sd = X.std(0, ddof=1)
        top = 1 + len(sc.pillars)  # composite and pillar levels
        for j in {j for (j, _), _ in opt}:
            own = [(j, k) for k in np.where(M[j])[0]]
            D = self.jacobian(X, own, sd, S).reshape(len(self.ids), -1, len(own))[j, :top]  # (levels, cells)
            room_down = np.array([(self.X[j, k] - self.lower[k]) / sd[k] for _, k in own])
            room_up = np.array([(self.upper[k] - self.X[j, k]) / sd[k] for _, k in own])
            can = np.maximum(D, 0) @ np.minimum(room_down, 1e6) + np.maximum(-D, 0) @ np.minimum(room_up, 1e6)
            for l in range(top):
                above = [a for a in range(len(self.ids)) if self.S_ref[a, l] > self.S_ref[j, l] and a != j]
                limit = min([self.S_ref[a, l] for a in above], default=np.inf) - ORDER_GAP
                if (l, j) in self.printed_at:
                    limit = min(limit, self.printed_at[(l, j)] + HALF - MARGIN)
                need = S[j, l] - limit
                if need > 0 and can[l] < 2 * need:
                    return False
        return True

    # ------------------------------------------------------------------ LP step
    def movable(self) -> np.ndarray:
        """Mask of the cells the LP may move: imputed, continuous or fine counts."""
        sc = self.sc
        M = self.prov == "imputed"
        sd = self.X.std(0, ddof=1)
        Z = sc.Z(self.X)
        for k in np.where(self.is_count)[0]:
            # a unit's largest effect on a score: through the cell's own z at its sub-pillar
            zs = Z[:, 1 + len(sc.pillars) + sc.sub_of[k]]
            unit = 40 * sc.Ws[k, sc.sub_of[k]] / sd[k] / max(zs.max() - zs.min(), 1e-12) if sd[k] > 0 else np.inf
            if unit > FINE:
                M[:, k] = False
        # several cities sharing the top or the bottom of a sub-pillar: the scale there is a min (max)
        # over them, not smooth in their values; they keep their values in that sub-pillar
        for s in range(len(sc.subs)):
            bl = self.blocks(1 + len(sc.pillars) + s)
            for block in (bl[0], bl[-1]):
                if len(block) > 1:
                    M[np.ix_(block, sc.sub_of == s)] = False
        return M

    def depends(self) -> np.ndarray:
        """(16 levels, 30 codes): which indicators a level's scores depend on."""
        sc = self.sc
        dep = np.zeros((len(sc.levels), len(sc.codes)), bool)
        dep[0] = True
        for s in range(len(sc.subs)):
            dep[1 + len(sc.pillars) + s, sc.sub_of == s] = True
            dep[1 + int(np.argmax(sc.Wp[s])), sc.sub_of == s] = True
        return dep

    def jacobian(self, X: np.ndarray, cols: list[tuple[int, int]], sd: np.ndarray, S0: np.ndarray) -> np.ndarray:
        """d(score of every city and level) / d(value in standard deviations), (n*16, m)."""
        J = np.zeros((S0.size, len(cols)))
        for c, (j, k) in enumerate(cols):
            h = 1e-6 * sd[k]
            Xp = X.copy()
            Xp[j, k] += h
            J[:, c] = ((self.sc.scores(Xp) - S0) / 1e-6).ravel()
        J[np.abs(J) < 1e-13] = 0.0
        return J

    def blocks(self, level: int) -> list[list[int]]:
        """The cities of the reference order at a level, in blocks of near-ties (consecutive
        scores closer than ``TIE``), best first. A city moved by the count step (which has no
        printed cell in that pillar) is left out at the pillar's sub-pillars: its place there
        changes on purpose, and its own values bring it back to its places at the pillar and
        composite levels."""
        S = self.S_ref[:, level]
        order = [j for j in np.argsort(-S, kind="mergesort") if level not in self.count_moved.get(j, ())]
        out: list[list[int]] = []
        for j in order:
            if out and S[out[-1][-1]] - S[j] < TIE:
                out[-1].append(j)
            else:
                out.append([j])
        return out

    def order_pairs(self, level: int) -> list[tuple[int, int, float]]:
        """(above, below, required gap): every city of a block above every city of the next
        block. Within a block (a near-tie, below any printed precision) the order is free; a
        pair whose printed values say the opposite order is not constrained."""
        S = self.S_ref[:, level]
        bl = self.blocks(level)
        out = []
        for upper, lower in zip(bl[:-1], bl[1:]):
            for a in upper:
                for b in lower:
                    pa, pb = self.printed_at.get((level, a)), self.printed_at.get((level, b))
                    if pa is not None and pb is not None and pa < pb:
                        continue
                    out.append((a, b, min((S[a] - S[b]) / 2, ORDER_GAP)))
        return out

    def lp_step(self, S: np.ndarray, reach: np.ndarray) -> None:
        n, L = S.shape
        cols = list(zip(*np.where(self.movable())))
        sd = self.X.std(0, ddof=1)
        J = csr_matrix(self.jacobian(self.X, cols, sd, S))
        rows, b = [], []
        idx = np.where(reach)[0]
        flat = self.cell_idx[idx, 0] * L + self.cell_idx[idx, 1]
        cur = S.ravel()[flat]
        rows += [J[flat], -J[flat]]
        b += [self.hi[idx] - MARGIN - cur, -(self.lo[idx] + MARGIN - cur)]
        for l in range(L):
            # only pairs that could meet within a step; the others are checked after it
            pairs = [p for p in self.order_pairs(l) if S[p[0], l] - S[p[1], l] < ORDER_NEAR]
            if not pairs:
                continue
            a = np.array([p[0] for p in pairs]); c = np.array([p[1] for p in pairs])
            need = np.array([p[2] for p in pairs])
            rows.append(J[c * L + l] - J[a * L + l])
            b.append(S[a, l] - S[c, l] - need)
        A = vstack(rows).tocsr() * 1e3   # rows in thousandths of a score point
        m, r = len(cols), A.shape[0]
        cost = np.array([COUNT_COST if self.is_count[k] else 1.0 for _, k in cols])
        lo = np.array([max(-STEP, (self.lower[k] - self.X[j, k]) / sd[k]) for j, k in cols])
        hi = np.array([min(STEP, (self.upper[k] - self.X[j, k]) / sd[k]) for j, k in cols])
        # y = u - v with u, v >= 0; minimise cost·(u + v) + ELASTIC·(violations), so that a step
        # that cannot reach every box within the trust region still moves towards them
        res = linprog(np.r_[cost, cost, np.full(r, ELASTIC)], A_ub=hstack([A, -A, -identity(r, format="csr")]).tocsr(),
                      b_ub=np.concatenate(b) * 1e3,
                      bounds=[(0, max(h, 0)) for h in hi] + [(0, max(-x, 0)) for x in lo] + [(0, None)] * r,
                      method="highs")
        if res.status != 0:
            raise RuntimeError(f"polish ({self.name}): linear programme failed: {res.message}")
        y = res.x[:m] - res.x[m:2 * m]
        if VERBOSE:
            t = res.x[2 * m:]
            labels = [("box+", self.cell_keys[i]) for i in idx] + [("box-", self.cell_keys[i]) for i in idx]
            for l in range(L):
                labels += [("order", self.sc.levels[l], self.ids[a], self.ids[c]) for a, c, _ in self.order_pairs(l)
                           if S[a, l] - S[c, l] < ORDER_NEAR]
            viol = np.where(t > 1e-6)[0]
            print(f"    LP: {len(viol)} violated rows, total {t.sum():.3g} mp; |y| max {np.abs(y).max():.3g}, sum {np.abs(y).sum():.3g}")
            for v in viol[:12]:
                print("     ", labels[v], round(float(t[v]), 4))
        for (j, k), dy in zip(cols, y):
            self.X[j, k] += dy * sd[k]
        self.X = self.written(self.X)

    def order_changes(self, S: np.ndarray) -> list[str]:
        """Pairs of cities in different near-tie blocks of the reference order whose order at a
        level changed (cities moved by the count step excepted at its sub-pillar)."""
        bad = []
        for l, level in enumerate(self.sc.levels):
            for upper, lower in zip(self.blocks(l)[:-1], self.blocks(l)[1:]):
                for a in upper:
                    for b in lower:
                        if S[a, l] <= S[b, l]:
                            bad.append(f"{level}: {self.ids[a]} / {self.ids[b]}")
        return bad

    def near_tie_swaps(self, S: np.ndarray) -> int:
        """Pairs within a near-tie block whose order changed (not guarded; reported)."""
        n = 0
        for l in range(len(self.sc.levels)):
            r = self.S_ref[:, l]
            for block in self.blocks(l):
                for a, b in itertools.combinations(block, 2):
                    n += (r[a] > r[b]) != (S[a, l] > S[b, l]) or (r[a] == r[b]) != (S[a, l] == S[b, l])
        return int(n)

    def run(self) -> None:
        sc = self.sc
        self.S_ref = sc.scores(self.X)
        self.report.exact_before = int(self.mult[self.exact(self.S_ref)].sum())
        self.printed_at = {(l, j): p for (j, l), p in zip(self.cell_idx, self.p)}
        self.count_moved: dict[int, set[int]] = {}  # city -> sub-pillar levels where its place is free
        self.count_step()
        S = sc.scores(self.X)
        # a printed cell is reachable when a value the LP may move enters its level
        reach = (self.depends()[self.cell_idx[:, 1]] & self.movable().any(0)[None, :]).any(1)
        sl = self.slack(S)
        self.report.unreachable = [(k[0], k[1], self.pub.cells[k], float(v), int(self.pub.tables[k]))
                                   for k, v, r, ok in zip(self.cell_keys, self.cell_scores(S), reach, sl > 0) if not (r or ok)]
        for it in range(MAX_ITER + 1):
            if (self.slack(S)[reach] >= ACCEPT).all() and not self.order_changes(S):
                break
            if it == MAX_ITER:
                raise RuntimeError(f"polish ({self.name}): not every reachable cell prints exactly after {MAX_ITER} iterations")
            self.lp_step(S, reach)
            self.report.iterations = it + 1
            S = sc.scores(self.X)
            if VERBOSE:
                sl = self.slack(S)[reach]
                print(f"  polish {self.name} iteration {it + 1}: {(sl < ACCEPT).sum()} cell(s) short, "
                      f"smallest slack {sl.min():.2e}, {len(self.order_changes(S))} order change(s)")
                short = np.where(reach & (self.slack(S) < ACCEPT))[0]
                print("   ", [(self.cell_keys[i], self.pub.cells[self.cell_keys[i]], round(float(self.cell_scores(S)[i]), 5)) for i in short[:8]])
                print("   ", self.order_changes(S)[:8])
        self.report.exact_after = int(self.mult[self.exact(S)].sum())
        self.report.near_tie_swaps = self.near_tie_swaps(S)
        self.report.min_slack = float(self.slack(S)[reach].min()) if reach.any() else float("nan")
        R = ranks(S)
        lv = {l: i for i, l in enumerate(sc.levels)}
        wrong = [f"{c} {l}: {R[self.pos[c], lv[l]]} != {r}" for (l, c), r in self.pub.ranks.items() if R[self.pos[c], lv[l]] != r]
        if wrong:
            raise RuntimeError(f"polish ({self.name}): published ranks missed: {wrong}")


# --------------------------------------------------------------------------- entry point

@dataclass
class PolishReport:
    groups: list
    changed: int            # values changed
    changed_counts: int     # of which counts
    max_rel: float          # largest relative change of a non-zero continuous value
    max_rel_at: str
    max_sd: float           # largest change of a continuous value, in standard deviations
    seconds: float

    @property
    def cells(self) -> int:
        return sum(g.cells for g in self.groups)

    @property
    def exact(self) -> int:
        return sum(g.exact_after for g in self.groups)

    def lines(self) -> list[str]:
        before = sum(g.exact_before for g in self.groups)
        out = [f"polish: {self.exact} of {self.cells} printed table cells exact (before: {before}); "
               f"{self.changed} imputed values changed ({self.changed_counts} counts); largest change of a "
               f"continuous value {self.max_rel:.2%} ({self.max_rel_at}), {self.max_sd:.3f} sd; {self.seconds:.1f} s"]
        for g in self.groups:
            out.append(f"  {g.group}: {g.exact_after}/{g.cells} exact, {g.iterations} LP iteration(s), "
                       f"smallest distance to a box edge {g.min_slack:.1e}; {g.near_tie_swaps} pair(s) of "
                       f"cities closer than {TIE:g} at a sub-pillar changed order")
            for c, code, old, new in g.count_moves:
                out.append(f"  {g.group}: count step: {c} {code} {old:g} -> {new:g}")
            for level, c, p, v, m in g.unreachable:
                out.append(f"  {g.group}: not reachable with imputed values: {c} {level} printed {p} "
                           f"({m} table cell(s)), score {v:.6f}")
        return out


def polish(frame: pd.DataFrame, tree, groups: pd.Series, kinds: pd.Series, lower: pd.Series, upper: pd.Series,
           pub_dir: Path, names: dict[str, str]) -> tuple[pd.DataFrame, PolishReport]:
    """``frame`` (id, code, value, provenance; one row per city and indicator) with its imputed
    values polished so that every reachable published cell prints exactly."""
    t0 = time.perf_counter()
    sc = Scorer(tree)
    printed_by_group = load_printed(pub_dir, names, groups)
    totals = stated_totals(pub_dir)
    wide = frame.pivot(index="id", columns="code", values="value").astype(float)
    prov = frame.pivot(index="id", columns="code", values="provenance")
    if wide.isna().any().any():
        raise ValueError("polish expects every value present")
    lo = np.array([lower.get(c, -np.inf) for c in sc.codes], float)
    hi = np.array([upper.get(c, np.inf) for c in sc.codes], float)
    out = wide.copy()
    reports = []
    for g in sorted(set(groups)):
        ids = [i for i in groups.index if groups[i] == g]
        grp = Group(g, ids, wide.loc[ids, sc.codes].to_numpy(float), prov.loc[ids, sc.codes].to_numpy(object),
                    sc, kinds, lo, hi, printed_by_group.get(g, Published()), totals)
        grp.run()
        out.loc[ids, sc.codes] = grp.X
        reports.append(grp.report)
    new = frame.copy()
    new["value"] = [out.at[i, c] for i, c in zip(frame["id"], frame["code"])]
    old = frame["value"].astype(float).to_numpy()
    diff = np.abs(new["value"].to_numpy(float) - old)
    changed = diff > 0
    if (frame.loc[changed, "provenance"] != "imputed").any():
        raise RuntimeError("polish changed a published or derived value")
    count = frame["code"].map(kinds).eq("count").to_numpy()
    cont = changed & ~count & (old != 0)
    rel = np.where(cont, diff / np.where(old != 0, np.abs(old), 1), 0)
    k = int(np.argmax(rel))
    sd = {(g, c): wide.loc[groups.index[groups == g], c].std(ddof=1) for g in set(groups) for c in sc.codes}
    in_sd = [d / sd[(groups[i], c)] for d, i, c, m in zip(diff, frame["id"], frame["code"], changed & ~count) if m]
    rep = PolishReport(reports, int(changed.sum()), int((changed & count).sum()), float(rel[k]),
                       f"{frame['id'].iat[k]} {frame['code'].iat[k]}: {old[k]:g} -> {new['value'].iat[k]:g}",
                       float(max(in_sd, default=0.0)), time.perf_counter() - t0)
    return new, rep
