"""Benchmark of GIHI against WIPO's Global Innovation Index (GII) top-100 science and technology
clusters.

Inputs (see ``data/gii/2025/README.md``):

* ``data/gii/benchmark.yaml`` — the parameters: the compared pairs, the combination rule, the
  disagreement rule and its thresholds, the source of each GII edition;
* ``data/gii/<edition>/clusters.csv`` — the clusters as printed by the source article (rank,
  names, economy, publication / PCT / VC scores; empty = not stated);
* per GIHI edition, ``data/<year>/meta/edition.yaml`` (``gii_edition``: which GII edition is
  compared) and ``data/<year>/meta/gii_mapping.csv`` — which GIHI city corresponds to which GII
  cluster (``relation`` and a note in both languages for every pairing).

**Units.** The mapping is a bipartite graph GIHI city ↔ GII cluster; each connected component is
one *unit*. Only GIHI cities of the compared list (``group: main``; the mini hubs are ranked in a
separate list) take part. A unit with several GIHI cities (Shanghai + Suzhou ↔ Shanghai–Suzhou)
gets one GIHI rank per level by the ``combine`` rule: ``best`` — the members' best rank; ``mean``
— the mean of the members' scores, re-ranked among the other cities of the list. A unit with
several clusters (the Greater Bay Area holds Shenzhen–Hong Kong–Guangzhou and Macao–Zhuhai) is
paired with its *principal* cluster: the best-ranked one (then the first in ``clusters.csv``).

**GII pillar ranks.** The article prints publication (SP), PCT and VC scores only for the leading
clusters of each; a score is ranked high to low among the clusters with a printed score (1 =
highest). The pillar comparisons are therefore over the leaders of each measure, not all 100.

**Correlations.** Spearman's ρ and Kendall's τ-b (:mod:`scipy.stats`) between the unit's GIHI rank
and the GII rank, over the units that have both.

**Disagreements.** Among the units with a GII cluster rank, both ranks are re-ranked within the
matched set (1…n, ties share the smallest rank) so that the two lists are on one scale; the
difference is GIHI position − GII position (positive: GII places the unit higher). The ``top``
largest absolute differences are listed, each with a reason chosen by :func:`reason`.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from gihi.model import configs, store
from gihi.model.edition import SETTINGS

GII_DIR = "gii"
CONFIG_FILE = "benchmark.yaml"
MAPPING_FILE = "meta/gii_mapping.csv"     # logical name: per edition
CLUSTERS_FILE = "clusters.csv"
CLUSTER_COLUMNS = configs.CLUSTER_COLUMNS
MAPPING_COLUMNS = configs.MAPPING_COLUMNS
SCORE_FIELDS = configs.SCORE_FIELDS
PILLARS = ("A", "B", "C")
BENCHMARK_COLUMNS = ["id", "name_zh", "gii_cluster", "gihi_rank", "gii_rank"]


class GIIDataError(ValueError):
    """The GII inputs are malformed or inconsistent; the message lists every problem."""


# --------------------------------------------------------------------------- inputs

def _raise(problems) -> None:
    if problems:
        raise GIIDataError("\n".join(str(p) for p in problems))


def check_config(cfg: Mapping, where: str = f"{GII_DIR}/{CONFIG_FILE}", levels: Iterable[str] = ()) -> dict:
    """``benchmark.yaml`` as read, checked (:func:`gihi.model.configs.gii_benchmark`)."""
    value, problems = configs.gii_benchmark(cfg, levels or _all_levels(cfg), where)
    _raise(problems)
    return value


def _all_levels(cfg: Mapping) -> list[str]:
    return [p.get("gihi") for p in cfg.get("pairs", []) if isinstance(p, Mapping)] if isinstance(cfg, Mapping) else []


def available_editions(ed) -> list[int]:
    """The GII editions whose cluster tables are in the data directory (``gii/<edition>/clusters.csv``)."""
    out = []
    for name in ed.tables.frames:
        parts = name.split("/")
        if len(parts) == 3 and parts[0] == GII_DIR and parts[1].isdigit() and parts[2] == CLUSTERS_FILE:
            out.append(int(parts[1]))
    return sorted(out)


def gii_edition(ed) -> tuple[int, bool]:
    """The GII edition compared with the GIHI edition ``ed`` and whether the edition set it:
    ``gii_edition`` of its edition.yaml, else the latest GII edition available (said so in the
    chapter)."""
    settings = ed.settings
    if "gii_edition" in settings:
        return int(settings["gii_edition"]), True
    eds = available_editions(ed)
    if not eds:
        raise GIIDataError(f"{GII_DIR}/: no GII edition's clusters.csv to compare with")
    return eds[-1], False


def clusters_file(edition: int) -> str:
    """The logical name of a GII edition's cluster table: ``gii/<edition>/clusters.csv``."""
    return f"{GII_DIR}/{edition}/{CLUSTERS_FILE}"


