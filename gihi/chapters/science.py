"""Chapter 3 — science centre (科学中心, pillar A): Tables 5–6, Figures 5–10."""
from __future__ import annotations

from .pillar import PillarSpec, build_pillar, contexts as _contexts, section_contexts as _section_contexts

CHAPTER = "02_science"
SPEC = PillarSpec(
    chapter=CHAPTER, pillar="A", ranking_table="table05", history_table="table06",
    overview_figure=("fig05", "fig05_science_top20"),
    indicator_figures=(("fig06", "fig06_researchers"), ("fig07", "fig07_awards"), ("fig08", "fig08_universities"),
                       ("fig09", "fig09_supercomputers"), ("fig10", "fig10_papers")),
)


def contexts(idx):
    return _contexts(idx, SPEC.pillar)


def build(year: int, data_dir=None, output_dir=None, **kwargs):
    """Compute, render and write the science-centre chapter bundle; returns the Bundle."""
    return build_pillar(SPEC, year, data_dir, output_dir, **kwargs)


def section_contexts(year: int, data_dir=None):
    """Every section's narrative context, the data note included."""
    return _section_contexts(SPEC, year, data_dir)
