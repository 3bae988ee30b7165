"""Session fixture shared by the PDF tests (test_assemble, test_render, test_pdf).

``pdf_bundles``: the 2023 edition, opened, computed and saved once per test run as the build's
data stage saves it (``edition/``, :meth:`gihi.model.edition.Edition.save`), and the bundles of
every chapter built from that saved edition with ``gihi.report.recipe.build(chapter, ed,
output_dir=tmp)`` (two processes, each loading the saved edition as a chapter kernel does).
``pdf_build``: those bundles and the three editions rendered once from them with
:func:`gihi.publish.render.render_edition` (two processes — which also shows that
``render_edition`` works in a ``ProcessPoolExecutor``), plus the English edition a second time,
in another process, for the byte-identity test.

With ``pytest -n 2`` both workers need the same build: the first one to take the lock builds
into the run's shared temporary directory, the other waits and reuses it.

**Figures.** WeasyPrint draws SVG in pure Python, and the charts (text drawn as paths) take it
about a minute per edition. So the editions rendered here use *stand-in* SVGs: every figure file
of the built bundles is replaced by a light SVG of the same width, height and viewBox, so the
pages break exactly as with the real figures. The real figures are rendered by
``test_render.py::test_real_figures_render`` (one chapter) and, with ``GIHI_PDF_FULL=1``, by the
full-edition test. The untouched bundles stay in ``real/``.
"""
from __future__ import annotations

import fcntl
import json
import multiprocessing
import os
import re
import shutil
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pytest

from gihi import load_edition, open_edition
from gihi.publish.assemble import edition_html
from gihi.publish.editions import EDITION_LANGS
from gihi.publish.render import PartCache, pdf_name, render_book, render_edition
from gihi.report.chapters import CHAPTERS
from gihi.report.recipe import build

YEAR = 2023
_SVG_SIZE = re.compile(r"<svg\b[^>]*>", re.S)


def stand_in_svg(svg_text: str) -> str:
    """A light SVG with the width, height and viewBox of ``svg_text`` (a framed diagonal)."""
    root = _SVG_SIZE.search(svg_text).group(0)
    attrs = dict(re.findall(r'(width|height|viewBox)="([^"]*)"', root))
    x0, y0, w, h = (attrs.get("viewBox") or f"0 0 {attrs['width']} {attrs['height']}").split()
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{attrs["width"]}" height="{attrs["height"]}" '
            f'viewBox="{x0} {y0} {w} {h}"><rect x="{x0}" y="{y0}" width="{w}" height="{h}" fill="#eef2f6" '
            f'stroke="#9aa8b6"/><path d="M {x0} {y0} L {w} {h}" stroke="#9aa8b6"/></svg>')


def use_stand_in_figures(output_dir: Path) -> int:
    """Replace every figure SVG under ``output_dir/<year>/chapters`` by its stand-in; returns how many."""
    n = 0
    for svg in sorted((Path(output_dir) / str(YEAR) / "chapters").glob("*/figures/*.svg")):
        svg.write_text(stand_in_svg(svg.read_text(encoding="utf-8")[:4000]), encoding="utf-8")
        n += 1
    return n


@dataclass
class PdfBuild:
    """What the fixture built: the saved ``store`` of the edition, ``real`` bundles, ``fast``
    bundles (stand-in figures) and the three editions rendered from ``fast``."""

    root: Path
    timings: dict = field(default_factory=dict)

    @property
    def store(self) -> Path:
        return self.root / "edition"

    @property
    def edition(self):
        """The saved edition (:func:`gihi.load_edition`; cached per process)."""
        return load_edition(self.store)

    @property
    def real(self) -> Path:
        return self.root / "real"

    @property
    def fast(self) -> Path:
        return self.root / "fast"

    def pdf(self, lang: str) -> Path:
        return self.fast / str(YEAR) / pdf_name(YEAR, lang)

    def parts(self, lang: str) -> Path:
        """Where the parts of the ``lang`` edition rendered by the fixture are kept."""
        return self.root / "parts" / lang

    @property
    def en_again(self) -> Path:
        return self.root / "en-again.pdf"

    def html(self, lang: str, profiles: bool | None = None) -> str:
        """The edition's HTML; ``profiles`` None: as ``render_edition`` makes it."""
        return _html(str(self.store), str(self.fast), lang, profiles)


