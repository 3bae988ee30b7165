"""AI technology patents (人工智能技术专利, GIHI 2023 Appendix 9): analytics on aggregated tables.

Inputs (see :mod:`gihi.model.focus_data`):

* ``patents`` — ``id, year, valid, pct, triadic, hq`` per city × publication year. ``valid`` are
  valid invention patents (the stock is the sum over publication years 2003–2022); ``pct`` and
  ``triadic`` are the PCT and triadic (US/EP/JP) patents counted in Figures 23 and 24; ``hq`` are
  the high-quality patents (PCT + triadic) counted in Figure 22 (all legal states). The two scopes
  differ, so ``hq`` is not ``pct + triadic`` (see ``data/2023/FOCUS_DATA.md``).
* ``ipc`` — ``id, ipc, hq_patents``: high-quality patents per city × hot-field IPC group.
* ``ipc_universe`` / ``ipc_by_year`` — the same for all searched patents (not only the cities).

Ranks are 1 = largest, ties share the smallest rank. Growth rates are fractions (0.759 = 75.9 %).
"""
from __future__ import annotations

import pandas as pd

from gihi.analysis.disciplines import cagr
from gihi.model.method.ranking import rank_desc

MEASURES = ("valid", "pct", "triadic", "hq")


def city_totals(patents: pd.DataFrame, ids: list[str] | None = None) -> pd.DataFrame:
    """Sum of each measure over all years per city, with ``<measure>_rank`` columns; sorted by id.

    ``ids`` (e.g. all 119 cities) adds cities without rows as zeros.
    """
    sums = patents.groupby("id", sort=True)[list(MEASURES)].sum()
    if ids is not None:
        sums = sums.reindex(sorted(ids), fill_value=0)
    out = sums.astype("int64")
    for m in MEASURES:
        out[f"{m}_rank"] = rank_desc(out[m].astype(float)).astype("int64")
    return out.reset_index()


def top(totals: pd.DataFrame, measure: str, n: int) -> list[str]:
    """Ids of the ``n`` largest cities by ``measure`` (ties by id), largest first."""
    t = totals.sort_values("id", kind="mergesort").sort_values(measure, ascending=False, kind="mergesort")
    return list(t["id"].head(n))


def in_both_top(totals: pd.DataFrame, a: str = "pct", b: str = "triadic", n: int = 20) -> list[str]:
    """Cities in the top ``n`` of both measures, in the order of ``a``."""
    tb = set(top(totals, b, n))
    return [c for c in top(totals, a, n) if c in tb]


def flows(patents: pd.DataFrame, measure: str = "valid") -> pd.DataFrame:
    """Wide id × year of the yearly counts (by publication year)."""
    return patents.pivot_table(index="id", columns="year", values=measure, aggfunc="sum", fill_value=0).sort_index()


def stock(patents: pd.DataFrame, measure: str = "valid") -> pd.DataFrame:
    """Wide id × year of the cumulative count up to and including each year (the stock)."""
    return flows(patents, measure).cumsum(axis=1)


def yearly_ranks(wide: pd.DataFrame) -> pd.DataFrame:
    """Rank of each city within each year column of a wide id × year table."""
    return rank_desc(wide.astype(float)).astype("int64")


def growth(patents: pd.DataFrame, start: int, end: int, measure: str = "valid") -> pd.Series:
    """Per-city CAGR of the yearly flow from ``start`` to ``end`` (NaN when the start flow is 0)."""
    w = flows(patents, measure)
    return cagr(w[start], w[end], end - start).rename(f"cagr_{start}_{end}")


def aggregate_growth(patents: pd.DataFrame, start: int, end: int, measure: str = "valid") -> float:
    """CAGR of the flow summed over all cities in ``patents`` (the report's stage growth rates)."""
    w = flows(patents, measure).sum(axis=0)
    return cagr(float(w[start]), float(w[end]), end - start)


