"""GII benchmark chapter (appendix): GIHI set beside WIPO's Global Innovation Index top-100
science and technology clusters — the two editions and what each index measures, the
city ↔ cluster mapping, rank correlations (composite and three pillar pairs), scatter plots and
the cities on which the two indices disagree most, with a reason for each. The computation is in
:mod:`gihi.analysis.gii`; this module turns it into tables, figures and narrative contexts.

The scatter chart is :func:`gihi.report.charts.gii.gii_rank_scatter`; :func:`scatter_panels` makes its input.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Mapping

import numpy as np
import pandas as pd

from gihi.analysis import gii
from gihi.report import i18n
from gihi.report.facts import fact
from gihi.report.narrative import fmt_num, fmt_rank
from gihi.core.paths import OUTPUT_DIR, resolve
from gihi.model.edition import Edition
from gihi.report.chapters.common import SHARED, col, name_cols, provenance_context, provenance_summary

CHAPTER = "09_gii"
TABLES = ("gii_mapping", "gii_clusters", "gii_correlations", "gii_disagreements")
FIGURES = ("gii_fig_composite", "gii_fig_pillars")
SECTIONS = ("editions", "mapping", "correlations", "disagreements")
CHART = "gii_rank_scatter"
LANGS = i18n.LANGS


# --------------------------------------------------------------------------- labels

def level_label(ed: Edition, level: str) -> dict:
    """A GIHI level's name: ``composite`` from the UI strings, others from the tree."""
    return i18n.both("gii.axis.composite") if level == "composite" else ed.label(level)


def pair_labels(ed: Edition, pair: Mapping) -> dict:
    """``{"gihi": {zh, en}, "gii": {zh, en}}`` of one compared pair."""
    gihi = i18n.both("gii.level.composite") if pair["gihi"] == "composite" else ed.label(pair["gihi"])
    return {"gihi": gihi, "gii": i18n.both(f"gii.field.{pair['gii']}")}


def p_text(p: float, floor: float) -> str:
    """A p-value for a table cell: ``<0.001`` below ``floor``, else 3 decimals."""
    if not np.isfinite(p):
        return ""
    return f"<{floor:g}" if p < floor else f"{p:.3f}"


def strength(rho: float, cfg: Mapping) -> str:
    """``weak`` / ``moderate`` / ``strong`` by ``|rho|`` and the thresholds of benchmark.yaml."""
    a = abs(float(rho))
    return "weak" if a < cfg["strength"]["weak"] else ("moderate" if a < cfg["strength"]["strong"] else "strong")


def _reason_key(row: Mapping) -> str:
    """The UI string of one disagreement's reason: ``gii.reason.<code>[.<pillar>]``."""
    pillar = row.get("pillar")
    return f"gii.reason.{row['code']}" + (f".{pillar}" if isinstance(pillar, str) and pillar != "" else "")


def reason_text(row: Mapping, lang: str) -> str:
    """The reason of one disagreement in ``lang`` (wording: UI strings ``gii.reason.*``)."""
    fields = {k: fmt_rank(row[k], lang) for k in ("volume_rank", "per_capita_rank", "gii_rank")}
    if isinstance(row.get("pillar"), str) and row["pillar"] != "":
        fields["pillar_rank"] = fmt_rank(row["pillar_rank"], lang)
    return i18n.t(_reason_key(row), lang, **fields)


# --------------------------------------------------------------------------- tables

def report_zh_name(name_zh: str, name_en: str, city_zh: Mapping[str, str]) -> str:
    """A GII cluster's Chinese name in the report's forms (docs/terms.md): a part of the name that
    is a GIHI city takes the city's Chinese name (圣迭戈 → 圣地亚哥, 埃因霍芬 → 埃因霍温) and the
    parts are joined by the report's hyphen (深圳–香港–广州 → 深圳-香港-广州). The cluster file keeps
    the article's spelling; ``city_zh`` maps English city names to Chinese ones."""
    zh_parts, en_parts = re.split(r"\s*[–—]\s*", str(name_zh)), str(name_en).split("–")
    if len(zh_parts) == len(en_parts):
        zh_parts = [city_zh.get(e.strip(), z) for z, e in zip(zh_parts, en_parts)]
    return "-".join(zh_parts)


