"""Screening step: which cities have enough data to be scored.

The GIHI 2023 report does not say how missing values were handled. Following GII / COINr
practice, a city is scored only if it has

* data for at least ``min_coverage`` (default 2/3) of the indicators, and
* at least ``min_per_subpillar`` (default 1) indicator with data in every sub-pillar.

A city that fails is excluded from its group before normalisation (it does not enter the group's
means and standard deviations) and is reported with the reason; it is never silently dropped.
"""
from __future__ import annotations

import math

import pandas as pd

from gihi.model.metadata import Tree

DEFAULT_MIN_COVERAGE = 2 / 3
DEFAULT_MIN_PER_SUBPILLAR = 1
EXCLUDED_COLUMNS = ["id", "group", "reason"]


def check_policy(min_coverage: float, min_per_subpillar: int) -> None:
    if not 0 <= min_coverage <= 1:
        raise ValueError(f"min_coverage must be in [0, 1], got {min_coverage!r}")
    if int(min_per_subpillar) != min_per_subpillar or min_per_subpillar < 1:
        raise ValueError(f"min_per_subpillar must be an integer ≥ 1, got {min_per_subpillar!r}")


def required_count(n: int, min_coverage: float) -> int:
    """Smallest number of indicators with data that meets ``min_coverage`` of ``n`` (20 of 30 for 2/3)."""
    return math.ceil(min_coverage * n - 1e-9)


def _fraction(f: float) -> str:
    for d in range(1, 13):
        if abs(f * d - round(f * d)) < 1e-9:
            return f"{round(f * d)}/{d}" if d > 1 else str(round(f))
    return f"{f:g}"


def screen(
    wide: pd.DataFrame,
    tree: Tree,
    groups: pd.Series,
    min_coverage: float = DEFAULT_MIN_COVERAGE,
    min_per_subpillar: int = DEFAULT_MIN_PER_SUBPILLAR,
) -> tuple[pd.Index, pd.DataFrame]:
    """Apply the coverage screen.

    ``wide``: index city id, one column per indicator (missing = NaN); ids of ``groups`` absent
    from ``wide`` count as having no data. Returns ``(kept, excluded)``: the ids that pass (in the
    order of ``groups``) and a DataFrame ``id, group, reason`` for those that do not.
    """
    check_policy(min_coverage, min_per_subpillar)
    codes = tree.codes
    x = wide.reindex(index=groups.index, columns=codes)
    have = x.notna()
    n = len(codes)
    need = required_count(n, min_coverage)
    count = have.sum(axis=1)
    subs = list(tree.subpillars["code"])
    per_sub = pd.DataFrame({sp: have[tree.members(sp)].sum(axis=1) for sp in subs}, index=have.index)
    thin_mask = per_sub < min_per_subpillar
    kept, rows = [], []
    for cid, n_have, thin_row in zip(groups.index, count.to_numpy(), thin_mask.to_numpy()):
        if n_have == 0:
            rows.append((cid, groups[cid], "no data"))
            continue
        reasons = []
        if n_have < need:
            reasons.append(f"data for {n_have} of {n} indicators (needs {need}, i.e. ≥ {_fraction(min_coverage)})")
        thin = [sp for sp, t in zip(subs, thin_row) if t]
        if thin:
            what = "no indicator" if min_per_subpillar == 1 else f"fewer than {min_per_subpillar} indicators"
            reasons.append(f"{what} with data in sub-pillar(s) {', '.join(thin)}")
        if reasons:
            rows.append((cid, groups[cid], "; ".join(reasons)))
        else:
            kept.append(cid)
    excluded = pd.DataFrame(rows, columns=EXCLUDED_COLUMNS)
    return pd.Index(kept, name=groups.index.name), excluded
