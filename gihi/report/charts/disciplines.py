"""Discipline-source chapter (学科策源地): Figures 11–14.

Inputs come from :mod:`gihi.analysis.disciplines` (all pure DataFrames; ``id`` as column or index):

* ``fig11_discipline_sources(listing, cities, *, lang, superstar_min=15)`` — ``listing`` =
  ``source_list(scores, mean_hcp_ratio(totals))`` (``id, n_top10``); ``cities`` with ``lat, lon,
  continent``. Bubble map; area = number of top-10 disciplines (1–22); superstar cities
  (``n_top10 >= superstar_min``) outlined in black and labelled; other evaluated cities as
  faint dots.
* ``fig12_excellence(data, cities, *, lang, baseline=0.01, x="papers")`` — ``data``: ``id, papers``
  (10-year total), ``mean_hcp_ratio`` (fraction), ``papers_cagr`` (fraction; colour = above / not
  above the mean CAGR of the cities shown) and, for ``x="n_top10"``, ``n_top10``. y = mean HCP
  ratio in %, dashed line at the 1 % baseline, bubble area = total papers. ``x="papers"`` (log
  axis, default, as briefed) or ``x="n_top10"`` (the report figure's x axis appears to be the
  number of top-10 disciplines).
* ``fig13_discipline_dendrogram(clustering, cities, *, lang, k=3)`` — ``clustering`` =
  ``cluster_profiles(shares)`` (``ids``, ``linkage``, ``leaf_order``); the tree cut into ``k``
  coloured clusters.
* ``fig14_discipline_heatmap(shares, clustering, cities, disciplines, *, lang, k=3)`` — ``shares`` =
  ``discipline_shares(totals, ids)`` (id × discipline code, rows sum to 1); ``disciplines`` =
  ``meta/disciplines.csv`` (``code, name_zh, name_en``). Rows in dendrogram leaf order with the
  dendrogram at the left.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from scipy.cluster.hierarchy import dendrogram

from gihi.report import style
from gihi.report.charts._bars import styled
from gihi.report.charts._common import by_id, city_attr, line_note, new_figure, place_labels, require
from gihi.report.charts.labels import Labeller
from gihi.report.charts.maps import world_axes


@styled
def fig11_discipline_sources(listing: pd.DataFrame, cities: pd.DataFrame, *, lang: str = "zh",
                             superstar_min: int = 15) -> Figure:
    """Bubble map of the discipline-source cities, area = number of top-10 disciplines."""
    li = by_id(listing, "listing")
    require(li, ["n_top10"], "listing")
    c = by_id(cities, "cities")
    require(c, ["lat", "lon"], "cities")
    lab = Labeller(lang, cities=cities)
    li = li[li.index.isin(c.index)]
    n_top = pd.to_numeric(li["n_top10"], errors="coerce").fillna(0)
    fig = new_figure(style.FIG_WIDTH, 3.8)
    ax = fig.subplots()
    world_axes(ax, lab)
    others = c.index.difference(li.index)
    ax.scatter(c.loc[others, "lon"].astype(float), c.loc[others, "lat"].astype(float), s=5, c="#CFCFCF",
               linewidths=0, zorder=2)
    order = list(n_top.sort_index(kind="mergesort").sort_values(ascending=False, kind="mergesort").index)
    area = 12 + n_top[order] * 14
    cont = city_attr(cities, order, "continent")
    cols = [style.CONTINENT_COLOURS.get(x, style.GREY) for x in cont]
    star = (n_top[order] >= superstar_min).to_numpy()
    lon, lat = c.loc[order, "lon"].astype(float), c.loc[order, "lat"].astype(float)
    ax.scatter(lon, lat, s=area, c=cols, alpha=0.7, edgecolors=np.where(star, style.OKABE_ITO["black"], "white"),
               linewidths=np.where(star, 1.1, 0.4), zorder=3)
    stars = [i for i, s in zip(order, star) if s]
    present = [k for k in style.CONTINENT_COLOURS if k in set(cont.dropna())]
    handles = [Line2D([], [], marker="o", linestyle="", color=style.CONTINENT_COLOURS[k], alpha=0.7, markersize=6,
                      label=lab.continent(k)) for k in present]
    handles.append(Line2D([], [], marker="o", linestyle="", markerfacecolor="none", markeredgecolor="black",
                          markersize=7, label=lab.ui("superstar") + (f"（≥{superstar_min}）" if lang == "zh" else f" (≥{superstar_min})")))
    for v in (1, 10, 22):
        handles.append(Line2D([], [], marker="o", linestyle="", color=style.GREY, alpha=0.6,
                              markersize=float(np.sqrt(12 + v * 14)), label=str(v)))
    fig.legend(handles=handles, loc="outside lower center", ncol=min(len(handles), 6),
               title=lab.ui("size_n_top10"))
    if stars:   # last: labels are placed on the settled layout, the largest first
        place_labels(ax, lon[stars].to_list(), lat[stars].to_list(), [lab.city(i) for i in stars],
                     sizes_pt=area[stars].to_list())
    return fig


@styled
def fig12_excellence(data: pd.DataFrame, cities: pd.DataFrame, *, lang: str = "zh", baseline: float = 0.01,
                     x: str = "papers", label_top: int = 12) -> Figure:
    """Excellence bubble chart: mean HCP ratio (%) against ``x``, with the global baseline."""
    d = by_id(data, "data")
    require(d, ["papers", "mean_hcp_ratio", "papers_cagr", x], "data")
    lab = Labeller(lang, cities=cities)
    d = d[["papers", "mean_hcp_ratio", "papers_cagr", x] if x != "papers" else ["papers", "mean_hcp_ratio", "papers_cagr"]]
    d = d.apply(pd.to_numeric, errors="coerce").dropna(subset=["papers", "mean_hcp_ratio", x])
    d = d.sort_index(kind="mergesort")
    above = d["papers_cagr"] > d["papers_cagr"].mean()
    pmax = float(d["papers"].max()) if len(d) else 1.0
    area = 15 + 400 * np.sqrt(d["papers"] / pmax if pmax > 0 else 0)
    fig = new_figure(style.FIG_WIDTH, 4.8)
    ax = fig.subplots()
    y = 100 * d["mean_hcp_ratio"]
    cols = np.where(above, style.OKABE_ITO["vermillion"], style.OKABE_ITO["blue"])
    ax.scatter(d[x], y, s=area, c=list(cols), alpha=0.6, edgecolors="white", linewidths=0.6, zorder=3)
    ax.axhline(100 * baseline, color=style.TEXT, linestyle="--", linewidth=0.9, zorder=2)
    if x == "papers":
        ax.set_xscale("log")
        ax.set_xlabel(lab.ui("papers_total"))
        from gihi.report.charts._common import thousands_formatter
        ax.xaxis.set_major_formatter(thousands_formatter())
        from matplotlib.ticker import FuncFormatter
        ax.xaxis.set_minor_formatter(FuncFormatter(
            lambda v, _p: f"{v:,.0f}" if round(v / 10 ** np.floor(np.log10(v))) in (2, 5) else ""))
    else:
        ax.set_xlabel(lab.ui("n_top10"))
    ax.set_ylabel(lab.ui("mean_hcp_ratio"))
    ax.margins(0.08)
    handles = [Line2D([], [], marker="o", linestyle="", color=style.OKABE_ITO["vermillion"], alpha=0.6, markersize=7,
                      label=lab.ui("cagr_above")),
               Line2D([], [], marker="o", linestyle="", color=style.OKABE_ITO["blue"], alpha=0.6, markersize=7,
                      label=lab.ui("cagr_below")),
               Line2D([], [], linestyle="", label=lab.ui("size_papers"))]
    fig.legend(handles=handles, loc="outside lower center", ncol=2 if lang == "bi" else 3)  # bilingual labels: 2 per row
    # last, on the settled layout: the baseline's name where it covers no bubble, then the labels
    # of the largest producers and of the best ratios
    line_note(ax, lab.ui("baseline"), 100 * baseline, fontsize=style.BASE_SIZE - 1.5)
    top = list(d["papers"].sort_values(ascending=False, kind="mergesort").index[:label_top])
    top += [i for i in y.sort_values(ascending=False, kind="mergesort").index[:3] if i not in top]
    place_labels(ax, d.loc[top, x].to_list(), y[top].to_list(), [lab.city(i) for i in top],
                 sizes_pt=area[top].to_list())
    return fig


def _cut_threshold(linkage: np.ndarray, k: int) -> float:
    """Distance threshold that cuts the tree into ``k`` clusters (scipy colour_threshold)."""
    if k <= 1 or len(linkage) < k - 1 or len(linkage) == 0:
        return 0.0
    h = np.sort(linkage[:, 2])
    return float((h[-(k - 1)] + h[-k]) / 2) if len(h) >= k else float(h[-(k - 1)] * 0.999)


def _dendro(ax, clustering, labels, k, orientation="left", no_labels=False):
    z = np.asarray(clustering.linkage, dtype=float)
    thr = _cut_threshold(z, k)
    palette = [style.OKABE_ITO[c] for c in ("blue", "vermillion", "bluish_green", "orange", "reddish_purple", "sky_blue")]
    # colour each link by the cluster of its leaves below the threshold (deterministic, no global palette)
    n = len(clustering.ids)
    from scipy.cluster.hierarchy import fcluster
    clus = fcluster(z, t=k, criterion="maxclust") if n > 1 else np.array([1])
    leaf_cluster = {i: clus[i] for i in range(n)}
    members = {i: {i} for i in range(n)}
    for j, row in enumerate(z):
        members[n + j] = members[int(row[0])] | members[int(row[1])]
    # stable cluster colour order: by first appearance in the leaf order
    leaf_pos = {cid: p for p, cid in enumerate(clustering.leaf_order)}
    first = {}
    for i in range(n):
        cl = leaf_cluster[i]
        first[cl] = min(first.get(cl, n), leaf_pos[clustering.ids[i]])
    colour_of = {cl: palette[r % len(palette)] for r, cl in enumerate(sorted(first, key=first.get))}

    def link_colour(node):
        cls = {leaf_cluster[i] for i in members[node]}
        return colour_of[cls.pop()] if len(cls) == 1 else style.GREY

    return dendrogram(z, ax=ax, orientation=orientation, labels=labels, no_labels=no_labels,
                      link_color_func=link_colour, color_threshold=thr, leaf_font_size=style.BASE_SIZE - 1.5)


@styled
def fig13_discipline_dendrogram(clustering, cities: pd.DataFrame, *, lang: str = "zh", k: int = 3) -> Figure:
    """Dendrogram of the discipline-share clustering (Ward, Euclidean), leaves = cities."""
    lab = Labeller(lang, cities=cities)
    n = len(clustering.ids)
    fig = new_figure(style.FIG_WIDTH * (0.7 if lang != "bi" else 0.85), max(3.0, 0.8 + 0.17 * n))
    ax = fig.subplots()
    _dendro(ax, clustering, [lab.city(i) for i in clustering.ids], k)
    ax.set_xlabel(lab.ui("distance"))
    ax.grid(axis="y", visible=False)
    ax.spines["left"].set_visible(False)
    ax.tick_params(axis="y", length=0)
    return fig


@styled
def fig14_discipline_heatmap(shares: pd.DataFrame, clustering, cities: pd.DataFrame, disciplines: pd.DataFrame, *,
                             lang: str = "zh", k: int = 3) -> Figure:
    """Heat map of each discipline's share of the city's papers; rows in dendrogram leaf order."""
    sh = by_id(shares, "shares")
    sh.columns = [str(x) for x in sh.columns]
    dm = disciplines.reset_index() if "code" not in disciplines.columns else disciplines
    require(dm, ["code", "name_zh", "name_en"], "disciplines")
    dm = dm.assign(code=dm["code"].astype(str)).set_index("code")
    lab = Labeller(lang, cities=cities)
    codes = [c for c in dm.index if c in sh.columns] + [c for c in sh.columns if c not in dm.index]
    leaves = list(clustering.leaf_order)
    missing = [i for i in leaves if i not in sh.index]
    if missing:
        raise KeyError(f"shares lacks the clustered ids {missing[:5]}")
    n, m = len(leaves), len(codes)
    col_label = [lab.join(dm.at[c, "name_zh"], dm.at[c, "name_en"], sep=" ") if c in dm.index else c for c in codes]
    fig = new_figure(style.FIG_WIDTH, max(3.6, 1.9 + 0.17 * n + (1.2 if lang != "zh" else 0.4)))
    gs = fig.add_gridspec(1, 2, width_ratios=[1.1, 6.0])
    axd = fig.add_subplot(gs[0, 0])
    axh = fig.add_subplot(gs[0, 1])
    info = _dendro(axd, clustering, None, k, no_labels=True)
    axd.set_axis_off()
    axd.set_ylim(0, 10 * n)
    # scipy places leaf j (in leaf order) at y = 5 + 10 j, bottom → top
    rows = [clustering.ids[int(v)] for v in info["leaves"]]
    data = sh.loc[rows, codes].to_numpy(dtype=float) * 100
    mesh = axh.pcolormesh(np.arange(m + 1), np.arange(n + 1) * 10, data, cmap=style.SEQUENTIAL,
                          vmin=0, vmax=max(1e-9, float(np.nanmax(data))) if data.size else 1, shading="flat")
    axh.set_ylim(0, 10 * n)
    axh.set_yticks(5 + 10 * np.arange(n), [lab.city(i) for i in rows])
    axh.yaxis.tick_right()
    axh.set_xticks(np.arange(m) + 0.5, col_label, rotation=90, fontsize=style.BASE_SIZE - 2)
    axh.tick_params(length=0, labelsize=style.BASE_SIZE - 1.5)
    axh.tick_params(axis="x", labelsize=style.BASE_SIZE - 2.5 if lang == "bi" else style.BASE_SIZE - 2)
    axh.grid(False)
    for side in ("left", "bottom", "right", "top"):
        axh.spines[side].set_visible(False)
    cb = fig.colorbar(mesh, ax=[axd, axh], location="top", shrink=0.35, aspect=25, pad=0.01)
    cb.set_label(lab.ui("discipline_share") + ("（%）" if lang == "zh" else " (%)"))
    cb.outline.set_visible(False)
    return fig
