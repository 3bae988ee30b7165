"""Chapter 3 — science centre (科学中心, pillar A): Tables 5–6, Figures 5–10."""
from __future__ import annotations

from gihi.report.chapters.pillar import SECTIONS, PillarSpec, bind, items  # noqa: F401 (SECTIONS: the chapter's)

CHAPTER = "02_science"
SPEC = PillarSpec(
    chapter=CHAPTER, pillar="A", ranking_table="table05", history_table="table06",
    overview_figure=("fig05", "fig05_science_top20"),
    indicator_figures=(("fig06", "fig06_researchers"), ("fig07", "fig07_awards"), ("fig08", "fig08_universities"),
                       ("fig09", "fig09_supercomputers"), ("fig10", "fig10_papers")),
)


contexts, section_contexts = bind(SPEC)
TABLES, FIGURES = items(SPEC)