def cluster_names_zh(ed: Edition, b: gii.Benchmark) -> dict[str, str]:
    """Every cluster's Chinese name as the report prints it (:func:`report_zh_name`), by English name."""
    city_zh = dict(zip(ed.cities["name_en"], ed.cities["name_zh"]))
    return {en: report_zh_name(zh, en, city_zh) for zh, en in zip(b.clusters["name_zh"], b.clusters["name_en"])}


def _in_correlation(b: gii.Benchmark) -> set[tuple[str, str]]:
    """(city id, cluster) pairs that enter the composite correlation."""
    return {(cid, u["cluster"]) for _, u in b.matched.iterrows() for cid in u["members"]}


def mapping_frame(ed: Edition, b: gii.Benchmark) -> pd.DataFrame:
    """One row per mapping row, with names, the GII rank, the relation and the notes."""
    c = ed.cities.set_index("id")
    cl = b.clusters.set_index("name_en")
    used = _in_correlation(b)
    m = b.mapping
    rel = {k: i18n.both(f"gii.relation.{k}") for k in b.config["relations"]}
    return pd.DataFrame({
        "gihi_id": m["gihi_id"], "name_zh": m["gihi_id"].map(c["name_zh"]), "name_en": m["gihi_id"].map(c["name_en"]),
        "cluster_zh": m["gii_cluster"].map(cluster_names_zh(ed, b)), "cluster_en": m["gii_cluster"],
        "gii_rank": pd.array(m["gii_cluster"].map(cl["rank"]), dtype="Int64"),
        "relation_zh": [rel[r]["zh"] for r in m["relation"]], "relation_en": [rel[r]["en"] for r in m["relation"]],
        "in_correlation": [(g, k) in used for g, k in zip(m["gihi_id"], m["gii_cluster"])],
        "note_zh": m["note_zh"], "note_en": m["note_en"],
    }).reset_index(drop=True)


def clusters_frame(ed: Edition, b: gii.Benchmark) -> pd.DataFrame:
    """The clusters as printed, with their GIHI counterparts (names joined)."""
    c = ed.cities.set_index("id")
    cp = b.mapping.groupby("gii_cluster", sort=False)["gihi_id"].apply(list)
    cl = b.clusters
    src = {k: i18n.both(f"gii.source.{k}") for k in ("article", "translation")}

    def names(cluster, lang):
        ids = cp.get(cluster, [])
        return ("、" if lang == "zh" else "; ").join(c.loc[i, f"name_{lang}"] for i in ids) if ids else None

    return pd.DataFrame({
        "rank": pd.array(cl["rank"], dtype="Int64"), "name_zh": cl["name_en"].map(cluster_names_zh(ed, b)),
        "name_en": cl["name_en"],
        "name_en_source_zh": [src[s]["zh"] for s in cl["name_en_source"]],
        "name_en_source_en": [src[s]["en"] for s in cl["name_en_source"]],
        "economy_zh": cl["economy_zh"].replace("", None), "economy_en": cl["economy_en"].replace("", None),
        "sp_score": cl["sp_score"], "pct_score": cl["pct_score"], "vc_score": cl["vc_score"],
        "counterpart_zh": [names(n, "zh") for n in cl["name_en"]],
        "counterpart_en": [names(n, "en") for n in cl["name_en"]],
    }).reset_index(drop=True)


