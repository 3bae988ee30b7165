"""The published 2023 results as arrays over the 108 main cities (reconstruction inputs)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from gihi.model.metadata import load_cities, load_tree, name_index

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
PUB = DATA / "2023" / "published"
PILLARS = ["A", "B", "C"]


@dataclass
class Published:
    ids: list[str]            # main-city ids, cities.csv order
    subs: list[str]           # A1..C4
    S: np.ndarray             # (N, 12) published sub-pillar scores, nan if unpublished
    P: np.ndarray             # (N, 3) published pillar scores
    P_rank: np.ndarray        # (N, 3) published pillar ranks
    G: np.ndarray             # (N,) published composite
    G_rank: np.ndarray
    w_sub: np.ndarray         # (12,) sub-pillar weight within pillar
    w_pil: np.ndarray         # (3,)
    mini: pd.DataFrame        # Table 4, with id

    def index(self, city_id: str) -> int:
        return self.ids.index(city_id)


def load_published() -> Published:
    cities = load_cities(DATA, 2023)
    names = name_index(DATA, 2023)
    tree = load_tree(DATA, 2023)
    ids = list(cities.loc[cities["group"] == "main", "id"])
    pos = {c: i for i, c in enumerate(ids)}
    subs = list(tree.subpillars["code"])
    n = len(ids)
    S = np.full((n, 12), np.nan); P = np.full((n, 3), np.nan); PR = np.full((n, 3), np.nan)
    G = np.full(n, np.nan); GR = np.full(n, np.nan)
    for k, (fname, p) in enumerate([("science", "A"), ("highland", "B"), ("ecosystem", "C")]):
        t = pd.read_csv(PUB / f"{fname}.csv")
        for _, r in t.iterrows():
            j = pos[names[r["name_zh"]]]
            for i in range(4):
                S[j, 4 * k + i] = r[f"{p}{i + 1}"]
            P[j, k] = r[p]; PR[j, k] = r["rank"]
    comp = pd.read_csv(PUB / "composite.csv")
    for _, r in comp.iterrows():
        j = pos[names[r["name_zh"]]]
        G[j] = r["composite"]; GR[j] = r["composite_rank"]
        for k, p in enumerate(PILLARS):
            P[j, k] = r[p]; PR[j, k] = r[f"{p}_rank"]
    w_sub = tree.subpillars.set_index("code").loc[subs, "weight"].to_numpy(float)
    w_pil = tree.pillars.set_index("code").loc[PILLARS, "weight"].to_numpy(float)
    mini = pd.read_csv(PUB / "mini.csv")
    mini.insert(0, "id", mini["name_zh"].map(names))
    return Published(ids, subs, S, P, PR, G, GR, w_sub, w_pil, mini)
