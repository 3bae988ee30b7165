"""gihi.publish.fonts: one embedded program per font in a joined PDF, pages unchanged."""
from __future__ import annotations

import io

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, NumberObject

from gihi.publish import fonts

HTML = ('<html lang="zh"><body style="font-family: \'Noto Sans CJK SC\'; font-size: 14pt">'
        '<p>{text}</p><p style="font-family: \'Noto Sans\'">{latin}</p></body></html>')


def _pdf(text: str, latin: str) -> bytes:
    from weasyprint import HTML as W
    return W(string=HTML.format(text=text, latin=latin)).write_pdf(pdf_identifier=b"test", uncompressed_pdf=False)


@pytest.fixture(scope="module")
def joined() -> bytes:
    """Two documents with different Chinese characters, joined without sharing."""
    writer = PdfWriter()
    for pdf in (_pdf("科学中心排名第一", "Science"), _pdf("创新生态与创新高地", "Ecosystem")):
        writer.append(PdfReader(io.BytesIO(pdf)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _shared(pdf: bytes) -> tuple[bytes, int]:
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    n = fonts.share_fonts(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), n


def _programs(pdf: bytes) -> dict[str, set[int]]:
    """Font name (tag removed) → ids of the font-program objects its descriptors point at."""
    out: dict[str, set[int]] = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            desc = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            key = next(k for k in fonts.FONT_FILES if k in desc)
            out.setdefault(str(font["/BaseFont"]).split("+")[-1], set()).add(desc.raw_get(key).idnum)
    return out


def _pixels(pdf: bytes) -> list[bytes]:
    import pypdfium2
    doc = pypdfium2.PdfDocument(pdf)
    return [doc[i].render(scale=1).to_pil().tobytes() for i in range(len(doc))]


def test_widths_give_the_cids_in_both_forms():
    w = ArrayObject([NumberObject(3), ArrayObject([NumberObject(500), NumberObject(600)]),
                     NumberObject(10), NumberObject(12), NumberObject(1000)])
    assert fonts.widths_cids(w) == {3, 4, 10, 11, 12}
    assert fonts.widths_cids(None) == set()


def test_each_font_is_embedded_once_and_the_pages_are_unchanged(joined):
    before = _programs(joined)
    assert before["Noto-Sans-CJK-SC"] and len(before["Noto-Sans-CJK-SC"]) == 2   # one subset per document
    shared, n = _shared(joined)
    after = _programs(shared)
    assert n >= 2 and all(len(ids) == 1 for ids in after.values()), after
    assert len(shared) < len(joined)
    assert _pixels(shared) == _pixels(joined)
    texts = [p.extract_text() for p in PdfReader(io.BytesIO(joined)).pages]
    assert [p.extract_text() for p in PdfReader(io.BytesIO(shared)).pages] == texts
    assert "创新生态" in texts[1]


def test_sharing_is_deterministic(joined):
    assert _shared(joined)[0] == _shared(joined)[0]


def test_a_font_not_installed_is_left_as_it_is(joined, monkeypatch):
    monkeypatch.setattr(fonts, "installed_fonts", lambda: {})
    shared, n = _shared(joined)
    count = lambda pdf: {k: len(v) for k, v in _programs(pdf).items()}   # noqa: E731
    assert n == 0 and count(shared) == count(joined) and count(joined)["Noto-Sans-CJK-SC"] == 2
