"""Independent values of the GII appendix's numbers (chapter 09_gii; see tests/claimcheck.py).

Nothing here calls ``gihi``'s benchmark or report code; everything is recomputed from the files:

* ``data/gii/benchmark.yaml`` (yaml): the source's date and top-N, the compared pairs, the
  combination rule, the disagreement rule's size, kinds and threshold, alpha and the p-value floor
  (``param.gii.*``);
* ``data/gii/<edition>/clusters.csv``, and per the per-edition rule (``data/<year>/meta/<name>``
  replaces ``data/meta/<name>``) ``edition.yaml``, ``gii_mapping.csv``, ``cities.csv`` and
  ``indicators.csv`` (csv module): the counts of clusters, pairings, kinds and units;
* ``tests/oracle.py``: every GIHI rank (composite, pillars, sub-pillars);
* ``data/<year>/indicators.csv``: the raw values behind the average ranks on volume and per-capita
  indicators.

Units are built here from the mapping: the connected components of the city ↔ cluster graph with
at least one city of the compared list; a unit's GIHI rank is its members' best (``combine:
best``), its GII cluster the best-ranked of its clusters, a GII score rank its cluster's place
among the printed scores. The correlations are scipy.stats' ``spearmanr`` / ``kendalltau`` on
these units; the disagreements re-rank them within the matched set.

Keys: ``gii.*`` about no one city; per unit ``(gii.gihi_rank, city)`` (and ``gii.gii_rank``,
``gii.volume_rank``, ``gii.per_capita_rank``, ``gii.gihi_rank.<pillar>``) for a unit of one city,
and ``(gii.unit.<unit>.<same>, None)`` for every unit.
"""
from __future__ import annotations


from scipy import stats

import oracle
from _datafiles import load_yaml, meta_file, meta_rows, rows
from gihi.core.paths import DATA_DIR

PILLARS = ("A", "B", "C")
SCORES = ("sp", "pct", "vc")


# --------------------------------------------------------------------------- the files' own counts

def source_truth(year: int, cfg: dict, edition: int, indicators: list[dict]) -> dict:
    """The editions' gap, the source's date and top-N, the parameters, the kinds of indicators."""
    src, d = cfg["sources"][edition], cfg["disagreements"]
    kinds = [r["kind"] for r in indicators]
    return {"gii.editions.years_apart": abs(edition - year), "gii.source.n_top": src["n_top"],
            "gii.source.date.year": src["date"].year, "gii.source.date.month": src["date"].month,
            "gii.source.date.day": src["date"].day,
            "gii.indicators.volume": sum(k in d["volume_kinds"] for k in kinds),
            "gii.indicators.per_capita": sum(k in d["per_capita_kinds"] for k in kinds),
            "param.gii.alpha": cfg["alpha"], "param.gii.p_floor": cfg["p_floor"], "param.gii.scale_gap": d["scale_gap"]}


def cluster_truth(clusters: list[dict]) -> dict:
    """Clusters named, ranked and with each score printed."""
    out = {"gii.clusters": len(clusters), "gii.clusters.ranked": sum(r["rank"] != "" for r in clusters)}
    out.update({f"gii.clusters.{f}": sum(r[f"{f}_score"] != "" for r in clusters) for f in SCORES})
    return out


def mapping_truth(mapping: list[dict], clusters: list[dict], group: dict, relations: list[str], compared: str) -> dict:
    """Pairings (all and by relation), cities and clusters paired, clusters left, mini-hubs paired."""
    cities, named = {r["gihi_id"] for r in mapping}, {r["gii_cluster"] for r in mapping}
    out = {"gii.mapping.pairings": len(mapping), "gii.mapping.cities": len(cities), "gii.mapping.clusters": len(named),
           "gii.mapping.unmatched": sum(r["name_en"] not in named for r in clusters),
           "gii.mapping.minis": sum(group[c] != compared for c in cities)}
    out.update({f"gii.mapping.pairings.{k}": sum(r["relation"] == k for r in mapping) for k in relations})
    return out


# --------------------------------------------------------------------------- units

def components(mapping: list[dict]) -> list[tuple[set, set]]:
    """The connected components of the city ↔ cluster graph: ``(cities, clusters)``."""
    comps: list[tuple[set, set]] = []
    for r in mapping:
        touching = [c for c in comps if r["gihi_id"] in c[0] or r["gii_cluster"] in c[1]]
        merged = ({r["gihi_id"]}, {r["gii_cluster"]})
        for c in touching:
            comps.remove(c)
            merged[0].update(c[0])
            merged[1].update(c[1])
        comps.append(merged)
    return comps


