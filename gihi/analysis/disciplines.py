"""Discipline sources (学科策源地, GIHI 2023 Appendix 8): analytics on the aggregated papers table.

Input is the long table ``id, discipline, year, papers, hcp`` (see :mod:`gihi.model.focus_data`), where
``hcp`` counts the city's highly cited papers: the global top 1 % by citations of their discipline
and publication year. All functions are pure and take/return DataFrames.

* **Source capacity** (学科策源能力): the 10-year HCP count per city × discipline, scaled by
  min–max to a score in [60, 100] per discipline over all evaluated cities, and ranked (1 = most
  HCP; ties share the smallest rank).
* **Discipline-source list** (全球学科策源地榜单): every city with at least one discipline in the
  top 10, ordered by its number of top-10 disciplines, ties broken by its mean HCP ratio.
* **Excellence** (学科卓越度): the mean over the disciplines of HCP / papers, against the 1 %
  global baseline.
* **Growth**: compound annual growth of the city's yearly paper total between the first and the
  last year of the window (2012→2021: 9 periods).
* **Discipline profile** (学科特色): each discipline's share of the city's papers, clustered by
  agglomerative hierarchical clustering with Euclidean distance and **Ward linkage**.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.cluster.hierarchy import fcluster, leaves_list, linkage, optimal_leaf_ordering

from gihi.model import store
from gihi.model.method.normalise import minmax_score
from gihi.model.method.ranking import rank_desc

BASELINE = 0.01          # the global HCP share by definition (top 1 %)
TOP_N = 10               # list threshold: at least one discipline in the top 10
SUPERSTAR_MIN = 15       # super-star cities: at least 15 top-10 disciplines
SCORE_LO, SCORE_HI = 60.0, 100.0
LINKAGE_METHOD = "ward"


def city_discipline_totals(papers: pd.DataFrame, ids: list[str] | None = None,
                           disciplines: list[str] | None = None,
                           years: tuple[int, int] | None = None) -> pd.DataFrame:
    """Sum papers and hcp over the years (optionally only ``years`` = (first, last), inclusive).

    Returns ``id, discipline, papers, hcp`` on the complete grid ``ids`` × ``disciplines``
    (missing combinations are 0), sorted by id then discipline. Without ``ids`` / ``disciplines``
    the grid is the values present.
    """
    df = papers
    if years is not None:
        df = df[(df["year"] >= years[0]) & (df["year"] <= years[1])]
    sums = df.groupby(["id", "discipline"], sort=True)[["papers", "hcp"]].sum()
    ids = sorted(set(papers["id"])) if ids is None else list(ids)
    disciplines = sorted(set(papers["discipline"])) if disciplines is None else list(disciplines)
    grid = pd.MultiIndex.from_product([sorted(ids), sorted(disciplines)], names=["id", "discipline"])
    out = sums.reindex(grid, fill_value=0).reset_index()
    out[["papers", "hcp"]] = out[["papers", "hcp"]].astype("int64")
    return out


def discipline_scores(totals: pd.DataFrame) -> pd.DataFrame:
    """Per discipline over all cities in ``totals``: ``id, discipline, hcp, score, rank``.

    ``score`` = 60 + 40·(hcp − min)/(max − min) (all 100 when every city has the same count);
    ``rank`` 1 = most HCP, ties share the smallest rank. Sorted by discipline, rank, id.
    """
    wide = totals.pivot(index="id", columns="discipline", values="hcp").astype(float)
    score = minmax_score(wide, lo=SCORE_LO, hi=SCORE_HI)
    rank = rank_desc(wide)
    out = pd.DataFrame({
        "hcp": wide.stack(),
        "score": score.stack(),
        "rank": rank.stack().astype("int64"),
    }).reset_index()
    out["hcp"] = out["hcp"].astype("int64")
    out = out[["id", "discipline", "hcp", "score", "rank"]]
    return out.sort_values(["discipline", "rank", "id"], kind="mergesort").reset_index(drop=True)


def hcp_ratios(totals: pd.DataFrame) -> pd.DataFrame:
    """``id, discipline, ratio``: HCP / papers (NaN when the city has no paper in the discipline)."""
    out = totals[["id", "discipline"]].copy()
    p = totals["papers"].astype(float)
    out["ratio"] = (totals["hcp"] / p.where(p > 0)).astype(float)
    return out


def mean_hcp_ratio(totals: pd.DataFrame) -> pd.Series:
    """Mean over disciplines of HCP / papers per city (disciplines without papers are skipped)."""
    return hcp_ratios(totals).groupby("id", sort=True)["ratio"].mean().rename("mean_hcp_ratio")


def excellence(mean_ratio: pd.Series, baseline: float = BASELINE) -> pd.DataFrame:
    """Excellence against the global baseline (Figure 12): ``mean_hcp_ratio``, ``vs_baseline``
    (ratio / baseline; 1.75 = 75 % above) and ``above_baseline`` (ratio > baseline), index id."""
    out = pd.DataFrame({"mean_hcp_ratio": mean_ratio.astype(float)})
    out["vs_baseline"] = out["mean_hcp_ratio"] / baseline
    out["above_baseline"] = out["mean_hcp_ratio"] > baseline
    return out


def top_n_counts(scores: pd.DataFrame, n: int = TOP_N) -> pd.Series:
    """Number of disciplines in which each city ranks ``<= n`` (0 for none)."""
    hit = scores["rank"] <= n
    return hit.groupby(scores["id"], sort=True).sum().astype("int64").rename("n_top")


def champions(scores: pd.DataFrame) -> pd.DataFrame:
    """``discipline, id`` of every rank-1 city (two rows for a tie), sorted by discipline, id."""
    out = scores.loc[scores["rank"] == 1, ["discipline", "id"]]
    return out.sort_values(["discipline", "id"], kind="mergesort").reset_index(drop=True)


def champion_counts(scores: pd.DataFrame) -> pd.Series:
    """Number of disciplines in which each city ranks first (0 for none)."""
    ids = sorted(set(scores["id"]))
    return champions(scores)["id"].value_counts().reindex(ids, fill_value=0).astype("int64").rename("n_champion")


def source_list(scores: pd.DataFrame, mean_ratio: pd.Series, n: int = TOP_N) -> pd.DataFrame:
    """The discipline-source list: cities with at least one top-``n`` discipline.

    Columns ``rank, id, n_top10, n_champion, mean_hcp_ratio`` ordered by n_top10 (desc), then mean
    HCP ratio (desc), then id; ``rank`` is the position, shared ("min") only when both keys tie.
    """
    counts = top_n_counts(scores, n)
    out = pd.DataFrame({"id": counts.index, "n_top10": counts.to_numpy()})
    out = out[out["n_top10"] >= 1]
    out["n_champion"] = out["id"].map(champion_counts(scores)).astype("int64")
    out["mean_hcp_ratio"] = out["id"].map(mean_ratio).astype(float)
    out = out.sort_values("id", kind="mergesort")
    out = out.sort_values(["n_top10", "mean_hcp_ratio"], ascending=[False, False], kind="mergesort")
    key = list(zip(out["n_top10"], out["mean_hcp_ratio"]))
    ranks, prev = [], None
    for pos, k in enumerate(key, start=1):
        ranks.append(ranks[-1] if k == prev else pos)
        prev = k
    out.insert(0, "rank", ranks)
    return out.reset_index(drop=True)


def superstars(listing: pd.DataFrame, min_top: int = SUPERSTAR_MIN) -> list[str]:
    """Ids of the list cities with at least ``min_top`` top-10 disciplines, in list order."""
    return list(listing.loc[listing["n_top10"] >= min_top, "id"])


def papers_by_year(papers: pd.DataFrame) -> pd.DataFrame:
    """Wide table id × year of the city's paper total (sum over disciplines)."""
    return papers.pivot_table(index="id", columns="year", values="papers", aggfunc="sum", fill_value=0).sort_index()


