"""An edition as a book of parts: the front matter, then each chapter and appendix, each laid
out by WeasyPrint as a document of its own and joined with pypdf.

An edit to one chapter then lays out that chapter again, not the whole edition
(:mod:`gihi.publish.render` caches each part's PDF by the hash of its HTML and of the files it
shows). What a single document would do across chapters is done here:

* **Page numbers.** A part starts at its page of the book (``@page :first { counter-reset: page
  N }``). WeasyPrint always starts a document on a right-hand page, so a part that starts on an
  even (left-hand) page begins with a blank *pad* page, which the join drops.
* **Counters.** The chapter, appendix, figure and table counters continue from the parts before
  (``body { counter-reset: … }``): captions and chapter labels are numbered by CSS as in one
  document.
* **Links.** A link to an anchor in another part is written ``gihi-part:<anchor>`` and becomes an
  internal link at the join (each part's anchors are named destinations, which pypdf keeps).
* **Numbers in links.** The contents, cross-references and chapter references print numbers from
  ``data-num`` (:func:`link_numbers`, in document order as the counters count) and the contents'
  page numbers from ``data-page`` (the pages on which the rendered parts put the anchors).

The joined PDF depends only on the parts' bytes, so a book joined from cached parts is
byte-identical to one laid out from scratch.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Iterable, Mapping

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, ByteStringObject, NameObject, TextStringObject

from gihi.publish.fonts import share_fonts

#: where the renderer puts a part's preamble (the template writes it at the end of its <style>)
MARKER = "/* gihi:part */"
#: the scheme of links to another part (made internal at the join)
LINK = "gihi-part:"
PAD = '<div class="part-pad"></div>'

_BODY = re.compile(r"<body\b[^>]*>")
_ID = re.compile(r'\sid="([^"]+)"')
_HREF = re.compile(r'(<a\s[^>]*?)href="#([^"]+)"')


class JoinError(RuntimeError):
    """The parts do not make one book (a link to an anchor no part has)."""


@dataclass(frozen=True)
class Counters:
    """The values of the document counters before a part."""

    chapter: int = 0
    appendix: int = 0
    figure: int = 0
    table: int = 0


def upper_alpha(n: int) -> str:
    """CSS ``upper-alpha``: 1 → A, 26 → Z, 27 → AA."""
    out = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def link_numbers(views: Iterable[Mapping]) -> tuple[dict[str, str], list[Counters]]:
    """``({anchor: printed number}, [counters before each view])`` for the chapter views in
    document order: chapters ``1``, appendices ``A``, sections ``1.2`` / ``A.1``, tables and
    figures ``5`` — counted as ``report.css`` counts them (every section; every table and figure
    placed in a section)."""
    nums: dict[str, str] = {}
    before: list[Counters] = []
    c = Counters()
    for v in views:
        before.append(c)
        chapter, appendix, figure, table = c.chapter, c.appendix, c.figure, c.table
        if v.get("appendix"):
            appendix += 1
            n = upper_alpha(appendix)
        else:
            chapter += 1
            n = str(chapter)
        nums[v["anchor"]] = n
        for i, s in enumerate(v.get("sections", ()), 1):
            nums[s["anchor"]] = f"{n}.{i}"
            for it in s["items"]:
                if it["kind"] == "figure":
                    figure += 1
                    nums[it["anchor"]] = str(figure)
                elif it["kind"] == "table":
                    table += 1
                    nums[it["anchor"]] = str(table)
        c = Counters(chapter, appendix, figure, table)
    return nums, before


def number_links(html: str, nums: Mapping[str, str]) -> str:
    """Give every ``<a href="#anchor">`` of ``html`` whose anchor is numbered its ``data-num``."""
    def repl(m: re.Match) -> str:
        n = nums.get(m.group(2))
        return m.group(0) if n is None or "data-num=" in m.group(1) else f'{m.group(1)}data-num="{n}" href="#{m.group(2)}"'
    return _HREF.sub(repl, html)


def anchors_of(html: str) -> set[str]:
    """The ids ``html`` defines."""
    return set(_ID.findall(html))


def localise_links(html: str) -> str:
    """Links to anchors ``html`` does not define become ``gihi-part:<anchor>`` links."""
    own = anchors_of(html)
    return _HREF.sub(lambda m: m.group(0) if m.group(2) in own else f'{m.group(1)}href="{LINK}{m.group(2)}"', html)


def preamble(start: int, pad: bool, counters: Counters) -> str:
    """The CSS that places a part in the book: its first page number, and the counters' values."""
    first = start - 1 if pad else start
    return (f"@page :first {{ counter-reset: page {first}; }}\n"
            f"body {{ counter-reset: chapter {counters.chapter} appendix {counters.appendix} "
            f"figure {counters.figure} table {counters.table}; }}\n"
            ".part-pad { page: part-pad; break-after: page; }\n")


def place(html: str, start: int, counters: Counters) -> tuple[str, bool]:
    """``(html of the part starting on page start, whether it has a pad page)``."""
    if html.count(MARKER) != 1:
        raise ValueError(f"a part's HTML must contain the marker {MARKER!r} once")
    pad = start % 2 == 0
    out = html.replace(MARKER, preamble(start, pad, counters))
    if pad:
        m = _BODY.search(out)
        out = out[:m.end()] + PAD + out[m.end():]
    return out, pad


def join(parts: list[tuple[bytes, bool]], identifier: bytes) -> bytes:
    """One PDF of ``parts`` (``(pdf, has a pad page)``), in order: their pages (pads dropped),
    bookmarks and named destinations; ``gihi-part:`` links made internal; the first part's
    metadata, ``/Lang`` and PDF version; the ``/ID`` given; one subset per font
    (:func:`gihi.publish.fonts.share_fonts`)."""
    readers = [PdfReader(io.BytesIO(pdf)) for pdf, _ in parts]
    writer = PdfWriter()
    for reader, (_, pad) in zip(readers, parts):
        writer.append(reader, pages=(1 if pad else 0, len(reader.pages)))
    dests = set(writer.named_destinations) if hasattr(writer, "named_destinations") else set()
    missing = []
    for i, page in enumerate(writer.pages):
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            action = annot.get("/A")
            uri = str(action.get("/URI", "")) if action is not None else ""
            if not uri.startswith(LINK):
                continue
            target = uri[len(LINK):]
            if dests and target not in dests:
                missing.append(f"page {i + 1}: #{target}")
                continue
            del annot["/A"]
            annot[NameObject("/Dest")] = TextStringObject(target)
    if missing:
        raise JoinError(f"{len(missing)} link(s) to an anchor no part has: " + "; ".join(missing[:5]))
    first = readers[0]
    writer.add_metadata(dict(first.metadata or {}))
    lang = first.trailer["/Root"].get("/Lang")
    if lang is not None:
        writer._root_object[NameObject("/Lang")] = TextStringObject(str(lang))
    writer.pdf_header = first.pdf_header
    writer._ID = ArrayObject([ByteStringObject(identifier), ByteStringObject(identifier)])
    share_fonts(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


__all__ = ["MARKER", "LINK", "JoinError", "Counters", "upper_alpha", "link_numbers", "number_links", "anchors_of",
           "localise_links", "preamble", "place", "join"]
