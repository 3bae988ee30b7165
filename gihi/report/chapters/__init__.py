"""Chapter logic: one module per chapter notebook, each with
``build(ed, output_dir=None, *, lang="bi", content_dir=None, figures=True) -> Bundle``
(``ed``: the :class:`~gihi.model.edition.Edition`; writes ``<output_dir>/<year>/chapters/<chapter>/``,
see :mod:`gihi.report.bundle`) and ``section_contexts(ed)`` giving the narrative contexts
(tested: every number in the narrative equals a value in them).

Notebooks (``notebooks/<chapter>.ipynb``) call :func:`build` and display the bundle with
:class:`gihi.report.chapters.view.ChapterView`; they hold no logic of their own.
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
COMMON_DATA = ("meta", "history", "{year}/indicators.csv")
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


def build(chapter: str, ed, output_dir=None, **kwargs):
    """Build one chapter's bundle from the edition ``ed`` (see the chapter module's ``build``)."""
    return chapter_module(chapter).build(ed, output_dir, **kwargs)


def section_contexts(chapter: str, ed) -> dict[str, dict]:
    """The narrative context of every section of ``chapter`` (the data note included)."""
    return chapter_module(chapter).section_contexts(ed)
