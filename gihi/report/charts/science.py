"""Science-centre chapter (pillar A): Figures 5–10.

All functions: ``(raw, scores, cities, meta, *, lang="zh", n=20, group="main") -> Figure`` except
:func:`fig05_science_top20` ``(scores, cities, meta, *, lang, n, group)``. ``scores`` has the
sub-pillar score columns (A1..A4) used to pick the top ``n``; ``raw`` the raw indicator values
(I01..I08); ``meta`` the code labels (see :func:`gihi.report.charts.labels.code_labels`).
"""
from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from gihi.report.charts._bars import indicator_bars, pillar_top, styled


@styled
def fig05_science_top20(scores: pd.DataFrame, cities: pd.DataFrame, meta: pd.DataFrame, *, lang: str = "zh",
                        n: int = 20, group: str | None = "main") -> Figure:
    """Science centre: pillar A and sub-pillar A1–A4 scores of the top ``n`` by A."""
    return pillar_top(scores, cities, meta, pillar="A", lang=lang, n=n, group=group)


@styled
def fig06_researchers(raw, scores, cities, meta, *, lang: str = "zh", n: int = 20, group: str | None = "main") -> Figure:
    """Active researchers per million (I01) of the A1 top ``n``."""
    return indicator_bars(raw, scores, cities, meta, rank_by="A1", codes=["I01"], lang=lang, n=n, group=group)


@styled
def fig07_awards(raw, scores, cities, meta, *, lang: str = "zh", n: int = 20, group: str | None = "main") -> Figure:
    """Top science and technology award winners (I02) of the A1 top ``n``."""
    return indicator_bars(raw, scores, cities, meta, rank_by="A1", codes=["I02"], lang=lang, n=n, group=group)


@styled
def fig08_universities(raw, scores, cities, meta, *, lang: str = "zh", n: int = 20, group: str | None = "main") -> Figure:
    """World-leading universities (I03) and top-200 research institutions (I04) of the A2 top ``n``."""
    return indicator_bars(raw, scores, cities, meta, rank_by="A2", codes=["I03", "I04"], lang=lang, n=n, group=group)


@styled
def fig09_supercomputers(raw, scores, cities, meta, *, lang: str = "zh", n: int = 20, group: str | None = "main") -> Figure:
    """TOP500 supercomputers (I06) of the A3 top ``n``."""
    return indicator_bars(raw, scores, cities, meta, rank_by="A3", codes=["I06"], lang=lang, n=n, group=group)


@styled
def fig10_papers(raw, scores, cities, meta, *, lang: str = "zh", n: int = 20, group: str | None = "main") -> Figure:
    """Highly cited papers (I07) and citations in patents/policy/trials (I08) of the A4 top ``n``."""
    return indicator_bars(raw, scores, cities, meta, rank_by="A4", codes=["I07", "I08"], lang=lang, n=n, group=group)
