"""Independent values of the focus chapters' aggregate numbers (05_disciplines, 06_ai_patents; see
tests/test_claims.py). The per-city measures (``disc.n_top10``, ``ai.hq``, ...) are claimcheck's.

Every value here is computed from the csv files with the csv module, numpy and scipy, and nothing
from gihi: ``papers.csv`` (disciplines), ``patents_by_year.csv``, ``ipc_universe.csv`` and
``universe.csv`` (AI patents) of ``data/2023/``, the metadata (``cities.csv``, ``countries.csv``,
``disciplines.csv``, ``ipc_groups.csv``: the edition's own file in ``data/2023/meta/`` where it
has one, else the shared one in ``data/meta/``) and the growth stages of ``edition.yaml``.

The method's definitions are the report's (Appendix 8), stated here: a city is a discipline hub
with a discipline in the top :data:`TOP_DISC` by highly cited papers (HCP; ties share the better
rank), a superstar with :data:`SUPERSTAR_MIN` such disciplines, and emerging when its papers grow
faster than the hubs' mean while its mean HCP share stays below :data:`BASELINE_PCT`; the hubs'
discipline profiles (each discipline's share of the city's papers) are clustered by Ward linkage
on Euclidean distances, the tree cut into :data:`N_CLUSTERS` clusters, numbered as they first
appear in the optimally ordered dendrogram. The AI chapter compares the top :data:`TOP_AI` (ties
by id).
"""
from __future__ import annotations

import numpy as np
from scipy.cluster.hierarchy import fcluster, leaves_list, linkage, optimal_leaf_ordering

import claimcheck as cc
from _datafiles import load_yaml, meta_file, meta_rows

TOP_DISC = 10
SUPERSTAR_MIN = 15
BASELINE_PCT = 1.0
N_CLUSTERS = 3
TOP_AI = 20
MEASURES = ("valid", "pct", "triadic", "hq")


def truth(edition) -> dict:
    """``{(measure, city or None): value}``."""
    return {(k, None): v for k, v in {**discipline_values(), **ai_values()}.items()}


def _meta(name: str) -> list[dict]:
    """A metadata file of the edition (its own or else the shared one)."""
    return meta_rows(cc.YEAR, name)


def _add(d: dict, key, v) -> None:
    d[key] = d.get(key, 0) + v


# --------------------------------------------------------------------------- discipline hubs

def discipline_values() -> dict:
    """``{measure: value}`` of the discipline chapter's counts, growth and clustering."""
    cities = _meta("cities.csv")
    domain = {r["code"]: r["domain"] for r in _meta("disciplines.csv")}
    hcp, papers, by_year = {}, {}, {}
    for r in cc._rows(str(cc.YEAR), "disciplines", "papers.csv"):
        _add(hcp, (r["id"], r["discipline"]), int(r["hcp"]))
        _add(papers, (r["id"], r["discipline"]), int(r["papers"]))
        _add(by_year, (r["id"], int(r["year"])), int(r["papers"]))
    ids = [r["id"] for r in cities]
    ranks = {}
    for d in domain:
        col = {i: hcp.get((i, d), 0) for i in ids}
        ranks.update({(i, d): cc._rank(col, i) for i in ids})
    n_top = {i: sum(ranks[(i, d)] <= TOP_DISC for d in domain) for i in ids}
    hubs = [i for i in ids if n_top[i] >= 1]
    first, last = min(y for _, y in by_year), max(y for _, y in by_year)
    out = {"disc.first_year": first, "disc.last_year": last, "disc.n_hubs": len(hubs),
           "disc.n_disciplines": len(domain),
           "disc.n_superstars": sum(n_top[i] >= SUPERSTAR_MIN for i in hubs),
           "disc.n_other_hubs": sum(n_top[i] < SUPERSTAR_MIN for i in hubs),
           "disc.n_champion_cities": sum(any(ranks[(i, d)] == 1 for d in domain) for i in ids)}
    for dom in set(domain.values()):
        out[f"disc.n_disciplines.{dom}"] = sum(v == dom for v in domain.values())
    out.update(_hub_regions(hubs, cities))
    ratio = {i: 100 * np.mean([hcp[(i, d)] / papers[(i, d)] for d in domain if papers.get((i, d), 0) > 0]) for i in hubs}
    growth = {i: cc._cagr(by_year[(i, first)], by_year[(i, last)], last - first) for i in hubs if by_year.get((i, first))}
    mean_growth = float(np.mean(list(growth.values())))
    out["disc.n_above_baseline"] = sum(ratio[i] > BASELINE_PCT for i in hubs)
    out["disc.papers_cagr_pct.mean"] = mean_growth
    out["disc.n_emerging"] = sum(growth.get(i, -np.inf) > mean_growth and ratio[i] < BASELINE_PCT for i in hubs)
    out.update(_clusters(hubs, sorted(domain), papers))
    return out


