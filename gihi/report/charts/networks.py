"""Co-authorship (Fig 28) and patent-collaboration (Fig 29) networks.

**No edge data exist** in the GIHI inputs — only each city's network centrality (I17: eigenvector
centrality in the co-authorship network; I18: degree centrality in the patent network). The links
drawn are therefore a deterministic **proxy**, built by :func:`proxy_graph`:

* gravity between cities *i* and *j*: ``g_ij = c_i · c_j / d_ij`` with ``c`` the centrality and
  ``d`` the great-circle distance in km (floored at 50 km);
* each city is linked to its ``k`` partners of largest gravity, plus the edges of the maximum
  spanning tree of the gravity graph (so the network is connected);
* layout: Kamada–Kawai, started from the cities' lon/lat (deterministic, keeps rough geography).

Node area = the centrality indicator; colour = continent; the ``label_top`` most central cities
are labelled. A note on the figure says the links are illustrative; captions must say so too.

Signature: ``figNN(raw, cities, meta, *, lang="zh", k=3, label_top=12, group="main")`` with
``raw`` = wide raw indicators (``id`` + ``I17``/``I18``), ``cities`` with ``lat, lon, continent``
(and ``group`` unless ``raw`` has it), ``meta`` the code labels.
"""
from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from gihi.report import style
from gihi.report.charts._bars import styled
from gihi.report.charts._common import by_id, filter_group, new_figure, place_labels, require, top_ids
from gihi.report.charts.labels import Labeller

EARTH_RADIUS_KM = 6371.0
MIN_DISTANCE_KM = 50.0


def great_circle_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Haversine distance in km (broadcasting)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


def proxy_graph(centrality: pd.Series, coords: pd.DataFrame, k: int = 3) -> nx.Graph:
    """Deterministic proxy network (see the module docstring).

    ``centrality``: Series id → value (missing / non-positive values are dropped);
    ``coords``: ``lat, lon`` indexed by id (or with an ``id`` column). Nodes carry ``centrality``,
    ``lat``, ``lon``; edges ``weight`` (gravity) and ``knn`` (True if a k-nearest-gravity link,
    False if added only by the spanning tree). Nodes are added in id order.
    """
    xy = by_id(coords, "coords")
    require(xy, ["lat", "lon"], "coords")
    c = pd.to_numeric(centrality, errors="coerce")
    c.index = c.index.astype(str)
    c = c[(c > 0) & c.index.isin(xy.index)].sort_index()
    ids = list(c.index)
    g = nx.Graph()
    for i in ids:
        g.add_node(i, centrality=float(c[i]), lat=float(xy.at[i, "lat"]), lon=float(xy.at[i, "lon"]))
    if len(ids) < 2:
        return g
    lat = xy.loc[ids, "lat"].to_numpy(float)
    lon = xy.loc[ids, "lon"].to_numpy(float)
    d = great_circle_km(lat[:, None], lon[:, None], lat[None, :], lon[None, :])
    d = np.maximum(d, MIN_DISTANCE_KM)
    cv = c.to_numpy(float)
    grav = cv[:, None] * cv[None, :] / d
    np.fill_diagonal(grav, -np.inf)
    kk = min(k, len(ids) - 1)
    for a in range(len(ids)):
        # largest gravity first; ties by id order (stable sort on the negated values)
        order = np.argsort(-grav[a], kind="stable")[:kk]
        for b in order:
            u, v = sorted((ids[a], ids[b]))
            g.add_edge(u, v, weight=float(grav[a, b]), knn=True)
    full = nx.Graph()
    full.add_nodes_from(ids)
    for a in range(len(ids)):
        for b in range(a + 1, len(ids)):
            full.add_edge(ids[a], ids[b], weight=float(grav[a, b]))
    for u, v, w in sorted(nx.maximum_spanning_edges(full, weight="weight", data=True, algorithm="kruskal"),
                          key=lambda e: tuple(sorted(e[:2]))):
        u, v = sorted((u, v))
        if not g.has_edge(u, v):
            g.add_edge(u, v, weight=float(w["weight"]), knn=False)
    return g


def layout(g: nx.Graph) -> dict[str, np.ndarray]:
    """Kamada–Kawai layout started from lon/lat (deterministic)."""
    if g.number_of_nodes() == 0:
        return {}
    if g.number_of_nodes() < 3:
        return {n: np.array([g.nodes[n]["lon"] / 180.0, g.nodes[n]["lat"] / 90.0]) for n in g}
    start = {n: np.array([g.nodes[n]["lon"] / 180.0, g.nodes[n]["lat"] / 90.0]) for n in g}
    return nx.kamada_kawai_layout(g, pos=start, weight=None)