@lru_cache(maxsize=8)
def _html(store: str, output_dir: str, lang: str, profiles: bool | None = None) -> str:
    from gihi.publish.render import PROFILE_EDITIONS
    if profiles is None:   # as render_edition: the bilingual edition has the profiles appendix
        profiles = lang in PROFILE_EDITIONS
    return edition_html(load_edition(store), lang, Path(output_dir), profiles=profiles)


def _spawn():
    return multiprocessing.get_context("spawn")  # no fork of a process running pytest's threads


def _save_edition(store: Path) -> None:
    """The 2023 edition, every result computed once and saved (what the data stage does)."""
    from gihi.pipeline.data_stage import compute_all
    compute_all(open_edition(YEAR)).save(store)


def _build_chapter(chapter: str, store: str, output_dir: Path) -> None:
    build(chapter, load_edition(store), output_dir)


def _make_bundles(root: Path) -> dict:
    t = time.perf_counter()
    _save_edition(root / "edition")
    timings = {"edition": round(time.perf_counter() - t, 1)}
    t = time.perf_counter()
    with ProcessPoolExecutor(2, mp_context=_spawn()) as ex:
        for f in [ex.submit(_build_chapter, chapter, str(root / "edition"), root / "real") for chapter in CHAPTERS]:
            f.result()
    timings["bundles"] = round(time.perf_counter() - t, 1)
    shutil.copytree(root / "real", root / "fast")
    timings["stand_ins"] = use_stand_in_figures(root / "fast")
    return timings


def _make_pdfs(root: Path) -> dict:
    timings = {}
    with ProcessPoolExecutor(2, mp_context=_spawn()) as ex:
        store = root / "edition"
        jobs = {lang: ex.submit(_timed_render, lang, store, root / "fast") for lang in EDITION_LANGS}
        # the English edition once more, in another process, for the byte-identity test
        jobs["en_again"] = ex.submit(_timed_render, "en", store, root / "fast", root / "en-again.pdf")
        for lang, job in jobs.items():
            timings[f"render_{lang}"] = job.result()
    return timings


def _timed_render(lang: str, store: Path, output_dir: Path, out: Path | None = None) -> float:
    """Render ``lang``, its parts kept in ``<root>/parts/<lang>`` (test_parts edits and re-renders
    them); ``out``: from scratch, no cache, written there (the byte-identity test)."""
    t = time.perf_counter()
    ed = load_edition(store)
    if out is None:
        render_edition(ed, lang, output_dir, cache=PartCache(Path(store).parent / "parts" / lang))
    else:
        out.write_bytes(render_book(ed, lang, output_dir)[0])
    return round(time.perf_counter() - t, 1)


def _shared_root(tmp_path_factory) -> Path:
    base = tmp_path_factory.getbasetemp()
    # under xdist every worker has its own basetemp inside the run's directory
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def _once(root: Path, name: str, make, clean: tuple[str, ...]) -> dict:
    """Run ``make(root)`` once per test run (whichever xdist worker comes first); the others wait."""
    done = root / f"{name}.json"
    with open(root / f".{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not done.is_file():
                for d in clean:  # left by a failed attempt
                    shutil.rmtree(root / d, ignore_errors=True)
                done.write_text(json.dumps(make(root)), encoding="utf-8")
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return json.loads(done.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def pdf_bundles(tmp_path_factory) -> PdfBuild:
    """The bundles only (``real`` and ``fast``): enough for the HTML tests."""
    root = _shared_root(tmp_path_factory) / "gihi-pdf"
    root.mkdir(exist_ok=True)
    return PdfBuild(root, _once(root, "bundles", _make_bundles, ("edition", "real", "fast")))


@pytest.fixture(scope="session")
def pdf_build(pdf_bundles) -> PdfBuild:
    """The bundles and the three editions rendered from ``fast``."""
    timings = _once(pdf_bundles.root, "pdfs", _make_pdfs, ())
    return PdfBuild(pdf_bundles.root, {**pdf_bundles.timings, **timings})
