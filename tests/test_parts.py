"""gihi.publish.parts and the part cache of gihi.publish.render: an edition laid out part by part
reads as one book (page numbers, counters, links, bookmarks continue across parts; pad pages
dropped), and an edit to one chapter's English text lays out that part only, leaves the Chinese
edition's content unchanged, and gives the same bytes as a layout from scratch."""
from __future__ import annotations

import io
import json
import os
import shutil

import pytest
from pypdf import PdfReader

from _pdf_fixtures import YEAR, pdf_build, pdf_bundles  # noqa: F401  (session fixtures)
from gihi.publish import parts as P
from gihi.publish.assemble import edition_parts
from gihi.publish.render import PartCache, content_key, render_book, render_part

DOC = """<html lang="en"><head><style>
@page {{ size: A6; margin: 15mm; @bottom-center {{ content: "p" counter(page); }} }}
h1 {{ bookmark-level: 1; bookmark-label: content(); counter-increment: chapter; }}
h1::before {{ content: "Chapter " counter(chapter) ": "; }}
figure {{ counter-increment: figure; }}
figure::after {{ content: "Figure " counter(figure); }}
a.xref-fig::before {{ content: "Fig. " attr(data-num); }}
{marker}
</style></head><body>{body}</body></html>"""


def part(body: str, start: int, counters=P.Counters()):
    html = P.localise_links(DOC.format(marker=P.MARKER, body=body))
    placed, pad = P.place(html, start, counters)
    return render_part(placed, "/tmp", "/tmp/x.pdf", lang="en", year=YEAR, pad=pad)


def text(reader: PdfReader) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in reader.pages]


def test_parts_read_as_one_book():
    a = part('<h1 id="a">Alpha</h1><p><a class="xref xref-fig" data-num="2" href="#fig-b">x</a></p>', 1)
    assert (a.pad, a.pages, a.anchors) == (False, 1, {"a": 0})
    b = part('<h1 id="b">Beta</h1><figure id="fig-a"></figure><p style="break-before: page">more</p>'
             '<figure id="fig-b"></figure><a href="#a">back</a>', 2, P.Counters(chapter=1))
    assert b.pad and b.pages == 2 and b.anchors["b"] == 0 and b.anchors["fig-b"] == 1
    c = part('<h1 id="c">Gamma</h1>', 4, P.Counters(chapter=2, figure=2))
    book = PdfReader(io.BytesIO(P.join([(x.pdf, x.pad) for x in (a, b, c)], b"0" * 32)))

    pages = text(book)
    assert len(pages) == 4   # the pads of b and c are gone
    assert [p.split()[-1] for p in pages] == ["p1", "p2", "p3", "p4"]
    assert "Chapter 1: Alpha" in pages[0] and "Fig. 2" in pages[0]
    assert "Chapter 2: Beta" in pages[1] and "Figure 1" in pages[1] and "Figure 2" in pages[2]
    assert "Chapter 3: Gamma" in pages[3]
    assert [o.title for o in book.outline] == ["Alpha", "Beta", "Gamma"]
    assert [book.get_destination_page_number(o) for o in book.outline] == [0, 1, 3]
    dests = {k: book.get_destination_page_number(v) for k, v in book.named_destinations.items()}
    assert dests["fig-b"] == 2 and dests["a"] == 0
    links = [a.get_object() for p in book.pages for a in p.get("/Annots") or []]
    assert {str(x.get("/Dest")) for x in links} == {"fig-b", "a"}   # the cross-part link made internal
    assert not any("/A" in x for x in links)
    assert str(book.trailer["/ID"][0]) == "0" * 32


def test_a_link_to_no_part_is_an_error():
    a = part('<h1 id="a">Alpha</h1><a href="#nowhere">x</a>', 1)
    with pytest.raises(P.JoinError, match="#nowhere"):
        P.join([(a.pdf, a.pad)], b"0" * 32)


def test_link_numbers_count_as_the_css_counters_do():
    views = [
        {"anchor": "ch-1", "appendix": False, "sections": [
            {"anchor": "s1", "items": [{"kind": "table", "anchor": "t1"}, {"kind": "note", "anchor": "n"}]},
            {"anchor": "s2", "items": [{"kind": "figure", "anchor": "f1"}, {"kind": "figure", "anchor": "f2"}]}]},
        {"anchor": "ch-2", "appendix": False, "sections": [{"anchor": "s3", "items": [{"kind": "table", "anchor": "t2"}]}]},
        {"anchor": "ap-1", "appendix": True, "sections": [{"anchor": "s4", "items": [{"kind": "figure", "anchor": "f3"}]}]},
        {"anchor": "ap-2", "appendix": True},
    ]
    nums, before = P.link_numbers(views)
    assert nums == {"ch-1": "1", "s1": "1.1", "t1": "1", "s2": "1.2", "f1": "1", "f2": "2", "ch-2": "2", "s3": "2.1",
                    "t2": "2", "ap-1": "A", "s4": "A.1", "f3": "3", "ap-2": "B"}
    assert before == [P.Counters(), P.Counters(1, 0, 2, 1), P.Counters(2, 0, 2, 2), P.Counters(2, 1, 3, 2)]
    assert [P.upper_alpha(n) for n in (1, 26, 27)] == ["A", "Z", "AA"]


