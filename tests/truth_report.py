"""Independent values of the overview's, the pillar chapters' and the methods chapter's numbers
that tests/claimcheck.py does not compute itself (see tests/test_claims.py).

Where each value comes from (no code of ``gihi.report``):

* **tests/oracle.py** (the index re-implemented in numpy): the cities scored and left out by the
  screen, the mini-hubs ranked, the top and bottom of the score scale (every level's first and
  last score), and the pillar Z behind the development patterns, whose regional means are
  recomputed here (Appendix 6: the three pillar Z of a group's cities scaled jointly to 0–100,
  then averaged over the region's main cities);
* **the csv files**, read with the csv module: the city set and groups (``data/<year>/meta/
  cities.csv``, which replaces ``data/meta/cities.csv`` for its edition: data/README.md,
  "Per-edition metadata"), the continents (``countries.csv``), the indicators and their
  ``flow`` (``indicators.csv``), the values present (``<year>/indicators.csv``) and the earlier
  editions' ranks (``data/history/ranks.csv``): the leaders' first year of their run of first
  places, the first and the previous edition on record, the top-100 counts;
* **the method's rules file** (``meta/method.yaml``, the edition's own or the shared one, read
  with yaml): the screen's thresholds and the ddof, which must also be the ddof the z-scores were
  computed with (measured on ``IndexResult.z``);
* **the patterns frame** (``gihi.model``, on the edition passed in): the development patterns' range.
"""
from __future__ import annotations

import math

import numpy as np

import oracle
from _datafiles import load_yaml, meta_file, meta_rows, rows
from gihi.core.paths import DATA_DIR

LEVELS = ("composite", "A", "B", "C")
PILLARS = ("A", "B", "C")
TABLE = 100                  # the composite rank table lists the top 100 (measure top100.*)
PATTERN_RANGE = (0.0, 100.0)  # Appendix 6: development patterns on 0–100


def _cities(year: int) -> list[dict]:
    """cities.csv with each city's continent (countries.csv)."""
    cont = {r["iso3"]: r["continent"] for r in meta_rows(year, "countries.csv")}
    return [{**r, "continent": cont[r["country_iso3"]]} for r in meta_rows(year, "cities.csv")]


def _history() -> dict:
    return {(int(r["year"]), r["level"], r["id"]): int(r["rank"]) for r in rows(DATA_DIR / "history" / "ranks.csv")}


def history_truth(year: int, scores: dict, cities: list[dict], history: dict) -> dict:
    """Each level's leader's first year of its run of first places (``<level>_since``, keyed by
    the leader: this edition when it did not lead the previous one on record), the first edition
    on record per level and the previous edition (a ranks.csv year or an earlier data directory)."""
    main = [r["id"] for r in cities if r["group"] == "main"]
    years = sorted({y for y, _, _ in history if y < year}, reverse=True)
    out = {}
    for level in LEVELS:
        leader = max((c for c in main if c in scores[level]), key=lambda c: scores[level][c])
        since = year
        for y in years:
            if history.get((y, level, leader)) != 1:
                break
            since = y
        out[(f"{level}_since", leader)] = since
        out[(f"history.{level}.first_year", None)] = min(y for y, lv, _ in history if lv == level)
    dirs = [int(p.name) for p in DATA_DIR.iterdir() if p.is_dir() and p.name.isdigit() and int(p.name) < year]
    if years or dirs:
        out[("history.prev_year", None)] = max(years[:1] + dirs)
    return out


def table_truth(ranks: dict, cities: list[dict]) -> dict:
    """Cities of each country and continent in the composite top 100 (``top100.composite.<continent>``,
    ``top100.composite.country.<iso3>``): the oracle's ranks, ties in cities.csv order."""
    main = sorted((r for r in cities if r["group"] == "main"), key=lambda r: (ranks["composite"][r["id"]], int(r["seq"])))
    out: dict = {}
    for r in main[:TABLE]:
        for key in (f"top{TABLE}.composite.{r['continent']}", f"top{TABLE}.composite.country.{r['country_iso3']}"):
            out[(key, None)] = out.get((key, None), 0) + 1
    return out