def _score_rank(clusters: list[dict], field: str) -> dict:
    """A cluster's place among the clusters whose ``field`` score is printed (1 = highest)."""
    v = {r["name_en"]: float(r[f"{field}_score"]) for r in clusters if r[f"{field}_score"] != ""}
    return {n: 1 + sum(x > s for x in v.values()) for n, s in v.items()}


def units(mapping: list[dict], clusters: list[dict], ids: list[str], ranks: dict) -> list[dict]:
    """One dict per unit with a city of ``ids`` (the compared list's scored cities): ``members``
    (in the order of their first pairing), ``lead`` (best composite rank), the GIHI rank at every level
    (members' best) and the GII ranks of its principal cluster (best-ranked, then clusters.csv
    order)."""
    pos = {r["name_en"]: i for i, r in enumerate(clusters)}
    rank = {r["name_en"]: int(r["rank"]) for r in clusters if r["rank"] != ""}
    by_score = {f: _score_rank(clusters, f) for f in SCORES}
    paired = [c for c in dict.fromkeys(r["gihi_id"] for r in mapping) if c in ids]
    out = []
    for cities, names in components(mapping):
        members = [c for c in paired if c in cities]
        if not members:
            continue
        principal = min(names, key=lambda n: (n not in rank, rank.get(n, 0), pos[n]))
        u = {"members": members, "lead": min(members, key=lambda c: ranks["composite"][c]),
             "gihi": {lv: min(r[c] for c in members) for lv, r in ranks.items()}, "gii": rank.get(principal)}
        u.update({f: by_score[f].get(principal) for f in SCORES})
        out.append(u)
    return out


def unit_truth(us: list[dict]) -> dict:
    """The unit counts of the mapping section."""
    matched = [u for u in us if u["gii"] is not None]
    return {"gii.units": len(us), "gii.units.matched": len(matched), "gii.units.unranked": len(us) - len(matched),
            "gii.units.matched.cities": sum(len(u["members"]) for u in matched)}


def correlation_truth(us: list[dict], pairs: list[dict]) -> dict:
    """Per pair of benchmark.yaml: n, Spearman's ρ and Kendall's τ-b with their p-values (scipy),
    and the largest and smallest ρ of the pillar pairs."""
    out, pillar_rho = {}, []
    for p in pairs:
        field = "gii" if p["gii"] == "rank" else p["gii"].replace("_score", "")
        xy = [(u["gihi"][p["gihi"]], u[field]) for u in us if u[field] is not None]
        x, y = [a for a, _ in xy], [b for _, b in xy]
        rho, rho_p = stats.spearmanr(x, y)
        tau, tau_p = stats.kendalltau(x, y)
        out.update({f"gii.n.{p['id']}": len(xy), f"gii.spearman.{p['id']}": rho, f"gii.spearman_p.{p['id']}": rho_p,
                    f"gii.kendall.{p['id']}": tau, f"gii.kendall_p.{p['id']}": tau_p})
        if p["gihi"] != "composite":
            pillar_rho.append(rho)
    out.update({"gii.spearman.max_pillar": max(pillar_rho), "gii.spearman.min_pillar": min(pillar_rho)})
    return out


# --------------------------------------------------------------------------- disagreements

def mean_ranks(values: dict, ids: list[str], codes: list[str]) -> dict:
    """Per city of ``ids``: its mean rank (1 = highest value among ``ids``, ties share the best)
    over the indicators of ``codes`` it has a value for."""
    out = {}
    for c in ids:
        rs = [1 + sum(values[(o, k)] > values[(c, k)] for o in ids if (o, k) in values) for k in codes if (c, k) in values]
        out[c] = sum(rs) / len(rs)
    return out


def _positions(ranks: list[int]) -> list[int]:
    """Ranks re-ranked among themselves (1…n, ties share the best)."""
    return [1 + sum(o < r for o in ranks) for r in ranks]


def listed(us: list[dict], top: int) -> list[dict]:
    """The ``top`` matched units with the largest difference of their positions among the matched
    units (GIHI − GII, kept as each matched unit's ``diff``; positive: GII places it higher), better
    GII rank first on ties."""
    matched = [u for u in us if u["gii"] is not None]
    gihi, gii = _positions([u["gihi"]["composite"] for u in matched]), _positions([u["gii"] for u in matched])
    for u, a, b in zip(matched, gihi, gii):
        u["diff"] = a - b
    return sorted(matched, key=lambda u: (-abs(u["diff"]), u["gii"]))[:top]