def test_links_get_numbers_and_cross_part_links_a_scheme():
    html = '<p id="here"></p><a class="xref" href="#here">a</a><a href="#there">b</a><a data-num="9" href="#here">c</a>'
    numbered = P.number_links(html, {"here": "1.2", "there": "3"})
    assert 'data-num="1.2" href="#here"' in numbered and 'data-num="3" href="#there"' in numbered
    assert numbered.count('data-num="9"') == 1 and numbered.count("data-num") == 3
    local = P.localise_links(numbered)
    assert 'href="#here"' in local and 'href="gihi-part:there"' in local


def test_place_starts_a_part_on_its_page():
    html = DOC.format(marker=P.MARKER, body="<p>x</p>")
    odd, pad = P.place(html, 7, P.Counters(1, 2, 3, 4))
    assert not pad and "counter-reset: page 7" in odd and "chapter 1 appendix 2 figure 3 table 4" in odd
    even, pad = P.place(html, 8, P.Counters())
    assert pad and "counter-reset: page 7" in even and P.PAD in even
    with pytest.raises(ValueError, match="marker"):
        P.place("<html><body></body></html>", 1, P.Counters())


# --------------------------------------------------------------------------- the real edition

def _edit_english(bundle_json, sentence: str) -> None:
    """Append ``sentence`` to the chapter's last section (its data note): at the end of its part, so
    that even when it adds a page no other part moves and no page the contents print changes."""
    data = json.loads(bundle_json.read_text(encoding="utf-8"))
    data["sections"][-1]["narrative"]["en"] += f"<p>{sentence}</p>"
    bundle_json.unlink()   # a hard link to the fixture's file: replace it, never edit it in place
    bundle_json.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


@pytest.mark.slow
@pytest.mark.e2e   # lays the English edition out twice
def test_an_english_edit_lays_out_its_part_only_and_equals_a_layout_from_scratch(pdf_build, tmp_path):
    ed = pdf_build.edition
    out = tmp_path / "out"
    shutil.copytree(pdf_build.fast, out, copy_function=os.link)
    shutil.copytree(pdf_build.parts("en"), tmp_path / "parts", copy_function=os.link)
    zh_before = content_key(edition_parts(ed, "zh", out), out, "zh", YEAR)
    en_before = content_key(edition_parts(ed, "en", out), out, "en", YEAR)

    last = edition_parts(ed, "en", out).chapters[-1][0]   # the edition's last part
    _edit_english(out / str(YEAR) / "chapters" / last / "bundle.json", "One more sentence by the editor.")
    assert content_key(edition_parts(ed, "zh", out), out, "zh", YEAR) == zh_before   # nothing to lay out
    assert content_key(edition_parts(ed, "en", out), out, "en", YEAR) != en_before

    cache = PartCache(tmp_path / "parts")
    edited, _ = render_book(ed, "en", out, cache=cache)
    assert len(cache.rendered) == 1, f"laid out {len(cache.rendered)} parts, expected the edited chapter only"
    assert b"One more sentence" not in edited   # text is in content streams, not plain; check it by reading
    reader = PdfReader(io.BytesIO(edited))
    assert any("One more sentence by the editor." in " ".join(p.extract_text().split()) for p in reader.pages)

    scratch, _ = render_book(ed, "en", out)   # no cache: every part laid out
    assert scratch == edited
    assert len(reader.pages) - len(PdfReader(pdf_build.pdf("en")).pages) in (0, 1)   # a sentence adds a page at most


@pytest.mark.parametrize("directory,read", [(None, True), ("disk", False)])
def test_a_part_laid_out_once_is_not_laid_out_again(tmp_path, directory, read):
    """Without a disk cache, or with ``read=False`` (``--force``), the contents' second pass still
    gets the parts this cache laid out in the first, instead of laying every chapter out twice."""
    from gihi.publish.render import Part
    cache = PartCache(tmp_path / directory if directory else None, read=read)
    assert cache.get("k") is None
    part = Part(b"%PDF-1.7 fake", False, 3, {"a": 0})
    cache.put("k", part)
    assert cache.get("k") == part and cache.rendered == ["k"] and cache.used == ["k", "k"]
    assert PartCache(tmp_path / directory if directory else None, read=read).get("k") is None