def cagr(first: pd.Series | float, last: pd.Series | float, periods: int):
    """Compound annual growth rate (last / first)^(1/periods) − 1; NaN where first <= 0.

    Works on scalars or aligned Series.
    """
    if np.isscalar(first):
        return (float(last) / float(first)) ** (1.0 / periods) - 1.0 if first > 0 else float("nan")
    first = first.astype(float)
    return (last.astype(float) / first.where(first > 0)) ** (1.0 / periods) - 1.0


def paper_cagr(papers: pd.DataFrame, start: int | None = None, end: int | None = None) -> pd.Series:
    """CAGR of each city's yearly paper total from ``start`` to ``end`` (default: first/last year)."""
    wide = papers_by_year(papers)
    start = int(min(wide.columns)) if start is None else start
    end = int(max(wide.columns)) if end is None else end
    return cagr(wide[start], wide[end], end - start).rename("papers_cagr")


def emerging_cities(listing: pd.DataFrame, growth: pd.Series, baseline: float = BASELINE) -> pd.DataFrame:
    """Emerging science cities (新兴科学城市) of the list.

    A list city is emerging when its paper CAGR is above the list's mean CAGR and its mean HCP
    ratio is below ``baseline``. Returns ``id, papers_cagr, mean_hcp_ratio`` sorted by CAGR (desc).
    """
    g = listing["id"].map(growth).astype(float)
    mean_g = g.mean()
    hit = (g > mean_g) & (listing["mean_hcp_ratio"] < baseline)
    out = pd.DataFrame({"id": listing["id"], "papers_cagr": g, "mean_hcp_ratio": listing["mean_hcp_ratio"]})[hit]
    out = out.sort_values("id", kind="mergesort").sort_values("papers_cagr", ascending=False, kind="mergesort")
    return out.reset_index(drop=True)


