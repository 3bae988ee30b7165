"""The rendered 2023 PDFs: text in the right languages, contents and bookmarks, numbering,
fonts, running notices, table headers, Chinese line breaking. Every test reads the three whole
editions the ``pdf_build`` fixture renders: ``e2e``."""
from __future__ import annotations

import html as htmllib
import re
from functools import lru_cache
from pathlib import Path

import pypdf
import pypdfium2 as pdfium
import pytest

from _fonts import FAMILIES, cmap as _cmap, pdf_fonts as _fonts
from _pdf_fixtures import YEAR, pdf_build, pdf_bundles  # noqa: F401  (session fixtures)
import pandas as pd

from gihi.publish.assemble import CJK, rendered_text
from gihi.publish.editions import EDITION_LANGS as EDITIONS
from gihi.publish.render import PROFILE_EDITIONS
from gihi.report.bundle import read_bundle
from gihi.report.chapters import CHAPTERS
from gihi.report.i18n import t
from gihi.report.layout import load_layout

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.e2e

LEADER_LINE = re.compile(r"^(?P<label>.*?)[ .]*\.{3,}\s*(?P<page>\d+)\s*$")
#: the fonts the style sheet names (everything else would be a fontconfig fallback)


@lru_cache(maxsize=8)
def page_texts(path: Path) -> tuple[str, ...]:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return tuple(pdf[i].get_textpage().get_text_range().replace("\r\n", "\n") for i in range(len(pdf)))
    finally:
        pdf.close()


def outline(reader: pypdf.PdfReader) -> list[tuple[int, str, int]]:
    """``(level, title, 1-based page)`` of every bookmark, in order."""
    out = []

    def walk(items, level):
        for it in items:
            if isinstance(it, list):
                walk(it, level + 1)
            else:
                out.append((level, it.title, reader.get_destination_page_number(it) + 1))

    walk(reader.outline, 1)
    return out


def toc_entries(texts: tuple[str, ...]) -> list[tuple[str, int]]:
    """``(label, page)`` of the contents pages (an entry may wrap: its number ends the last line)."""
    title = texts.index(next(x for x in texts if x.lstrip().startswith((t("pdf.toc", "zh"), t("pdf.toc", "en")))))
    entries, pending = [], ""
    for page in texts[title:]:
        lines = page.split("\n")
        if page is not texts[title] and not any(LEADER_LINE.match(x) for x in lines):
            break
        for line in lines:
            m = LEADER_LINE.match(pending + " " + line if pending else line)
            if m:
                entries.append((m.group("label").strip(), int(m.group("page"))))
                pending = ""
            elif entries or pending:
                pending = (pending + " " + line).strip() if line.strip() and not line.strip().isdigit() else pending
    return entries


# ----------------------------------------------------------------- languages

def test_bilingual_text_has_both_languages(pdf_build):
    text = "".join(page_texts(pdf_build.pdf("bi")))
    assert "国际科技创新中心" in text and "Global Innovation Hubs" in text
    assert "\ufffd" not in text


def _plain(html: str) -> str:
    return re.sub(r"\s+", "", htmllib.unescape(re.sub(r"<[^>]+>", "", html)))


def test_zh_edition_is_chinese_only(pdf_build):
    text = "".join(page_texts(pdf_build.pdf("zh")))
    assert "国际科技创新中心" in text and "Global Innovation Hubs" not in text
    assert "\ufffd" not in text
    flat = re.sub(r"\s+", "", text)
    for ch in CHAPTERS:
        b = read_bundle(pdf_build.fast / str(YEAR) / "chapters" / ch)
        for s in b.sections:
            # the start of each narrative, up to its first cross-reference (numbered by the PDF)
            zh, en = (_plain(re.split(r"<a class=\"xref", s.narrative[x])[0])[:24] for x in ("zh", "en"))
            assert zh in flat, f"{ch}/{s.id}: zh narrative missing"
            assert len(en) < 12 or en not in flat, f"{ch}/{s.id}: en narrative present"
    # no English prose anywhere: every table column with words has a zh and an en version
    prose = re.sub(r"\s+", " ", "".join(page_texts(pdf_build.pdf("zh"))))
    english = re.findall(r"\b(?:the|and|of|with|is|are|Figure|Table|Chapter|Appendix)\b", prose)
    assert english == [], english[:10]


def test_en_edition_has_no_chinese_character(pdf_build):
    texts = page_texts(pdf_build.pdf("en"))
    assert "Global Innovation Hubs" in texts[0]
    for i, page in enumerate(texts, 1):
        assert not CJK.search(page), f"page {i}: {CJK.findall(page)[:10]}"
        assert "\ufffd" not in page


