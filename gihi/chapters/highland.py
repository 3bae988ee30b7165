"""Chapter 4 — innovation highland (创新高地, pillar B): Tables 8–9, Figures 15–19."""
from __future__ import annotations

from .pillar import PillarSpec, build_pillar, contexts as _contexts, section_contexts as _section_contexts

CHAPTER = "03_highland"
SPEC = PillarSpec(
    chapter=CHAPTER, pillar="B", ranking_table="table08", history_table="table09",
    overview_figure=("fig15", "fig15_highland_top20"),
    indicator_figures=(("fig16", "fig16_patents"), ("fig17", "fig17_firms"), ("fig18", "fig18_industry"),
                       ("fig19", "fig19_economy")),
)


def contexts(idx):
    return _contexts(idx, SPEC.pillar)


def build(year: int, data_dir=None, output_dir=None, **kwargs):
    """Compute, render and write the innovation-highland chapter bundle; returns the Bundle."""
    return build_pillar(SPEC, year, data_dir, output_dir, **kwargs)


def section_contexts(year: int, data_dir=None):
    """Every section's narrative context, the data note included."""
    return _section_contexts(SPEC, year, data_dir)
