"""Method and city metadata, read from ``data/meta``: the indicator tree is data, not code."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from gihi.core.errors import DataError, Problem
from gihi.model.io import read_table
from gihi.core.paths import meta_path


def _read(path: Path) -> pd.DataFrame:
    return read_table(path)


@dataclass(frozen=True)
class Tree:
    """The indicator tree: pillars, sub-pillars and indicators with their weights.

    ``indicators`` has columns code, subpillar, pillar, weight (within its sub-pillar);
    ``subpillars`` has code, pillar, weight (within its pillar); ``pillars`` has code, weight.
    Weights are normalised so that they sum to 1 within each parent.
    """

    pillars: pd.DataFrame
    subpillars: pd.DataFrame
    indicators: pd.DataFrame
    labels: pd.DataFrame  # code -> name_zh, name_en for every node

    @property
    def codes(self) -> list[str]:
        return list(self.indicators["code"])

    def composite_weights(self) -> pd.Series:
        """Each indicator's weight in the composite index (sums to 1)."""
        ind = self.indicators.set_index("code")
        sw = self.subpillars.set_index("code")["weight"]
        pw = self.pillars.set_index("code")["weight"]
        return ind["weight"] * ind["subpillar"].map(sw) * ind["pillar"].map(pw)

    def members(self, subpillar: str) -> list[str]:
        return list(self.indicators.loc[self.indicators["subpillar"] == subpillar, "code"])

    def subpillars_of(self, pillar: str) -> list[str]:
        return list(self.subpillars.loc[self.subpillars["pillar"] == pillar, "code"])


def _weights(frame: pd.DataFrame, file: str, parent: str) -> tuple[pd.Series, list[Problem]]:
    problems = []
    w = pd.to_numeric(frame["weight"], errors="coerce")
    for i in frame.index[w.isna() | (w <= 0)]:
        problems.append(Problem(file, i + 1, "weight", repr(frame.at[i, "weight"]), "a positive number"))
    return w, problems


def load_tree(data_dir: Path, year: int | None = None) -> Tree:
    """Read ``meta/tree.csv`` and ``meta/indicators.csv`` (of ``year``'s edition: see
    :func:`gihi.core.paths.meta_path`) and check that they form a tree. For scripts and tests; the
    build reads an edition once, with :func:`gihi.model.edition.open_edition`."""
    return tree_from_frames(_read(meta_path(data_dir, "tree.csv", year)), _read(meta_path(data_dir, "indicators.csv", year)))


def tree_from_frames(tree: pd.DataFrame, ind: pd.DataFrame) -> Tree:
    """The :class:`Tree` of the all-text tables ``meta/tree.csv`` and ``meta/indicators.csv``."""
    tree = tree.reset_index(drop=True)
    ind = ind.reset_index(drop=True)
    problems: list[Problem] = []
    tw, p = _weights(tree, "meta/tree.csv", "parent")
    problems += p
    iw, p = _weights(ind, "meta/indicators.csv", "subpillar")
    problems += p
    tree = tree.assign(weight=tw)
    pillars = tree[tree["level"] == "pillar"][["code", "weight"]].reset_index(drop=True)
    subs = tree[tree["level"] == "subpillar"][["code", "parent", "weight"]].rename(columns={"parent": "pillar"})
    for i, row in subs.iterrows():
        if row["pillar"] not in set(pillars["code"]):
            problems.append(Problem("meta/tree.csv", i + 1, "parent", repr(row["pillar"]), "a pillar code"))
    ind = ind.assign(weight=iw)
    for i, row in ind.iterrows():
        if row["subpillar"] not in set(subs["code"]):
            problems.append(Problem("meta/indicators.csv", i + 1, "subpillar", repr(row["subpillar"]), "a sub-pillar code from meta/tree.csv"))
    for code in subs["code"]:
        if not (ind["subpillar"] == code).any():
            problems.append(Problem("meta/indicators.csv", None, "subpillar", f"no indicator in {code}", "at least one indicator per sub-pillar"))
    if ind["code"].duplicated().any():
        for i in ind.index[ind["code"].duplicated()]:
            problems.append(Problem("meta/indicators.csv", i + 1, "code", repr(ind.at[i, "code"]), "a unique indicator code"))
    if problems:
        raise DataError(problems)
    # normalise weights within each parent
    pillars["weight"] = pillars["weight"] / pillars["weight"].sum()
    subs = subs.assign(weight=subs["weight"] / subs.groupby("pillar")["weight"].transform("sum")).reset_index(drop=True)
    ind = ind.assign(weight=ind["weight"] / ind.groupby("subpillar")["weight"].transform("sum"))
    ind["pillar"] = ind["subpillar"].map(subs.set_index("code")["pillar"])
    labels = pd.concat([tree[["code", "name_zh", "name_en"]], ind[["code", "name_zh", "name_en"]]], ignore_index=True)
    return Tree(pillars, subs, ind.reset_index(drop=True), labels.set_index("code"))


def load_cities(data_dir: Path, year: int | None = None) -> pd.DataFrame:
    """The city table (id, seq, name_zh, name_en, country_iso3, group, lat, lon, continent) of
    ``year``'s edition. For scripts and tests (see :func:`load_tree`)."""
    return cities_from_frames(_read(meta_path(data_dir, "cities.csv", year)), _read(meta_path(data_dir, "countries.csv", year)))


def cities_from_frames(cities: pd.DataFrame, countries: pd.DataFrame) -> pd.DataFrame:
    """The typed city table of the all-text ``meta/cities.csv`` and ``meta/countries.csv``."""
    cities = cities.reset_index(drop=True).copy()
    cities["seq"] = cities["seq"].astype(int)
    cities["lat"] = cities["lat"].astype(float)
    cities["lon"] = cities["lon"].astype(float)
    cities["continent"] = cities["country_iso3"].map(countries.set_index("iso3")["continent"])
    return cities


def name_index(data_dir: Path, year: int | None = None) -> dict[str, str]:
    """Map every Chinese spelling of a city (canonical name and aliases) to its id."""
    cities = _read(meta_path(data_dir, "cities.csv", year))
    out = dict(zip(cities["name_zh"], cities["id"]))
    aliases = _read(meta_path(data_dir, "city_aliases.csv", year))
    out.update(zip(aliases["alias"], aliases["city_id"]))
    return out