def pattern_truth(year: int, cities: list[dict]) -> dict:
    """The development patterns' regional means over the main cities of each country and
    continent (``patterns.<code>.n``, ``.A``/``.B``/``.C``, and ``.spread``: the strongest minus
    the weakest mean, each at the 2 decimals printed), from the oracle's pillar Z."""
    z = oracle.level_z(DATA_DIR, year)
    main = [r for r in cities if r["group"] == "main" and r["id"] in z["A"]]
    allz = [z[p][r["id"]] for r in main for p in PILLARS]
    lo, hi = min(allz), max(allz)
    span = PATTERN_RANGE[1] - PATTERN_RANGE[0]
    pattern = {(r["id"], p): PATTERN_RANGE[0] + span * (z[p][r["id"]] - lo) / (hi - lo) for r in main for p in PILLARS}
    out = {}
    for key in ("country_iso3", "continent"):
        for code in {r[key] for r in main}:
            ids = [r["id"] for r in main if r[key] == code]
            means = {p: sum(pattern[(i, p)] for i in ids) / len(ids) for p in PILLARS}
            out[(f"patterns.{code}.n", None)] = len(ids)
            out.update({(f"patterns.{code}.{p}", None): m for p, m in means.items()})
            out[(f"patterns.{code}.spread", None)] = round(max(means.values()), 2) - round(min(means.values()), 2)
    return out


def screen_truth(year: int, scores: dict, cities: list[dict]) -> dict:
    """The screen's outcome: cities scored and left out (by group), mini-hubs ranked, and the
    indicator values of the scored cities, expected and missing (``<year>/indicators.csv``)."""
    scored = set(scores["composite"])
    codes = {r["code"] for r in meta_rows(year, "indicators.csv")}
    present = sum(1 for r in rows(DATA_DIR / str(year) / "indicators.csv")
                  if r["id"] in scored and r["code"] in codes and r["value"].strip() != "")
    out = {"screen.scored": len(scored), "screen.excluded": sum(r["id"] not in scored for r in cities),
           "screen.excluded.mini": sum(r["id"] not in scored and r["group"] == "mini" for r in cities),
           "ranked.mini": sum(r["id"] in scored and r["group"] == "mini" for r in cities),
           "screen.values": len(scored) * len(codes)}
    out["screen.missing"] = out["screen.values"] - present
    return {(k, None): v for k, v in out.items()}


def _ddof(result) -> int:
    """The ddof the z-scores were computed with: the one under which a non-constant indicator's
    z-scores over a group have a standard deviation of 1."""
    for group in sorted(set(result.groups)):
        z = result.z[result.groups == group]
        for code in z.columns:
            v = z[code].dropna().to_numpy(float)
            if len(v) > 2 and v.std() > 0:
                return next((d for d in (0, 1) if math.isclose(np.std(v, ddof=d), 1.0, rel_tol=1e-9)), None)
    raise AssertionError("no indicator to measure the ddof on")


def param_truth(year: int, scores: dict, edition) -> dict:
    """The method's parameters the narrative states (``param.*``): the score scale's ends (every
    level's first and last score, the oracle's), the development patterns' range (the patterns
    frame's ends), the ddof and the screen's thresholds (method.yaml's; the number of indicators
    the screen asks for, of indicators.csv's), and the counts of
    agglomeration and spillover indicators (indicators.csv's ``flow``)."""
    tops = {max(v.values()) for v in scores.values()}
    bottoms = {min(v.values()) for v in scores.values()}
    pat = edition.patterns[list(PILLARS)].to_numpy(float)
    rules = load_yaml(meta_file(year, "method.yaml"))
    pol = rules["screen"]
    assert _ddof(edition.index) == rules["ddof"], "the z-scores' ddof is not method.yaml's"
    inds = meta_rows(year, "indicators.csv")
    out = {"param.patterns.lo": float(pat.min()), "param.patterns.hi": float(pat.max()),
           "param.ddof": rules["ddof"],
           "param.screen.min_coverage_pct": 100 * float(pol["min_coverage"]),
           "param.screen.min_coverage_n": math.ceil(float(pol["min_coverage"]) * len(inds) - 1e-9),
           "param.screen.min_per_subpillar": int(pol["min_per_subpillar"])}
    if len(tops) == 1 and len(bottoms) == 1:   # one scale for every level, or no single truth
        out.update({"param.scale.hi": tops.pop(), "param.scale.lo": bottoms.pop()})
    for flow in sorted({r["flow"] for r in inds if r["flow"]}):
        out[f"meta.indicators.flow.{flow}"] = sum(r["flow"] == flow for r in inds)
    return {(k, None): v for k, v in out.items()}


def truth(edition) -> dict:
    """``{(measure, city or None): value}``."""
    year = edition.year
    scores, ranks = oracle.scores(DATA_DIR, year), oracle.ranks(DATA_DIR, year)
    cities = _cities(year)
    return {**history_truth(year, scores, cities, _history()), **table_truth(ranks, cities),
            **pattern_truth(year, cities), **screen_truth(year, scores, cities), **param_truth(year, scores, edition)}