def typed_clusters(c: pd.DataFrame, where: str) -> pd.DataFrame:
    """A cluster table (text) with ``rank`` as nullable Int64 and the scores as floats (NaN = not
    stated); checked for unique names and ranks (:func:`gihi.model.configs.gii_clusters`)."""
    c = c.reset_index(drop=True)
    c.index = c.index + 1
    value, problems = configs.gii_clusters(c, where)
    _raise(problems)
    return value


def checked_mapping(m: pd.DataFrame, where: str) -> pd.DataFrame:
    """``gii_mapping.csv`` (text columns), checked for its columns."""
    missing = [k for k in MAPPING_COLUMNS if k not in m.columns]
    if missing:
        raise GIIDataError(f"{where}: missing column(s) {', '.join(missing)}")
    return m


def mapping_problems(mapping: pd.DataFrame, clusters: pd.DataFrame, city_ids: Iterable[str],
                     relations: Sequence[str]) -> list[str]:
    """Everything wrong with ``mapping``: unknown city or cluster, unknown relation, empty note,
    duplicated pair (1-based data rows)."""
    ids, names = set(city_ids), set(clusters["name_en"])
    out = []
    for i, r in enumerate(mapping.itertuples(index=False), start=1):
        if r.gihi_id not in ids:
            out.append(f"row {i}: gihi_id {r.gihi_id!r} is not in meta/cities.csv")
        if r.gii_cluster not in names:
            out.append(f"row {i}: gii_cluster {r.gii_cluster!r} is not in clusters.csv")
        if r.relation not in relations:
            out.append(f"row {i}: relation {r.relation!r} is not one of {', '.join(relations)}")
        for k in ("note_zh", "note_en"):
            if not str(getattr(r, k)).strip():
                out.append(f"row {i}: empty {k}")
    dup = mapping.duplicated(["gihi_id", "gii_cluster"])
    out += [f"row {i + 1}: pair {mapping.loc[i, 'gihi_id']} ↔ {mapping.loc[i, 'gii_cluster']} again"
            for i in np.flatnonzero(dup.to_numpy())]
    return out


# --------------------------------------------------------------------------- ranks

def score_ranks(clusters: pd.DataFrame) -> pd.DataFrame:
    """``<field>_rank`` for each printed score: 1 = highest among the clusters with that score
    printed (ties share the smallest rank), missing where not printed. Indexed by ``name_en``."""
    out = pd.DataFrame(index=clusters["name_en"])
    for f in SCORE_FIELDS:
        v = pd.Series(clusters[f].to_numpy(), index=clusters["name_en"])
        out[f.replace("_score", "_rank")] = v.rank(ascending=False, method="min").astype("Int64")
    return out


def gii_rank_column(field: str) -> str:
    """The rank column of a GII field of ``benchmark.yaml`` pairs (``rank``, ``sp_score`` …)."""
    return "gii_rank" if field == "rank" else "gii_" + field.replace("_score", "_rank")


def combined_rank(scores: pd.DataFrame, members: Sequence[str], level: str, rule: str) -> float:
    """The GIHI rank at ``level`` of a unit made of ``members`` (ids of ``scores``, one list).

    ``best``: the smallest member rank. ``mean``: 1 + the number of non-members whose score is
    higher than the members' mean score. NaN when no member has a score.
    """
    members = [m for m in members if m in scores.index]
    if not members:
        return float("nan")
    if rule == "best":
        r = pd.to_numeric(scores.loc[members, f"{level}_rank"], errors="coerce").dropna()
        return float(r.min()) if len(r) else float("nan")
    if rule == "mean":
        s = scores.loc[members, level].astype(float).dropna()
        if s.empty:
            return float("nan")
        others = scores.loc[~scores.index.isin(members), level].astype(float).dropna()
        return float(1 + int((others > s.mean()).sum()))
    raise ValueError(f"unknown combine rule {rule!r}; expected 'best' or 'mean'")


