"""A chapter's recipe, as its notebook writes it: open the edition, then for each table and figure
compute it with the ``gihi`` functions, show it, and keep it for the chapter's bundle.

A chapter notebook (``notebooks/<chapter>.ipynb``) reads top to bottom as the chapter's
analysis. It starts a :class:`Recipe` with :meth:`Recipe.start`; every call then shows its result
natively in the notebook — the generated narrative as Markdown, tables as styled DataFrames with
their captions, figures as PNG and SVG — and the last call, :meth:`Recipe.write`, writes the
bundle the PDF is made from (:mod:`gihi.report.bundle`).

:func:`build` executes a chapter's notebook code in this process, without a kernel and without
showing anything: the same recipe, for scripts and tests. Its
options (an edition already open, figures or not, another content directory) reach the notebook's
:meth:`Recipe.start` through a :func:`session`.
"""
from __future__ import annotations

import contextvars
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import pandas as pd

from gihi.core.paths import DATA_DIR, OUTPUT_DIR, ROOT, available_years, resolve
from gihi.model.edition import Edition, open_edition
from gihi.report.bundle import Bundle, Column
from gihi.report.chapters.common import ChapterBuilder
from gihi.report.chapters.view import LANGS_SHOWN, Display, figure_display, frame_display, narrative_display, table_display
from gihi.report.i18n import has, t

NOTEBOOKS = ROOT / "notebooks"


@dataclass
class _Session:
    ed: Edition | None = None
    content_dir: Path | None = None
    figures: bool = True
    bundle: Bundle | None = None


_SESSION: contextvars.ContextVar[_Session | None] = contextvars.ContextVar("gihi_recipe_session", default=None)


@contextmanager
def session(ed: Edition | None = None, *, content_dir: Path | None = None, figures: bool = True):
    """Run notebook code with these options: :meth:`Recipe.start` uses ``ed`` instead of opening
    the edition, and builds the chapter with ``content_dir`` and ``figures``."""
    s = _Session(ed, content_dir, figures)
    token = _SESSION.set(s)
    try:
        yield s
    finally:
        _SESSION.reset(token)


def latest_year(data_dir=None) -> int:
    """The latest year with a dataset in ``data_dir`` (default: the repository's ``data/``)."""
    years = available_years(resolve(data_dir, DATA_DIR))
    if not years:
        raise FileNotFoundError(f"no year directory (data/<year>/) in {resolve(data_dir, DATA_DIR)}")
    return years[-1]


class Recipe(ChapterBuilder):
    """A :class:`~gihi.report.chapters.common.ChapterBuilder` whose steps show their results."""

    @classmethod
    def start(cls, chapter: str, year: int | None, data_dir=None, output_dir=None, lang: str = "bi",
              edition_store=None) -> tuple[Edition, "Recipe"]:
        """The edition of ``year`` (validated from ``data_dir``, or read from ``edition_store``, or
        the session's; ``None``: the latest year in ``data_dir``) and the chapter's recipe writing
        under ``output_dir``."""
        s = _SESSION.get()
        if s is not None and s.ed is not None:
            ed = s.ed
        else:
            ed = open_edition(latest_year(data_dir) if year is None else year, data_dir, store_dir=edition_store)
        book = cls.for_output(chapter, ed, resolve(output_dir, OUTPUT_DIR), lang=lang,
                              content_dir=s.content_dir if s else None, figures=s.figures if s else True)
        book.ed, book.output_dir = ed, resolve(output_dir, OUTPUT_DIR)
        return ed, book

    @property
    def draws(self) -> bool:
        """Whether this run draws the figures (a session may leave them out)."""
        s = _SESSION.get()
        return s.figures if s is not None else True

    def summary(self) -> Display:
        """What the edition is built from (:meth:`gihi.model.edition.Edition.summary`), labelled
        in the notebook's languages."""
        langs = LANGS_SHOWN[self.lang]

        def label(subject: str, kind: str, lang: str) -> str:
            if subject == "cities":
                group = t(f"notebook.group.{kind}", lang) if has(f"notebook.group.{kind}") else kind
                return t("notebook.summary.cities", lang, group=group)
            return t(f"notebook.summary.{subject}", lang, kind=t(f"provkind.{kind}", lang) if kind else "")

        s = self.ed.summary()
        frame = pd.DataFrame({" · ".join(t("notebook.summary.count", k) for k in langs): s["count"].to_numpy()},
                             index=[" · ".join(label(r.subject, r.kind, k) for k in langs) for r in s.itertuples()])
        return frame_display(frame, " · ".join(t("notebook.summary.caption", k, year=self.ed.year) for k in langs))

    def section(self, id: str, context: Mapping[str, Any], *, template_dir: str | None = None) -> Display:
        s = super().section(id, context, template_dir=template_dir)
        return narrative_display(s.title, s.narrative, self.lang)

    def table(self, id: str, frame: pd.DataFrame, columns: list[Column], **kwargs) -> Display:
        t = super().table(id, frame, columns, **kwargs)
        return table_display(t, self.lang, self.chapter)

    def figure(self, id: str, chart: str, *args, **kwargs) -> Display | None:
        if not self.draws:
            return None
        f = super().figure(id, chart, *args, **kwargs)
        return figure_display(f, self._tmp, self.lang)

    def data_note(self, provenance: dict, context: Mapping[str, Any] | None = None) -> Display:
        """The chapter's data note (the shared section), from its provenance summary (or ``context``)."""
        from gihi.report.chapters.common import SHARED, provenance_context
        return self.section("data_note", context if context is not None else provenance_context(provenance),
                            template_dir=SHARED)

    def write(self, provenance: dict, output_dir: Path | None = None) -> Display:
        """Write the chapter's bundle (``<output_dir>/<year>/chapters/<chapter>/``) and show
        what it holds."""
        b = super().write(provenance, output_dir or self.output_dir)
        s = _SESSION.get()
        if s is not None:
            s.bundle = b
        langs = LANGS_SHOWN[self.lang]
        counts = pd.DataFrame({" · ".join(t("notebook.summary.count", k) for k in langs):
                               [len(b.sections), len(b.tables), len(b.figures)]},
                              index=[" · ".join(t(f"notebook.bundle.{x}", k) for k in langs)
                                     for x in ("sections", "tables", "figures")])
        return frame_display(counts, " · ".join(t("notebook.bundle.caption", k, chapter=b.chapter) for k in langs))


def build(chapter: str, ed: Edition, output_dir=None, *, lang: str = "bi", content_dir: Path | None = None,
        figures: bool = True, notebooks: Path = NOTEBOOKS) -> Bundle:
    """Execute ``notebooks/<chapter>.ipynb``'s code here, with the edition ``ed`` (no kernel,
    nothing shown); returns the bundle it wrote."""
    import nbformat
    nb = nbformat.read(str(Path(notebooks) / f"{chapter}.ipynb"), as_version=4)
    ns: dict[str, Any] = {"__name__": f"gihi_recipe_{chapter}"}
    params = {"year": ed.year, "data_dir": None, "output_dir": None if output_dir is None else str(output_dir),
              "lang": lang, "edition_store": None}
    with session(ed, content_dir=content_dir, figures=figures) as s:
        for i, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            exec(compile(cell.source, f"{chapter}.ipynb[cell {i}]", "exec"), ns)
            if "parameters" in cell.metadata.get("tags", []):
                ns.update(params)
    if s.bundle is None:
        raise RuntimeError(f"notebooks/{chapter}.ipynb wrote no bundle (its last step is book.write(...))")
    return s.bundle


__all__ = ["Recipe", "build", "session"]
