"""The two chart types of the pillar chapters: sub-pillar scores of a pillar's top N, and raw
indicator values for a sub-pillar's top N."""
from __future__ import annotations

import functools
import math
from typing import Sequence

import pandas as pd
from matplotlib.figure import Figure

from gihi.report import style
from gihi.report.charts._common import (by_id, filter_group, hbar_panels, new_figure, panel_title, require, rows_height,
                                        settle, top_ids)
from gihi.report.charts.labels import LANGS, Labeller


def styled(fn):
    """Run a chart function inside the house style and check ``lang``; the figure it returns is
    settled (laid out for good, crowded ticks thinned: :func:`gihi.report.charts._common.settle`)."""
    @functools.wraps(fn)
    def wrapper(*args, lang: str = "zh", **kwargs):
        if lang not in LANGS:
            raise ValueError(f"lang must be one of {LANGS}, got {lang!r}")
        with style.use_style():
            fig = fn(*args, lang=lang, **kwargs)
            settle(fig)
            return fig
    return wrapper


SCORE_STEP = 20   # the score axis' tick step (60, 80, 100 on the 2023 scale)


def score_axis(values: Sequence[pd.Series]) -> tuple[int, int]:
    """The ends of a score axis: multiples of :data:`SCORE_STEP` around every value shown, so the
    axis follows the method's scale (``meta/method.yaml``; 60 to 100 in 2023)."""
    lo = min(float(v.min()) for v in values)
    hi = max(float(v.max()) for v in values)
    return int(math.floor(lo / SCORE_STEP) * SCORE_STEP), int(math.ceil(hi / SCORE_STEP) * SCORE_STEP)


def _subpillars(meta: pd.DataFrame, pillar: str, scores: pd.DataFrame) -> list[str]:
    cols = [c for c in scores.columns if len(c) == 2 and c[0] == pillar and c[1].isdigit()]
    return sorted(cols)


def pillar_top(scores: pd.DataFrame, cities: pd.DataFrame, meta: pd.DataFrame, *, pillar: str,
               lang: str = "zh", n: int = 20, group: str | None = "main") -> Figure:
    """Top ``n`` cities by ``pillar`` score: one lollipop panel for the pillar score and one per
    sub-pillar (scores on the report's [60, 100] scale; the axis starts at 60, the scale minimum)."""
    s = filter_group(by_id(scores, "scores"), group, cities)
    require(s, [pillar], "scores")
    subs = _subpillars(meta, pillar, s)
    lab = Labeller(lang, meta=meta, cities=cities)
    ids = top_ids(s[pillar], n)
    colour = style.PILLAR_COLOURS.get(pillar, style.OKABE_ITO["blue"])
    chars = 26 if lang == "zh" else 13
    panels = [{"values": s[pillar], "title": panel_title(lab, pillar, chars), "colour": style.PILLAR_COLOURS["composite"], "decimals": 1,
               "title_size": style.BASE_SIZE - 0.5}]
    panels += [{"values": s[c], "title": panel_title(lab, c, chars), "colour": colour, "decimals": 1,
                "title_size": style.BASE_SIZE - 0.5} for c in subs]
    height = rows_height(len(ids), extra=1.3 if lang != "bi" else 1.9, lang=lang)
    fig = new_figure(style.FIG_WIDTH, height)
    lo, hi = score_axis([p["values"].reindex(ids) for p in panels])
    axes = hbar_panels(fig, ids, panels, lab, lollipop_from=float(lo))
    for ax in axes:
        ax.set_xlim(lo, hi + 6)
        ax.set_xticks(range(lo, hi + 1, SCORE_STEP))
    fig.supxlabel(lab.ui("score"), fontsize=style.BASE_SIZE)
    return fig


def indicator_bars(raw: pd.DataFrame, scores: pd.DataFrame, cities: pd.DataFrame, meta: pd.DataFrame, *,
                   rank_by: str, codes: Sequence[str], lang: str = "zh", n: int = 20,
                   group: str | None = "main") -> Figure:
    """Raw values of ``codes`` (one bar panel each) for the top ``n`` cities by the ``rank_by``
    score (e.g. sub-pillar ``"A1"``), cities in rank order top → bottom, bars coloured by the
    pillar of ``rank_by``; missing values are marked."""
    s = filter_group(by_id(scores, "scores"), group, cities)
    require(s, [rank_by], "scores")
    r = by_id(raw, "raw")
    require(r, codes, "raw")
    lab = Labeller(lang, meta=meta, cities=cities)
    ids = top_ids(s[rank_by], n)
    colour = style.PILLAR_COLOURS.get(rank_by[0], style.OKABE_ITO["blue"])
    chars = 60 if len(codes) == 1 else 34
    panels = []
    for c in codes:
        unit = lab.unit(c)
        title = panel_title(lab, c, chars)
        panels.append({"values": pd.to_numeric(r[c], errors="coerce"), "title": title,
                       "colour": colour, "xlabel": unit})
    height = rows_height(len(ids), extra=1.4 if lang != "bi" else 1.9, lang=lang)
    width = style.FIG_WIDTH if len(codes) > 1 else style.FIG_WIDTH * 0.8
    fig = new_figure(width, height)
    hbar_panels(fig, ids, panels, lab)
    return fig