def _darker(colour: str, f: float = 0.7) -> str:
    from matplotlib.colors import to_hex, to_rgb
    return to_hex(tuple(c * f for c in to_rgb(colour)))


def _network(raw, cities, meta, code, *, lang, k, label_top, group) -> Figure:
    r = by_id(raw, "raw")
    require(r, [code], "raw")
    r = filter_group(r, group, cities)
    cty = by_id(cities, "cities")
    lab = Labeller(lang, meta=meta, cities=cities)
    g = proxy_graph(r[code], cty, k=k)
    pos = layout(g)
    fig = new_figure(style.FIG_WIDTH, 4.8)
    ax = fig.subplots()
    ax.set_axis_off()
    nodes = list(g.nodes)
    if nodes:
        cen = np.array([g.nodes[n]["centrality"] for n in nodes])
        area = 10 + 290 * (cen - cen.min()) / (cen.max() - cen.min()) if cen.max() > cen.min() else np.full(len(cen), 60.0)
        edges = sorted(g.edges(data=True), key=lambda e: e[2]["weight"])
        if edges:
            w = np.array([e[2]["weight"] for e in edges])
            rank = (np.argsort(np.argsort(w, kind="stable"), kind="stable") + 1) / len(w)
            for (u, v, _), q in zip(edges, rank):
                ax.plot([pos[u][0], pos[v][0]], [pos[u][1], pos[v][1]], color=style.GREY,
                        linewidth=0.3 + 1.2 * q, alpha=0.25 + 0.45 * q, zorder=1, solid_capstyle="round")
        cont = cty["continent"].reindex(nodes) if "continent" in cty.columns else pd.Series(None, index=nodes)
        cols = [style.CONTINENT_COLOURS.get(x, style.GREY) for x in cont]
        xy = np.array([pos[n] for n in nodes])
        ax.scatter(xy[:, 0], xy[:, 1], s=area, c=cols, edgecolors="white", linewidths=0.5, zorder=3)
        pad = 0.06
        ax.set_xlim(xy[:, 0].min() - pad, xy[:, 0].max() + pad)
        ax.set_ylim(xy[:, 1].min() - pad, xy[:, 1].max() + pad)
        top = top_ids(pd.Series(cen, index=nodes), label_top)
        ed = {n: j for j, n in enumerate(nodes)}
        place_labels(ax, [pos[t][0] for t in top], [pos[t][1] for t in top], [lab.city(t) for t in top],
                     sizes_pt=[float(area[ed[t]]) for t in top], avoid_points=True,
                     colour=[_darker(cols[ed[t]]) for t in top],
                     fontsize=style.BASE_SIZE - 1)
        present = [x for x in style.CONTINENT_COLOURS if x in set(cont.dropna())]
        handles = [Line2D([], [], marker="o", linestyle="", color=style.CONTINENT_COLOURS[x], markersize=6,
                          label=lab.continent(x)) for x in present]
        if handles:
            fig.legend(handles=handles, loc="outside lower center", ncol=min(len(handles), 6))
    ax.set_title(lab.code(code), loc="left")
    note = lab.ui("network_proxy_note", sep="\n")
    ax.text(0.0, 0.0, note, transform=ax.transAxes, ha="left", va="bottom", fontsize=style.BASE_SIZE - 2.5,
            color=style.GREY)
    return fig


@styled
def fig28_coauthorship_network(raw: pd.DataFrame, cities: pd.DataFrame, meta: pd.DataFrame, *, lang: str = "zh",
                               k: int = 3, label_top: int = 12, group: str | None = "main") -> Figure:
    """Co-authorship network proxy: node size = I17 (eigenvector centrality); links from
    :func:`proxy_graph` (gravity proxy — **not** observed co-authorships)."""
    return _network(raw, cities, meta, "I17", lang=lang, k=k, label_top=label_top, group=group)


@styled
def fig29_patent_network(raw: pd.DataFrame, cities: pd.DataFrame, meta: pd.DataFrame, *, lang: str = "zh",
                         k: int = 3, label_top: int = 12, group: str | None = "main") -> Figure:
    """Patent-collaboration network proxy: node size = I18 (degree centrality); links from
    :func:`proxy_graph` (gravity proxy — **not** observed collaborations)."""
    return _network(raw, cities, meta, "I18", lang=lang, k=k, label_top=label_top, group=group)


__all__ = ["proxy_graph", "layout", "great_circle_km", "fig28_coauthorship_network", "fig29_patent_network"]
