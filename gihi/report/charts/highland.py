"""Innovation-highland chapter (pillar B): Figures 15–19.

Signatures as in :mod:`gihi.report.charts.science`: ``fig15_highland_top20(scores, cities, meta, *, lang,
n=20, group="main")`` and ``figNN(raw, scores, cities, meta, *, lang, n=20, group="main")``.
"""
from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from gihi.report.charts._bars import indicator_bars, pillar_top, styled


@styled
def fig15_highland_top20(scores: pd.DataFrame, cities: pd.DataFrame, meta: pd.DataFrame, *, lang: str = "zh",
                         n: int = 20, group: str | None = "main") -> Figure:
    """Innovation highland: pillar B and sub-pillar B1–B4 scores of the top ``n`` by B."""
    return pillar_top(scores, cities, meta, pillar="B", lang=lang, n=n, group=group)


@styled
def fig16_patents(raw, scores, cities, meta, *, lang: str = "zh", n: int = 20, group: str | None = "main") -> Figure:
    """Invention patents in force per million (I09) and PCT applications (I10) of the B1 top ``n``."""
    return indicator_bars(raw, scores, cities, meta, rank_by="B1", codes=["I09", "I10"], lang=lang, n=n, group=group)


@styled
def fig17_firms(raw, scores, cities, meta, *, lang: str = "zh", n: int = 20, group: str | None = "main") -> Figure:
    """Innovation-leading companies (I11) and unicorns (I12) of the B2 top ``n``."""
    return indicator_bars(raw, scores, cities, meta, rank_by="B2", codes=["I11", "I12"], lang=lang, n=n, group=group)


@styled
def fig18_industry(raw, scores, cities, meta, *, lang: str = "zh", n: int = 20, group: str | None = "main") -> Figure:
    """High-tech manufacturing market cap (I13) and new-economy revenue (I14) of the B3 top ``n``."""
    return indicator_bars(raw, scores, cities, meta, rank_by="B3", codes=["I13", "I14"], lang=lang, n=n, group=group)


@styled
def fig19_economy(raw, scores, cities, meta, *, lang: str = "zh", n: int = 20, group: str | None = "main") -> Figure:
    """GDP growth (I15) and labour productivity (I16) of the B4 top ``n``."""
    return indicator_bars(raw, scores, cities, meta, rank_by="B4", codes=["I15", "I16"], lang=lang, n=n, group=group)