@pytest.mark.parametrize("lang", list(EDITIONS))
def test_reconstruction_notice_on_every_page(pdf_build, lang):
    assert all(read_bundle(pdf_build.fast / str(YEAR) / "chapters" / ch).provenance["reconstruction"] for ch in CHAPTERS)
    notices = {x: t("pdf.footer.reconstruction", x) for x in ("zh", "en")}
    for i, page in enumerate(page_texts(pdf_build.pdf(lang)), 1):
        flat = page.replace("\n", " ")
        for x, notice in notices.items():
            assert (notice in flat) == (x in EDITIONS[lang]), f"{lang} page {i}: {x} notice"


# ----------------------------------------------------------------- contents and bookmarks

@pytest.mark.parametrize("lang", list(EDITIONS))
def test_bookmarks_for_every_chapter_and_section(pdf_build, lang):
    marks = outline(pypdf.PdfReader(pdf_build.pdf(lang)))
    first = EDITIONS[lang][0]
    expected = [(1, t("pdf.provenance.title", first))]
    layout = load_layout()
    main, letters = 0, iter("ABCDEFGH")
    for ch in CHAPTERS:
        b = read_bundle(pdf_build.fast / str(YEAR) / "chapters" / ch)
        number = next(letters) if layout[ch].appendix else str(main := main + 1)
        expected.append((1, f"{number} {b.title[first]}"))
        expected += [(2, f"{number}.{k} {s.title[first]}") for k, s in enumerate(b.sections, 1)]
    got = [(level, title.split(" / ")[0]) for level, title, _ in marks]
    assert got[:len(expected)] == expected
    if lang in PROFILE_EDITIONS:   # then the profiles appendix: one bookmark per city
        rest = got[len(expected):]
        assert rest[0] == (1, f"{next(letters)} {t('profiles.appendix.title', first)}")
        n_cities = len(pd.read_csv(ROOT / "data" / str(YEAR) / "meta" / "cities.csv"))
        assert sum(1 for level, _ in rest if level == 2) >= n_cities
    else:
        assert got == expected
    if lang == "bi":
        assert marks[1][1] == "1 GIHI指数综合排名 / The GIHI composite ranking"


@pytest.mark.parametrize("lang", list(EDITIONS))
def test_contents_page_numbers_are_the_pages_of_the_headings(pdf_build, lang):
    path = pdf_build.pdf(lang)
    texts = page_texts(path)
    marks = outline(pypdf.PdfReader(path))
    if lang in PROFILE_EDITIONS:   # the contents list the profiles appendix, not each city
        title = t("profiles.appendix.title", EDITIONS[lang][0])
        at = next(i for i, (level, name, _) in enumerate(marks) if level == 1 and title in name)
        marks = marks[:at + 1]
    entries = toc_entries(texts)
    # one entry per bookmark, same order, same page
    assert [p for _, p in entries] == [p for _, _, p in marks], list(zip(entries, marks))[:5]
    for (label, page), (_, title, mark_page) in zip(entries, marks):
        heading = re.sub(r"^(?:\d+|[A-H])(?:\.\d+)? ", "", title.split(" / ")[0])  # without its number
        assert heading in label, (label, title)
        on_page = re.sub(r"\s+", " ", texts[page - 1])
        assert heading in on_page or heading.replace(" ", "") in on_page.replace(" ", ""), f"{heading!r} not on page {page}"
    # numbering by CSS: 1.1 … in the contents, A for the appendix
    assert entries[1][0].startswith("1 ") and entries[2][0].startswith("1.1 ")
    assert any(label.startswith("A ") for label, _ in entries) and any(label.startswith("A.1 ") for label, _ in entries)


def test_profiles_appendix_pages_links_and_labels(pdf_build):
    """The bilingual edition's appended profile pages: each index link goes to its city's page,
    whose printed label (D-n) is the PDF's page label and the one the index prints."""
    from gihi.publish.profiles import profile_views
    path = pdf_build.pdf("bi")
    reader = pypdf.PdfReader(path)
    texts = page_texts(path)
    views = profile_views(pdf_build.edition)
    n = len(reader.pages)
    first = n - len(views)
    assert reader.page_labels[first - 1].isdigit() and reader.page_labels[first:] == [f"D-{k}" for k in range(1, len(views) + 1)]
    for k, v in enumerate(views):
        text = re.sub(r"\s+", "", texts[first + k])
        assert v["name"]["zh"] in text and f"D-{k + 1}" in text, (k, v["id"])
    named = reader.named_destinations
    links = []
    for i in range(first):
        for ref in reader.pages[i].get("/Annots") or []:
            a = ref.get_object()
            assert "gihi-profile:" not in str(a.get("/A", {}).get("/URI", "")), f"page {i + 1}: link not rewritten"
            if "/Dest" not in a:
                continue
            dest = a["/Dest"]
            page = reader.get_destination_page_number(named[str(dest)]) if isinstance(dest, str) \
                else reader.get_page_number(dest[0].get_object())
            if page >= first:
                links.append(page)
    assert sorted(set(links)) == list(range(first, n))   # every profile page is linked from the index
    opener = "\n".join(texts[first - 3:first])
    for k in (1, 50, len(views)):
        assert f"D-{k}" in opener


