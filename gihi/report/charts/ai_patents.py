"""AI-patent chapter (人工智能技术专利): Figures 21–26. Inputs from :mod:`gihi.analysis.ai_patents`:

* ``fig21_ai_stock_trend(series, cities, *, lang)`` — ``series`` = ``top_n_series(stock(p), 10,
  (2004, 2022))``: long ``id, year, value`` in rank order; one line per city, direct labels.
* ``fig22_ai_hq_trend(series, cities, *, lang)`` — ``top_n_series(flows(p, "hq"), 10,
  rank_by="total")``.
* ``fig23_ai_pct(totals, cities, *, lang, n=20)`` / ``fig24_ai_triadic(...)`` — ``totals`` =
  ``city_totals(p)`` (``id, valid, pct, triadic, hq``); bars of the top ``n``, coloured by
  continent, labelled with the count and the share of valid patents.
* ``fig25_hotfield_trends(trends, ipc_groups, *, lang, n=8, years=None)`` — ``trends`` =
  ``hotfield_trends(ipc_by_year)`` (wide IPC × year); the ``n`` fields with the largest total.
* ``fig26_hotfield_heatmap(matrix, ipc_groups, cities, *, lang, field_group)`` — ``matrix`` =
  ``hotfield_matrix(ipc, ids, group_codes(ipc_groups, field_group))`` (ids × IPC codes, counts);
  drawn transposed (fields as rows, cities as columns); call once per field group for 26(a)–(d).
  ``ipc_groups`` = ``meta/ipc_groups.csv``.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
from matplotlib.colors import PowerNorm
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from gihi.report import style
from gihi.report.charts._bars import styled
from gihi.report.charts._common import (by_id, continent_colours, city_attr, direct_labels, fmt_value, hbar_panels, new_figure,
                      nice_ticks, require, rows_height, thousands_formatter, top_ids, wrap_title, wrap_to_width)
from gihi.report.charts.labels import LABELS, Labeller

CJK_RE = re.compile(r"[\u3400-\u9fff]")

LINE_STYLES = [(c, ls) for ls in ("-", "--") for c in
               (style.OKABE_ITO[k] for k in ("blue", "vermillion", "bluish_green", "orange", "reddish_purple",
                                             "sky_blue", "black"))]


def _series_lines(series: pd.DataFrame, cities, *, lang: str, ylabel_key: str) -> Figure:
    require(series, ["id", "year", "value"], "series")
    lab = Labeller(lang, cities=cities)
    s = series.assign(id=series["id"].astype(str))
    ids = list(dict.fromkeys(s["id"]))
    fig = new_figure(style.FIG_WIDTH, 4.2)
    ax = fig.subplots()
    ends, colours, texts = {}, {}, {}
    for k, cid in enumerate(ids):
        d = s[s["id"] == cid].sort_values("year")
        colour, ls = LINE_STYLES[k % len(LINE_STYLES)]
        ax.plot(d["year"].astype(int), d["value"].astype(float), color=colour, linestyle=ls, linewidth=1.5)
        if len(d):
            ends[cid] = (float(d["year"].iloc[-1]), float(d["value"].iloc[-1]))
            colours[cid] = colour
            texts[cid] = lab.city(cid)
    ax.set_ylabel(lab.ui(ylabel_key))
    ax.yaxis.set_major_formatter(thousands_formatter())
    ax.grid(axis="x", visible=False)
    years = sorted(s["year"].astype(int).unique())
    if years:
        ax.set_xlim(years[0], years[-1])
        step = max(1, int(np.ceil(len(years) / 10)))
        ax.set_xticks(years[::-1][::step][::-1])
    ax.set_ylim(bottom=0)
    direct_labels(ax, ends, colours, texts)
    return fig


@styled
def fig21_ai_stock_trend(series: pd.DataFrame, cities: pd.DataFrame, *, lang: str = "zh") -> Figure:
    """Valid AI invention-patent stock of the top 10 cities by year (lines, direct labels)."""
    return _series_lines(series, cities, lang=lang, ylabel_key="ai_valid_stock")


@styled
def fig22_ai_hq_trend(series: pd.DataFrame, cities: pd.DataFrame, *, lang: str = "zh") -> Figure:
    """High-quality AI patents per year of the top 10 cities by total (lines, direct labels)."""
    return _series_lines(series, cities, lang=lang, ylabel_key="ai_hq")


def _totals_bars(totals: pd.DataFrame, cities, *, measure: str, key: str, lang: str, n: int) -> Figure:
    t = by_id(totals, "totals")
    require(t, [measure], "totals")
    lab = Labeller(lang, cities=cities)
    ids = top_ids(t[measure], n)
    cols = continent_colours(cities, ids)
    fig = new_figure(style.FIG_WIDTH * 0.8, rows_height(len(ids), extra=1.2, lang=lang))
    vals = pd.to_numeric(t[measure], errors="coerce")
    (ax,) = hbar_panels(fig, ids, [{"values": vals, "title": lab.ui(key)}], lab, colours=cols)
    if "valid" in t.columns:
        valid = pd.to_numeric(t["valid"], errors="coerce")
        for txt in list(ax.texts):
            txt.remove()
        hi = ax.get_xlim()[1]
        ax.set_xlim(0, hi * 1.12)
        for y, cid in enumerate(ids):
            v, base = vals.get(cid, np.nan), valid.get(cid, np.nan)
            share = f"{100 * v / base:.1f}%" if base and base > 0 and not np.isnan(v) else "–"
            ax.annotate(f"{fmt_value(v)}  ({share})" if lang != "zh" else f"{fmt_value(v)}（{share}）",
                        (0 if np.isnan(v) else v, y), xytext=(3, 0), textcoords="offset points",
                        va="center", ha="left", fontsize=style.BASE_SIZE - 1.5)
        ax.set_xlabel(wrap_to_width(lab.ui("share_of_valid_note"), fig.get_figwidth() * 72 - 170, style.BASE_SIZE))
    cont = city_attr(cities, ids, "continent")
    present = [c for c in style.CONTINENT_COLOURS if c in set(cont.dropna())]
    handles = [Line2D([], [], marker="s", linestyle="", color=style.CONTINENT_COLOURS[c], markersize=6,
                      label=lab.continent(c)) for c in present]
    if handles:
        fig.legend(handles=handles, loc="outside lower center", ncol=min(6, len(handles)))
    return fig


@styled
def fig23_ai_pct(totals: pd.DataFrame, cities: pd.DataFrame, *, lang: str = "zh", n: int = 20) -> Figure:
    """PCT AI patents of the top ``n`` (bars by continent; label = count and share of valid)."""
    return _totals_bars(totals, cities, measure="pct", key="ai_pct", lang=lang, n=n)


@styled
def fig24_ai_triadic(totals: pd.DataFrame, cities: pd.DataFrame, *, lang: str = "zh", n: int = 20) -> Figure:
    """Triadic AI patents of the top ``n`` (bars by continent; label = count and share of valid)."""
    return _totals_bars(totals, cities, measure="triadic", key="ai_triadic", lang=lang, n=n)


def ipc_display(code: str) -> str:
    """``G06N-0003`` → ``G06N 3/00`` (IPC main-group notation); other strings unchanged."""
    sub, _, num = str(code).partition("-")
    return f"{sub} {int(num)}/00" if num.isdigit() else str(code)


def _ipc_label(ipc_groups: pd.DataFrame, code: str, lang: str, sep: str = " ") -> str:
    g = ipc_groups.set_index(ipc_groups["code"].astype(str)) if "code" in ipc_groups.columns else ipc_groups
    if code not in g.index:
        return code
    lab = Labeller(lang)
    return lab.join(str(g.at[code, "label_zh"]), str(g.at[code, "label_en"]), sep=sep)


@styled
def fig25_hotfield_trends(trends: pd.DataFrame, ipc_groups: pd.DataFrame, *, lang: str = "zh", n: int = 8,
                          years: tuple[int, int] | None = None) -> Figure:
    """High-quality patents per year of the ``n`` largest hot fields (IPC groups)."""
    require(ipc_groups, ["code", "label_zh", "label_en"], "ipc_groups")
    w = trends.copy()
    w.index = w.index.astype(str)
    w.columns = [int(c) for c in w.columns]
    if years is not None:
        w = w.loc[:, [c for c in w.columns if years[0] <= c <= years[1]]]
    w = w.sort_index(axis=1)
    codes = top_ids(w.sum(axis=1), n)
    lab = Labeller(lang)
    fig = new_figure(style.FIG_WIDTH, 4.6 if lang != "bi" else 5.2)
    ax = fig.subplots()
    handles = []
    for k, code in enumerate(codes):
        colour, ls = LINE_STYLES[k % len(LINE_STYLES)]
        (h,) = ax.plot(w.columns, w.loc[code].astype(float), color=colour, linestyle=ls, linewidth=1.5,
                       label=wrap_title(f"{ipc_display(code)}  {_ipc_label(ipc_groups, code, lang)}", 60))
        handles.append(h)
    ax.set_ylabel(lab.ui("hq_patents_axis"))
    ax.yaxis.set_major_formatter(thousands_formatter())
    ax.grid(axis="x", visible=False)
    if len(w.columns):
        ax.set_xlim(w.columns[0], w.columns[-1])
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(bottom=0)
    fig.legend(handles=handles, loc="outside lower center", ncol=2, fontsize=style.BASE_SIZE - 2)
    return fig


@styled
def fig26_hotfield_heatmap(matrix: pd.DataFrame, ipc_groups: pd.DataFrame, cities: pd.DataFrame, *,
                           lang: str = "zh", field_group: str | None = None) -> Figure:
    """Hot fields (rows: the IPC groups of one field group) × cities (columns, in the order of
    ``matrix``'s rows): high-quality patents as cell numbers; colour on a square-root scale so that
    small counts stay visible. ``matrix`` is ids × IPC codes (as from ``hotfield_matrix``)."""
    require(ipc_groups, ["code", "label_zh", "label_en"], "ipc_groups")
    m = matrix.copy()
    m.index = m.index.astype(str)
    m.columns = [str(c) for c in m.columns]
    m = m.T  # fields as rows: their long names read horizontally
    lab = Labeller(lang, cities=cities)
    data = m.to_numpy(dtype=float)
    nr, nc = data.shape
    def text_in(t: str) -> float:  # rough printed length (inches) at the tick font size
        return sum(0.09 if CJK_RE.match(ch) else 0.05 for ch in t)

    head = max((text_in(lab.city(i)) for i in m.columns), default=0.5)
    width = 20 if lang == "zh" else 36
    yl = []
    for code in m.index:
        parts = _ipc_label(ipc_groups, code, lang, sep="\n").split("\n")
        yl.append("\n".join(wrap_title(p, width if not CJK_RE.search(p) else width // 2 + 4) for p in parts))
    # a row holds its field's name: as many lines as the longest name (6.5 pt type), with air
    lines = max((y.count("\n") + 1 for y in yl), default=1)
    row_h = max(0.3 if lang == "zh" else 0.42, (lines * (style.BASE_SIZE - 2) * 1.25 + 5) / 72)
    fig = new_figure(style.FIG_WIDTH, max(3.0, 1.3 + head + row_h * nr))
    ax = fig.subplots()
    vmax = float(np.nanmax(data)) if data.size and np.nanmax(data) > 0 else 1.0
    norm = PowerNorm(0.5, vmin=0, vmax=vmax)
    mesh = ax.pcolormesh(np.arange(nc + 1), np.arange(nr + 1), data, cmap=style.SEQUENTIAL, norm=norm,
                         shading="flat", edgecolors="white", linewidth=0.5)
    ax.set_ylim(nr, 0)
    ax.set_yticks(np.arange(nr) + 0.5, yl, fontsize=style.BASE_SIZE - 2)
    ax.set_xticks(np.arange(nc) + 0.5, [lab.city(i) for i in m.columns], rotation=90, fontsize=style.BASE_SIZE - 2)
    ax.xaxis.tick_top()
    ax.tick_params(length=0)
    ax.grid(False)
    for side in ("left", "bottom", "right", "top"):
        ax.spines[side].set_visible(False)
    for r in range(nr):
        for c in range(nc):
            v = data[r, c]
            ax.text(c + 0.5, r + 0.5, fmt_value(v), ha="center", va="center", fontsize=style.BASE_SIZE - 3,
                    color="white" if norm(v) > 0.55 else style.TEXT)
    if field_group:
        key = f"fg_{field_group}"
        title = lab.ui(key) if key in LABELS else field_group
        ax.set_title(title, loc="left", pad=6)
    cb = fig.colorbar(mesh, ax=ax, location="bottom", shrink=0.5, aspect=30, pad=0.02)
    cb.set_label(lab.ui("hq_patents_axis"))
    cb.outline.set_visible(False)
    cb.set_ticks(nice_ticks(vmax))
    cb.ax.xaxis.set_major_formatter(thousands_formatter())
    return fig
