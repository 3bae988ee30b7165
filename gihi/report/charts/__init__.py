"""Report figures. Every chart is a pure function of tidy pandas inputs returning a matplotlib
``Figure`` in the house style (:mod:`gihi.report.style`); save with :func:`gihi.report.figures.save_figure`.

``FIGURES`` maps the chart name to its function; see ``gihi/report/charts/README.md`` for the
inputs each one expects. Captions are UI strings of the edition (``figure.<id>``), not chart code.
"""
from __future__ import annotations

from typing import Callable

from matplotlib.figure import Figure

from gihi.report.charts import ai_patents, audit, disciplines, ecosystem, gii, highland, maps, networks, overview, science
from gihi.report.charts.labels import LABELS, LANGS, code_labels

FIGURES: dict[str, Callable[..., Figure]] = {
    # overview
    "fig02_patterns": overview.fig02_patterns,
    "fig03_flows": overview.fig03_flows,
    "fig04_mini_patterns": overview.fig04_mini_patterns,
    # science centre
    "fig05_science_top20": science.fig05_science_top20,
    "fig06_researchers": science.fig06_researchers,
    "fig07_awards": science.fig07_awards,
    "fig08_universities": science.fig08_universities,
    "fig09_supercomputers": science.fig09_supercomputers,
    "fig10_papers": science.fig10_papers,
    # discipline sources
    "fig11_discipline_sources": disciplines.fig11_discipline_sources,
    "fig12_excellence": disciplines.fig12_excellence,
    "fig13_discipline_dendrogram": disciplines.fig13_discipline_dendrogram,
    "fig14_discipline_heatmap": disciplines.fig14_discipline_heatmap,
    # innovation highland
    "fig15_highland_top20": highland.fig15_highland_top20,
    "fig16_patents": highland.fig16_patents,
    "fig17_firms": highland.fig17_firms,
    "fig18_industry": highland.fig18_industry,
    "fig19_economy": highland.fig19_economy,
    # AI patents
    "fig21_ai_stock_trend": ai_patents.fig21_ai_stock_trend,
    "fig22_ai_hq_trend": ai_patents.fig22_ai_hq_trend,
    "fig23_ai_pct": ai_patents.fig23_ai_pct,
    "fig24_ai_triadic": ai_patents.fig24_ai_triadic,
    "fig25_hotfield_trends": ai_patents.fig25_hotfield_trends,
    "fig26_hotfield_heatmap": ai_patents.fig26_hotfield_heatmap,
    # innovation ecosystem
    "fig27_ecosystem_top20": ecosystem.fig27_ecosystem_top20,
    "fig28_coauthorship_network": networks.fig28_coauthorship_network,
    "fig29_patent_network": networks.fig29_patent_network,
    "fig30_investment": ecosystem.fig30_investment,
    "fig31_venture": ecosystem.fig31_venture,
    "fig32_flights_datacentres": ecosystem.fig32_flights_datacentres,
    "fig33_broadband": ecosystem.fig33_broadband,
    # extras
    "map_cities": maps.map_cities,
    "rank_changes": overview.rank_changes,
    "methods_tree": overview.methods_tree,
    # appendices: statistical audit, GII benchmark
    **audit.FIGURES,
    **gii.FIGURES,
}

__all__ = ["FIGURES", "LABELS", "LANGS", "code_labels"]