def reason(u: dict, volume: float, per_capita: float, gap: float) -> str:
    """``scale``, ``intensity`` or the pillar furthest from the GII rank in the direction of the
    difference (``above.C``...)."""
    if u["diff"] > 0 and per_capita - volume >= gap:
        return "scale"
    if u["diff"] < 0 and volume - per_capita >= gap:
        return "intensity"
    sign = 1 if u["diff"] > 0 else -1
    pillar = max(PILLARS, key=lambda p: (sign * (u["gihi"][p] - u["gii"]), -PILLARS.index(p)))
    return ("below." if u["diff"] > 0 else "above.") + pillar


def disagreement_truth(us: list[dict], cfg: dict, indicators: list[dict], values: dict, ids: list[str]) -> dict:
    """The listed units' counts (all, each way, by reason) and every matched unit's ranks."""
    d = cfg["disagreements"]
    codes = {k: [r["code"] for r in indicators if r["kind"] in d[k]] for k in ("volume_kinds", "per_capita_kinds")}
    vol, pc = mean_ranks(values, ids, codes["volume_kinds"]), mean_ranks(values, ids, codes["per_capita_kinds"])
    top = listed(us, int(d["top"]))
    why = [reason(u, vol[u["lead"]], pc[u["lead"]], d["scale_gap"]).split(".")[0] for u in top]
    out = {("gii.disagreements", None): len(top), ("gii.disagreements.gii_higher", None): sum(u["diff"] > 0 for u in top),
           ("gii.disagreements.gihi_higher", None): sum(u["diff"] < 0 for u in top)}
    out.update({(f"gii.disagreements.{k}", None): why.count(k) for k in set(why)})
    for u in us:
        if u["gii"] is None:
            continue
        per_unit = {"gihi_rank": u["gihi"]["composite"], "gii_rank": u["gii"], "volume_rank": vol[u["lead"]],
                    "per_capita_rank": pc[u["lead"]], **{f"gihi_rank.{p}": u["gihi"][p] for p in PILLARS}}
        unit = "+".join(u["members"])
        out.update({(f"gii.unit.{unit}.{m}", None): v for m, v in per_unit.items()})
        if len(u["members"]) == 1:
            out.update({(f"gii.{m}", u["lead"]): v for m, v in per_unit.items()})
    return out


# --------------------------------------------------------------------------- all

def _inputs(edition) -> dict:
    """The files read once: the parameters, the clusters, the mapping, the metadata, the oracle's
    ranks, the raw values, the compared list's scored cities and the units."""
    year = int(edition.year)
    cfg = load_yaml(DATA_DIR / "gii" / "benchmark.yaml")
    assert cfg["combine"] == "best", "truth_gii reproduces the 'best' combination rule only"
    gii_ed = int(load_yaml(meta_file(year, "edition.yaml"))["gii_edition"])
    cities, ranks = meta_rows(year, "cities.csv"), oracle.ranks(DATA_DIR, year)
    ids = [r["id"] for r in cities if r["group"] == cfg["group"] and r["id"] in ranks["composite"]]
    clusters, mapping = rows(DATA_DIR / "gii" / str(gii_ed) / "clusters.csv"), meta_rows(year, "gii_mapping.csv")
    return {"year": year, "cfg": cfg, "edition": gii_ed, "clusters": clusters, "mapping": mapping, "cities": cities,
            "indicators": meta_rows(year, "indicators.csv"), "ids": ids, "units": units(mapping, clusters, ids, ranks),
            "values": {(r["id"], r["code"]): float(r["value"])
                       for r in rows(DATA_DIR / str(year) / "indicators.csv") if r["value"]}}


def listed_units(edition) -> list[str]:
    """The units the disagreements list, in order (members joined by ``+``)."""
    i = _inputs(edition)
    return ["+".join(u["members"]) for u in listed(i["units"], int(i["cfg"]["disagreements"]["top"]))]


def truth(edition) -> dict:
    """``{(measure, city or None): value}`` of chapter 09_gii."""
    i = _inputs(edition)
    cfg, us = i["cfg"], i["units"]
    group = {r["id"]: r["group"] for r in i["cities"]}
    counts = {**source_truth(i["year"], cfg, i["edition"], i["indicators"]), **cluster_truth(i["clusters"]),
              **mapping_truth(i["mapping"], i["clusters"], group, cfg["relations"], cfg["group"]),
              **unit_truth(us), **correlation_truth(us, cfg["pairs"])}
    return {**{(k, None): v for k, v in counts.items()},
            **disagreement_truth(us, cfg, i["indicators"], i["values"], i["ids"])}
