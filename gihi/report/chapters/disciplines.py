"""Focus chapter — discipline sources (学科策源地): Table 7 (the discipline-source list), the
discipline champions, Figures 11–14 (distribution, excellence, clustering dendrogram, profiles).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from gihi.analysis import disciplines as dm
from gihi.core.paths import OUTPUT_DIR, resolve
from gihi.model.edition import Edition
from gihi.report.facts import fact
from gihi.report import i18n
from gihi.report.chapters.common import (ChapterBuilder, col, data_note, name_cols, provenance_context,
                     provenance_summary, region_records)

CHAPTER = "05_disciplines"
SECTIONS = ("sources", "superstars", "champions", "excellence", "emerging", "profiles")   # in order; each chapter also has the shared data note
TABLES = ("table07", "champions")
FIGURES = ("fig11", "fig12", "fig13", "fig14")
N_CLUSTERS = 3
TOP_LIST = 10


@dataclass(frozen=True)
class DisciplineData:
    listing: pd.DataFrame      # discipline_cities table (percent columns) indexed by position
    scores: pd.DataFrame       # id, discipline, hcp, score, rank
    totals: pd.DataFrame       # id, discipline, papers, hcp
    meta: pd.DataFrame         # code, name_zh, name_en, domain
    raw_listing: pd.DataFrame  # gihi.analysis.disciplines.source_list (fractions)
    growth: pd.Series          # papers CAGR (fraction) by id
    shares: pd.DataFrame       # list cities × discipline shares
    clustering: dm.Clustering
    papers: pd.DataFrame


def load(ed: Edition) -> DisciplineData:
    """The chapter's data: the edition's discipline analyses (:func:`gihi.analysis.disciplines.results`)."""
    r = dm.results(ed)
    return DisciplineData(r["listing"], r["score_table"], r["totals"], ed.disciplines.meta, r["raw_listing"], r["growth"],
                          r["shares"], r["clustering"], ed.disciplines.papers)


def champions_frame(dd: DisciplineData, cities: pd.DataFrame) -> pd.DataFrame:
    """One row per discipline (meta order): its champion city (first by HCP; ties joined) and HCP."""
    names = cities.set_index("id")
    ch = dm.champions(dd.scores)
    hcp = dd.scores[dd.scores["rank"] == 1].set_index(["discipline", "id"])["hcp"]
    rows = []
    for _, m in dd.meta.iterrows():
        ids = list(ch.loc[ch["discipline"] == m["code"], "id"])
        dom = i18n.both(f"domain.{m['domain']}")   # STEM / HASS spelt out (docs/terms.md)
        rows.append({"code": m["code"], "discipline_zh": m["name_zh"], "discipline_en": m["name_en"], "domain": m["domain"],
                     "domain_zh": dom["zh"], "domain_en": dom["en"],
                     "name_zh": "、".join(names.loc[i, "name_zh"] for i in ids),
                     "name_en": ", ".join(names.loc[i, "name_en"] for i in ids),
                     "hcp": int(hcp[(m["code"], ids[0])]) if ids else None})
    return pd.DataFrame(rows)


def cluster_records(dd: DisciplineData, scores_meta: pd.DataFrame, k: int = N_CLUSTERS, n_top: int = 3) -> list[dict]:
    """The ``k`` clusters of discipline profiles, ordered as in the dendrogram: size and members,
    and the ``n_top`` disciplines with the largest mean share (in percent), as Facts of the
    cluster's position (``disc.cluster.<position>.n``, ``disc.cluster.<position>.share.<code>``)."""
    labels = dd.clustering.labels(k)
    order = []
    for cid in dd.clustering.leaf_order:
        if labels[cid] not in order:
            order.append(labels[cid])
    meta = dd.meta.set_index("code")
    out = []
    for pos, lab in enumerate(order, start=1):
        ids = [i for i in dd.clustering.leaf_order if labels[i] == lab]
        mean = dd.shares.loc[ids].mean().sort_index(kind="mergesort").sort_values(ascending=False, kind="mergesort")
        out.append({"n": fact(len(ids), None, f"disc.cluster.{pos}.n"),
                    "members": [city_record_plain(scores_meta, i) for i in ids],
                    "top": [{"label": {"zh": meta.loc[c, "name_zh"], "en": meta.loc[c, "name_en"]},
                             "share_pct": fact(100.0 * float(v), None, f"disc.cluster.{pos}.share.{c}")}
                            for c, v in mean.head(n_top).items()]})
    return out


def city_record_plain(cities: pd.DataFrame, cid: str) -> dict:
    r = cities.loc[cid]
    return {"id": cid, "name": {"zh": r["name_zh"], "en": r["name_en"]}}


