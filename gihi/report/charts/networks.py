"""The innovation hubs in the co-authorship (Fig 28) and patent-collaboration (Fig 29) networks.

The GIHI inputs hold each city's **centrality** in the two networks (I17: eigenvector centrality
in the co-authorship network; I18: degree centrality in the patent network), not who collaborates
with whom. So these charts draw what the data hold and nothing more: one row per region
(continent), each city a dot at its centrality, the dot's area growing with it, the most central
cities and each region's most central city named (or, with ``label_ids``, the cities given: the
chapters name the composite leaders, since a leader is not named from estimated values); no
links are drawn. (With record-level collaboration data, the links themselves could be drawn;
none are in the inputs.)

Signature: ``figNN(raw, cities, meta, *, lang="zh", label_top=12, group="main")`` with ``raw`` =
wide raw indicators (``id`` + ``I17``/``I18``), ``cities`` with ``continent`` (and ``group``
unless ``raw`` has it), ``meta`` the code labels.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from gihi.report import style
from gihi.report.charts._bars import styled
from gihi.report.charts._common import by_id, filter_group, new_figure, place_labels, require, top_ids
from gihi.report.charts.labels import Labeller

JITTER = 0.22   # vertical spread of a region's dots (deterministic, by rank within the region)


def _darker(colour: str, f: float = 0.7) -> str:
    from matplotlib.colors import to_hex, to_rgb
    return to_hex(tuple(c * f for c in to_rgb(colour)))


def _centrality_by_region(raw, cities, meta, code, *, lang, label_top, group, label_ids=None) -> Figure:
    r = by_id(raw, "raw")
    require(r, [code], "raw")
    r = filter_group(r, group, cities)
    cty = by_id(cities, "cities")
    lab = Labeller(lang, meta=meta, cities=cities)
    c = pd.to_numeric(r[code], errors="coerce").dropna().sort_index()
    cont = cty["continent"].reindex(c.index) if "continent" in cty.columns else pd.Series("", index=c.index)
    regions = [x for x in style.CONTINENT_COLOURS if x in set(cont.dropna())]
    regions += sorted(set(cont.dropna()) - set(regions))
    fig = new_figure(style.FIG_WIDTH, 1.6 + 0.75 * max(1, len(regions)))
    ax = fig.subplots()
    if len(c):
        y = np.zeros(len(c))
        for k, reg in enumerate(regions):
            ids = list(c.index[cont == reg])
            order = c.loc[ids].sort_values(kind="mergesort").index
            spread = np.linspace(-JITTER, JITTER, len(order)) if len(order) > 1 else np.zeros(1)
            for j, cid in enumerate(order):
                y[list(c.index).index(cid)] = k + spread[(j * 7) % len(order)]
        lo, hi = float(c.min()), float(c.max())
        area = 12 + 230 * (c.to_numpy() - lo) / (hi - lo) if hi > lo else np.full(len(c), 60.0)
        cols = [style.CONTINENT_COLOURS.get(x, style.GREY) for x in cont]
        ax.scatter(c.to_numpy(), y, s=area, c=cols, edgecolors="white", linewidths=0.5, alpha=0.9, zorder=3)
        ax.set_yticks(range(len(regions)), [lab.continent(x) for x in regions])
        ax.set_ylim(len(regions) - 0.5, -0.5)
        ax.set_xlabel(lab.code_with_unit(code, sep="\n"))
    ax.grid(axis="y", visible=False)
    ax.tick_params(axis="y", length=0)
    if len(c):   # last, on the settled layout: the most central cities, then each region's leader
        if label_ids is not None:   # the cities the reader looks for (e.g. the composite leaders)
            top = [i for i in dict.fromkeys(label_ids) if i in c.index]
        else:
            top = top_ids(c, label_top)
            top += [i for i in (top_ids(c[cont == reg], 1)[0] for reg in regions if (cont == reg).any()) if i not in top]
        pos = {cid: j for j, cid in enumerate(c.index)}
        place_labels(ax, [c[t] for t in top], [y[pos[t]] for t in top], [lab.city(t) for t in top],
                     sizes_pt=[float(area[pos[t]]) for t in top], avoid_points=True,
                     colour=[_darker(cols[pos[t]]) for t in top], fontsize=style.BASE_SIZE - 1)
    return fig


@styled
def fig28_coauthorship_network(raw: pd.DataFrame, cities: pd.DataFrame, meta: pd.DataFrame, *, lang: str = "zh",
                               label_top: int = 8, group: str | None = "main",
                               label_ids=None) -> Figure:
    """Centrality in the scientific co-authorship network (I17) of each city, by region; no links."""
    return _centrality_by_region(raw, cities, meta, "I17", lang=lang, label_top=label_top, group=group,
                                 label_ids=label_ids)


@styled
def fig29_patent_network(raw: pd.DataFrame, cities: pd.DataFrame, meta: pd.DataFrame, *, lang: str = "zh",
                         label_top: int = 8, group: str | None = "main",
                         label_ids=None) -> Figure:
    """Centrality in the patent-collaboration network (I18) of each city, by region; no links."""
    return _centrality_by_region(raw, cities, meta, "I18", lang=lang, label_top=label_top, group=group,
                                 label_ids=label_ids)


__all__ = ["fig28_coauthorship_network", "fig29_patent_network"]
