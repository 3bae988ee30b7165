"""An independent implementation of the index (GIHI 2023, Table 1 and Appendix 3), for tests.

Plain numpy on the raw files, sharing no code with ``gihi``: within each group (main, mini),
each indicator is standardised (z = (x − mean) / sample std over the cities that have it; a
constant indicator gives 0); a sub-pillar's Z is the weighted mean of a city's z-scores over the
indicators it has; a pillar's Z and the composite Z are weighted sums; every level is scaled to
60–100 over the group and ranked (1 = best, ties share the best rank). Cities need data for two
thirds of the indicators and one in every sub-pillar (``data/README.md``, "Missing values").

:func:`scores` returns ``{level: {city id: score}}`` and :func:`ranks` ``{level: {city id: rank}}``
for the levels ``composite``, the pillar codes and the sub-pillar codes; :func:`level_z` the Z
values before scaling.
"""
from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np


def _rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _meta(data: Path, year: int, name: str) -> Path:
    own = data / str(year) / "meta" / name
    return own if own.is_file() else data / "meta" / name


def read(data: Path, year: int):
    """``(cities {id: group}, tree, values {(id, code): value})`` from the raw files."""
    data = Path(data)
    cities = {r["id"]: r["group"] for r in _rows(_meta(data, year, "cities.csv"))}
    nodes = _rows(_meta(data, year, "tree.csv"))
    inds = _rows(_meta(data, year, "indicators.csv"))
    pillars = {r["code"]: float(r["weight"]) for r in nodes if r["level"] == "pillar"}
    subs = {r["code"]: (r["parent"], float(r["weight"])) for r in nodes if r["level"] == "subpillar"}
    indicators = [(r["code"], r["subpillar"], float(r["weight"])) for r in inds]
    values = {}
    for r in _rows(data / str(year) / "indicators.csv"):
        if r["value"].strip() != "":
            values[(r["id"], r["code"])] = float(r["value"])
    return cities, (pillars, subs, indicators), values


def level_z(data: Path, year: int) -> dict[str, dict[str, float]]:
    """``{level: {city id: Z}}`` before the 60–100 scaling."""
    cities, (pillars, subs, indicators), values = read(data, year)
    codes = [c for c, _, _ in indicators]
    out: dict[str, dict[str, float]] = {}
    for group in sorted(set(cities.values())):
        ids = sorted(i for i, g in cities.items() if g == group)
        need = math.ceil(2 / 3 * len(codes) - 1e-9)
        kept = []
        for i in ids:
            have = [c for c in codes if (i, c) in values]
            every_sub = all(any((i, c) in values for c, s, _ in indicators if s == sp) for sp in subs)
            if have and len(have) >= need and every_sub:
                kept.append(i)
        z = {}
        for c in codes:
            xs = np.array([values[(i, c)] for i in kept if (i, c) in values], dtype=float)
            mean = xs.mean() if len(xs) else 0.0
            sd = xs.std(ddof=1) if len(xs) > 1 else 0.0
            for i in kept:
                if (i, c) in values:
                    z[(i, c)] = (values[(i, c)] - mean) / sd if sd > 0 else 0.0
        sub_total = {sp: sum(w for _, s, w in indicators if s == sp) for sp in subs}
        for i in kept:
            sz = {}
            for sp in subs:
                members = [(c, w / sub_total[sp]) for c, s, w in indicators if s == sp and (i, c) in z]
                sz[sp] = sum(w * z[(i, c)] for c, w in members) / sum(w for _, w in members)
            p_total = {p: sum(w for q, w in subs.values() if q == p) for p in pillars}
            pz = {p: sum(w / p_total[p] * sz[sp] for sp, (q, w) in subs.items() if q == p) for p in pillars}
            total = sum(pillars.values())
            comp = sum(w / total * pz[p] for p, w in pillars.items())
            for level, v in (("composite", comp), *pz.items(), *sz.items()):
                out.setdefault(level, {})[i] = v
    return out


def scores(data: Path, year: int) -> dict[str, dict[str, float]]:
    """``{level: {city id: score in 60–100}}``, scaled within each group."""
    cities, _, _ = read(data, year)
    out = {}
    for level, zs in level_z(data, year).items():
        out[level] = {}
        for group in set(cities.values()):
            ids = [i for i in zs if cities[i] == group]
            if not ids:
                continue
            v = np.array([zs[i] for i in ids])
            lo, hi = v.min(), v.max()
            for i, x in zip(ids, v):
                out[level][i] = 60 + 40 * (x - lo) / (hi - lo) if hi > lo else 100.0
    return out


def ranks(data: Path, year: int) -> dict[str, dict[str, int]]:
    """``{level: {city id: rank}}`` within each group (1 = highest score; ties share the best)."""
    cities, _, _ = read(data, year)
    out = {}
    for level, sc in scores(data, year).items():
        out[level] = {i: 1 + sum(1 for j, y in sc.items() if cities[j] == cities[i] and y > x) for i, x in sc.items()}
    return out
