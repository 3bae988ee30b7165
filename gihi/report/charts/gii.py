"""GII benchmark chart (appendix 09_gii): GIHI ranks against GII cluster ranks, one scatter
panel per comparison (input: :func:`gihi.report.chapters.gii.scatter_panels`)."""
from __future__ import annotations

from typing import Mapping

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from gihi.report import style
from gihi.report.charts._bars import styled
from gihi.report.charts._common import new_figure, place_labels, wrap_title
from gihi.report.charts.labels import join


def _txt(d: Mapping | None, lang: str, sep: str = " ") -> str:
    return "" if d is None else join(d["zh"], d["en"], lang, sep)


@styled
def gii_rank_scatter(panels: list[dict], continents: Mapping[str, Mapping], *, lang: str = "zh") -> Figure:
    """Rank-against-rank scatter panels side by side (1 = best at the origin). Each panel:
    ``points`` (``x, y, label_zh, label_en, continent, show``), ``xlabel``, ``ylabel``, ``title``
    (or None), ``stat`` (the correlation, top left), ``diagonal`` (draw the equal-rank line) and
    ``equal`` (its label). Points are coloured by continent (legend below); ``show`` marks the
    labelled points. ``continents``: continent code → ``{zh, en}``."""
    n = len(panels)
    fig = new_figure(style.FIG_WIDTH, 4.8 if n == 1 else 3.4)
    axes = fig.subplots(1, n, squeeze=False)[0]
    present = set()
    jobs = []
    sep = "\n" if lang == "bi" else " "
    for ax, p in zip(axes, panels):
        d = p["points"]
        present |= set(d["continent"])
        hi = max(int(d["x"].max()), int(d["y"].max()) if p["diagonal"] else 1) if len(d) else 1
        if p["diagonal"]:
            ax.plot([1, hi], [1, hi], color=style.GREY, linestyle="--", linewidth=0.9, zorder=1)
            ax.text(0.98, 0.98, _txt(p["equal"], lang), transform=ax.transAxes, ha="right", va="top",
                    color=style.GREY, fontsize=style.BASE_SIZE - 1)
        cols = [style.CONTINENT_COLOURS.get(k, style.GREY) for k in d["continent"]]
        ax.scatter(d["x"], d["y"], c=cols, s=26, zorder=3, edgecolors="white", linewidths=0.5)
        ax.set_xlim(0, int(d["x"].max()) + 3 if len(d) else 10)
        ax.set_ylim(0, int(d["y"].max()) + (3 if p["diagonal"] else 1) if len(d) else 10)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel(_txt(p["xlabel"], lang, sep))
        ax.set_ylabel(_txt(p["ylabel"], lang, sep))
        if p["title"]:
            t = p["title"]
            ax.set_title(_txt({"zh": wrap_title(t["zh"], 14), "en": wrap_title(t["en"], 26)}, lang, sep),
                         fontsize=style.BASE_SIZE - 0.5)
        # the statistic in an empty corner: top left above the diagonal, else bottom right
        sx, sy, ha, va = (0.02, 0.98, "left", "top") if p["diagonal"] else (0.98, 0.02, "right", "bottom")
        ax.text(sx, sy, p["stat"]["en" if lang == "bi" else lang], transform=ax.transAxes, ha=ha, va=va,
                fontsize=style.BASE_SIZE - 1, color=style.TEXT)
        lab = d[d["show"]]
        if len(lab):
            jobs.append((ax, lab))
    order = [k for k in style.CONTINENT_COLOURS if k in present]
    handles = [Line2D([], [], marker="o", linestyle="", color=style.CONTINENT_COLOURS[k], markersize=5,
                      label=_txt(continents.get(k, {"zh": k, "en": k}), lang)) for k in order]
    if handles:
        fig.legend(handles=handles, loc="outside lower center", ncol=min(len(handles), 6))
    for ax, lab in jobs:   # last: labels are placed on the settled layout
        place_labels(ax, lab["x"].tolist(), lab["y"].tolist(),
                     [_txt({"zh": a, "en": b}, lang, sep) for a, b in zip(lab["label_zh"], lab["label_en"])],
                     fontsize=style.BASE_SIZE - 2)
    return fig


FIGURES = {"gii_rank_scatter": gii_rank_scatter}