def components(mapping: pd.DataFrame) -> list[tuple[list[str], list[str]]]:
    """Connected components of the mapping graph as ``(gihi ids, cluster names)``, each list in
    first-appearance order; components in the order of their first mapping row."""
    parent: dict[tuple[str, str], tuple[str, str]] = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for r in mapping.itertuples(index=False):
        a, b = find(("g", r.gihi_id)), find(("c", r.gii_cluster))
        if a != b:
            parent[b] = a
    groups: dict[tuple[str, str], tuple[list[str], list[str]]] = {}
    for r in mapping.itertuples(index=False):
        g = groups.setdefault(find(("g", r.gihi_id)), ([], []))
        if r.gihi_id not in g[0]:
            g[0].append(r.gihi_id)
        if r.gii_cluster not in g[1]:
            g[1].append(r.gii_cluster)
    return list(groups.values())


def principal_cluster(names: Sequence[str], clusters: pd.DataFrame) -> str:
    """The best-ranked of ``names`` (unranked last, then clusters.csv order)."""
    c = clusters.reset_index(drop=True)
    pos = {n: i for i, n in enumerate(c["name_en"])}
    rank = c.set_index("name_en")["rank"]

    def key(n):
        r = rank[n]
        return (pd.isna(r), 0 if pd.isna(r) else int(r), pos[n])

    return sorted(names, key=key)[0]


def matched_units(scores: pd.DataFrame, clusters: pd.DataFrame, mapping: pd.DataFrame, levels: Sequence[str],
                  rule: str, group: str = "main") -> pd.DataFrame:
    """One row per unit with at least one GIHI city of ``group``.

    ``scores``: GIHI scores indexed by city id with ``name_zh, name_en, group``, ``<level>`` and
    ``<level>_rank``. Columns: ``unit`` (member ids joined by ``+``), ``members`` (tuple, list
    order), ``lead`` (the member with the best composite rank), ``name_zh``, ``name_en``,
    ``cluster`` (principal cluster, ``name_en``), ``cluster_zh``, ``clusters`` (all of the unit),
    ``gii_rank``, ``gii_sp_rank``, ``gii_pct_rank``, ``gii_vc_rank``, the three scores, and
    ``gihi_<level>_rank`` for every level.
    """
    g = scores[scores["group"] == group] if group else scores
    cl = clusters.set_index("name_en")
    sr = score_ranks(clusters)
    rows = []
    for ids, names in components(mapping):
        members = [i for i in ids if i in g.index]
        if not members:
            continue
        p = principal_cluster(names, clusters)
        lead = min(members, key=lambda i: (float(g.loc[i, "composite_rank"]), list(g.index).index(i)))
        rec = {"unit": "+".join(members), "members": tuple(members), "lead": lead,
               "name_zh": "+".join(g.loc[members, "name_zh"]), "name_en": " + ".join(g.loc[members, "name_en"]),
               "cluster": p, "cluster_zh": cl.loc[p, "name_zh"], "clusters": tuple(names),
               "gii_rank": cl.loc[p, "rank"]}
        for f in SCORE_FIELDS:
            rec[f] = float(cl.loc[p, f])
            rec[gii_rank_column(f)] = sr.loc[p, f.replace("_score", "_rank")]
        for lv in levels:
            rec[f"gihi_{lv}_rank"] = combined_rank(g, members, lv, rule)
        rows.append(rec)
    out = pd.DataFrame(rows)
    for c in ["gii_rank", *[gii_rank_column(f) for f in SCORE_FIELDS]]:
        out[c] = pd.array(out[c], dtype="Int64")
    for lv in levels:
        out[f"gihi_{lv}_rank"] = pd.array(out[f"gihi_{lv}_rank"].round(), dtype="Int64")
    return out


# --------------------------------------------------------------------------- correlations

def rank_correlation(x: Sequence[float], y: Sequence[float]) -> dict:
    """Spearman's ρ and Kendall's τ-b of two paired rank vectors (pairs with a missing value are
    dropped): ``{n, spearman, spearman_p, kendall, kendall_p}``."""
    d = pd.DataFrame({"x": pd.to_numeric(pd.Series(list(x)), errors="coerce"),
                      "y": pd.to_numeric(pd.Series(list(y)), errors="coerce")}).dropna()
    n = len(d)
    if n < 3:
        return {"n": n, "spearman": float("nan"), "spearman_p": float("nan"), "kendall": float("nan"),
                "kendall_p": float("nan")}
    rho, rp = stats.spearmanr(d["x"].to_numpy(float), d["y"].to_numpy(float))
    tau, tp = stats.kendalltau(d["x"].to_numpy(float), d["y"].to_numpy(float))
    return {"n": n, "spearman": float(rho), "spearman_p": float(rp), "kendall": float(tau), "kendall_p": float(tp)}