def correlations_frame(ed: Edition, b: gii.Benchmark) -> pd.DataFrame:
    floor = float(b.config["p_floor"])
    pairs = {p["id"]: p for p in b.config["pairs"]}
    rows = []
    for _, r in b.correlations.iterrows():
        lab = pair_labels(ed, pairs[r["pair"]])
        rows.append({"pair_zh": f"{lab['gihi']['zh']}—{lab['gii']['zh']}", "pair_en": f"{lab['gihi']['en']} vs {lab['gii']['en']}",
                     "n": int(r["n"]), "spearman": float(r["spearman"]), "spearman_p": p_text(r["spearman_p"], floor),
                     "kendall": float(r["kendall"]), "kendall_p": p_text(r["kendall_p"], floor)})
    return pd.DataFrame(rows)


def disagreements_frame(b: gii.Benchmark) -> pd.DataFrame:
    d = b.disagreements
    recs = d.to_dict("records")
    single = b.units[b.units["members"].map(len) == 1]
    city_zh = dict(zip(single["name_en"], single["name_zh"]))
    return pd.DataFrame({
        "name_zh": d["name_zh"], "name_en": d["name_en"],
        "cluster_zh": [report_zh_name(z, e, city_zh) for z, e in zip(d["cluster_zh"], d["cluster"])],
        "cluster_en": d["cluster"],
        "gihi_rank": d["gihi_rank"].astype(int), "gii_rank": d["gii_rank"].astype(int),
        "gihi_pos": d["gihi_pos"].astype(int), "gii_pos": d["gii_pos"].astype(int), "diff": d["diff"].astype(int),
        "reason_zh": [reason_text(r, "zh") for r in recs], "reason_en": [reason_text(r, "en") for r in recs],
    })


# --------------------------------------------------------------------------- narrative contexts

def _indicator_labels(ed: Edition, level: str) -> list[dict]:
    """Names of the indicators of a sub-pillar (empty for the composite and the pillars)."""
    ind = ed.tree.indicators
    return [ed.label(c) for c in ind.loc[ind["subpillar"] == level, "code"]]


def editions_context(ed: Edition, b: gii.Benchmark) -> dict:
    """The two editions, what GIHI measures and where the GII figures come from."""
    cfg, gii_ed, cl = b.config, b.edition, b.clusters
    src = cfg["sources"][gii_ed]
    date = src["date"]
    kinds, d, groups = ed.indicators["kind"], cfg["disagreements"], ed.cities["group"]
    return {
        "year": ed.year, "edition": gii_ed, "gap": gii_ed - ed.year,
        "years_apart": fact(abs(gii_ed - ed.year), None, "gii.editions.years_apart"),
        "gii_top": fact(int(src["n_top"]), None, "gii.source.n_top"), "configured": bool(b.configured),
        "n_main": fact(int((groups == "main").sum()), None, "meta.cities.main"),
        "n_mini": fact(int((groups == "mini").sum()), None, "meta.cities.mini"),
        "n_pillars": fact(len(ed.tree.pillars), None, "meta.pillars"),
        "n_subpillars": fact(len(ed.tree.subpillars), None, "meta.subpillars"),
        "n_indicators": fact(len(ed.tree.codes), None, "meta.indicators"),
        "n_volume": fact(int(kinds.isin(d["volume_kinds"]).sum()), None, "gii.indicators.volume"),
        "n_per_capita": fact(int(kinds.isin(d["per_capita_kinds"]).sum()), None, "gii.indicators.per_capita"),
        "publisher": {"zh": src["publisher_zh"], "en": src["publisher_en"]},
        "date": {"year": fact(date.year, None, "gii.source.date.year"), "month": fact(date.month, None, "gii.source.date.month"),
                 "day": fact(date.day, None, "gii.source.date.day"), "month_name": i18n.both(f"gii.month.{date.month}")},
        "n_clusters": fact(len(cl), None, "gii.clusters"), "n_ranked": fact(int(cl["rank"].notna().sum()), None, "gii.clusters.ranked"),
        **{f"n_{f}": fact(int(cl[f"{f}_score"].notna().sum()), None, f"gii.clusters.{f}") for f in ("sp", "pct", "vc")},
        "n_translated": int((cl["name_en_source"] == "translation").sum()),
    }


