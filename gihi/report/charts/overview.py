"""Overview chapter: development patterns (Fig 2), agglomeration vs radiation (Fig 3), mini-hub
patterns (Fig 4), rank changes, and the indicator tree of the methods section.

Inputs (tidy; ``id`` as a column or the index):

* ``patterns`` — ``id, group, A, B, C`` (``output/<year>/data/development_patterns.csv``,
  :func:`gihi.model.method.patterns.development_patterns`), pillar pattern scores in [0, 100].
* ``flows`` — ``id, group, agglomeration, radiation`` (``flows.csv``, :func:`gihi.model.method.patterns.flows`).
* ``scores`` — index scores with ``composite`` (``index_scores.csv`` / ``IndexResult.scores``).
* ``changes`` — ``id, rank, prev_rank`` (:func:`gihi.model.history.rank_changes`).
* ``cities`` — the city table (``id, name_zh, name_en, country_iso3, continent, group``).
* ``meta`` — code labels (:func:`gihi.report.charts.labels.code_labels`).
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from gihi.report import style
from gihi.report.charts._bars import styled
from gihi.report.charts._common import (by_id, city_attr, continent_colours, empty_figure, filter_group, new_figure, nice_ceiling,
                      panel_title, place_labels, require,
                      top_ids, wrap_title, wrap_to_width)
from gihi.report.charts.labels import Labeller

PILLARS = ("A", "B", "C")
REGIONS = (  # key, selector column, value, colour
    ("region_usa", "country_iso3", "USA", style.CONTINENT_COLOURS["north_america"]),
    ("region_europe", "continent", "europe", style.CONTINENT_COLOURS["europe"]),
    ("region_china", "country_iso3", "CHN", style.CONTINENT_COLOURS["asia"]),
)


def _radar_axes(ax, lab: Labeller, *, rmax: float = 100.0, ticks=None, fontsize=None):
    angles = [math.pi / 2 + 2 * math.pi * k / 3 for k in range(3)]
    ax.set_theta_offset(0)
    ax.set_xticks(angles)
    ax.set_xticklabels([panel_title(lab, p, 22 if lab.lang == "zh" else 12) for p in PILLARS], fontsize=fontsize or style.BASE_SIZE - 0.5)
    ax.set_ylim(0, rmax)
    if ticks is None:
        step = 20 if rmax > 60 else 10
        ticks = [t for t in range(step, int(rmax) + 1, step)]
    ax.set_yticks(list(ticks))
    ax.set_yticklabels([f"{t:g}" for t in ticks], fontsize=style.BASE_SIZE - 2.5, color=style.GREY)
    ax.set_rlabel_position(30)  # between the science-centre and ecosystem spokes
    ax.grid(color=style.LIGHT_GREY, linewidth=0.6)
    ax.spines["polar"].set_color(style.LIGHT_GREY)
    ax.tick_params(axis="x", pad=5)
    return angles


def _closed(angles, values):
    a = list(angles) + [angles[0]]
    v = list(values) + [values[0]]
    return a, v


@styled
def fig02_patterns(patterns: pd.DataFrame, cities: pd.DataFrame, meta: pd.DataFrame, *, lang: str = "zh",
                   group: str | None = "main") -> Figure:
    """Development patterns (Fig 2): radar of the pattern scores of A, B, C for the cities of the
    United States, Europe and China (one thin line per city) with the regional mean in bold."""
    p = filter_group(by_id(patterns, "patterns"), group, cities)
    require(p, PILLARS, "patterns")
    lab = Labeller(lang, meta=meta, cities=cities)
    if p.empty:
        return empty_figure(lab)
    rmax = nice_ceiling(float(p[list(PILLARS)].astype(float).max().max()))
    fig = new_figure(style.FIG_WIDTH, 2.8 if lang != "bi" else 3.1)
    axes = fig.subplots(1, 3, subplot_kw={"projection": "polar"})
    for ax, (key, col, val, colour) in zip(axes, REGIONS):
        sel = city_attr(cities, list(p.index), col)
        sub = p.loc[sel.index[sel == val], list(PILLARS)].astype(float).dropna()
        angles = _radar_axes(ax, lab, rmax=rmax)
        for cid in sorted(sub.index):
            a, v = _closed(angles, sub.loc[cid].to_list())
            ax.plot(a, v, color=colour, alpha=0.35, linewidth=0.7)
        if len(sub):
            a, v = _closed(angles, sub.mean().to_list())
            ax.plot(a, v, color=style.OKABE_ITO["black"], linewidth=1.6)
            ax.fill(a, v, color=colour, alpha=0.18, linewidth=0)
        ax.set_title(f"{lab.ui(key)}（{len(sub)}）" if lang == "zh" else f"{lab.ui(key)} ({len(sub)})",
                     loc="center", pad=14)
    handles = [Line2D([], [], color=style.GREY, linewidth=0.7, label=lab.ui("city_line")),
               Line2D([], [], color=style.OKABE_ITO["black"], linewidth=1.6, label=lab.ui("group_mean"))]
    fig.legend(handles=handles, loc="outside lower center", ncol=2)
    return fig


@styled
def fig03_flows(flows: pd.DataFrame, scores: pd.DataFrame, cities: pd.DataFrame, *, lang: str = "zh",
                n: int = 20, group: str | None = "main") -> Figure:
    """Agglomeration (x) vs radiation (y) of the composite top ``n`` (Fig 3), coloured by
    continent, with the line y = x (above it: radiation stronger than agglomeration)."""
    f = filter_group(by_id(flows, "flows"), group, cities)
    require(f, ["agglomeration", "radiation"], "flows")
    s = filter_group(by_id(scores, "scores"), group, cities)
    require(s, ["composite"], "scores")
    lab = Labeller(lang, cities=cities)
    ids = [i for i in top_ids(s["composite"], n) if i in f.index]
    d = f.loc[ids, ["agglomeration", "radiation"]].astype(float)
    if d.empty:
        return empty_figure(lab)
    fig = new_figure(style.FIG_WIDTH, 4.6)
    ax = fig.subplots()

    def lims(v):
        lo, hi = float(v.min()), float(v.max())
        span = max(hi - lo, 1.0)
        return lo - 0.08 * span, hi + 0.08 * span

    (x0, x1), (y0, y1) = lims(d["agglomeration"]), lims(d["radiation"])
    lo, hi = min(x0, y0), max(x1, y1)
    ax.plot([lo, hi], [lo, hi], color=style.GREY, linestyle="--", linewidth=0.9, zorder=1)
    ax.text(0.02, 0.98, "↖ " + lab.ui("radiation_stronger"), transform=ax.transAxes, ha="left", va="top",
            color=style.GREY, fontsize=style.BASE_SIZE - 1)
    ax.text(0.98, 0.02, lab.ui("agglomeration_stronger") + " ↘", transform=ax.transAxes, ha="right",
            va="bottom", color=style.GREY, fontsize=style.BASE_SIZE - 1)
    cols = continent_colours(cities, ids)
    ax.scatter(d["agglomeration"], d["radiation"], c=cols, s=36, zorder=3, edgecolors="white", linewidths=0.6)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_xlabel(lab.ui("agglomeration_axis"))
    ax.set_ylabel(lab.ui("radiation_axis"))
    _continent_legend(fig, cities, ids, lab)
    place_labels(ax, d["agglomeration"].to_list(), d["radiation"].to_list(), [lab.city(i) for i in ids])
    return fig


def _continent_legend(fig, cities, ids, lab, loc="outside lower center", marker="o"):
    cont = city_attr(cities, ids, "continent")
    present = [c for c in style.CONTINENT_COLOURS if c in set(cont.dropna())]
    if not present:
        return None
    handles = [Line2D([], [], marker=marker, linestyle="", color=style.CONTINENT_COLOURS[c], markersize=6,
                      label=lab.continent(c)) for c in present]
    return fig.legend(handles=handles, loc=loc, ncol=min(len(handles), 6))


@styled
def fig04_mini_patterns(patterns: pd.DataFrame, cities: pd.DataFrame, meta: pd.DataFrame, *, lang: str = "zh",
                        group: str | None = "mini") -> Figure:
    """Mini-hub development patterns: one small radar per city (filled), the mini-hub mean
    dashed; cities ordered by id-independent name order of their pattern sum (largest first)."""
    p = filter_group(by_id(patterns, "patterns"), group, cities)
    require(p, PILLARS, "patterns")
    p = p[list(PILLARS)].astype(float).dropna()
    lab = Labeller(lang, meta=meta, cities=cities)
    if p.empty:
        return empty_figure(lab)
    rmax = nice_ceiling(float(p.max().max()))
    order = top_ids(p.sum(axis=1), len(p))
    ncol = 4
    nrow = max(1, math.ceil(len(order) / ncol))
    fig = new_figure(style.FIG_WIDTH, 1.95 * nrow + 0.5)
    axes = fig.subplots(nrow, ncol, subplot_kw={"projection": "polar"}, squeeze=False).ravel()
    mean = p.mean()
    for k, ax in enumerate(axes):
        if k >= len(order):
            ax.set_visible(False)
            continue
        cid = order[k]
        angles = _radar_axes(ax, lab, rmax=rmax, ticks=(rmax / 2,), fontsize=style.BASE_SIZE - 2.5)
        if lang == "bi":
            ax.set_xticklabels([panel_title(lab, c, 12) for c in PILLARS], fontsize=style.BASE_SIZE - 3)
        a, v = _closed(angles, mean.to_list())
        ax.plot(a, v, color=style.OKABE_ITO["black"], linestyle="--", linewidth=0.9)
        cont = city_attr(cities, [cid], "continent").iloc[0]
        colour = style.CONTINENT_COLOURS.get(cont, style.OKABE_ITO["blue"])
        a, v = _closed(angles, p.loc[cid].to_list())
        ax.plot(a, v, color=colour, linewidth=1.4)
        ax.fill(a, v, color=colour, alpha=0.25, linewidth=0)
        ax.set_title(lab.city(cid, sep="\n"), loc="center", fontsize=style.BASE_SIZE - 0.5, pad=10)
    handles = [Line2D([], [], color=style.OKABE_ITO["black"], linestyle="--", linewidth=0.9, label=lab.ui("mini_mean"))]
    fig.legend(handles=handles, loc="outside lower center", ncol=1)
    return fig


@styled
def rank_changes(changes: pd.DataFrame, cities: pd.DataFrame, *, year: int, prev_year: int, lang: str = "zh",
                 n: int = 20) -> Figure:
    """Slope chart of the current top ``n``: previous rank (left) → current rank (right).

    Up = bluish green, down = vermillion, unchanged = grey; cities without a previous rank are
    marked as new. Right-hand labels: ``rank city (+k)``.
    """
    c = by_id(changes, "changes")
    require(c, ["rank", "prev_rank"], "changes")
    lab = Labeller(lang, cities=cities)
    cur = pd.to_numeric(c["rank"], errors="coerce")
    ids = list(cur.dropna().sort_index(kind="mergesort").sort_values(kind="mergesort").index[:n])
    prev = pd.to_numeric(c["prev_rank"], errors="coerce").reindex(ids)
    ymax = max([float(cur[ids].max())] + [float(v) for v in prev.dropna()]) if ids else 1.0
    fig = new_figure(style.FIG_WIDTH * 0.8, max(3.0, 0.8 + 0.2 * ymax))
    ax = fig.subplots()
    colours = {"up": style.OKABE_ITO["bluish_green"], "down": style.OKABE_ITO["vermillion"],
               "same": style.GREY, "new": style.OKABE_ITO["blue"]}
    for cid in ids:
        r, pr = float(cur[cid]), prev[cid]
        if pd.isna(pr):
            kind, tag = "new", lab.ui("rank_new")
        else:
            pr = float(pr)
            d = int(pr - r)
            kind = "up" if d > 0 else "down" if d < 0 else "same"
            tag = f"+{d}" if d > 0 else (f"\u2212{-d}" if d < 0 else "=")
            ax.plot([0, 1], [pr, r], color=colours[kind], linewidth=1.6 if kind != "same" else 1.0, zorder=2)
            ax.scatter([0], [pr], color=colours[kind], s=14, zorder=3)
            ax.annotate(f"{int(pr)}", (0, pr), xytext=(-5, 0), textcoords="offset points", ha="right", va="center",
                        fontsize=style.BASE_SIZE - 1.5, color=style.TEXT, annotation_clip=False)
        ax.scatter([1], [r], color=colours[kind], s=18, zorder=3,
                   marker="o" if kind != "new" else "D")
        ax.annotate(f"{int(r)}  {lab.city(cid)}  ({tag})" if lang != "zh" else f"{int(r)}  {lab.city(cid)}（{tag}）",
                    (1, r), xytext=(5, 0), textcoords="offset points", ha="left", va="center",
                    fontsize=style.BASE_SIZE - 1.5, color=colours[kind] if kind != "same" else style.TEXT,
                    annotation_clip=False)
    ax.set_xlim(-0.25, 1.0)
    ax.set_ylim(ymax + 0.8, 0.2)
    ax.set_xticks([0, 1], [lab.ui("rank_prev", year=prev_year), lab.ui("rank_now", year=year)])
    ax.xaxis.tick_top()
    ax.set_yticks([])
    ax.grid(False)
    for side in ("left", "bottom", "right", "top"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="x", length=0)
    handles = [Line2D([], [], color=colours[k], linewidth=1.6, label=lab.ui(f"rank_{k}")) for k in ("up", "down", "same")]
    if prev.isna().any():
        handles.append(Line2D([], [], color=colours["new"], marker="D", linestyle="", label=lab.ui("rank_new")))
    fig.legend(handles=handles, loc="outside lower center", ncol=4)
    return fig


@styled
def methods_tree(meta: pd.DataFrame, indicators: pd.DataFrame, *, lang: str = "zh") -> Figure:
    """The indicator tree: pillars → sub-pillars → indicators, as three columns of labels joined
    by elbow connectors. ``indicators`` needs ``code, subpillar`` (``meta/indicators.csv``);
    pillar and sub-pillar codes are those of ``indicators`` (``A1`` → pillar ``A``)."""
    ind = indicators.reset_index() if "code" not in indicators.columns else indicators
    require(ind, ["code", "subpillar"], "indicators")
    lab = Labeller(lang, meta=meta)
    ind = ind[["code", "subpillar"]].astype(str)
    subs = list(dict.fromkeys(ind["subpillar"]))
    pillars = list(dict.fromkeys(s[0] for s in subs))
    n = len(ind)
    fs = style.BASE_SIZE - (1.5 if lang != "bi" else 2.5)
    fig = new_figure(style.FIG_WIDTH, 0.5 + 0.19 * n * (1.0 if lang != "bi" else 1.7))
    fig.set_layout_engine("none")
    ax = fig.add_axes((0.01, 0.01, 0.98, 0.98))
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(n + 0.5, -0.5)
    xs = (0.02, 0.2, 0.47) if lang != "bi" else (0.01, 0.17, 0.45)
    y_of_ind = {c: k for k, c in enumerate(ind["code"])}
    y_of_sub = {s: float(np.mean([y_of_ind[c] for c in ind.loc[ind["subpillar"] == s, "code"]])) for s in subs}
    y_of_pil = {p: float(np.mean([y_of_sub[s] for s in subs if s[0] == p])) for p in pillars}
    for p in pillars:
        colour = style.PILLAR_COLOURS.get(p, style.OKABE_ITO["blue"])
        ax.text(xs[0], y_of_pil[p], wrap_title(lab.code(p, sep="\n"), 12) if lang == "en" else lab.code(p, sep="\n"), ha="left", va="center", fontsize=fs + 1,
                fontweight="bold", color=colour)
        for s in [s for s in subs if s[0] == p]:
            ax.plot([xs[1] - 0.025, xs[1] - 0.025], [y_of_pil[p], y_of_sub[s]], color=colour, linewidth=0.8)
            ax.plot([xs[1] - 0.025, xs[1] - 0.008], [y_of_sub[s], y_of_sub[s]], color=colour, linewidth=0.8)
            room = (xs[2] - xs[1] - 0.04) * fig.get_figwidth() * 0.98 * 72   # up to the indicators' connectors
            ax.text(xs[1], y_of_sub[s], wrap_to_width(lab.code(s, sep="\n"), room, fs), ha="left", va="center",
                    fontsize=fs, color=colour)
            for c in ind.loc[ind["subpillar"] == s, "code"]:
                y = y_of_ind[c]
                ax.plot([xs[2] - 0.025, xs[2] - 0.025], [y_of_sub[s], y], color=colour, linewidth=0.6)
                ax.plot([xs[2] - 0.025, xs[2] - 0.008], [y, y], color=colour, linewidth=0.6)
                ax.text(xs[2], y, f"{c}  {lab.code(c, sep=chr(10) + ' ' * 7)}", ha="left", va="center", fontsize=fs - 0.5,
                        color=style.TEXT)
    return fig
