"""Figure and table numbers from their order in the edition, never from their ids.

The report's items are in the order of ``templates/report/layout.yaml`` (chapters in
:data:`gihi.report.chapters.CHAPTERS` order, then sections, then the items placed after each
section); that is also the order in which the PDF lays them out and its CSS counters number them.
An optional item (``absent: skip`` or a note in the layout) counts only when the chapter produces
it for this edition (the chapter module's ``present(ed, item)``). So an edition can add, drop or
move a figure without renaming files, and the numbers in the bundles and notebooks are those of
the PDF.

``numbers(ed)`` → ``{"fig": {id: n}, "table": {id: n}}`` (``n`` from 1, separately for figures
and tables); :func:`label` formats one (``图3`` / ``Figure 3``, UI strings ``xref.fig`` …).
"""
from __future__ import annotations

from gihi.report import i18n
from gihi.report.chapters import CHAPTERS, chapter_module
from gihi.report.layout import ABSENT_ERROR, LayoutError, load_layout

KINDS = ("fig", "table")


def item_kind(chapter: str, item: str) -> str:
    """``fig`` or ``table``: what the chapter module declares the item to be (``FIGURES`` / ``TABLES``)."""
    mod = chapter_module(chapter)
    if item in getattr(mod, "FIGURES", ()):
        return "fig"
    if item in getattr(mod, "TABLES", ()):
        return "table"
    raise LayoutError(f"layout.yaml: {chapter}: {item!r} is neither a figure nor a table of the chapter "
                      f"(its module's FIGURES / TABLES)")


def item_order(ed) -> list[tuple[str, str, str]]:
    """``(chapter, kind, id)`` of every figure and table the edition's report holds, in document order."""
    layout = load_layout()
    out = []
    for chapter in CHAPTERS:
        lay = layout.get(chapter)
        if lay is None:
            continue
        mod = chapter_module(chapter)
        present = getattr(mod, "present", None)
        for items in lay.sections.values():
            for p in items:
                if p.absent != ABSENT_ERROR and not (present is not None and present(ed, p.id)):
                    continue
                out.append((chapter, item_kind(chapter, p.id), p.id))
    return out


def numbers(ed) -> dict[str, dict[str, int]]:
    """``{"fig": {id: n}, "table": {id: n}}`` for the edition (kept with it)."""
    def make():
        out: dict[str, dict[str, int]] = {k: {} for k in KINDS}
        for _, kind, item in item_order(ed):
            out[kind][item] = len(out[kind]) + 1
        return out
    return ed.view("report/numbers", make)


def label(kind: str, n: int, lang: str) -> str:
    """``图3`` / ``Figure 3`` (UI strings ``xref.fig`` / ``xref.table``)."""
    return i18n.t(f"xref.{kind}", lang, n=n)


def caption_label(kind: str, n: int, lang: str) -> str:
    """The label that starts a caption in bundles and notebooks: ``图3　`` / ``Figure 3. ``."""
    return i18n.t(f"pdf.caption.{kind}", lang, n=n) + ("\u3000" if lang == "zh" else " ")


__all__ = ["numbers", "item_order", "item_kind", "label", "caption_label", "KINDS"]
