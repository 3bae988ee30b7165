"""Check a reconstructed dataset: the engine must reproduce every published cell and rank."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from gihi.model.dataset import load_indicators, to_wide
from gihi.model.method.index import compute_index
from gihi.model.metadata import load_cities, load_tree, name_index

TOLERANCE = 0.01


def problems(data_dir: Path, year: int = 2023) -> list[str]:
    """One line per published cell or rank that the engine, run on the data, does not reproduce."""
    tree = load_tree(data_dir, year)
    groups = load_cities(data_dir, year).set_index("id")["group"]
    result = compute_index(to_wide(load_indicators(data_dir, year)), groups, tree)
    names = name_index(data_dir, year)
    pub = data_dir / str(year) / "published"
    out: list[str] = []

    def compare(table: str, cols: list[str], rank_cols: dict[str, str]) -> None:
        t = pd.read_csv(pub / f"{table}.csv")
        t.index = t["name_zh"].map(names)
        for col in cols:
            err = (result.scores.loc[t.index, col] - t[col]).abs()
            out.extend(f"{table}: {cid} {col} off by {e:.4f}" for cid, e in err[err > TOLERANCE].items())
        for col, rcol in rank_cols.items():
            bad = result.ranks.loc[t.index, col] != t[rcol]
            out.extend(f"{table}: {cid} {col} rank {result.ranks.at[cid, col]} != {t.at[cid, rcol]}" for cid in t.index[bad])

    levels = ["composite", "A", "B", "C"]
    compare("composite", levels, {c: f"{c}_rank" for c in levels})
    compare("mini", levels, {c: f"{c}_rank" for c in levels})
    for table, p in (("science", "A"), ("highland", "B"), ("ecosystem", "C")):
        compare(table, [p] + [f"{p}{i}" for i in range(1, 5)], {p: "rank"})
    wide = to_wide(load_indicators(data_dir, year))
    facts = pd.read_csv(pub / "stated_facts.csv", dtype=str, keep_default_na=False)
    sums = facts[(facts["kind"] == "total") & (facts["status"] == "") & facts["subject"].str.startswith("sum over")]
    for code, value in zip(sums["code"], sums["value"].astype(float)):
        if wide[code].sum() != value:
            out.append(f"stated total: {code} sums to {wide[code].sum():g} over the cities, the report states {value:g}")
    return out