def correlations(units: pd.DataFrame, pairs: Sequence[Mapping]) -> pd.DataFrame:
    """One row per pair of ``benchmark.yaml``: ``pair, gihi, gii, n, spearman, spearman_p, kendall,
    kendall_p`` (GIHI rank at the pair's level vs the GII rank of its field)."""
    rows = []
    for p in pairs:
        r = rank_correlation(units[f"gihi_{p['gihi']}_rank"], units[gii_rank_column(p["gii"])])
        rows.append({"pair": p["id"], "gihi": p["gihi"], "gii": p["gii"], **r})
    return pd.DataFrame(rows, columns=["pair", "gihi", "gii", "n", "spearman", "spearman_p", "kendall", "kendall_p"])


# --------------------------------------------------------------------------- disagreements

def indicator_mean_ranks(wide: pd.DataFrame, indicators: pd.DataFrame, kinds: Sequence[str]) -> pd.Series:
    """Per city of ``wide`` (one list): the mean of its ranks (1 = highest value, ties share the
    smallest rank, missing values skipped) over the indicators whose ``kind`` is in ``kinds``."""
    codes = [c for c in indicators.loc[indicators["kind"].isin(list(kinds)), "code"] if c in wide.columns]
    if not codes:
        return pd.Series(np.nan, index=wide.index)
    return wide[codes].astype(float).rank(ascending=False, method="min").mean(axis=1, skipna=True)


def reason(diff: int, gii_rank: int, pillar_ranks: Mapping[str, float], volume_rank: float, per_capita_rank: float,
           scale_gap: float) -> dict:
    """The likely reason of one disagreement (``diff`` = GIHI position − GII position in the
    matched set; positive: GII places the unit higher).

    1. ``scale``: GII higher and the mean per-capita rank is ≥ ``scale_gap`` places worse than
       the mean volume rank (GII counts absolute volumes; GIHI also weighs per-capita indicators).
    2. ``intensity``: GIHI higher and the mean per-capita rank is ≥ ``scale_gap`` places better.
    3. Otherwise ``below`` / ``above`` with the GIHI pillar furthest from the GII rank in the
       direction of the disagreement: GII higher → the pillar with the largest ``rank − gii_rank``;
       GIHI higher → the largest ``gii_rank − rank`` (ties: A, B, C order).

    Returns ``{code, pillar, pillar_rank, volume_rank, per_capita_rank}`` (ranks rounded to
    integers for display; ``pillar`` None for the scale reasons).
    """
    vol, pc = float(volume_rank), float(per_capita_rank)
    base = {"volume_rank": int(round(vol)), "per_capita_rank": int(round(pc)), "pillar": None, "pillar_rank": None}
    if diff > 0 and pc - vol >= scale_gap:
        return {**base, "code": "scale"}
    if diff < 0 and vol - pc >= scale_gap:
        return {**base, "code": "intensity"}
    sign = 1 if diff > 0 else -1
    dist = {p: sign * (float(r) - float(gii_rank)) for p, r in pillar_ranks.items()}
    best = max(dist, key=lambda p: (dist[p], -list(pillar_ranks).index(p)))
    return {**base, "code": "below" if diff > 0 else "above", "pillar": best, "pillar_rank": int(pillar_ranks[best])}


def disagreements(units: pd.DataFrame, wide: pd.DataFrame, indicators: pd.DataFrame, cfg: Mapping) -> pd.DataFrame:
    """The ``top`` units with the largest rank disagreement, with their reasons.

    ``wide``: raw indicator values of the compared list (city id × code). Columns: the unit's
    ``unit, lead, name_zh, name_en, cluster, cluster_zh, gihi_rank, gii_rank``, ``gihi_pos``,
    ``gii_pos`` (ranks within the matched set), ``diff`` and the :func:`reason` fields.
    """
    d = cfg["disagreements"]
    u = units[units["gii_rank"].notna() & units["gihi_composite_rank"].notna()].copy()
    u["gihi_pos"] = u["gihi_composite_rank"].astype(float).rank(method="min").astype(int)
    u["gii_pos"] = u["gii_rank"].astype(float).rank(method="min").astype(int)
    u["diff"] = u["gihi_pos"] - u["gii_pos"]
    u["absdiff"] = u["diff"].abs()
    top = u.sort_values(["absdiff", "gii_rank"], ascending=[False, True], kind="mergesort").head(int(d["top"]))
    vol = indicator_mean_ranks(wide, indicators, d["volume_kinds"])
    pc = indicator_mean_ranks(wide, indicators, d["per_capita_kinds"])
    rows = []
    for _, r in top.iterrows():
        why = reason(int(r["diff"]), int(r["gii_rank"]), {p: r[f"gihi_{p}_rank"] for p in PILLARS},
                     vol.get(r["lead"], np.nan), pc.get(r["lead"], np.nan), float(d["scale_gap"]))
        rows.append({"unit": r["unit"], "lead": r["lead"], "name_zh": r["name_zh"], "name_en": r["name_en"],
                     "cluster": r["cluster"], "cluster_zh": r["cluster_zh"],
                     "gihi_rank": int(r["gihi_composite_rank"]), "gii_rank": int(r["gii_rank"]),
                     "gihi_pos": int(r["gihi_pos"]), "gii_pos": int(r["gii_pos"]), "diff": int(r["diff"]), **why})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- everything at once

