"""Append the city-profile pages to the rendered bilingual report (pypdf).

The 119 profile pages are one WeasyPrint document of their own (:mod:`gihi.publish.profiles`), laid out
once — in parallel with the chapters — and used twice: split into one PDF per city, and appended
here after the report's last page (the profiles appendix opener). :func:`append_appendix` makes
the two files one book:

* the appended pages keep their named destinations (``profile-<id>``);
* each link of the appendix index, written by the template as ``gihi-profile:<id>``, becomes a
  link to that city's page (a link to a city without a page is an error);
* the appendix's bookmark gets one child per city (the profile document's own bookmarks);
* page labels: ``1, 2, …`` for the report, ``D-1, D-2, …`` for the appendix (as printed);
* the report's metadata and ``/Lang`` stay, and the ``/ID`` is the one given (reproducible).

:func:`concatenate` joins the profile documents, laid out in chunks, into one.
"""
from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (ArrayObject, ByteStringObject, DictionaryObject, NameObject, NumberObject,
                           TextStringObject)

from gihi.publish.fonts import share_fonts


class AppendixError(RuntimeError):
    """The report and the appendix pages do not fit together (a link or the bookmark has no target)."""


def _pages_of_destinations(reader: PdfReader) -> dict[str, int]:
    return {str(name): reader.get_destination_page_number(d) for name, d in reader.named_destinations.items()}


def _outline_items(reader: PdfReader) -> list[tuple[str, int]]:
    """Top-level bookmarks of ``reader``: ``[(title, page index)]``."""
    return [(str(o.title), reader.get_destination_page_number(o)) for o in reader.outline if not isinstance(o, list)]


def _add_children(writer: PdfWriter, parent_ref, items: list[tuple[str, int]]) -> None:
    """Append bookmarks ``items`` (title, page index in ``writer``) under the outline item
    ``parent_ref``, open, and update the open-item counts up to the outline root."""
    parent = parent_ref.get_object()
    refs = []
    for title, page in items:
        item = DictionaryObject({
            NameObject("/Title"): TextStringObject(title),
            NameObject("/Parent"): parent_ref,
            NameObject("/Dest"): ArrayObject([writer.pages[page].indirect_reference, NameObject("/Fit")]),
        })
        refs.append(writer._add_object(item))
    for a, b in zip(refs, refs[1:]):
        a.get_object()[NameObject("/Next")] = b
        b.get_object()[NameObject("/Prev")] = a
    if "/Last" in parent:
        last = parent.raw_get("/Last")
        last.get_object()[NameObject("/Next")] = refs[0]
        refs[0].get_object()[NameObject("/Prev")] = last
    else:
        parent[NameObject("/First")] = refs[0]
    parent[NameObject("/Last")] = refs[-1]
    node, added = parent, len(refs)
    while node is not None:   # the item and its open ancestors count the new visible items
        count = int(node.get("/Count", 0))
        node[NameObject("/Count")] = NumberObject(count + added if count >= 0 else count - added)
        if count < 0:
            break
        node = node["/Parent"].get_object() if "/Parent" in node else None


def concatenate(pdfs: list[bytes], identifier: bytes) -> bytes:
    """One PDF of ``pdfs``, in order: their pages, top-level bookmarks and named destinations,
    with the first one's metadata and ``/Lang`` and the given ``/ID``."""
    readers = [PdfReader(io.BytesIO(b)) for b in pdfs]
    writer = PdfWriter()
    for reader in readers:
        offset = len(writer.pages)
        for page in reader.pages:
            writer.add_page(page)
        for name, k in sorted(_pages_of_destinations(reader).items()):
            writer.add_named_destination(name, offset + k)
        for title, k in _outline_items(reader):
            writer.add_outline_item(title=title, page_number=offset + k)
    writer.add_metadata(dict(readers[0].metadata or {}))
    lang = readers[0].trailer["/Root"].get("/Lang")
    if lang is not None:
        writer._root_object[NameObject("/Lang")] = TextStringObject(str(lang))
    writer._ID = ArrayObject([ByteStringObject(identifier), ByteStringObject(identifier)])
    share_fonts(writer)   # one subset per font, not one per joined document
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def append_appendix(report: bytes, appendix: bytes, *, bookmark: str, label_prefix: str,
                    link_prefix: str, anchor: str, identifier: bytes) -> bytes:
    """``report`` followed by every page of ``appendix``, as one PDF (see the module docstring).

    ``bookmark`` starts the title of the report's last top-level bookmark (the appendix opener's);
    ``label_prefix`` is the appended pages' label prefix (``"D-"``); a link ``<link_prefix><id>``
    goes to the appended page that has the destination ``anchor.format(id=id)``.
    """
    main = PdfReader(io.BytesIO(report))
    extra = PdfReader(io.BytesIO(appendix))
    writer = PdfWriter(clone_from=main)
    n = len(writer.pages)
    for page in extra.pages:
        writer.add_page(page)
    dests = _pages_of_destinations(extra)
    for name, k in sorted(dests.items()):
        writer.add_named_destination(name, n + k)

    missing = []
    for i in range(n):
        for ref in writer.pages[i].get("/Annots") or []:
            annot = ref.get_object()
            action = annot.get("/A")
            uri = str(action.get("/URI", "")) if action is not None else ""
            if not uri.startswith(link_prefix):
                continue
            target = anchor.format(id=uri[len(link_prefix):])
            if target not in dests:
                missing.append(f"page {i + 1}: {uri}")
                continue
            del annot["/A"]
            annot[NameObject("/Dest")] = ArrayObject([writer.pages[n + dests[target]].indirect_reference,
                                                      NameObject("/Fit")])
    if missing:
        raise AppendixError(f"{len(missing)} link(s) to a page the appendix does not have: " + "; ".join(missing[:5]))

    outlines = writer._root_object.get("/Outlines")
    last = outlines.get_object().raw_get("/Last") if outlines is not None and "/Last" in outlines.get_object() else None
    title = str(last.get_object()["/Title"]) if last is not None else ""
    if not title.startswith(bookmark):
        raise AppendixError(f"the report's last bookmark is {title!r}, not the appendix {bookmark!r}")
    _add_children(writer, last, [(t, n + k) for t, k in _outline_items(extra)])

    writer.set_page_label(0, n - 1, style="/D", start=1)
    writer.set_page_label(n, len(writer.pages) - 1, style="/D", prefix=label_prefix, start=1)
    writer._ID = ArrayObject([ByteStringObject(identifier), ByteStringObject(identifier)])
    share_fonts(writer)   # one subset per font, not one per joined document
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


__all__ = ["AppendixError", "concatenate", "append_appendix"]