# ----------------------------------------------------------------- numbering and cross-references

def test_figures_tables_and_cross_references_are_numbered_by_the_pdf(pdf_build):
    text = "\n".join(page_texts(pdf_build.pdf("en")))
    flat = re.sub(r"\s+", " ", text)
    # captions (at the start of a line; "… in Figure 39. Next …" in the prose is a reference)
    figures = [int(n) for n in re.findall(r"(?m)^Figure (\d+)\. ", text)]
    tables = [int(n) for n in re.findall(r"(?m)^Table (\d+)\. ", text)]
    assert figures == list(range(1, len(figures) + 1)) and len(figures) > 30
    assert tables == list(range(1, len(tables) + 1)) and len(tables) > 15
    # "(see Table N)" in the three pillar chapters points at their ranking tables
    refs = [int(n) for n in re.findall(r"take places \S+ to \S+ \(see Table (\d+)\)", flat)]
    captions = [int(re.search(rf"Table (\d+)\. {re.escape(p)}: ranks and scores", flat).group(1))
                for p in ("Science Centre", "Innovation Economy", "Innovation Ecosystem")]
    assert refs == captions
    ref = int(re.search(r"has a different leader \(see Figure (\d+)\)", flat).group(1))
    assert re.search(rf"Figure {ref}\. Science Centre top 20: sub-pillar scores", flat)
    # the printed report's labels are gone: its Table 2 is the PDF's Table 1
    assert re.search(r"Table 1\. Composite ranking of the innovation hubs", flat)
    zh = re.sub(r"\s+", "", "".join(page_texts(pdf_build.pdf("zh"))))
    assert re.search(r"表1国际科技创新中心综合排名", zh) and "进行了综合评估，表1列出前100名" in zh


def test_table_header_rows_repeat_on_every_page(pdf_build):
    texts = page_texts(pdf_build.pdf("en"))
    start = next(i for i, x in enumerate(texts) if "Composite ranking of the innovation hubs (top 100)" in x)
    end = next(i for i, x in enumerate(texts) if i > start and "Changes since last year" in x)
    assert end - start >= 2  # the top-100 table runs over several pages
    for i in range(start, end + 1):
        page = re.sub(r"\s+", " ", texts[i])
        assert "Composite score" in page and "Science Centre" in page, f"page {i + 1}"
    css = (Path(__file__).resolve().parents[1] / "templates" / "report" / "report.css").read_text()
    assert "thead { display: table-header-group; }" in css and "tr { break-inside: avoid; }" in css


def test_chinese_lines_never_start_with_closing_punctuation(pdf_build):
    bad = []
    for i, page in enumerate(page_texts(pdf_build.pdf("zh")), 1):
        bad += [(i, line[:20]) for line in page.split("\n") if re.match(r"^[，。、）：；！？」』】]", line)]
    assert bad == []


# ----------------------------------------------------------------- fonts

@pytest.mark.parametrize("lang", list(EDITIONS))
def test_fonts_are_embedded_subsets_of_the_named_families(pdf_build, lang):
    fonts = _fonts(pdf_build.pdf(lang))
    assert fonts
    allowed = tuple(f.replace(" ", "-") for f in FAMILIES)
    for name, descriptor in fonts.items():
        assert re.match(r"^/[A-Z]{6}\+", name), f"{name}: not a subset"
        assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), f"{name}: not embedded"
        assert name[8:].startswith(allowed), f"{name}: a fallback font"
    if lang != "en":  # (the en edition may use the CJK faces for arrows and check marks only)
        assert any("CJK" in name for name in fonts)


@pytest.mark.parametrize("lang", list(EDITIONS))
def test_every_character_has_a_glyph_in_the_named_fonts(pdf_build, lang):
    html = pdf_build.html(lang)
    generated = "".join(re.findall(r'content: "([^"]*)"', html)).replace("\\A ", "")  # numbering words, notice
    chars = set(rendered_text(html) + generated) - set(" \n\t\r\xa0")
    covered = frozenset().union(*(_cmap(f) for f in FAMILIES))
    missing = sorted(c for c in set(htmllib.unescape("".join(chars))) if ord(c) not in covered)
    assert missing == [], [f"U+{ord(c):04X} {c}" for c in missing]
