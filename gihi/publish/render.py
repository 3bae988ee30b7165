"""Render an assembled edition (:func:`gihi.publish.assemble.edition_html`) to PDF with WeasyPrint.

* :func:`render_pdf` writes one PDF atomically (temporary file in the target directory, then
  ``os.replace``), byte-identical on every rerun: the PDF's ``/ID`` is derived from a hash of the
  HTML, edition and year (``pdf_identifier``), and its dates come from the HTML's
  ``<meta name="dcterms.created">`` (a fixed date of the data, :func:`gihi.publish.assemble.data_date`),
  never from the clock. Title, author, subject, keywords and creator come from the HTML
  ``<title>`` / ``<meta>`` (UI strings), the PDF's ``/Lang`` from ``<html lang>``. Fonts are
  embedded as subsets (WeasyPrint's default; HarfBuzz does the subsetting).
* Everything WeasyPrint logs at warning level or above (an SVG it failed to draw, an image it
  could not load, a CSS declaration it ignored) is an error: :class:`RenderError` lists them,
  and no PDF is written. WeasyPrint would otherwise carry on and leave a hole in the page.
* WeasyPrint reads files only through :class:`ProjectFetcher`: ``file:`` URLs inside the report
  templates and the year's output directory, and inline PNG/JPEG ``data:`` images (matplotlib's
  SVGs embed rasters so). Anything else (``http:``, other ``data:``, a ``file:`` path elsewhere)
  is refused, logged by WeasyPrint, and so fails the render with the URL named.
* :func:`render_edition` = assemble + render to ``<output_dir>/<year>/GIHI-<year>-<edition>.pdf``;
  in :data:`PROFILE_EDITIONS` the city-profile pages are then appended (:mod:`gihi.publish.appendix_pdf`).
  It is a top-level function of plain arguments, so the build can run one edition per process
  (``ProcessPoolExecutor``).
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from gihi.core.files import write_atomic
from gihi.core.paths import OUTPUT_DIR, pdf_name
from gihi.model.edition import Edition
from gihi.publish import profiles as P
from gihi.publish.appendix_pdf import append_appendix
from gihi.publish.assemble import edition_html
from gihi.publish.editions import EDITION_LANGS, HTML_LANG, REPORT_TEMPLATES
from gihi.publish.weasy import ProjectFetcher, weasyprint_problems
from gihi.report import i18n

MAX_BYTES = 10 * 1024 * 1024
#: editions with the city-profiles appendix: each profile page is bilingual, so only the
#: bilingual edition has it (the single-language editions would otherwise show the other
#: language); every profile is also its own PDF (gihi.publish.profiles.write_profile_pdfs)
PROFILE_EDITIONS = P.APPENDIX_EDITIONS

_HTML_LANG = re.compile(r"<html\b[^>]*\blang=\"([^\"]+)\"")


class RenderError(RuntimeError):
    """WeasyPrint could not render the document cleanly; ``messages`` are its log records."""

    def __init__(self, out_path: Path, messages: list[str]):
        self.out_path, self.messages = out_path, messages
        super().__init__(f"{out_path}: WeasyPrint reported {len(messages)} problem(s):\n"
                         + "\n".join(f"  {m}" for m in messages))

    def __reduce__(self):   # picklable: the build renders editions in worker processes
        return (type(self), (self.out_path, self.messages))


def pdf_identifier(html: str, lang: str, year: int) -> bytes:
    """The PDF's fixed ``/ID``: 32 hex digits of a SHA-256 of the edition's HTML, language and year."""
    digest = hashlib.sha256(f"{lang}\0{int(year)}\0".encode() + html.encode("utf-8")).hexdigest()
    return digest[:32].encode("ascii")


def _base_url(base_url: Path) -> str:
    # a directory URL needs its trailing slash, or relative URLs resolve against its parent
    return Path(base_url).resolve().as_uri() + "/"


def _pdf(html: str, base_url: Path, out_path: Path, *, lang: str, year: int) -> bytes:
    """The PDF of ``html`` (see :func:`render_pdf`); WeasyPrint's warnings are a :class:`RenderError`."""
    from weasyprint import HTML  # heavy import: only when rendering

    if lang not in EDITION_LANGS:
        raise ValueError(f"unknown edition {lang!r}; expected one of {', '.join(EDITION_LANGS)}")
    m = _HTML_LANG.search(html)
    if not m or m.group(1) != HTML_LANG[lang]:
        raise ValueError(f"edition {lang}: <html lang> must be {HTML_LANG[lang]!r}, got {m.group(1) if m else None!r}")
    fetcher = ProjectFetcher([REPORT_TEMPLATES, Path(base_url)])
    with weasyprint_problems() as problems:
        document = HTML(string=html, base_url=_base_url(base_url), url_fetcher=fetcher).render()
        pdf = document.write_pdf(pdf_identifier=pdf_identifier(html, lang, year), uncompressed_pdf=False)
    if problems.messages:
        raise RenderError(Path(out_path), problems.messages)
    return pdf


