"""Comparison with the editions before: previous ranks, rank changes and what drove them, the
rank history over every edition on record, the same-method comparison, and the review of the
new data against the previous edition's.

**The previous edition** of an edition is the latest earlier year on record: a year with data in
the data directory (``data/<year>/``), whose ranks the builder computes itself (``computed``), or
else a year of ``data/history/ranks.csv`` (``published``). Earlier lists had other city sets, so
a change is a change of position in the list, and a city absent from the previous list has no
previous rank: it is *new*, never "unchanged".

**Levels**: the composite and the pillars (A, B, C) of the main list, and ``mini``: the composite
rank within the mini-hub list.

**Drivers.** With the previous edition's data, the change of a city's level Z between the two
editions splits exactly into one contribution per indicator: a level Z is Σᵢ eᵢ zᵢ with eᵢ the
indicator's effective weight in the level (the weight of its sub-pillar times its weight among
the sub-pillar's indicators the city has); the contribution of indicator i is
eᵢ,now zᵢ,now − eᵢ,prev zᵢ,prev, which is wᵢ Δzᵢ when both editions have every value.

**Same method.** When the method changed between the editions (weights, indicators, city set),
the previous edition's data are also scored under this edition's method (its tree and weights,
the cities both editions assess): the ranks a city would have had last year under today's rules.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from gihi.core.paths import available_years
from gihi.model.edition import Edition, open_edition
from gihi.model.method.index import COMPOSITE, compute_index

LEVELS = (COMPOSITE, "A", "B", "C")
MINI = "mini"
MAIN = "main"
CHANGE_COLUMNS = ["id", "level", "rank", "prev_year", "prev_rank", "change", "prev_source"]
DRIVER_COLUMNS = ["id", "level", "code", "contribution"]
REVIEW_COLUMNS = ["id", "code", "prev_value", "value", "ratio", "flag"]
#: data review thresholds: a value that changed by more than this factor, a city that moved more places
REVIEW_RATIO = 10.0
REVIEW_JUMP = 20


# --------------------------------------------------------------------------- the previous edition

def previous_year(ed: Edition) -> int | None:
    """The latest year before the edition's with data in its data directory or published ranks
    (a result: the data directory is listed once, by the data stage)."""
    def make():
        years = [y for y in available_years(ed.root) if y < ed.year]
        if ed.has_history:
            years += [int(y) for y in ed.history["year"].unique() if y < ed.year]
        return max(years) if years else None
    return ed.result("changes/previous_year", make)


def comparison(ed: Edition) -> dict:
    """What this edition's rank changes compare with: ``prev_year`` (None: nothing), ``computed``
    (the previous edition's data are in the data directory, so its ranks are computed) and
    ``changed`` (what differs between the two editions' methods, :func:`method_changed`). A
    result, so that the chapters need not open the previous edition."""
    def make():
        prev = previous_edition(ed)
        return {"prev_year": previous_year(ed), "computed": prev is not None,
                "changed": method_changed(ed, prev) if prev is not None else []}
    return ed.result("changes/comparison", make)


def previous_edition(ed: Edition) -> Edition | None:
    """The previous edition, opened from the data directory, when its data are there (kept for
    this process; its own files are validated and read once)."""
    def make():
        y = previous_year(ed)
        return open_edition(y, ed.root) if y is not None and y in available_years(ed.root) else None
    return ed.view("changes/previous", make)


def _level_ranks(e: Edition) -> pd.DataFrame:
    """``id, level, rank`` of an edition: the main list's composite and pillars, and ``mini``."""
    s = e.scores
    parts = []
    main = s[s["group"] == MAIN]
    for level in LEVELS:
        parts.append(pd.DataFrame({"id": main.index, "level": level, "rank": main[f"{level}_rank"].astype("Int64").to_numpy()}))
    mini = s[s["group"] == MINI]
    parts.append(pd.DataFrame({"id": mini.index, "level": MINI, "rank": mini[f"{COMPOSITE}_rank"].astype("Int64").to_numpy()}))
    return pd.concat(parts, ignore_index=True)


def history(ed: Edition) -> pd.DataFrame:
    """Every earlier edition on record: ``year, level, id, rank, source``. A year whose data are in
    the data directory has the ranks the builder computes (``source`` = ``computed``); the others
    the ranks of ``data/history/ranks.csv`` (their source as recorded there)."""
    def make():
        published = ed.history.copy() if ed.has_history else pd.DataFrame(columns=["year", "level", "id", "rank", "source"])
        computed_years = [y for y in available_years(ed.root) if y < ed.year]
        parts = [published[~published["year"].isin(computed_years)]]
        for y in computed_years:
            r = _level_ranks(open_edition(y, ed.root) if y != previous_year(ed) else previous_edition(ed))
            parts.append(r.assign(year=y, source="computed")[["year", "level", "id", "rank", "source"]])
        out = pd.concat(parts, ignore_index=True)
        out["year"] = out["year"].astype(int)
        out["rank"] = out["rank"].astype(int)
        return out.sort_values(["year", "level", "rank", "id"], kind="mergesort").reset_index(drop=True)
    return ed.result("changes/history", make)


def rank_changes(ed: Edition) -> pd.DataFrame:
    """One row per scored city and level (``CHANGE_COLUMNS``): the rank now, the previous
    edition's rank and the change (``prev_rank − rank``: a rise is positive); ``prev_rank``,
    ``change`` and ``prev_source`` are empty when the city was not in the previous list (or
    there is no previous edition at all)."""
    def make():
        now = _level_ranks(ed)
        y = previous_year(ed)
        prev = history(ed)
        prev = prev[prev["year"] == y] if y is not None else prev.iloc[0:0]
        p = prev.set_index(["level", "id"])
        keys = list(zip(now["level"], now["id"]))
        prev_rank = pd.array([p["rank"].get(k) for k in keys], dtype="Int64")
        source = ["computed" if r is not pd.NA and p["source"].get(k) == "computed" else
                  ("published" if r is not pd.NA else "") for k, r in zip(keys, prev_rank)]
        out = now.assign(prev_year=pd.array([y] * len(now), dtype="Int64"), prev_rank=prev_rank)
        out["change"] = (out["prev_rank"] - out["rank"]).astype("Int64")
        out["prev_source"] = source
        return out[CHANGE_COLUMNS]
    return ed.result("changes/ranks", make)


def city_names(ed: Edition) -> pd.DataFrame:
    """``name_zh, name_en`` (index id) of every city of this edition and of the earlier editions
    whose data are here: cities that left the list keep their names."""
    def make():
        frames = [ed.cities.set_index("id")[["name_zh", "name_en"]]]
        for y in sorted((y for y in available_years(ed.root) if y < ed.year), reverse=True):
            e = previous_edition(ed) if y == previous_year(ed) else open_edition(y, ed.root)
            frames.append(e.cities.set_index("id")[["name_zh", "name_en"]])
        out = pd.concat(frames)
        return out[~out.index.duplicated(keep="first")]
    return ed.result("changes/names", make)


def left_list(ed: Edition, level: str, n: int) -> pd.DataFrame:
    """Cities in the previous edition's top ``n`` at ``level`` that are not in this edition's list
    at all (``id, prev_rank``), by previous rank."""
    y = previous_year(ed)
    if y is None:
        return pd.DataFrame(columns=["id", "prev_rank"])
    h = history(ed)
    h = h[(h["year"] == y) & (h["level"] == level) & (h["rank"] <= n)]
    listed = set(_level_ranks(ed).query("level == @level")["id"])
    out = h[~h["id"].isin(listed)][["id", "rank"]].rename(columns={"rank": "prev_rank"})
    return out.sort_values(["prev_rank", "id"], kind="mergesort").reset_index(drop=True)


# --------------------------------------------------------------------------- drivers

def effective_weights(e: Edition, level: str) -> pd.DataFrame:
    """Each scored city's effective weight of each indicator in ``level`` (composite or a pillar):
    Z(level) = Σᵢ eᵢ zᵢ over the indicators the city has."""
    tree, z = e.tree, e.index.z
    ind = tree.indicators.set_index("code")
    sw = tree.subpillars.set_index("code")["weight"]
    pw = tree.pillars.set_index("code")["weight"]
    have = z.notna()
    out = pd.DataFrame(0.0, index=z.index, columns=list(z.columns))
    for sp in tree.subpillars["code"]:
        members = tree.members(sp)
        pillar = tree.subpillars.set_index("code").at[sp, "pillar"]
        if level != COMPOSITE and pillar != level:
            continue
        outer = sw[sp] * (pw[pillar] if level == COMPOSITE else 1.0)
        w = ind.loc[members, "weight"].to_numpy(float)
        h = have[members].to_numpy()
        den = (h * w).sum(axis=1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[members] = np.where(h, outer * w / np.where(den > 0, den, 1.0), 0.0)
    return out


def drivers(ed: Edition) -> pd.DataFrame:
    """Per city, level (composite, A, B, C of the main list) and indicator: the indicator's
    contribution to the change of the city's level Z since the previous edition (``DRIVER_COLUMNS``).
    Empty when the previous edition's data are not in the data directory."""
    def make():
        prev = previous_edition(ed)
        if prev is None:
            return pd.DataFrame(columns=DRIVER_COLUMNS)
        ids = [i for i in ed.index.groups.index if ed.index.groups[i] == MAIN
               and i in prev.index.groups.index and prev.index.groups[i] == MAIN]
        rows = []
        for level in LEVELS:
            now = (effective_weights(ed, level) * ed.index.z.fillna(0.0)).reindex(index=ids, columns=ed.tree.codes)
            before = (effective_weights(prev, level) * prev.index.z.fillna(0.0)).reindex(index=ids, columns=prev.tree.codes)
            contrib = now.fillna(0.0).sub(before.reindex(columns=ed.tree.codes).fillna(0.0), fill_value=0.0)
            extra = [c for c in prev.tree.codes if c not in ed.tree.codes]   # indicators dropped this year
            for c in extra:
                contrib[c] = -before[c].fillna(0.0)
            for cid in ids:
                for c in [*ed.tree.codes, *extra]:
                    rows.append((cid, level, c, float(contrib.at[cid, c])))
        return pd.DataFrame(rows, columns=DRIVER_COLUMNS)
    return ed.result("changes/drivers", make)


def level_z(e: Edition, level: str) -> pd.Series:
    """The level Z scores of an edition (composite or a pillar)."""
    return e.index.composite_z if level == COMPOSITE else e.index.pillar_z[level]


def top_drivers(ed: Edition, cid: str, level: str, k: int = 3) -> list[dict]:
    """The ``k`` indicators that moved ``cid``'s level Z most in the direction of its change:
    ``[{code, contribution}]`` (empty without the previous edition's data)."""
    d = drivers(ed)
    d = d[(d["id"] == cid) & (d["level"] == level)]
    if d.empty:
        return []
    total = float(d["contribution"].sum())
    sign = 1.0 if total >= 0 else -1.0
    d = d.assign(_s=sign * d["contribution"]).sort_values(["_s", "code"], ascending=[False, True], kind="mergesort")
    d = d[d["_s"] > 0].head(k)
    return [{"code": r.code, "contribution": float(r.contribution)} for r in d.itertuples(index=False)]


# --------------------------------------------------------------------------- same method

def method_changed(ed: Edition, prev: Edition) -> list[str]:
    """What differs between the two editions' methods: ``weights``, ``indicators``, ``rules`` (the
    screen, the scale or the standard deviation of ``meta/method.yaml``), ``cities``."""
    out = []
    if list(ed.tree.codes) != list(prev.tree.codes):
        out.append("indicators")
    elif not (np.allclose(ed.tree.composite_weights().to_numpy(float), prev.tree.composite_weights().to_numpy(float))
              and ed.tree.subpillars["code"].tolist() == prev.tree.subpillars["code"].tolist()):
        out.append("weights")
    if ed.policy != prev.policy:
        out.append("rules")
    if set(ed.cities["id"]) != set(prev.cities["id"]):
        out.append("cities")
    return out


def same_method(ed: Edition) -> pd.DataFrame:
    """The previous edition's data scored under this edition's method (``CHANGE_COLUMNS``, with
    ``prev_source`` = ``recomputed``); empty when there is nothing to recompute (no previous data,
    or the same method)."""
    def make():
        prev = previous_edition(ed)
        if prev is None or not method_changed(ed, prev):
            return pd.DataFrame(columns=CHANGE_COLUMNS)
        ids = [i for i in prev.cities["id"] if i in set(ed.cities["id"])]
        wide = prev.wide.reindex(index=ids, columns=ed.tree.codes)
        groups = ed.groups.reindex(ids)
        res = compute_index(wide, groups, ed.tree, **ed.policy)
        now = _level_ranks(ed)
        recomputed = {}
        for level in LEVELS:
            r = res.ranks[level][res.groups == MAIN]
            recomputed.update({(level, i): v for i, v in r.items()})
        r = res.ranks[COMPOSITE][res.groups == MINI]
        recomputed.update({(MINI, i): v for i, v in r.items()})
        prev_rank = pd.array([recomputed.get((lv, i)) for lv, i in zip(now["level"], now["id"])], dtype="Int64")
        out = now.assign(prev_year=pd.array([prev.year] * len(now), dtype="Int64"), prev_rank=prev_rank)
        out["change"] = (out["prev_rank"] - out["rank"]).astype("Int64")
        out["prev_source"] = ["recomputed" if r is not pd.NA else "" for r in prev_rank]
        return out[CHANGE_COLUMNS]
    return ed.result("changes/same_method", make)


# --------------------------------------------------------------------------- data review

def data_review(ed: Edition) -> pd.DataFrame:
    """The values to look at twice before publishing (``REVIEW_COLUMNS``): against the previous
    edition's data, a value that changed by more than :data:`REVIEW_RATIO` times (``ratio``),
    one that turned from present to missing or back (``missing`` / ``new``), and the values of a
    city whose composite rank moved more than :data:`REVIEW_JUMP` places (``jump``: its three
    largest relative changes). Empty without the previous edition's data."""
    def make():
        prev = previous_edition(ed)
        if prev is None:
            return pd.DataFrame(columns=REVIEW_COLUMNS)
        ids = [i for i in ed.cities["id"] if i in set(prev.cities["id"])]
        codes = [c for c in ed.tree.codes if c in prev.tree.codes]
        now, before = ed.wide.reindex(index=ids, columns=codes), prev.wide.reindex(index=ids, columns=codes)
        rows = []
        jumps = rank_changes(ed)
        jumps = jumps[(jumps["level"] == COMPOSITE) & jumps["change"].notna()]
        jumpers = set(jumps.loc[jumps["change"].abs() > REVIEW_JUMP, "id"])
        for cid in ids:
            own = []
            for c in codes:
                a, b = before.at[cid, c], now.at[cid, c]
                if pd.isna(a) and pd.isna(b):
                    continue
                if pd.isna(b):
                    rows.append((cid, c, a, b, np.nan, "missing"))
                elif pd.isna(a):
                    rows.append((cid, c, a, b, np.nan, "new"))
                else:
                    ratio = (b / a) if a != 0 else (np.inf if b != 0 else 1.0)
                    if ratio > REVIEW_RATIO or (ratio < 1 / REVIEW_RATIO and ratio != 0) or (ratio == 0 and a != 0):
                        rows.append((cid, c, a, b, ratio, "ratio"))
                    elif cid in jumpers and ratio != 1.0:
                        own.append((abs(np.log(ratio)) if ratio > 0 else np.inf, (cid, c, a, b, ratio, "jump")))
            rows += [r for _, r in sorted(own, key=lambda t: -t[0])[:3]]
        out = pd.DataFrame(rows, columns=REVIEW_COLUMNS)
        return out.astype({"prev_value": float, "value": float, "ratio": float})
    return ed.result("changes/review", make)


__all__ = ["previous_year", "comparison", "previous_edition", "city_names", "history", "rank_changes", "left_list", "drivers", "top_drivers",
           "effective_weights", "level_z", "method_changed", "same_method", "data_review", "LEVELS", "MINI",
           "CHANGE_COLUMNS", "DRIVER_COLUMNS", "REVIEW_COLUMNS"]