@dataclass(frozen=True)
class Benchmark:
    """The computed benchmark of one GIHI year (see the module docstring)."""

    year: int
    edition: int
    config: dict
    clusters: pd.DataFrame
    mapping: pd.DataFrame
    units: pd.DataFrame
    correlations: pd.DataFrame
    disagreements: pd.DataFrame
    configured: bool = True   # False: the edition set no GII edition; the latest available is used

    @property
    def matched(self) -> pd.DataFrame:
        """The units with a GII cluster rank (the composite comparison)."""
        return self.units[self.units["gii_rank"].notna()]


store.register(Benchmark)


def levels(cfg: Mapping) -> list[str]:
    """GIHI levels needed: composite, the pillars and every level named by a pair."""
    out = ["composite", *PILLARS]
    out += [p["gihi"] for p in cfg["pairs"] if p["gihi"] not in out]
    return out


def compute(ed) -> Benchmark:
    """The benchmark of an edition (see the module docstring)."""
    cfg = check_config(ed.config(f"{GII_DIR}/{CONFIG_FILE}"), ed.location(f"{GII_DIR}/{CONFIG_FILE}"), ed.levels)
    gii_ed, configured = gii_edition(ed)
    name = clusters_file(gii_ed)
    clusters = typed_clusters(ed.frame(name), ed.location(name))
    mapping = checked_mapping(ed.frame(MAPPING_FILE), ed.location(MAPPING_FILE))
    problems = mapping_problems(mapping, clusters, ed.cities["id"], cfg["relations"])
    if problems:
        raise GIIDataError(f"{ed.location(MAPPING_FILE)}: " + "; ".join(problems))
    units = matched_units(ed.scores, clusters, mapping, levels(cfg), cfg["combine"], cfg["group"])
    corr = correlations(units, cfg["pairs"])
    grp = ed.scores.index[ed.scores["group"] == cfg["group"]]
    dis = disagreements(units, ed.wide.loc[grp], ed.indicators, cfg)
    return Benchmark(int(ed.year), gii_ed, cfg, clusters, mapping, units, corr, dis, configured)


def benchmark(ed) -> Benchmark:
    """The edition's benchmark, computed once (the result ``gii/benchmark``)."""
    return ed.result("gii/benchmark", lambda: compute(ed))


def benchmark_frame(ed) -> pd.DataFrame:
    """One row per GIHI city of the compared list whose cluster has a GII rank: ``id, name_zh,
    gii_cluster, gihi_rank, gii_rank``. ``gihi_rank`` is the city's own composite rank (the
    correlations combine cities sharing a cluster into one unit; see the module docstring);
    ``gii_cluster`` is the principal cluster of its unit. Sorted by GII rank, then GIHI rank."""
    b = benchmark(ed)
    rows = []
    for _, u in b.matched.iterrows():
        for cid in u["members"]:
            rows.append({"id": cid, "name_zh": ed.scores.loc[cid, "name_zh"], "gii_cluster": u["cluster"],
                         "gihi_rank": int(ed.scores.loc[cid, "composite_rank"]), "gii_rank": int(u["gii_rank"])})
    out = pd.DataFrame(rows, columns=BENCHMARK_COLUMNS)
    out = out.sort_values(["gii_rank", "gihi_rank", "id"], kind="mergesort").reset_index(drop=True)
    out["gihi_rank"] = out["gihi_rank"].astype(int)
    out["gii_rank"] = out["gii_rank"].astype(int)
    return out


__all__ = ["GIIDataError", "Benchmark", "check_config", "gii_edition", "typed_clusters", "checked_mapping",
           "mapping_problems", "score_ranks", "combined_rank", "components", "principal_cluster", "matched_units",
           "rank_correlation", "correlations", "indicator_mean_ranks", "reason", "disagreements", "compute", "benchmark",
           "benchmark_frame", "clusters_file"]