def render_pdf(html: str, base_url: Path, out_path: Path, *, lang: str, year: int) -> Path:
    """Render ``html`` (relative URLs taken from the directory ``base_url``) to ``out_path``.

    ``lang`` is the edition (``bi``, ``zh`` or ``en``); the ``<html lang>`` must be the one the
    edition needs (``zh-CN``, ``zh-CN``, ``en``). Returns ``out_path``.
    """
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    return write_atomic(out_path, _pdf(html, base_url, out_path, lang=lang, year=year))


def render_report(ed: Edition, lang: str, output_dir: Path | str | None = None) -> tuple[bytes, bytes]:
    """The rendered report of an edition of :data:`PROFILE_EDITIONS` without its profile pages
    (it ends with the appendix opener): ``(PDF, the report's /ID)``, for :func:`append_profiles`."""
    if lang not in PROFILE_EDITIONS:
        raise ValueError(f"edition {lang!r} has no profiles appendix; those that do: {', '.join(PROFILE_EDITIONS)}")
    output_dir, year = Path(output_dir or OUTPUT_DIR), ed.year
    html = edition_html(ed, lang, output_dir, profiles=True)
    base = output_dir / str(year)
    return _pdf(html, base, base / pdf_name(year, lang), lang=lang, year=year), pdf_identifier(html, lang, year)


def append_profiles(year: int, lang: str, report: bytes, report_id: bytes, pages: bytes,
                    output_dir: Path | str | None = None) -> Path:
    """Write the ``lang`` edition: :func:`render_report`'s ``report`` followed by the profile
    ``pages`` (:func:`gihi.publish.profiles.whole_pdf`), joined by :func:`gihi.publish.appendix_pdf.append_appendix`.
    Its ``/ID`` is a hash of the report's and of the pages. Returns the PDF's path."""
    letter = P.appendix_letter()
    title = i18n.t("profiles.appendix.title", EDITION_LANGS[lang][0])
    ident = hashlib.sha256(report_id + hashlib.sha256(pages).digest()).hexdigest()[:32].encode("ascii")
    pdf = append_appendix(report, pages, bookmark=f"{letter} {title}", label_prefix=f"{letter}-",
                          link_prefix=P.LINK.format(id=""), anchor=P.ANCHOR, identifier=ident)
    return write_atomic(Path(output_dir or OUTPUT_DIR) / str(year) / pdf_name(year, lang), pdf)


def render_edition(ed: Edition, lang: str, output_dir: Path | str | None = None, *,
                   profiles_pdf: Path | str | None = None) -> Path:
    """Assemble the ``lang`` edition of ``year`` from the bundles under ``output_dir`` and render
    it to ``<output_dir>/<year>/GIHI-<year>-<bilingual|zh|en>.pdf``. Returns the PDF's path.

    The editions of :data:`PROFILE_EDITIONS` end with the city profiles: :func:`render_report`,
    then :func:`append_profiles` with the pages of ``profiles_pdf`` (the whole document
    :func:`gihi.publish.profiles.write_profile_pdfs` keeps), or of the profiles laid out here when None.
    """
    output_dir, year = Path(output_dir or OUTPUT_DIR), ed.year
    if lang in PROFILE_EDITIONS:
        report, report_id = render_report(ed, lang, output_dir)
        pages = Path(profiles_pdf).read_bytes() if profiles_pdf else P.whole_pdf(ed, lang)
        return append_profiles(year, lang, report, report_id, pages, output_dir)
    html = edition_html(ed, lang, output_dir)
    base = output_dir / str(year)
    return render_pdf(html, base, base / pdf_name(year, lang), lang=lang, year=year)


__all__ = ["RenderError", "MAX_BYTES", "pdf_name", "pdf_identifier", "render_pdf", "render_report", "append_profiles", "render_edition"]