def contexts(dd: DisciplineData, ed: Edition) -> dict[str, dict]:
    cities, year = ed.cities, ed.year
    c = cities.set_index("id")
    lst = dd.listing
    n_disc = fact(len(dd.meta), None, "disc.n_disciplines")
    base = {"year": year, "n_list": fact(len(lst), None, "disc.n_hubs"), "n_cities": fact(len(c), None, "meta.cities"),
            "n_disciplines": n_disc, "top_list": TOP_LIST,
            "first_year": fact(dd.papers["year"].min(), None, "disc.first_year"),
            "last_year": fact(dd.papers["year"].max(), None, "disc.last_year")}
    def rec(r):
        i = r["id"]
        return {"id": i, "name": {"zh": r["name_zh"], "en": r["name_en"]}, "rank": fact(int(r["rank"]), i, "disc.rank"),
                "n_top10": fact(int(r["n_top10"]), i, "disc.n_top10"),
                "n_champion": fact(int(r["n_champion"]), i, "disc.n_champion"),
                "mean_hcp_ratio_pct": fact(float(r["mean_hcp_ratio"]), i, "disc.mean_hcp_ratio_pct"),
                "papers_total": fact(int(r["papers_total"]), i, "disc.papers"),
                "papers_cagr_pct": fact(float(r["papers_cagr"]), i, "disc.papers_cagr_pct")}
    records = [rec(r) for _, r in lst.iterrows()]
    cont = lst["id"].map(c["continent"]).value_counts()
    cont = cont.sort_index(kind="mergesort").sort_values(ascending=False, kind="mergesort")
    ctry = lst["id"].map(c["country_iso3"]).value_counts()
    ctry = ctry.sort_index(kind="mergesort").sort_values(ascending=False, kind="mergesort")
    singles = int((ctry == 1).sum())
    sources = {**base, "regions": region_records(cont, ed.continent_names(), "disc.n_hubs"),
               "countries": region_records(ctry[ctry > 1], ed.country_names(), "disc.n_hubs.country"),
               "n_single_countries": fact(singles, None, "disc.n_single_hub_countries"),
               "top": records[:TOP_LIST]}
    stars = [r for r in records if r["n_top10"] >= dm.SUPERSTAR_MIN]
    superstars = {**base, "superstar_min": dm.SUPERSTAR_MIN, "stars": stars,
                  "n_stars": fact(len(stars), None, "disc.n_superstars"),
                  "all_top": [r for r in stars if r["n_top10"] == n_disc],
                  "n_rest": fact(len(lst) - len(stars), None, "disc.n_other_hubs")}
    dom = dd.meta.set_index("code")["domain"]
    champ_ids = dm.champions(dd.scores)
    counts = []
    for cid, grp in champ_ids.groupby("id", sort=True):
        d = grp["discipline"].map(dom)
        counts.append({**city_record_plain(c, cid), "n": fact(int(len(grp)), cid, "disc.n_champion"),
                       "n_stem": fact(int((d == "STEM").sum()), cid, "disc.n_champion.STEM"),
                       "n_hass": fact(int((d == "HASS").sum()), cid, "disc.n_champion.HASS")})
    counts.sort(key=lambda r: (-r["n"], int(c.loc[r["id"], "seq"]), r["id"]))
    champions = {**base, "champions": counts,
                 "n_stem_total": fact(int((dom == "STEM").sum()), None, "disc.n_disciplines.STEM"),
                 "n_hass_total": fact(int((dom == "HASS").sum()), None, "disc.n_disciplines.HASS"),
                 "n_champion_cities": fact(len(counts), None, "disc.n_champion_cities")}
    baseline_pct = 100.0 * dm.BASELINE
    by_ratio = sorted(records, key=lambda r: (-r["mean_hcp_ratio_pct"], r["rank"]))
    excellence = {**base, "baseline_pct": baseline_pct, "top": by_ratio[:3],
                  "n_above": fact(sum(r["mean_hcp_ratio_pct"] > baseline_pct for r in records), None, "disc.n_above_baseline")}
    em = lst[lst["emerging"]]
    em_recs = sorted([rec(r) for _, r in em.iterrows()], key=lambda r: -r["papers_cagr_pct"])
    by_papers = sorted(records, key=lambda r: -r["papers_total"])
    emerging = {**base, "mean_cagr_pct": fact(float(lst["papers_cagr"].mean()), None, "disc.papers_cagr_pct.mean"),
                "emerging": em_recs, "n_emerging": fact(len(em_recs), None, "disc.n_emerging"),
                "largest": by_papers[:3], "baseline_pct": baseline_pct}
    clusters = cluster_records(dd, c)
    profiles = {**base, "k": fact(len(clusters), None, "disc.n_clusters"), "clusters": clusters}
    return {"sources": sources, "superstars": superstars, "champions": champions, "excellence": excellence,
            "emerging": emerging, "profiles": profiles}


def listing_columns() -> list:
    """The columns of the discipline-source list (Table 7)."""
    return [col("rank", "rank"), *name_cols(), col("n_top10", "int", k=TOP_LIST), col("n_champion", "int"),
            col("mean_hcp_ratio", "pct"), col("papers_total", "int"), col("papers_cagr", "pct"),
            col("superstar", "bool"), col("emerging", "bool")]


def champions_columns() -> list:
    """The columns of the champions table."""
    return [col("code", "text", label="discipline_code"), col("discipline_zh", "text", lang="zh", label="discipline"),
            col("discipline_en", "text", lang="en", label="discipline"),
            col("domain_zh", "text", lang="zh", label="domain"), col("domain_en", "text", lang="en", label="domain"),
            col("name_zh", "text", lang="zh", label="champion"), col("name_en", "text", lang="en", label="champion"),
            col("hcp", "int")]


def excellence_data(dd: DisciplineData) -> pd.DataFrame:
    """The excellence chart's input: each listed city's papers, mean HCP ratio, growth and top-10 count."""
    return pd.DataFrame({"id": dd.raw_listing["id"],
                         "papers": dd.raw_listing["id"].map(dd.totals.groupby("id")["papers"].sum()).astype("int64"),
                         "mean_hcp_ratio": dd.raw_listing["mean_hcp_ratio"],
                         "papers_cagr": dd.raw_listing["id"].map(dd.growth),
                         "n_top10": dd.raw_listing["n_top10"]})


def provenance(ed: Edition) -> dict:
    """The chapter's provenance summary: the discipline data."""
    return provenance_summary(ed, pillars=[], focus=["disciplines"])


def section_contexts(ed: Edition) -> dict[str, dict]:
    """Every section's narrative context, the data note included (for tests and audits)."""
    ctx = contexts(load(ed), ed)
    return {**ctx, "data_note": provenance_context(provenance(ed))}
