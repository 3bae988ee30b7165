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


def reason_text(row: Mapping, lang: str) -> str:
    """The reason of one disagreement in ``lang`` (wording: UI strings ``gii.reason.*``)."""
    pillar = row.get("pillar")
    has_pillar = isinstance(pillar, str) and pillar != ""
    key = f"gii.reason.{row['code']}" + (f".{pillar}" if has_pillar else "")
    fields = {k: fmt_rank(row[k], lang) for k in ("volume_rank", "per_capita_rank", "gii_rank")}
    if has_pillar:
        fields["pillar_rank"] = fmt_rank(row["pillar_rank"], lang)
    return i18n.t(key, lang, **fields)


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


def contexts(ed: Edition, b: gii.Benchmark) -> dict[str, dict]:
    cfg, gii_ed = b.config, b.edition
    src = cfg["sources"][gii_ed]
    date = src["date"]
    kinds = ed.indicators["kind"]
    d = cfg["disagreements"]
    editions = {
        "year": ed.year, "edition": gii_ed, "gap": gii_ed - ed.year, "gii_top": int(src["n_top"]),
        "configured": bool(b.configured),
        "n_main": int((ed.cities["group"] == "main").sum()), "n_mini": int((ed.cities["group"] == "mini").sum()),
        "n_pillars": int(len(ed.tree.pillars)), "n_subpillars": int(len(ed.tree.subpillars)),
        "n_indicators": int(len(ed.tree.codes)),
        "n_volume": int(kinds.isin(d["volume_kinds"]).sum()), "n_per_capita": int(kinds.isin(d["per_capita_kinds"]).sum()),
        "publisher": {"zh": src["publisher_zh"], "en": src["publisher_en"]},
        "date": {"year": date.year, "month": date.month, "day": date.day, "month_name": i18n.both(f"gii.month.{date.month}")},
        "n_clusters": int(len(b.clusters)), "n_ranked": int(b.clusters["rank"].notna().sum()),
        "n_sp": int(b.clusters["sp_score"].notna().sum()), "n_pct": int(b.clusters["pct_score"].notna().sum()),
        "n_vc": int(b.clusters["vc_score"].notna().sum()),
        "n_translated": int((b.clusters["name_en_source"] == "translation").sum()),
    }

    m = b.mapping
    zh_name = cluster_names_zh(ed, b)   # the report's Chinese forms, by English name
    groups = ed.cities.set_index("id")["group"]
    unmatched = b.clusters[~b.clusters["name_en"].isin(m["gii_cluster"])]
    units = b.units
    several = units[units["members"].map(len) > 1]
    multi = units[units["clusters"].map(len) > 1]
    minis = sorted(set(m["gihi_id"][m["gihi_id"].map(groups) != cfg["group"]]), key=list(ed.cities["id"]).index)
    c = ed.cities.set_index("id")
    mapping = {
        "edition": gii_ed, "n_rows": int(len(m)), "n_cities": int(m["gihi_id"].nunique()),
        "n_clusters_mapped": int(m["gii_cluster"].nunique()), "n_clusters": int(len(b.clusters)),
        "relations": {k: int((m["relation"] == k).sum()) for k in cfg["relations"]},
        "unmatched": [{"zh": zh_name[n], "en": n} for n in unmatched["name_en"]], "n_unmatched": int(len(unmatched)),
        "several": [{"members": [{"zh": c.loc[i, "name_zh"], "en": c.loc[i, "name_en"]} for i in u["members"]],
                     "cluster": {"zh": zh_name[u["cluster"]], "en": u["cluster"]}} for _, u in several.iterrows()],
        "multi": [{"name": {"zh": u["name_zh"], "en": u["name_en"]},
                   "clusters": [{"zh": zh_name[k], "en": k} for k in u["clusters"]],
                   "principal": {"zh": zh_name[u["cluster"]], "en": u["cluster"]}} for _, u in multi.iterrows()],
        "minis": [{"zh": c.loc[i, "name_zh"], "en": c.loc[i, "name_en"]} for i in minis], "n_minis": len(minis),
        "n_units": int(len(units)), "n_matched": int(len(b.matched)),
        "n_matched_cities": int(sum(len(x) for x in b.matched["members"])),
        "n_unranked": int(len(units) - len(b.matched)), "combine": cfg["combine"],
    }

    floor = float(cfg["p_floor"])
    pairs = {p["id"]: p for p in cfg["pairs"]}
    recs = []
    for _, r in b.correlations.iterrows():
        recs.append({"id": r["pair"], **pair_labels(ed, pairs[r["pair"]]), "n": int(r["n"]),
                     "rho": float(r["spearman"]), "tau": float(r["kendall"]),
                     "rho_p": float(r["spearman_p"]), "tau_p": float(r["kendall_p"]),
                     "rho_small": bool(r["spearman_p"] < floor), "tau_small": bool(r["kendall_p"] < floor),
                     "significant": bool(max(r["spearman_p"], r["kendall_p"]) < float(cfg["alpha"])),
                     "strength": i18n.both(f"gii.strength.{strength(r['spearman'], cfg)}"),
                     "indicators": _indicator_labels(ed, pairs[r["pair"]]["gihi"]),
                     "gii_counts": i18n.both(f"gii.counts.{pairs[r['pair']]['gii']}")})
    pillar = [r for r in recs if r["id"] != "composite"]
    by_rho = sorted(pillar, key=lambda r: r["rho"])
    correlations = {"year": ed.year, "edition": gii_ed, "composite": recs[0] if recs and recs[0]["id"] == "composite" else None,
                    "pillars": pillar, "weakest": by_rho[0] if by_rho else None, "strongest": by_rho[-1] if by_rho else None,
                    "alpha": float(cfg["alpha"]), "p_floor": floor, "n_matched": mapping["n_matched"]}

    dis = b.disagreements
    rows = []
    for r in dis.to_dict("records"):
        rows.append({"name": {"zh": r["name_zh"], "en": r["name_en"]}, "cluster": {"zh": zh_name[r["cluster"]], "en": r["cluster"]},
                     "gihi_rank": r["gihi_rank"], "gii_rank": r["gii_rank"], "gihi_pos": r["gihi_pos"], "gii_pos": r["gii_pos"],
                     "diff": r["diff"], "gii_higher": r["diff"] > 0, "code": r["code"],
                     "volume_rank": r["volume_rank"], "per_capita_rank": r["per_capita_rank"],
                     "pillar_rank": None if r["pillar_rank"] is None or not np.isfinite(float(r["pillar_rank"])) else int(r["pillar_rank"]),
                     "reason": {k: reason_text(r, k) for k in LANGS}})
    disagreements = {"n": len(rows), "n_matched": mapping["n_matched"], "rows": rows, "top_rank": 1,
                     "n_gii_higher": sum(r["gii_higher"] for r in rows), "n_gihi_higher": sum(not r["gii_higher"] for r in rows),
                     "scale_gap": int(d["scale_gap"]),
                     "reasons": [{"code": k, "label": i18n.both(f"gii.reason_short.{k}"), "n": sum(r["code"] == k for r in rows)}
                                 for k in ("scale", "intensity", "below", "above") if any(r["code"] == k for r in rows)]}
    return {"editions": editions, "mapping": mapping, "correlations": correlations, "disagreements": disagreements}


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
