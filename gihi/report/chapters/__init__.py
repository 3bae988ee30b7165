"""Chapter logic: one module per chapter notebook. Each module gives the notebook its steps —
``contexts(ed)`` (the narrative context of each section, computed from the
:class:`~gihi.model.edition.Edition`), the frames and column specifications of its tables, the
figure calls — and ``section_contexts(ed)`` (tested: every number in the narrative equals a value
in them); ``SECTIONS``, ``TABLES`` and ``FIGURES`` list what it holds, ``present(ed, item)`` whether
an optional item applies this year.

The notebook (``notebooks/<chapter>.ipynb``) composes these steps in the open and writes the
chapter's bundle (:mod:`gihi.report.bundle`); :func:`gihi.report.recipe.build` runs the same
notebook code without a kernel.
"""
from __future__ import annotations

from importlib import import_module

#: chapter id (= notebook name) → module in this package
CHAPTERS: dict[str, str] = {
    "01_overview": "overview",
    "02_science": "science",
    "03_highland": "highland",
    "04_ecosystem": "ecosystem",
    "05_disciplines": "disciplines",
    "06_ai_patents": "ai_patents",
    "07_methods": "methods",
    "08_audit": "audit",
    "09_gii": "gii",
}


#: the data files and directories each chapter reads, relative to the data directory ("{year}" is
#: the report year). The build re-executes a chapter when one of them changes;
#: ``tests/test_chapters_inputs.py`` checks that a chapter reads nothing else.
#: (``{year}/meta`` holds the edition's own metadata, which replaces ``meta``'s files of the same name)
COMMON_DATA = ("meta", "{year}/meta", "history", "{year}/indicators.csv")
#: inputs a year may do without (``focus_problems`` does not ask for them)
OPTIONAL_DATA = ("{year}/meta",)
DATA_INPUTS: dict[str, tuple[str, ...]] = {
    "01_overview": COMMON_DATA,
    "02_science": COMMON_DATA,
    "03_highland": COMMON_DATA,
    "04_ecosystem": COMMON_DATA,
    "05_disciplines": COMMON_DATA + ("{year}/disciplines",),
    "06_ai_patents": COMMON_DATA + ("{year}/ai_patents",),
    "07_methods": COMMON_DATA + ("{year}/disciplines", "{year}/ai_patents"),
    "08_audit": COMMON_DATA,
    "09_gii": COMMON_DATA + ("gii",),
}


def data_inputs(chapter: str, year: int) -> list[str]:
    """The data paths ``chapter`` reads for ``year``, relative to the data directory."""
    if chapter not in DATA_INPUTS:
        raise KeyError(f"unknown chapter {chapter!r}; chapters: {', '.join(CHAPTERS)}")
    return [p.format(year=year) for p in DATA_INPUTS[chapter]]


def chapter_module(chapter: str):
    """The module of ``chapter`` (``"02_science"`` or its short name ``"science"``)."""
    if chapter in CHAPTERS:
        return import_module(f"{__name__}.{CHAPTERS[chapter]}")
    by_short = {v: k for k, v in CHAPTERS.items()}
    if chapter in by_short:
        return import_module(f"{__name__}.{chapter}")
    raise KeyError(f"unknown chapter {chapter!r}; chapters: {', '.join(CHAPTERS)}")


def sections(chapter: str) -> tuple[str, ...]:
    """The sections of ``chapter`` in order, the shared data note last when the chapter has one."""
    mod = chapter_module(chapter)
    return tuple(mod.SECTIONS) + (("data_note",) if getattr(mod, "DATA_NOTE", True) else ())


def section_contexts(chapter: str, ed) -> dict[str, dict]:
    """The narrative context of every section of ``chapter`` (the data note included)."""
    return chapter_module(chapter).section_contexts(ed)
