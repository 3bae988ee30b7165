"""The GIHI index: a COINr-style pipeline of named steps.

    data (wide table) → screen → normalise (z-score) → aggregate → score (min–max) → rank

Method (GIHI 2023 report, Table 1 and Appendix 3), applied **within each group separately**
(``main``: the 108 main cities; ``mini``: the 11 mini-hubs, scored and ranked as their own list):

1. **Screen** (:mod:`gihi.model.method.screen`). A city is scored only if it has data for at least
   ``min_coverage`` (2/3) of the indicators and for at least ``min_per_subpillar`` (1) indicator
   in every sub-pillar; otherwise it is excluded from its group and listed in
   ``IndexResult.excluded`` with the reason.
2. **Normalise** (:func:`gihi.model.method.normalise.zscore`). Each indicator is z-scored over the group's
   scored cities that have a value: z = (x − mean)/std, sample std (ddof = 1). Raw values are
   never imputed.
3. **Aggregate** (:mod:`gihi.model.method.aggregate`). Sub-pillar Z = weighted mean of the city's available
   indicator z-scores in the sub-pillar, weights renormalised over the available ones — the same
   as imputing a missing z by the weighted mean of the city's other z in that sub-pillar.
   Pillar Z = Σ sub-pillar weight × sub-pillar Z; composite Z = Σ pillar weight × pillar Z.
   With complete data this equals Appendix 3's Σᵢ wᵢzᵢ over the 30 indicators, wᵢ being the
   indicator's composite weight.
4. **Score** (:func:`gihi.model.method.normalise.minmax_score`). At every level (sub-pillar, pillar,
   composite): score = 60 + 40·(Z − min)/(max − min) over the group, so each level spans exactly
   [60, 100].
5. **Rank** (:func:`gihi.model.method.ranking.rank_desc`). Descending score within the group, ties share the
   smallest rank, on full-precision scores.

The missing-value policy (steps 1–3) is the GII/COINr practice; the report itself is silent.
Why it was chosen is explained in ``data/README.md`` ("Missing values").

Inputs are processed in sorted id order inside each group, so the result does not depend on the
order of the input rows, not even in the last bit.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from gihi.model.method.aggregate import by_parent, weighted_sum
from gihi.model.metadata import Tree
from gihi.model.method.normalise import minmax_score, zscore
from gihi.model.method.ranking import rank_desc
from gihi.model.method.screen import DEFAULT_MIN_COVERAGE, DEFAULT_MIN_PER_SUBPILLAR, screen

COMPOSITE = "composite"


@dataclass
class IndexResult:
    """Everything the index computation produces. All frames are indexed by city id (the scored
    cities, in input order); columns follow the tree order.

    * ``z``: indicator z-scores (I01..I30), missing where the raw value is missing;
    * ``subpillar_z`` (A1..C4), ``pillar_z`` (A, B, C), ``composite_z`` (Series);
    * ``scores`` and ``ranks``: columns ``composite``, A, B, C, A1..C4; scores in [60, 100],
      ranks within the city's group;
    * ``excluded``: ``id, group, reason`` for cities removed by the screen;
    * ``groups``: the group of each scored city; ``policy``: the parameters used.
    """

    z: pd.DataFrame
    subpillar_z: pd.DataFrame
    pillar_z: pd.DataFrame
    composite_z: pd.Series
    scores: pd.DataFrame
    ranks: pd.DataFrame
    excluded: pd.DataFrame
    groups: pd.Series = field(default_factory=lambda: pd.Series(dtype=str))
    policy: dict = field(default_factory=dict)


def score_columns(tree: Tree) -> list[str]:
    """Columns of ``scores``/``ranks``: composite, the pillars, then the sub-pillars (tree order)."""
    return [COMPOSITE, *tree.pillars["code"], *tree.subpillars["code"]]


def _group_order(groups: pd.Series) -> list[str]:
    first = [g for g in ("main", "mini") if g in set(groups)]
    return first + [g for g in pd.unique(groups) if g not in first]


def _aggregate(z: pd.DataFrame, tree: Tree) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    sub_z = by_parent(z, tree.indicators, "subpillar", how="mean")
    pil_z = by_parent(sub_z, tree.subpillars, "pillar", how="sum")
    pw = pd.Series(tree.pillars["weight"].to_numpy(float), index=list(tree.pillars["code"]))
    comp_z = weighted_sum(pil_z, pw)
    return sub_z, pil_z, comp_z


def compute_index(
    wide: pd.DataFrame,
    groups: pd.Series,
    tree: Tree,
    *,
    min_coverage: float = DEFAULT_MIN_COVERAGE,
    min_per_subpillar: int = DEFAULT_MIN_PER_SUBPILLAR,
    lo: float = 60.0,
    hi: float = 100.0,
    ddof: int = 1,
) -> IndexResult:
    """Compute the index from a wide table (index city id, columns indicator codes).

    ``groups`` maps city id → group name (``main``/``mini``); every id of ``wide`` must have one.
    Ids in ``groups`` but not in ``wide`` are treated as having no data (and are excluded).
    Keyword arguments are the policy: the screen thresholds, the score range and the ddof.
    """
    codes = tree.codes
    absent = [c for c in codes if c not in wide.columns]
    if absent:
        raise KeyError(f"wide table has no column for indicator(s) {absent}")
    if wide.index.has_duplicates:
        raise ValueError(f"duplicated city ids in the wide table: {sorted(set(wide.index[wide.index.duplicated()]))}")
    if groups.index.has_duplicates:
        raise ValueError("duplicated city ids in groups")
    no_group = [i for i in wide.index if i not in groups.index]
    if no_group:
        raise ValueError(f"no group for city id(s) {no_group}")
    order = list(wide.index) + [i for i in groups.index if i not in set(wide.index)]
    groups = groups.reindex(order)
    x = wide.reindex(index=order, columns=codes).astype(float)

    kept, excluded = screen(x, tree, groups, min_coverage=min_coverage, min_per_subpillar=min_per_subpillar)
    cols = score_columns(tree)
    parts = {k: [] for k in ("z", "sub", "pil", "comp", "scores", "ranks")}
    for g in _group_order(groups.loc[kept]):
        ids = sorted(i for i in kept if groups[i] == g)
        z = zscore(x.loc[ids], ddof=ddof)
        sub_z, pil_z, comp_z = _aggregate(z, tree)
        levels = pd.concat([comp_z.rename(COMPOSITE), pil_z, sub_z], axis=1)[cols]
        scores = minmax_score(levels, lo=lo, hi=hi)
        for k, v in zip(parts, (z, sub_z, pil_z, comp_z, scores, rank_desc(scores))):
            parts[k].append(v)

    def cat(k: str, columns: list[str] | None):
        if parts[k]:
            return pd.concat(parts[k]).reindex(kept).rename_axis("id")
        if columns is None:
            return pd.Series(index=kept, dtype=float).rename_axis("id")
        return pd.DataFrame(index=kept, columns=columns, dtype="Int64" if k == "ranks" else float).rename_axis("id")

    pillars, subs = list(tree.pillars["code"]), list(tree.subpillars["code"])
    return IndexResult(
        z=cat("z", codes),
        subpillar_z=cat("sub", subs),
        pillar_z=cat("pil", pillars),
        composite_z=cat("comp", None).rename(COMPOSITE),
        scores=cat("scores", cols),
        ranks=cat("ranks", cols),
        excluded=excluded,
        groups=groups.loc[kept].rename("group").rename_axis("id"),
        policy=dict(min_coverage=min_coverage, min_per_subpillar=min_per_subpillar, lo=lo, hi=hi, ddof=ddof),
    )


def _table_group_order(groups: pd.Series) -> list[str]:
    first = [g for g in ("main", "mini") if g in set(groups)]
    return first + sorted(g for g in set(groups) if g not in first)


def index_scores_table(result: IndexResult, cities: pd.DataFrame, tree: Tree) -> pd.DataFrame:
    """The ``index_scores.csv`` table (scores not yet rounded)."""
    pillars, subs = list(tree.pillars["code"]), list(tree.subpillars["code"])
    c = cities.set_index("id")
    ids = [i for i in cities["id"] if i in result.scores.index]
    base = pd.DataFrame({"id": ids, "name_zh": c.loc[ids, "name_zh"].to_numpy(), "name_en": c.loc[ids, "name_en"].to_numpy(),
                         "group": c.loc[ids, "group"].to_numpy()})
    cols = {}
    for level in [COMPOSITE, *pillars]:
        cols[level] = result.scores.loc[ids, level].to_numpy(float)
        cols[f"{level}_rank"] = result.ranks.loc[ids, level].to_numpy()
    for s in subs:
        cols[s] = result.scores.loc[ids, s].to_numpy(float)
    table = pd.concat([base, pd.DataFrame(cols)], axis=1)
    for level in [COMPOSITE, *pillars]:
        table[f"{level}_rank"] = table[f"{level}_rank"].astype("Int64")
    table["_g"] = table["group"].map({g: k for k, g in enumerate(_table_group_order(table["group"]))})
    table["_seq"] = range(len(table))  # cities.csv order breaks ties
    table = table.sort_values(["_g", "composite_rank", "_seq"], kind="stable").drop(columns=["_g", "_seq"])
    return table.reset_index(drop=True)
