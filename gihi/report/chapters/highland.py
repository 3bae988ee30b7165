"""Chapter 4 — innovation highland (创新高地, pillar B): Tables 8–9, Figures 15–19."""
from __future__ import annotations

from gihi.report.chapters.pillar import SECTIONS, PillarSpec, bind, items  # noqa: F401 (SECTIONS: the chapter's)

CHAPTER = "03_highland"
SPEC = PillarSpec(
    chapter=CHAPTER, pillar="B", ranking_table="table08", history_table="table09",
    overview_figure=("fig15", "fig15_highland_top20"),
    indicator_figures=(("fig16", "fig16_patents"), ("fig17", "fig17_firms"), ("fig18", "fig18_industry"),
                       ("fig19", "fig19_economy")),
)


contexts, section_contexts = bind(SPEC)
TABLES, FIGURES = items(SPEC)
