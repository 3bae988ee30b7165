"""World map of the evaluated cities (no map data: a lon/lat graticule with continent names).

``map_cities(cities, *, scores=None, lang="zh", label_top=10)``: ``cities`` needs
``id, name_zh, name_en, lat, lon, continent, group``; ``scores`` (optional) ``id, composite`` and
optionally ``group`` — bubble area grows with the composite score; cities without a score (e.g.
excluded for lack of data) are small grey dots. Mini hubs are hollow markers.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from gihi.report import style
from gihi.report.charts._bars import styled
from gihi.report.charts._common import by_id, new_figure, place_labels, require, top_ids
from gihi.report.charts.labels import Labeller

#: Where the continent names are written (lon, lat): open areas without evaluated cities.
CONTINENT_LABEL_POS = {
    "north_america": (-112, 62),
    "south_america": (-72, -46),
    "europe": (18, 71),
    "africa": (18, 4),
    "asia": (95, 57),
    "oceania": (128, -47),
}
EXTENT = (-170.0, 180.0, -56.0, 78.0)


def world_axes(ax, lab: Labeller, *, extent=EXTENT, continents: bool = True):
    """Equirectangular lon/lat axes with a 30° graticule and faint continent names."""
    x0, x1, y0, y1 = extent
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xticks(np.arange(-150, 181, 30))
    ax.set_yticks(np.arange(-30, 61, 30))
    ax.xaxis.set_major_formatter(lambda v, _p: f"{abs(int(v))}°{'E' if v > 0 else 'W' if v < 0 else ''}")
    ax.yaxis.set_major_formatter(lambda v, _p: f"{abs(int(v))}°{'N' if v > 0 else 'S' if v < 0 else ''}")
    ax.tick_params(labelsize=style.BASE_SIZE - 2.5, colors=style.GREY, length=0)
    ax.grid(True, color=style.LIGHT_GREY, linewidth=0.5)
    ax.axhline(0, color="#D0D0D0", linewidth=0.7, zorder=0)
    for side in ("left", "bottom", "right", "top"):
        ax.spines[side].set_visible(True)
        ax.spines[side].set_color(style.LIGHT_GREY)
    ax.set_facecolor("#FAFAFA")
    if continents:
        for code, (lon, lat) in CONTINENT_LABEL_POS.items():
            if x0 <= lon <= x1 and y0 <= lat <= y1:
                ax.text(lon, lat, lab.continent(code), ha="center", va="center", fontsize=style.BASE_SIZE + 1,
                        color="#BDBDBD", fontweight="bold", zorder=0)
    return ax


def score_area(score: pd.Series, lo: float = 60.0, hi: float = 100.0, amin: float = 8.0, amax: float = 120.0) -> pd.Series:
    x = (pd.to_numeric(score, errors="coerce") - lo) / (hi - lo)
    return amin + (amax - amin) * x.clip(0, 1)


@styled
def map_cities(cities: pd.DataFrame, *, scores: pd.DataFrame | None = None, lang: str = "zh",
               label_top: int = 10) -> Figure:
    """Map of the cities: colour = continent, area = composite score (when ``scores`` given),
    hollow = mini hub; the ``label_top`` main-group cities by composite are labelled."""
    c = by_id(cities, "cities")
    require(c, ["lat", "lon"], "cities")
    lab = Labeller(lang, cities=cities)
    comp = None
    if scores is not None:
        s = by_id(scores, "scores")
        require(s, ["composite"], "scores")
        comp = pd.to_numeric(s["composite"], errors="coerce").reindex(c.index)
    fig = new_figure(style.FIG_WIDTH, 3.6)
    ax = fig.subplots()
    world_axes(ax, lab)
    group = c["group"] if "group" in c.columns else pd.Series("main", index=c.index)
    cont = c["continent"] if "continent" in c.columns else pd.Series(None, index=c.index, dtype=object)
    colours = [style.CONTINENT_COLOURS.get(k, style.GREY) for k in cont]
    area = score_area(comp) if comp is not None else pd.Series(28.0, index=c.index)
    scored = area.notna()
    lon, lat = c["lon"].astype(float), c["lat"].astype(float)
    col = pd.Series(colours, index=c.index)
    main = scored & (group != "mini")
    mini = scored & (group == "mini")
    ax.scatter(lon[main], lat[main], s=area[main], c=list(col[main]), alpha=0.85, edgecolors="white",
               linewidths=0.4, zorder=3)
    ax.scatter(lon[mini], lat[mini], s=area[mini], facecolors="none", edgecolors=list(col[mini]),
               linewidths=1.0, zorder=3)
    if (~scored).any():
        ax.scatter(lon[~scored], lat[~scored], s=6, c=style.GREY, zorder=2, linewidths=0)
    present = [k for k in style.CONTINENT_COLOURS if k in set(cont.dropna())]
    handles = [Line2D([], [], marker="o", linestyle="", color=style.CONTINENT_COLOURS[k], markersize=6,
                      label=lab.continent(k)) for k in present]
    if (group == "mini").any():
        handles.append(Line2D([], [], marker="o", linestyle="", markerfacecolor="none", markeredgecolor=style.TEXT,
                              markersize=6, label=lab.ui("group_mini")))
    fig.legend(handles=handles, loc="outside lower center", ncol=min(len(handles), 4 if lang == "bi" else 7))
    note = lab.ui("map_note") + ("；" if lang == "zh" else "; ") + lab.ui("size_composite") if comp is not None else lab.ui("map_note")
    ax.set_xlabel(note, fontsize=style.BASE_SIZE - 2.5, color=style.GREY)   # under the map, clear of the continents' names
    if label_top and comp is not None:   # last: labels are placed on the settled layout
        ids = top_ids(comp[group != "mini"], label_top)
        place_labels(ax, lon[ids].to_list(), lat[ids].to_list(), [lab.city(i) for i in ids],
                     sizes_pt=area[ids].to_list())
    return fig
