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
* :func:`render_book` lays an edition out in parts (:mod:`gihi.publish.parts`): the front matter,
  then each chapter, each part starting on its page of the book, and joins them. A
  :class:`PartCache` keeps each part's PDF under the hash of its HTML and of the files it shows,
  so an edit lays out the parts it changed (and those whose page numbers it moved), and the
  contents when a page number in them moved. The joined PDF depends only on the parts' bytes:
  from the cache or from scratch, it is the same file.
* :func:`render_edition` = :func:`render_book` to ``<output_dir>/<year>/GIHI-<year>-<edition>.pdf``;
  in :data:`PROFILE_EDITIONS` the city-profile pages are then appended (:mod:`gihi.publish.appendix_pdf`).
  It is a top-level function of plain arguments, so the build can run one edition per process
  (``ProcessPoolExecutor``).
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from gihi.core.files import write_atomic
from gihi.core.paths import OUTPUT_DIR, pdf_name
from gihi.model.edition import Edition
from gihi.publish import profiles as P
from gihi.publish.appendix_pdf import append_appendix
from gihi.publish.assemble import EditionParts, edition_parts
from gihi.publish.editions import EDITION_LANGS, HTML_LANG, REPORT_TEMPLATES
from gihi.publish.parts import Counters, join, place
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


def _pdf(html: str, base_url: Path, out_path: Path, *, lang: str, year: int, keep: bool = False):
    """The PDF of ``html`` (see :func:`render_pdf`); WeasyPrint's warnings are a :class:`RenderError`.
    ``keep``: return ``(PDF, the laid-out document)``."""
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
    return (pdf, document) if keep else pdf


def render_pdf(html: str, base_url: Path, out_path: Path, *, lang: str, year: int) -> Path:
    """Render ``html`` (relative URLs taken from the directory ``base_url``) to ``out_path``.

    ``lang`` is the edition (``bi``, ``zh`` or ``en``); the ``<html lang>`` must be the one the
    edition needs (``zh-CN``, ``zh-CN``, ``en``). Returns ``out_path``.
    """
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    return write_atomic(out_path, _pdf(html, base_url, out_path, lang=lang, year=year))


# --------------------------------------------------------------------------- parts and the book

_SRC = re.compile(r'\bsrc="([^":]+)"')
#: a page number of the right width for contents not yet laid out (the real ones replace it)
PAGE_PLACEHOLDER = 888


@dataclass(frozen=True)
class Part:
    """One laid-out part: its PDF, whether it starts with a pad page, its pages (pad excluded)
    and the page (0-based, pad excluded) of each of its anchors."""

    pdf: bytes
    pad: bool
    pages: int
    anchors: dict[str, int]


class PartCache:
    """Laid-out parts by key (``<directory>/<key>.pdf`` and ``.json``); ``None``: no cache on
    disk; ``read=False``: lay everything out again, and keep it. Either way a part laid out by
    this object is not laid out a second time (the contents' second pass asks for every chapter
    again). :attr:`used` lists the keys asked for, :attr:`rendered` those laid out (for the
    build's log)."""

    def __init__(self, directory: Path | str | None, *, read: bool = True):
        self.directory = Path(directory) if directory else None
        self.read = read   # False: lay every part out again (and keep them)
        self.used: list[str] = []
        self.rendered: list[str] = []
        self._fresh: dict[str, Part] = {}   # the parts laid out by this object

    def get(self, key: str) -> Part | None:
        self.used.append(key)
        if key in self._fresh:
            return self._fresh[key]
        if self.directory is None or not self.read:
            return None
        pdf, meta = self.directory / f"{key}.pdf", self.directory / f"{key}.json"
        try:
            info = json.loads(meta.read_text(encoding="utf-8"))
            data = pdf.read_bytes()
        except (OSError, ValueError):
            return None
        if hashlib.sha256(data).hexdigest() != info.get("sha256"):
            return None
        return Part(data, bool(info["pad"]), int(info["pages"]), dict(info["anchors"]))

    def put(self, key: str, part: Part) -> None:
        self.rendered.append(key)
        self._fresh[key] = part
        if self.directory is None:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        write_atomic(self.directory / f"{key}.pdf", part.pdf)
        info = {"sha256": hashlib.sha256(part.pdf).hexdigest(), "pad": part.pad, "pages": part.pages,
                "anchors": dict(sorted(part.anchors.items()))}
        write_atomic(self.directory / f"{key}.json", (json.dumps(info, sort_keys=True) + "\n").encode("utf-8"))

    def keep_only(self, keys) -> int:
        """Remove the cached parts not in ``keys``; returns how many were removed."""
        if self.directory is None or not self.directory.is_dir():
            return 0
        keep, n = set(keys), 0
        for f in sorted(self.directory.iterdir()):
            if f.suffix in (".pdf", ".json") and f.stem not in keep:
                f.unlink()
                n += f.suffix == ".pdf"
        return n


def part_key(html: str, base_url: Path, lang: str, year: int) -> str:
    """The hash of what a part's PDF depends on: its HTML, the files it shows, the edition, the
    year and the versions of WeasyPrint and pydyf."""
    from importlib.metadata import version
    h = hashlib.sha256(f"{lang}\0{int(year)}\0{version('weasyprint')}\0{version('pydyf')}\0".encode())
    h.update(html.encode("utf-8"))
    for src in sorted(set(_SRC.findall(html))):
        f = Path(base_url) / src
        h.update(f"\0{src}\0".encode() + (hashlib.sha256(f.read_bytes()).digest() if f.is_file() else b"missing"))
    return h.hexdigest()[:40]