def discipline_shares(totals: pd.DataFrame, ids: list[str] | None = None) -> pd.DataFrame:
    """Wide id × discipline: each discipline's papers / the city's total papers (rows sum to 1)."""
    wide = totals.pivot(index="id", columns="discipline", values="papers").astype(float)
    if ids is not None:
        wide = wide.loc[list(ids)]
    wide = wide.sort_index().sort_index(axis=1)
    return wide.div(wide.sum(axis=1), axis=0)


@dataclass(frozen=True)
class Clustering:
    """Result of :func:`cluster_profiles`: the scipy linkage matrix and the heat-map leaf order.

    ``ids`` is the (sorted) row order the linkage refers to; ``leaf_order`` the ids from left to
    right in the dendrogram (Figures 13 and 14).
    """

    ids: list[str]
    linkage: np.ndarray
    leaf_order: list[str]

    def labels(self, k: int) -> pd.Series:
        """Cluster number (1..k) of each id when the tree is cut into ``k`` clusters."""
        lab = fcluster(self.linkage, t=k, criterion="maxclust")
        return pd.Series(lab, index=self.ids, name="cluster")


store.register(Clustering)


def cluster_profiles(shares: pd.DataFrame, method: str = LINKAGE_METHOD) -> Clustering:
    """Agglomerative hierarchical clustering of discipline-share profiles (Euclidean distance).

    Rows are first sorted by id, so the input row order does not matter; with the default Ward
    linkage, leaves are put in optimal leaf order (scipy ``optimal_leaf_ordering``), which is
    deterministic for a given linkage.
    """
    x = shares.sort_index(kind="mergesort").sort_index(axis=1)
    data = x.to_numpy(dtype=float)
    z = linkage(data, method=method, metric="euclidean")
    if len(x) > 2:
        z = optimal_leaf_ordering(z, data, metric="euclidean")
    order = [x.index[i] for i in leaves_list(z)]
    return Clustering(ids=list(x.index), linkage=z, leaf_order=order)


# --------------------------------------------------------------------------- an edition's results

def results(ed) -> dict:
    """The discipline-source analyses of an edition, computed once (the result ``disciplines``):

    * ``totals`` — :func:`city_discipline_totals` over every city × discipline;
    * ``scores`` — :func:`discipline_scores`; ``raw_listing`` — :func:`source_list` (fractions);
    * ``growth`` — :func:`paper_cagr` by city; ``shares`` and ``clustering`` — the listed cities'
      discipline profiles and their clustering;
    * ``listing`` and ``score_table`` — the ``discipline_cities`` and ``discipline_scores``
      tables (percent columns, unrounded).
    """
    return ed.result("disciplines", lambda: _results(ed))


def _results(ed) -> dict:
    d = ed.disciplines
    if d is None:
        raise ValueError(f"the {ed.year} edition has no discipline data ({ed.year}/disciplines/)")
    cities, meta, papers = ed.cities, d.meta, d.papers
    totals = city_discipline_totals(papers, ids=list(cities["id"]), disciplines=list(meta["code"]))
    scores = discipline_scores(totals)
    raw = source_list(scores, mean_hcp_ratio(totals))
    growth = paper_cagr(papers)
    stars = set(superstars(raw))
    emerging = set(emerging_cities(raw, growth)["id"])
    names = cities.set_index("id")
    out = raw.copy()
    out["name_zh"] = out["id"].map(names["name_zh"])
    out["name_en"] = out["id"].map(names["name_en"])
    out["mean_hcp_ratio"] = 100 * out["mean_hcp_ratio"]
    out["papers_total"] = out["id"].map(totals.groupby("id")["papers"].sum()).astype("int64")
    out["papers_cagr"] = 100 * out["id"].map(growth)
    out["superstar"] = out["id"].isin(stars)
    out["emerging"] = out["id"].isin(emerging)
    cols = ["id", "name_zh", "name_en", "rank", "n_top10", "n_champion", "mean_hcp_ratio", "papers_total",
            "papers_cagr", "superstar", "emerging"]
    order = {c: i for i, c in enumerate(meta["code"])}
    sc = scores.assign(_o=scores["discipline"].map(order))
    sc = sc.sort_values(["_o", "rank", "id"], kind="mergesort").drop(columns="_o").reset_index(drop=True)
    listing = out[cols]
    shares = discipline_shares(totals, ids=list(listing["id"]))
    return {"totals": totals, "scores": scores, "raw_listing": raw, "growth": growth, "shares": shares,
            "clustering": cluster_profiles(shares), "listing": listing,
            "score_table": sc[["id", "discipline", "hcp", "score", "rank"]]}