def mapping_context(ed: Edition, b: gii.Benchmark) -> dict:
    """The city ↔ cluster mapping: pairings by relation, the clusters left unmatched, the units."""
    cfg, m, units = b.config, b.mapping, b.units
    zh_name = cluster_names_zh(ed, b)   # the report's Chinese forms, by English name
    groups = ed.cities.set_index("id")["group"]
    unmatched = b.clusters[~b.clusters["name_en"].isin(m["gii_cluster"])]
    several = units[units["members"].map(len) > 1]
    multi = units[units["clusters"].map(len) > 1]
    minis = sorted(set(m["gihi_id"][m["gihi_id"].map(groups) != cfg["group"]]), key=list(ed.cities["id"]).index)
    c = ed.cities.set_index("id")
    n_matched = len(b.matched)
    return {
        "edition": b.edition, "n_rows": fact(len(m), None, "gii.mapping.pairings"),
        "n_cities": fact(m["gihi_id"].nunique(), None, "gii.mapping.cities"),
        "n_clusters_mapped": fact(m["gii_cluster"].nunique(), None, "gii.mapping.clusters"),
        "n_clusters": fact(len(b.clusters), None, "gii.clusters"),
        "relations": {k: fact(int((m["relation"] == k).sum()), None, f"gii.mapping.pairings.{k}") for k in cfg["relations"]},
        "unmatched": [{"zh": zh_name[n], "en": n} for n in unmatched["name_en"]],
        "n_unmatched": fact(len(unmatched), None, "gii.mapping.unmatched"),
        "several": [{"members": [{"zh": c.loc[i, "name_zh"], "en": c.loc[i, "name_en"]} for i in u["members"]],
                     "cluster": {"zh": zh_name[u["cluster"]], "en": u["cluster"]}} for _, u in several.iterrows()],
        "multi": [{"name": {"zh": u["name_zh"], "en": u["name_en"]},
                   "clusters": [{"zh": zh_name[k], "en": k} for k in u["clusters"]],
                   "principal": {"zh": zh_name[u["cluster"]], "en": u["cluster"]}} for _, u in multi.iterrows()],
        "minis": [{"zh": c.loc[i, "name_zh"], "en": c.loc[i, "name_en"]} for i in minis],
        "n_minis": fact(len(minis), None, "gii.mapping.minis"),
        "n_units": fact(len(units), None, "gii.units"), "n_matched": fact(n_matched, None, "gii.units.matched"),
        "n_matched_cities": fact(sum(len(x) for x in b.matched["members"]), None, "gii.units.matched.cities"),
        "n_unranked": fact(len(units) - n_matched, None, "gii.units.unranked"), "combine": cfg["combine"],
    }


def _correlation_record(ed: Edition, r: Mapping, pair: Mapping, cfg: Mapping) -> dict:
    """One compared pair's statistics as Facts (``gii.spearman.<pair>``, ``gii.kendall_p.<pair>``,
    ``gii.n.<pair>``...), with the words that go with them."""
    floor, pid = float(cfg["p_floor"]), r["pair"]
    stat = {k: fact(float(r[col]), None, f"gii.{col}.{pid}")
            for k, col in (("rho", "spearman"), ("tau", "kendall"), ("rho_p", "spearman_p"), ("tau_p", "kendall_p"))}
    return {"id": pid, **pair_labels(ed, pair), "n": fact(int(r["n"]), None, f"gii.n.{pid}"), **stat,
            "rho_small": bool(r["spearman_p"] < floor), "tau_small": bool(r["kendall_p"] < floor),
            "significant": bool(max(r["spearman_p"], r["kendall_p"]) < float(cfg["alpha"])),
            "strength": i18n.both(f"gii.strength.{strength(r['spearman'], cfg)}"),
            "indicators": _indicator_labels(ed, pair["gihi"]), "gii_counts": i18n.both(f"gii.counts.{pair['gii']}")}


