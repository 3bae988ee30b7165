"""Chapter 5 — innovation ecosystem (创新生态, pillar C): Tables 10–11, Figures 27–33.

Figures 28 and 29 show each city's centrality in the co-authorship (I17) and patent-collaboration
(I18) networks, by region. The inputs hold centralities, not who collaborates with whom, so no
links are drawn (see :mod:`gihi.report.charts.networks`).
"""
from __future__ import annotations

from gihi.report.chapters.pillar import SECTIONS, PillarSpec, bind, items  # noqa: F401 (SECTIONS: the chapter's)

CHAPTER = "04_ecosystem"
SPEC = PillarSpec(
    chapter=CHAPTER, pillar="C", ranking_table="table10", history_table="table11",
    overview_figure=("fig27", "fig27_ecosystem_top20"),
    network_figures=(("fig28", "fig28_coauthorship_network"), ("fig29", "fig29_patent_network")),
    indicator_figures=(("fig30", "fig30_investment"), ("fig31", "fig31_venture"),
                       ("fig32", "fig32_flights_datacentres"), ("fig33", "fig33_broadband")),
)


contexts, section_contexts = bind(SPEC)
TABLES, FIGURES = items(SPEC)