def render_part(html: str, base_url: Path, out_path: Path, *, lang: str, year: int, pad: bool) -> Part:
    """Lay one part out (see :func:`_pdf` for the checks)."""
    pdf, document = _pdf(html, base_url, out_path, lang=lang, year=year, keep=True)
    skip = 1 if pad else 0
    anchors: dict[str, int] = {}
    for i, page in enumerate(document.pages[skip:]):
        for name in page.anchors:   # a box broken across pages has its anchor on each: the first counts
            anchors.setdefault(name, i)
    return Part(pdf, pad, len(document.pages) - skip, anchors)


def _placed(html: str, start: int, counters: Counters, base_url: Path, out_path: Path, lang: str, year: int,
            cache: PartCache) -> Part:
    placed, pad = place(html, start, counters)
    key = part_key(placed, base_url, lang, year)
    part = cache.get(key)
    if part is None:
        part = render_part(placed, base_url, out_path, lang=lang, year=year, pad=pad)
        cache.put(key, part)
    return part


def content_key(parts: EditionParts, output_dir: Path | str, lang: str, year: int) -> str:
    """The hash of everything an edition's pages show (its parts' HTML and files): equal keys,
    equal PDFs."""
    base = Path(output_dir) / str(year)
    placeholder = {a: PAGE_PLACEHOLDER for a in parts.contents}
    keys = [part_key(html, base, lang, year) for html in [parts.front(placeholder), *(h for _, h in parts.chapters)]]
    return hashlib.sha256("\0".join(keys).encode()).hexdigest()[:40]


def render_book(ed: Edition, lang: str, output_dir: Path | str | None = None, *, profiles: bool = False,
                cache: PartCache | None = None, parts: EditionParts | None = None) -> tuple[bytes, bytes]:
    """The ``lang`` edition laid out in parts and joined: ``(PDF, its /ID)``. ``profiles``: end
    with the profiles appendix opener (the pages are appended by :func:`append_profiles`);
    ``parts``: the edition's parts if already assembled (:func:`gihi.publish.assemble.edition_parts`)."""
    output_dir, year = Path(output_dir or OUTPUT_DIR), ed.year
    cache = cache or PartCache(None)
    base = output_dir / str(year)
    out_path = base / pdf_name(year, lang)
    parts = parts or edition_parts(ed, lang, output_dir, profiles=profiles)
    guess = {a: PAGE_PLACEHOLDER for a in parts.contents}
    for _ in range(3):   # the contents print the pages; their own length fixes where the chapters start
        front = _placed(parts.front(guess), 1, Counters(), base, out_path, lang, year, cache)
        laid, start, pages = [], 1 + front.pages, {a: 1 + i for a, i in front.anchors.items()}
        for (_, html), counters in zip(parts.chapters, parts.counters):
            part = _placed(html, start, counters, base, out_path, lang, year, cache)
            pages.update({a: start + i for a, i in part.anchors.items()})
            laid.append(part)
            start += part.pages
        wanted = {a: pages.get(a, PAGE_PLACEHOLDER) for a in parts.contents}
        if wanted == guess:
            break
        guess = wanted
    else:
        raise RenderError(out_path, ["the contents do not settle: their page numbers move the chapters"])
    ident = hashlib.sha256(b"".join(hashlib.sha256(p.pdf).digest() for p in [front, *laid])).hexdigest()[:32].encode()
    return join([(p.pdf, p.pad) for p in [front, *laid]], ident), ident


def render_report(ed: Edition, lang: str, output_dir: Path | str | None = None, *,
                  cache: PartCache | None = None, parts: EditionParts | None = None) -> tuple[bytes, bytes]:
    """The rendered report of an edition of :data:`PROFILE_EDITIONS` without its profile pages
    (it ends with the appendix opener): ``(PDF, the report's /ID)``, for :func:`append_profiles`."""
    if lang not in PROFILE_EDITIONS:
        raise ValueError(f"edition {lang!r} has no profiles appendix; those that do: {', '.join(PROFILE_EDITIONS)}")
    return render_book(ed, lang, output_dir, profiles=True, cache=cache, parts=parts)


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
                   profiles_pdf: Path | str | None = None, cache: PartCache | None = None,
                   parts: EditionParts | None = None) -> Path:
    """Assemble the ``lang`` edition of ``year`` from the bundles under ``output_dir``, lay it out
    (:func:`render_book`, with the parts in ``cache``) and write it to
    ``<output_dir>/<year>/GIHI-<year>-<bilingual|zh|en>.pdf``. Returns the PDF's path.

    The editions of :data:`PROFILE_EDITIONS` end with the city profiles: :func:`render_report`,
    then :func:`append_profiles` with the pages of ``profiles_pdf`` (the whole document
    :func:`gihi.publish.profiles.write_profile_pdfs` keeps), or of the profiles laid out here when None.
    """
    output_dir, year = Path(output_dir or OUTPUT_DIR), ed.year
    if lang in PROFILE_EDITIONS:
        report, report_id = render_report(ed, lang, output_dir, cache=cache, parts=parts)
        pages = Path(profiles_pdf).read_bytes() if profiles_pdf else P.whole_pdf(ed, lang)
        return append_profiles(year, lang, report, report_id, pages, output_dir)
    pdf, _ = render_book(ed, lang, output_dir, cache=cache, parts=parts)
    return write_atomic(output_dir / str(year) / pdf_name(year, lang), pdf)


__all__ = ["RenderError", "MAX_BYTES", "pdf_name", "pdf_identifier", "render_pdf", "Part", "PartCache", "part_key",
           "render_part", "content_key", "render_book", "render_report", "append_profiles", "render_edition"]
