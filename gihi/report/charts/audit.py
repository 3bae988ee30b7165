"""Statistical-audit charts (chapter 08_audit): Monte Carlo rank intervals and Sobol' indices.

Inputs (tidy; ``id`` as a column or the index):

* ``intervals`` — ``id, group, rank, median_rank, p05_rank, p95_rank``
  (:func:`gihi.analysis.audit.uncertainty_frame`);
* ``indices`` — ``group, factor, factor_zh, factor_en, S1, S1_conf, ST, ST_conf``
  (:func:`gihi.analysis.audit.sensitivity_frame` with the assumptions' names added);
* ``cities`` — the city table (``id, name_zh, name_en``);
* ``matrix`` — a square correlation matrix, index and columns the sub-pillar codes
  (``consistency(ed)["subpillar_matrix"]``), with ``labels`` (``code`` → ``name_zh, name_en``).

The correlation heat map is drawn with seaborn (``seaborn.heatmap``) in the house style.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.ticker import MaxNLocator

from gihi.report import style
from gihi.report.charts._bars import styled
from gihi.report.charts._common import by_id, empty_figure, filter_group, new_figure, require
from gihi.report.charts.labels import Labeller

TEXT = {
    "rank_axis": {"zh": "排名", "en": "Rank"},
    "interval": {"zh": "第{lo}—{hi}百分位排名区间", "en": "{lo}th–{hi}th percentile of the simulated ranks"},
    "interval_wide": {"zh": "区间宽于{wide}位", "en": "Interval wider than {wide} ranks"},
    "median": {"zh": "模拟排名中位数", "en": "Median simulated rank"},
    "published": {"zh": "公布排名", "en": "Published rank"},
    "s1": {"zh": "一阶指数", "en": "First-order index"},
    "st": {"zh": "总效应指数", "en": "Total-effect index"},
    "sobol_axis": {"zh": "Sobol指数", "en": "Sobol' index"},
    "correlation": {"zh": "相关系数", "en": "Correlation"},
}
#: diverging colours for correlations: vermillion (−1) through white (0) to blue (+1)
CORRELATION_MAP = LinearSegmentedColormap.from_list(
    "gihi_corr", [style.OKABE_ITO["vermillion"], "#FFFFFF", style.OKABE_ITO["blue"]])
INTERVAL_COLOUR = style.OKABE_ITO["blue"]
WIDE_COLOUR = style.OKABE_ITO["vermillion"]


def _t(lab: Labeller, key: str, **fmt) -> str:
    e = TEXT[key]
    return lab.join(e["zh"].format(**fmt), e["en"].format(**fmt))


def _ordered(frame: pd.DataFrame, n: int | None) -> list[str]:
    r = pd.to_numeric(frame["rank"], errors="coerce").dropna()
    ids = list(r.sort_index(kind="mergesort").sort_values(kind="mergesort").index)
    return ids if n is None else ids[:n]


@styled
def audit_rank_intervals(intervals: pd.DataFrame, cities: pd.DataFrame, *, lang: str = "zh", n: int | None = 50,
                         group: str | None = "main", wide: int = 5, p_lo: int = 5, p_hi: int = 95,
                         per_panel: int = 25) -> Figure:
    """Rank intervals of the top ``n`` of ``group`` by published rank: a line from the lower to
    the upper percentile rank (vermillion when wider than ``wide`` ranks), an open circle at the
    median simulated rank and a black tick at the published rank. More than ``per_panel`` cities
    are split into side-by-side panels."""
    f = filter_group(by_id(intervals, "intervals"), group, cities)
    require(f, ["rank", "median_rank", "p05_rank", "p95_rank"], "intervals")
    lab = Labeller(lang, cities=cities)
    ids = _ordered(f, n)
    if not ids:
        return empty_figure(lab)
    d = f.loc[ids, ["rank", "median_rank", "p05_rank", "p95_rank"]].astype(float)
    npan = max(1, math.ceil(len(ids) / per_panel))
    rows = math.ceil(len(ids) / npan)
    fig = new_figure(style.FIG_WIDTH, max(2.4, 1.0 + 0.2 * rows))
    axes = fig.subplots(1, npan, squeeze=False)[0]
    fs = style.BASE_SIZE - (1.5 if lang != "bi" else 2.5)
    for k, ax in enumerate(axes):
        part = ids[k * rows:(k + 1) * rows]
        y = np.arange(len(part))
        sub = d.loc[part]
        width = sub["p95_rank"] - sub["p05_rank"]
        colours = [WIDE_COLOUR if w > wide else INTERVAL_COLOUR for w in width]
        ax.hlines(y, sub["p05_rank"], sub["p95_rank"], color=colours, linewidth=2.2, zorder=2)
        ax.scatter(sub["median_rank"], y, s=20, facecolors="white", edgecolors=colours, linewidths=1.1, zorder=3)
        ax.scatter(sub["rank"], y, s=26, marker="|", color=style.OKABE_ITO["black"], linewidths=1.3, zorder=4)
        ax.set_yticks(y, [f"{int(r)}  {lab.city(i)}" for i, r in zip(part, sub["rank"])], fontsize=fs)
        ax.set_ylim(rows - 0.5, -0.7)
        lo = max(0.5, float(sub["p05_rank"].min()) - 1.5)
        ax.set_xlim(lo, float(sub["p95_rank"].max()) + 1.5)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
        ax.set_xlabel(_t(lab, "rank_axis"))
        ax.grid(axis="y", visible=False)
        ax.tick_params(axis="y", length=0)
        ax.spines["left"].set_visible(False)
    any_wide = bool(((d["p95_rank"] - d["p05_rank"]) > wide).any())
    handles = [Line2D([], [], color=INTERVAL_COLOUR, linewidth=2.2, label=_t(lab, "interval", lo=p_lo, hi=p_hi))]
    if any_wide:
        handles.append(Line2D([], [], color=WIDE_COLOUR, linewidth=2.2, label=_t(lab, "interval_wide", wide=wide)))
    handles += [Line2D([], [], marker="o", linestyle="", markerfacecolor="white", markeredgecolor=style.TEXT,
                       label=_t(lab, "median")),
                Line2D([], [], marker="|", linestyle="", color=style.OKABE_ITO["black"], markersize=8,
                       label=_t(lab, "published"))]
    fig.legend(handles=handles, loc="outside lower center", ncol=2 if lang == "bi" else len(handles), fontsize=fs)
    return fig


@styled
def audit_sobol(indices: pd.DataFrame, *, lang: str = "zh") -> Figure:
    """First-order and total Sobol' indices per assumption (bars with their confidence
    intervals), one panel per group (``main`` then ``mini``)."""
    require(indices, ["group", "factor", "factor_zh", "factor_en", "S1", "S1_conf", "ST", "ST_conf"], "indices")
    lab = Labeller(lang)
    if indices.empty:
        return empty_figure(lab)
    groups = [g for g in ("main", "mini") if g in set(indices["group"])]
    groups += sorted(set(indices["group"]) - set(groups))
    factors = list(dict.fromkeys(indices["factor"]))
    fig = new_figure(style.FIG_WIDTH, 0.9 + 0.42 * len(factors) * (1.2 if lang == "bi" else 1.0))
    axes = fig.subplots(1, len(groups), squeeze=False)[0]
    y = np.arange(len(factors))
    h = 0.38
    for ax, g in zip(axes, groups):
        d = indices[indices["group"] == g].set_index("factor").reindex(factors)
        for off, key, colour in ((-h / 2, "S1", style.OKABE_ITO["blue"]), (h / 2, "ST", style.OKABE_ITO["vermillion"])):
            vals = d[key].astype(float).to_numpy()
            ax.barh(y + off, vals, height=h, color=colour, linewidth=0)
            ax.errorbar(vals, y + off, xerr=d[f"{key}_conf"].astype(float).to_numpy(), fmt="none",
                        ecolor=style.TEXT, elinewidth=0.7, capsize=1.5)
        labels = [lab.join(str(d.loc[f, "factor_zh"]), str(d.loc[f, "factor_en"]), sep="\n") for f in factors]
        ax.set_yticks(y, labels if ax is axes[0] else [""] * len(factors))
        ax.set_ylim(len(factors) - 0.5, -0.6)
        ax.set_xlim(min(0.0, float(np.nanmin(d[["S1", "ST"]].to_numpy(float))) - 0.05), 1.05)
        ax.axvline(0, color=style.GREY, linewidth=0.6)
        ax.set_title(lab.ui(f"group_{g}") if g in ("main", "mini") else str(g), loc="left", fontweight="bold",
                     fontsize=style.BASE_SIZE)
        ax.set_xlabel(_t(lab, "sobol_axis"))
        ax.grid(axis="y", visible=False)
        ax.tick_params(axis="y", length=0)
    handles = [Patch(color=style.OKABE_ITO["blue"], label=_t(lab, "s1")),
               Patch(color=style.OKABE_ITO["vermillion"], label=_t(lab, "st"))]
    fig.legend(handles=handles, loc="outside lower center", ncol=2)
    return fig


@styled
def audit_corr_heatmap(matrix: pd.DataFrame, labels: pd.DataFrame, *, lang: str = "zh") -> Figure:
    """The correlations of the sub-pillars with each other (lower triangle, each cell printed with
    two decimals), drawn with seaborn's heat map: blue positive, vermillion negative. Rows carry
    the sub-pillars' codes and names, columns their codes."""
    import seaborn as sns   # statistical charts only: seaborn is not needed by the others

    lab = Labeller(lang)
    codes = list(matrix.index)
    if not codes:
        return empty_figure(lab)
    m = matrix.loc[codes, codes].astype(float)
    names = labels.reindex(codes)
    rows = [f"{c}  " + lab.join(str(names.at[c, "name_zh"]), str(names.at[c, "name_en"]), sep=" / ") for c in codes]
    mask = np.triu(np.ones(m.shape, dtype=bool), k=1)
    fs = style.BASE_SIZE - (1.0 if lang != "bi" else 2.0)
    fig = new_figure(style.FIG_WIDTH, 0.9 + 0.3 * len(codes))
    ax = fig.subplots()
    sns.heatmap(m, mask=mask, ax=ax, cmap=CORRELATION_MAP, vmin=-1.0, vmax=1.0, annot=True, fmt=".2f",
                annot_kws={"fontsize": fs - 0.5}, linewidths=0.6, linecolor="white", square=False,
                cbar_kws={"label": _t(lab, "correlation"), "shrink": 0.8}, xticklabels=codes, yticklabels=rows)
    ax.tick_params(axis="both", length=0, labelsize=fs)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.grid(False)
    return fig


FIGURES = {"audit_rank_intervals": audit_rank_intervals, "audit_sobol": audit_sobol,
           "audit_corr_heatmap": audit_corr_heatmap}