def top_n_series(wide: pd.DataFrame, n: int = 10, years: tuple[int, int] | None = None,
                 rank_by: str = "last") -> pd.DataFrame:
    """Long ``id, year, value`` for the ``n`` largest cities of a wide id × year table, optionally
    restricted to ``years`` = (first, last); rows in rank then year order (ties by id).

    ``rank_by="last"`` ranks by the last year column, ``"total"`` by the row sum. Figure 21
    (valid-patent stock, top 10, from the edition's ``stock_chart_from``): ``top_n_series(stock(p), 10, (first, last))``;
    Figure 22 (high-quality patents per year, top 10 by total): ``top_n_series(flows(p, "hq"), 10,
    rank_by="total")``.
    """
    key = wide[wide.columns.max()] if rank_by == "last" else wide.sum(axis=1)
    order = key.sort_index(kind="mergesort").sort_values(ascending=False, kind="mergesort").index[:n]
    sub = wide.loc[order]
    if years is not None:
        sub = sub.loc[:, [y for y in sub.columns if years[0] <= y <= years[1]]]
    out = sub.stack().rename("value").reset_index()
    out.columns = ["id", "year", "value"]
    return out


def ratio(totals: pd.DataFrame, num: str, den: str = "valid") -> pd.Series:
    """``num / den`` per city (index id), NaN where ``den`` is 0."""
    t = totals.set_index("id")
    d = t[den].astype(float)
    return (t[num] / d.where(d > 0)).rename(f"{num}_per_{den}")


def hotfields(ipc_universe: pd.DataFrame, ipc_groups: pd.DataFrame, hq_total: int, n: int = 30) -> pd.DataFrame:
    """The hot-field table: top ``n`` IPC groups by high-quality patents in the whole search.

    Columns ``rank, ipc, label_zh, label_en, field_group, hq_patents, share_pct`` where
    ``share_pct`` = 100 · hq_patents / ``hq_total`` (a patent can carry several groups, so shares
    do not add up to 100).
    """
    t = ipc_universe.sort_values("ipc", kind="mergesort").sort_values("hq_patents", ascending=False, kind="mergesort")
    t = t.head(n).reset_index(drop=True)
    labels = ipc_groups.set_index("code")
    out = pd.DataFrame({
        "rank": rank_desc(t["hq_patents"].astype(float)).astype("int64"),
        "ipc": t["ipc"],
        "label_zh": t["ipc"].map(labels["label_zh"]),
        "label_en": t["ipc"].map(labels["label_en"]),
        "field_group": t["ipc"].map(labels["field_group"]),
        "hq_patents": t["hq_patents"].astype("int64"),
        "share_pct": 100.0 * t["hq_patents"] / float(hq_total),
    })
    return out


def hotfield_matrix(ipc: pd.DataFrame, ids: list[str], codes: list[str]) -> pd.DataFrame:
    """Wide ``ids`` × ``codes`` of high-quality patents (absent pairs are 0), in the given orders."""
    w = ipc.pivot_table(index="id", columns="ipc", values="hq_patents", aggfunc="sum", fill_value=0)
    return w.reindex(index=list(ids), columns=list(codes), fill_value=0).astype("int64")


def group_codes(ipc_groups: pd.DataFrame, field_group: str) -> list[str]:
    """IPC codes of one Figure 26 field group, in meta-file order."""
    return list(ipc_groups.loc[ipc_groups["field_group"] == field_group, "code"])


def column_ranks(matrix: pd.DataFrame) -> pd.DataFrame:
    """Rank of each city (row) within each IPC column of a hot-field matrix."""
    return rank_desc(matrix.astype(float)).astype("int64")


def relative_advantage(matrix: pd.DataFrame) -> pd.DataFrame:
    """Revealed technological advantage within the matrix: the field's share of the city's
    patents divided by its share of all cities' patents (> 1 = relative specialisation).
    """
    m = matrix.astype(float)
    city_share = m.div(m.sum(axis=1), axis=0)
    pooled = m.sum(axis=0) / m.to_numpy().sum()
    return city_share.div(pooled, axis=1)