def _pillar_end(rec: dict | None, which: str) -> dict | None:
    """The pillar pair of the largest or smallest ρ, its ρ a Fact about that end
    (``gii.spearman.max_pillar`` / ``min_pillar``)."""
    return None if rec is None else {**rec, "rho": fact(float(rec["rho"]), None, f"gii.spearman.{which}_pillar")}


def correlations_context(ed: Edition, b: gii.Benchmark) -> dict:
    """The composite and the pillar rank correlations, the strongest and the weakest pillar pair."""
    cfg = b.config
    pairs = {p["id"]: p for p in cfg["pairs"]}
    recs = [_correlation_record(ed, r, pairs[r["pair"]], cfg) for _, r in b.correlations.iterrows()]
    pillar = [r for r in recs if r["id"] != "composite"]
    by_rho = sorted(pillar, key=lambda r: r["rho"])
    return {"year": ed.year, "edition": b.edition, "composite": recs[0] if recs and recs[0]["id"] == "composite" else None,
            "pillars": pillar, "weakest": _pillar_end(by_rho[0] if by_rho else None, "min"),
            "strongest": _pillar_end(by_rho[-1] if by_rho else None, "max"),
            "alpha": fact(float(cfg["alpha"]), None, "param.gii.alpha"),
            "p_floor": fact(float(cfg["p_floor"]), None, "param.gii.p_floor"),
            "n_matched": fact(len(b.matched), None, "gii.units.matched")}


def _unit_ranks(r: Mapping, members: tuple) -> tuple[dict, dict]:
    """A listed disagreement's ranks as Facts, twice. ``placed``: about its city (``gii.gihi_rank``,
    ``gii.gii_rank``, ``gii.volume_rank``, ``gii.per_capita_rank``, ``gii.gihi_rank.<pillar>``),
    printed after the city's name in the same sentence. ``aside``: about no one city, the unit
    named in the measure (``gii.unit.<unit>.gihi_rank``...), for where the sentence names no city
    (in a series of average ranks, in the reason's own sentence). A unit
    of several cities is no one city: both are asides."""
    values = {k: (k, r[k]) for k in ("gihi_rank", "gii_rank", "volume_rank", "per_capita_rank")}
    if isinstance(r["pillar"], str) and r["pillar"]:
        values["pillar_rank"] = (f"gihi_rank.{r['pillar']}", r["pillar_rank"])
    aside = {k: fact(int(v), None, f"gii.unit.{r['unit']}.{m}") for k, (m, v) in values.items()}
    placed = {k: fact(int(v), members[0], f"gii.{m}") for k, (m, v) in values.items()} if len(members) == 1 else aside
    return placed, aside


def disagreements_context(ed: Edition, b: gii.Benchmark) -> dict:
    """The largest rank differences, grouped by reason, with the reason rule's threshold."""
    zh_name = cluster_names_zh(ed, b)
    members = b.units.set_index("unit")["members"]
    d = b.config["disagreements"]
    rows = []
    for r in b.disagreements.to_dict("records"):
        placed, aside = _unit_ranks(r, members[r["unit"]])
        rows.append({"name": {"zh": r["name_zh"], "en": r["name_en"]}, "cluster": {"zh": zh_name[r["cluster"]], "en": r["cluster"]},
                     **placed, "aside": aside, "gihi_pos": r["gihi_pos"], "gii_pos": r["gii_pos"],
                     "diff": r["diff"], "gii_higher": r["diff"] > 0, "code": r["code"],
                     "reason_text": i18n.both(_reason_key(r))})
    n_higher = sum(r["gii_higher"] for r in rows)
    return {"n": fact(len(rows), None, "gii.disagreements"), "n_matched": fact(len(b.matched), None, "gii.units.matched"),
            "rows": rows, "top_rank": 1,
            "n_gii_higher": fact(n_higher, None, "gii.disagreements.gii_higher"),
            "n_gihi_higher": fact(len(rows) - n_higher, None, "gii.disagreements.gihi_higher"),
            "scale_gap": fact(int(d["scale_gap"]), None, "param.gii.scale_gap"),
            "reasons": [{"code": k, "label": i18n.both(f"gii.reason_short.{k}"),
                         "n": fact(sum(r["code"] == k for r in rows), None, f"gii.disagreements.{k}")}
                        for k in ("scale", "intensity", "below", "above") if any(r["code"] == k for r in rows)]}


