"""Chapter 5 — innovation ecosystem (创新生态, pillar C): Tables 10–11, Figures 27–33.

Figures 28 and 29 are network views of the co-authorship (I17) and patent-collaboration (I18)
centralities. No edge data exist: the links drawn are an illustrative proxy (see the chart
module), and the figure note says so.
"""
from __future__ import annotations

from .pillar import PillarSpec, build_pillar, contexts as _contexts, section_contexts as _section_contexts

CHAPTER = "04_ecosystem"
SPEC = PillarSpec(
    chapter=CHAPTER, pillar="C", ranking_table="table10", history_table="table11",
    overview_figure=("fig27", "fig27_ecosystem_top20"),
    network_figures=(("fig28", "fig28_coauthorship_network"), ("fig29", "fig29_patent_network")),
    indicator_figures=(("fig30", "fig30_investment"), ("fig31", "fig31_venture"),
                       ("fig32", "fig32_flights_datacentres"), ("fig33", "fig33_broadband")),
)


def contexts(idx):
    return _contexts(idx, SPEC.pillar)


def build(year: int, data_dir=None, output_dir=None, **kwargs):
    """Compute, render and write the innovation-ecosystem chapter bundle; returns the Bundle."""
    return build_pillar(SPEC, year, data_dir, output_dir, **kwargs)


def section_contexts(year: int, data_dir=None):
    """Every section's narrative context, the data note included."""
    return _section_contexts(SPEC, year, data_dir)
