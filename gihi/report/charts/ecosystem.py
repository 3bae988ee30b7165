"""Innovation-ecosystem chapter (pillar C): Figures 27 and 30–33 (networks 28–29 are in
:mod:`gihi.report.charts.networks`).

Signatures as in :mod:`gihi.report.charts.science`: ``fig27_ecosystem_top20(scores, cities, meta, *, lang,
n=20, group="main")`` and ``figNN(raw, scores, cities, meta, *, lang, n=20, group="main")``.
"""
from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from gihi.report.charts._bars import indicator_bars, pillar_top, styled


@styled
def fig27_ecosystem_top20(scores: pd.DataFrame, cities: pd.DataFrame, meta: pd.DataFrame, *, lang: str = "zh",
                          n: int = 20, group: str | None = "main") -> Figure:
    """Innovation ecosystem: pillar C and sub-pillar C1–C4 scores of the top ``n`` by C."""
    return pillar_top(scores, cities, meta, pillar="C", lang=lang, n=n, group=group)


@styled
def fig30_investment(raw, scores, cities, meta, *, lang: str = "zh", n: int = 20, group: str | None = "main") -> Figure:
    """Inward FDI (I19) and outward FDI (I20) of the C1 top ``n``."""
    return indicator_bars(raw, scores, cities, meta, rank_by="C1", codes=["I19", "I20"], lang=lang, n=n, group=group)


@styled
def fig31_venture(raw, scores, cities, meta, *, lang: str = "zh", n: int = 20, group: str | None = "main") -> Figure:
    """Venture capital (I21) and private equity (I22) investment of the C2 top ``n``."""
    return indicator_bars(raw, scores, cities, meta, rank_by="C2", codes=["I21", "I22"], lang=lang, n=n, group=group)


@styled
def fig32_flights_datacentres(raw, scores, cities, meta, *, lang: str = "zh", n: int = 20,
                              group: str | None = "main") -> Figure:
    """International flights per million (I26) and data centres (I24) of the C3 top ``n``."""
    return indicator_bars(raw, scores, cities, meta, rank_by="C3", codes=["I26", "I24"], lang=lang, n=n, group=group)


@styled
def fig33_broadband(raw, scores, cities, meta, *, lang: str = "zh", n: int = 20, group: str | None = "main") -> Figure:
    """Broadband connection speed (I25) of the C3 top ``n``."""
    return indicator_bars(raw, scores, cities, meta, rank_by="C3", codes=["I25"], lang=lang, n=n, group=group)