def contexts(ed: Edition, b: gii.Benchmark) -> dict[str, dict]:
    """Every section's narrative context but the data note's. Each number the narrative prints is a
    :mod:`~gihi.report.facts` Fact (measures ``gii.*``, ``meta.*`` and ``param.gii.*``); the
    years naming the editions are printed as Labels."""
    return {"editions": editions_context(ed, b), "mapping": mapping_context(ed, b),
            "correlations": correlations_context(ed, b), "disagreements": disagreements_context(ed, b)}


# --------------------------------------------------------------------------- provenance

def provenance(ed: Edition, b: gii.Benchmark) -> dict:
    """Indicator provenance plus one scope for the GII clusters (every row as printed)."""
    prov = provenance_summary(ed)
    n = int(len(b.clusters))
    prov["scopes"].append({"id": "gii", "label": i18n.both("prov.scope.gii", edition=b.edition),
                           "source": f"gii/{b.edition}/{gii.CLUSTERS_FILE}", "expected": n, "published": n,
                           "derived": 0, "imputed": 0, "missing": 0})
    return prov


def data_note_context(prov: dict, b: gii.Benchmark) -> dict:
    """The shared data note's context, plus the GII edition named in the GII scope's label."""
    return {**provenance_context(prov), "edition": b.edition}


# --------------------------------------------------------------------------- figures

def _points(ed: Edition, units: pd.DataFrame, x: str, y: str, label_ids: set[str]) -> pd.DataFrame:
    u = units[units[x].notna() & units[y].notna()]
    cont = ed.cities.set_index("id")["continent"]
    return pd.DataFrame({"x": u[x].astype(int).to_numpy(), "y": u[y].astype(int).to_numpy(),
                         "label_zh": u["name_zh"].to_numpy(), "label_en": u["name_en"].to_numpy(),
                         "continent": u["lead"].map(cont).to_numpy(), "show": u["unit"].isin(label_ids).to_numpy()})


def _largest_gaps(units: pd.DataFrame, x: str, y: str, k: int) -> set[str]:
    u = units[units[x].notna() & units[y].notna()]
    gap = (u[x].astype(float).rank(method="min") - u[y].astype(float).rank(method="min")).abs()
    order = pd.DataFrame({"unit": u["unit"], "gap": gap, "y": u[y].astype(float)}).sort_values(
        ["gap", "y"], ascending=[False, True], kind="mergesort")
    return set(order["unit"].head(k))


def scatter_panels(ed: Edition, b: gii.Benchmark, label_top: int = 2) -> tuple[list[dict], list[dict]]:
    """The composite panel and the pillar panels of the two figures (inputs of :func:`gihi.report.charts.gii.gii_rank_scatter`).
    The composite panel labels the disagreement units; each pillar panel its ``label_top``
    largest rank gaps."""
    corr = b.correlations.set_index("pair")
    panels = []
    for p in b.config["pairs"]:
        x, y = f"gihi_{p['gihi']}_rank", gii.gii_rank_column(p["gii"])
        r = corr.loc[p["id"]]
        stat = {k: i18n.t("gii.stat", k, rho=fmt_num(r["spearman"], 2, k), n=int(r["n"])) for k in LANGS}
        if p["id"] == "composite":
            lab = pair_labels(ed, p)
            panels.append({
                "id": p["id"], "points": _points(ed, b.units, x, y, set(b.disagreements["unit"])), "diagonal": True,
                "title": None, "stat": stat, "equal": i18n.both("gii.equal_rank"),
                "xlabel": {k: i18n.t("gii.axis.gihi", k, year=ed.year, level=level_label(ed, p["gihi"])[k]) for k in LANGS},
                "ylabel": {k: i18n.t("gii.axis.gii", k, field=lab["gii"][k], edition=b.edition) for k in LANGS}})
            continue
        lv = level_label(ed, p["gihi"])
        panels.append({
            "id": p["id"], "points": _points(ed, b.units, x, y, _largest_gaps(b.units, x, y, label_top)),
            "diagonal": False, "stat": stat, "equal": None,
            "title": {k: i18n.t("gii.panel_title", k, gihi=lv[k], gii=i18n.t(f"gii.short.{p['gii']}", k)) for k in LANGS},
            "xlabel": i18n.both("gii.axis.gihi_short", year=ed.year),
            "ylabel": i18n.both("gii.axis.gii_short", edition=b.edition)})
    return [q for q in panels if q["id"] == "composite"], [q for q in panels if q["id"] != "composite"]