def _hub_regions(hubs: list[str], cities: list[dict]) -> dict:
    """The hubs by continent (``disc.n_hubs.<continent>``) and country (``disc.n_hubs.country.<iso3>``),
    and the number of countries with a single hub."""
    continent = {r["iso3"]: r["continent"] for r in _meta("countries.csv")}
    country = {r["id"]: r["country_iso3"] for r in cities}
    out: dict = {}
    for i in hubs:
        _add(out, f"disc.n_hubs.{continent[country[i]]}", 1)
        _add(out, f"disc.n_hubs.country.{country[i]}", 1)
    out["disc.n_single_hub_countries"] = sum(k.startswith("disc.n_hubs.country.") and v == 1 for k, v in out.items())
    return out


def _clusters(hubs: list[str], disciplines: list[str], papers: dict) -> dict:
    """The clusters of the hubs' discipline profiles: how many (``disc.n_clusters``), and for the
    cluster at each position of the dendrogram its size (``disc.cluster.<k>.n``) and its mean share
    of every discipline in percent (``disc.cluster.<k>.share.<code>``)."""
    ids = sorted(hubs)
    x = np.array([[papers.get((i, d), 0) for d in disciplines] for i in ids], dtype=float)
    x = x / x.sum(axis=1, keepdims=True)
    z = optimal_leaf_ordering(linkage(x, method="ward", metric="euclidean"), x, metric="euclidean")
    label = fcluster(z, t=N_CLUSTERS, criterion="maxclust")
    order = list(dict.fromkeys(label[j] for j in leaves_list(z)))
    out = {"disc.n_clusters": len(order)}
    for k, lab in enumerate(order, start=1):
        rows = label == lab
        out[f"disc.cluster.{k}.n"] = int(rows.sum())
        out.update({f"disc.cluster.{k}.share.{d}": 100 * float(x[rows, j].mean()) for j, d in enumerate(disciplines)})
    return out


# --------------------------------------------------------------------------- AI patents

def ai_values() -> dict:
    """``{measure: value}`` of the AI-patent chapter's totals, counts, growth, leads and hot fields."""
    country = {r["id"]: r["country_iso3"] for r in _meta("cities.csv")}
    rows = [r for r in cc._rows(str(cc.YEAR), "ai_patents", "patents_by_year.csv") if r["id"] in country]
    flow = {}
    for r in rows:
        for m in MEASURES:
            _add(flow, (m, r["id"], int(r["year"])), int(r[m]))
    years = sorted({y for _, _, y in flow})
    total = {(m, i): sum(flow.get((m, i, y), 0) for y in years) for m in MEASURES for i in country}
    out = {"ai.first_year": years[0], "ai.last_year": years[-1], "ai.valid.total": sum(total[("valid", i)] for i in country),
           "ai.n_hq_above_pct_triadic": sum(total[("hq", i)] > total[("pct", i)] + total[("triadic", i)] for i in country)}
    top = {m: sorted(country, key=lambda i: (-total[(m, i)], i))[:TOP_AI] for m in MEASURES}
    for m in MEASURES:
        for i in top[m]:
            _add(out, f"ai.{m}.top{TOP_AI}.{country[i]}", 1)
    out[f"ai.top{TOP_AI}.pct_and_triadic"] = len(set(top["pct"]) & set(top["triadic"]))
    stages = load_yaml(meta_file(cc.YEAR, "edition.yaml"))["ai_patents"]["stages"]
    summed = {y: sum(flow.get(("valid", i, y), 0) for i in country) for y in years}
    out.update({f"ai.cagr_valid.{s}-{e}": cc._cagr(summed[s], summed[e], e - s) for s, e in stages})
    ids = sorted({i for _, i, _ in flow})
    stock = {(i, y): sum(flow.get(("valid", i, x), 0) for x in years if x <= y) for i in ids for y in years}
    out.update(_leads(stock, ids, years, "ai.lead.valid_stock"))
    out.update(_leads({(i, y): flow.get(("hq", i, y), 0) for i in ids for y in years}, ids, years, "ai.lead.hq_yearly"))
    out.update(_hot_fields())
    return out


def _leads(value: dict, ids: list[str], years: list[int], measure: str) -> dict:
    """``<measure>.<k>``: the year the k-th leader (largest value; ties by id) took the lead (the
    first year for the first)."""
    out, prev = {}, None
    for y in years:
        lead = min(ids, key=lambda i: (-value[(i, y)], i))
        if lead != prev:
            out[f"{measure}.{len(out) + 1}"] = y
            prev = lead
    return out


def _hot_fields() -> dict:
    """The search's totals (``ai.universe.<measure>``), each IPC group's high-quality patents and
    their share of all high-quality patents found, and the IPC groups of each field group."""
    out = {f"ai.universe.{r['measure']}": int(r["value"]) for r in cc._rows(str(cc.YEAR), "ai_patents", "universe.csv")}
    for r in cc._rows(str(cc.YEAR), "ai_patents", "ipc_universe.csv"):
        out[f"ai.hotfield.hq.{r['ipc']}"] = int(r["hq_patents"])
        out[f"ai.hotfield.share_pct.{r['ipc']}"] = 100 * int(r["hq_patents"]) / out["ai.universe.hq_patents"]
    for r in _meta("ipc_groups.csv"):
        _add(out, f"ai.n_fields.{r['field_group']}", 1)
    return out