def hotfield_trends(ipc_by_year: pd.DataFrame, codes: list[str] | None = None) -> pd.DataFrame:
    """Wide IPC × year of high-quality patents (Figure 25), rows in ``codes`` order if given."""
    w = ipc_by_year.pivot_table(index="ipc", columns="year", values="hq_patents", aggfunc="sum", fill_value=0)
    return w.reindex(codes) if codes is not None else w.sort_index()


def applicant_concentration(applicants: pd.DataFrame, totals: pd.DataFrame, k: int = 3) -> pd.Series:
    """Share of a city's valid patents held by its ``k`` largest named applicants (index id)."""
    a = applicants.sort_values("applicant_zh", kind="mergesort").sort_values("valid_patents", ascending=False, kind="mergesort")
    top_k = a.groupby("id", sort=True)["valid_patents"].apply(lambda s: int(s.head(k).sum()))
    valid = totals.set_index("id")["valid"].astype(float)
    return (top_k / valid.reindex(top_k.index)).rename(f"cr{k}")


# --------------------------------------------------------------------------- an edition's results

HOTFIELDS_N = 30   # the report's IPC top-30 table
TOP = 20           # "top 20" comparisons (PCT and triadic leaders)


def periods(ed) -> dict:
    """The edition's AI-patent periods (``ai_patents`` in ``data/<year>/meta/edition.yaml``):
    ``stages`` (list of (start, end)), ``city_growth`` ({name: (start, end)}) and
    ``stock_chart_from`` (a year)."""
    from gihi.model.edition import SETTINGS
    cfg = ed.settings.get("ai_patents") or {}
    missing = [k for k in ("stages", "city_growth", "stock_chart_from") if k not in cfg]
    if missing:
        raise ValueError(f"{ed.location(SETTINGS)}: ai_patents needs {', '.join(missing)}")
    return {"stages": [(int(s), int(e)) for s, e in cfg["stages"]],
            "city_growth": {str(k): (int(v[0]), int(v[1])) for k, v in cfg["city_growth"].items()},
            "stock_chart_from": int(cfg["stock_chart_from"])}


def results(ed) -> dict:
    """The AI-patent analyses of an edition, computed once (the result ``ai_patents``):

    * ``totals`` — :func:`city_totals` over every city; ``hotfields`` — the IPC top 30;
    * ``both_top`` — the cities in both the PCT and the triadic top 20;
    * ``table`` — the ``ai_patents`` export table, with ``cagr_<name>``: the growth rate of the
      yearly valid flow over each of the edition's ``city_growth`` windows, in percent.
    """
    return ed.result("ai_patents", lambda: _results(ed))


def _results(ed) -> dict:
    a = ed.ai_patents
    if a is None:
        raise ValueError(f"the {ed.year} edition has no AI-patent data ({ed.year}/ai_patents/)")
    cities, patents = ed.cities, a.patents
    totals = city_totals(patents, ids=list(cities["id"]))
    table = totals.copy()
    windows = periods(ed)["city_growth"]
    for name, (start, end) in windows.items():
        table[f"cagr_{name}"] = 100 * table["id"].map(growth(patents, start, end))
    names = cities.set_index("id")
    table["name_zh"] = table["id"].map(names["name_zh"])
    table["name_en"] = table["id"].map(names["name_en"])
    cols = ["id", "name_zh", "name_en", "valid", "valid_rank", "hq", "hq_rank", "pct", "pct_rank",
            "triadic", "triadic_rank", *(f"cagr_{name}" for name in windows)]
    table = table.sort_values(["valid_rank", "id"], kind="mergesort").reset_index(drop=True)[cols]
    hot = hotfields(a.ipc_universe, a.ipc_groups, int(a.universe["hq_patents"]), n=HOTFIELDS_N)
    return {"totals": totals, "hotfields": hot, "both_top": in_both_top(totals, "pct", "triadic", TOP),
            "table": table}