# --------------------------------------------------------------------------- build

def mapping_columns() -> list:
    """The columns of the city ↔ cluster mapping table."""
    return [*name_cols(),
            col("cluster_zh", "text", lang="zh", label="gii_cluster"), col("cluster_en", "text", lang="en", label="gii_cluster"),
            col("gii_rank", "rank"), col("relation_zh", "text", lang="zh", label="gii_relation"),
            col("relation_en", "text", lang="en", label="gii_relation"), col("in_correlation", "bool", label="gii_in_correlation"),
            col("note_zh", "text", lang="zh", label="gii_note"), col("note_en", "text", lang="en", label="gii_note")]


def clusters_columns() -> list:
    """The columns of the GII cluster table."""
    return [col("rank", "rank", label="gii_rank"), col("name_zh", "text", lang="zh", label="gii_cluster"),
            col("name_en", "text", lang="en", label="gii_cluster"),
            col("name_en_source_zh", "text", lang="zh", label="gii_cluster_en_source"),
            col("name_en_source_en", "text", lang="en", label="gii_cluster_en_source"),
            col("economy_zh", "text", lang="zh", label="gii_economy"), col("economy_en", "text", lang="en", label="gii_economy"),
            col("sp_score", "num", label="gii_sp"), col("pct_score", "num", label="gii_pct"), col("vc_score", "num", label="gii_vc"),
            col("counterpart_zh", "text", lang="zh", label="gii_counterpart"),
            col("counterpart_en", "text", lang="en", label="gii_counterpart")]


def correlations_columns() -> list:
    """The columns of the rank-correlation table."""
    return [col("pair_zh", "text", lang="zh", label="gii_pair"), col("pair_en", "text", lang="en", label="gii_pair"),
            col("n", "int", label="gii_n"), col("spearman", "num", label="gii_spearman"),
            col("spearman_p", "text", label="gii_spearman_p"), col("kendall", "num", label="gii_kendall"),
            col("kendall_p", "text", label="gii_kendall_p")]


def disagreements_columns() -> list:
    """The columns of the disagreements table."""
    return [*name_cols(), col("cluster_zh", "text", lang="zh", label="gii_cluster"),
            col("cluster_en", "text", lang="en", label="gii_cluster"), col("gihi_rank", "rank"), col("gii_rank", "rank"),
            col("gihi_pos", "int", label="gii_gihi_pos"), col("gii_pos", "int", label="gii_gii_pos"),
            col("diff", "int", label="gii_diff"), col("reason_zh", "text", lang="zh", label="reason"),
            col("reason_en", "text", lang="en", label="reason")]


def caption_fields(ed: Edition, b: gii.Benchmark) -> dict:
    """The year and the GII edition, for the captions."""
    return {"year": ed.year, "edition": b.edition}


def section_contexts(ed: Edition) -> dict[str, dict]:
    """Every section's narrative context, the data note included (in bundle order)."""
    b = gii.benchmark(ed)
    return {**contexts(ed, b), "data_note": data_note_context(provenance(ed, b), b)}
