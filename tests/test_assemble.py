"""Assembling the chapter bundles into the HTML of the three editions (gihi.publish.assemble).

The tests on the 2023 edition's bundles (the ``pdf_bundles`` fixture: every chapter built, with its
figures, about three minutes on two cores) are marked ``e2e``; the others are unit tests."""
from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from _pdf_fixtures import YEAR, pdf_bundles  # noqa: F401  (session fixture: bundles, no PDF)
from gihi.model import strings as ui_strings
from gihi.publish import assemble as asm
from gihi.publish.editions import EDITION_LANGS
from gihi.report.bundle import read_bundle
from gihi.report.chapters import CHAPTERS

CJK = asm.CJK
ROOT = Path(__file__).resolve().parents[1]


# ----------------------------------------------------------------- helpers

class _Tree(HTMLParser):
    """Elements of a document as (tag, attrs, text) with their lang (inherited)."""

    VOID = {"br", "img", "meta", "link", "hr", "input", "col"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[dict] = []
        self.elements: list[dict] = []
        self.in_head = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        lang = attrs.get("lang") or (self.stack[-1]["lang"] if self.stack else None)
        el = {"tag": tag, "attrs": attrs, "lang": lang, "text": [], "parent": self.stack[-1] if self.stack else None}
        self.elements.append(el)
        if tag not in self.VOID:
            self.stack.append(el)

    def handle_endtag(self, tag):
        while self.stack:
            el = self.stack.pop()
            if el["tag"] == tag:
                break

    def handle_data(self, data):
        for el in self.stack:
            el["text"].append(data)


def parse(html: str) -> list[dict]:
    p = _Tree()
    p.feed(html)
    return p.elements


def text(el) -> str:
    return "".join(el["text"]).strip()


def classes(el) -> set[str]:
    return set((el["attrs"].get("class") or "").split())


def ancestor(el, cls):
    p = el["parent"]
    while p is not None:
        if cls in classes(p):
            return p
        p = p["parent"]
    return None


# ----------------------------------------------------------------- caption labels

@pytest.mark.parametrize("caption,expected", [
    ("图5\u3000科学中心前20城市（都市圈）发展状况", "科学中心前20城市（都市圈）发展状况"),
    ("表2\u3000国际科技创新中心综合排名（前100名）", "国际科技创新中心综合排名（前100名）"),
    ("图26（a）\u3000主要城市（都市圈）热点领域分布", "主要城市（都市圈）热点领域分布"),
    ("附录二\u3000指标界定和数据来源", "指标界定和数据来源"),
    ("Figure 5. Science centre top 20: sub-pillar scores", "Science centre top 20: sub-pillar scores"),
    ("Figure 26(a). Hot fields of the main cities", "Hot fields of the main cities"),
    ("Table 2. Composite ranking of the innovation hubs (top 100)", "Composite ranking of the innovation hubs (top 100)"),
    ("Appendix 2. Indicator definitions and sources", "Indicator definitions and sources"),
    # no label: unchanged (and numbered by CSS all the same)
    ("GIHI指标体系结构", "GIHI指标体系结构"),
    ("Top 20 cities by valid AI invention patents", "Top 20 cities by valid AI invention patents"),
    ("Table tennis in 2 cities", "Table tennis in 2 cities"),
    ("图书馆数量", "图书馆数量"),
])
def test_strip_label(caption, expected):
    assert asm.strip_label(caption) == expected


def test_strip_cjk_glosses():
    assert asm.strip_cjk_glosses("LinkedIn Talent Insights; Zhaopin (智联招聘)") == "LinkedIn Talent Insights; Zhaopin"
    assert asm.strip_cjk_glosses("Nature Index (2022)") == "Nature Index (2022)"


def test_anchor_ids_are_prefixed_by_kind_and_chapter():
    # section "champions" and table "champions" of 05_disciplines must not collide
    assert asm.anchor("section", "05_disciplines", "champions") != asm.anchor("table", "05_disciplines", "champions")
    assert asm.anchor("chapter", "01_overview") == "ch-01_overview"


def test_data_date_is_fixed():
    assert asm.data_date(2023) == "2023-01-01"


# ----------------------------------------------------------------- cross-references

INDEX = {"table02": [("01_overview", "table", "tab-01_overview-table02")],
         "fig05": [("02_science", "figure", "fig-02_science-fig05")],
         "dup": [("a", "table", "tab-a-dup"), ("b", "table", "tab-b-dup")]}


def test_resolve_xrefs_points_at_pdf_anchors_and_drops_the_printed_label():
    html = '<p>见<a class="xref xref-table" href="#table02">表2</a>和<a class="xref xref-fig" href="#fig05">图5</a>。<a href="#x">y</a></p>'
    out = asm.resolve_xrefs(html, "01_overview", INDEX)
    assert out == ('<p>见<a class="xref xref-table" href="#tab-01_overview-table02"></a>和'
                   '<a class="xref xref-fig" href="#fig-02_science-fig05"></a>。<a href="#x">y</a></p>')


def test_resolve_xrefs_errors():
    with pytest.raises(asm.AssemblyError, match="table99.*matches no table or figure"):
        asm.resolve_xrefs('<a class="xref xref-table" href="#table99">表99</a>', "01_overview", INDEX)
    with pytest.raises(asm.AssemblyError, match="ambiguous"):
        asm.resolve_xrefs('<a class="xref xref-table" href="#dup">表</a>', "c", INDEX)
    with pytest.raises(asm.AssemblyError, match="is a figure"):
        asm.resolve_xrefs('<a class="xref xref-table" href="#fig05">表5</a>', "01_overview", INDEX)
    # an edition of some chapters only keeps a reference to a chapter left out as plain text
    out = asm.resolve_xrefs('<a class="xref xref-table" href="#table99">表99</a>', "01_overview", INDEX, complete=False)
    assert out == '<span class="xref-unresolved">表99</span>'
    # own chapter first
    assert "tab-a-dup" in asm.resolve_xrefs('<a class="xref xref-table" href="#dup">t</a>', "a", INDEX)


# ----------------------------------------------------------------- editions

def narratives(html):
    return [el for el in parse(html) if "narrative" in classes(el)]


@pytest.mark.e2e
def test_bilingual_edition_has_both_languages_for_every_section(pdf_bundles):
    html = pdf_bundles.html("bi", profiles=False)   # the chapters' structure (profiles: test_profiles.py)
    els = parse(html)
    sections = [el for el in els if "sec" in classes(el) and el["tag"] == "section"]
    n_sections = sum(len(read_bundle(pdf_bundles.fast / str(YEAR) / "chapters" / ch).sections) for ch in CHAPTERS)
    assert len(sections) == n_sections
    by_section: dict[str, dict[str, str]] = {}
    for el in narratives(html):
        sec = ancestor(el, "sec")
        by_section.setdefault(sec["attrs"]["id"], {})[el["attrs"]["lang"]] = text(el)
    assert len(by_section) == n_sections
    for sid, texts in by_section.items():
        assert list(texts) == ["zh", "en"], sid  # Chinese first, then English
        assert CJK.search(texts["zh"]), f"{sid}: zh narrative has no Chinese"
        assert re.search(r"[A-Za-z]{3,}", texts["en"]) and not CJK.search(texts["en"]), f"{sid}: en narrative"
    # tables and figures appear once, with both captions
    tables = [el for el in els if "table-block" in classes(el) and "provenance-table" not in classes(el)]
    ids = [el["attrs"]["id"] for el in tables]
    assert len(ids) == len(set(ids))
    for el in tables + [el for el in els if el["tag"] == "figure"]:
        caps = [c for c in els if "caption" in classes(c) and (c["parent"] is el or c["parent"]["parent"] is el)]
        assert [c["attrs"]["lang"] for c in caps] == ["zh", "en"], el["attrs"]["id"]


@pytest.mark.e2e
def test_single_language_editions(pdf_bundles):
    zh, en = pdf_bundles.html("zh"), pdf_bundles.html("en")
    assert '<html lang="zh-CN">' in zh and '<html lang="en">' in en and '<html lang="zh-CN">' in pdf_bundles.html("bi")
    assert 'lang="en"' not in zh and 'lang="zh"' not in en
    assert {el["attrs"]["lang"] for el in narratives(zh)} == {"zh"}
    assert {el["attrs"]["lang"] for el in narratives(en)} == {"en"}
    # not one Chinese character in the English edition, markup and styles included
    assert CJK.search(en) is None
    # every narrative of the zh edition is Chinese prose
    assert all(CJK.search(text(el)) for el in narratives(zh))


@pytest.mark.e2e
def test_table_columns_by_edition(pdf_bundles):
    b = read_bundle(pdf_bundles.fast / str(YEAR) / "chapters" / "01_overview")
    t = b.table("table02")
    keys = lambda lang: [c["key"] for c in asm.table_columns(t, EDITION_LANGS[lang])]
    assert "name_zh" in keys("bi") and "name_en" in keys("bi")
    assert "name_en" not in keys("zh") and "name_zh" in keys("zh")
    assert "name_zh" not in keys("en") and "name_en" in keys("en")
    bi = {c["key"]: c for c in asm.table_columns(t, ("zh", "en"))}
    assert bi["composite"]["headers"] == {"zh": "综合得分", "en": "Composite score"}  # zh over en
    assert bi["name_zh"]["headers"] == {"zh": "城市\u200b（都市圈）"}  # a one-language column: its own header
    # (U+200B: where the header may break, from wrap.col.city; docs/terms.md)
    stacked = {c["key"]: c for c in asm.table_columns(t, ("zh", "en"), stack=True)}
    assert "name_bi" in stacked and stacked["name_bi"]["parts"] == [("zh", "name_zh"), ("en", "name_en")]


@pytest.mark.e2e
def test_every_table_and_figure_is_placed_once(pdf_bundles):
    for lang in EDITION_LANGS:
        ids = re.findall(r'\bid="([^"]+)"', pdf_bundles.html(lang))
        for ch in CHAPTERS:
            b = read_bundle(pdf_bundles.fast / str(YEAR) / "chapters" / ch)
            for t in b.tables:
                assert ids.count(asm.anchor("table", ch, t.id)) == 1, (lang, ch, t.id)
            for f in b.figures:
                assert ids.count(asm.anchor("figure", ch, f.id)) == 1, (lang, ch, f.id)


@pytest.mark.e2e
def test_anchors_are_unique_and_every_link_resolves(pdf_bundles):
    for lang in EDITION_LANGS:
        html = pdf_bundles.html(lang)
        ids = re.findall(r'\bid="([^"]+)"', html)
        assert len(ids) == len(set(ids)), [i for i in ids if ids.count(i) > 1][:5]
        hrefs = re.findall(r'href="#([^"]+)"', html)
        assert hrefs and set(hrefs) <= set(ids), sorted(set(hrefs) - set(ids))[:5]
        assert "xref-unresolved" not in html


@pytest.mark.e2e
def test_cross_references_in_chapters_1_to_6(pdf_bundles):
    els = parse(pdf_bundles.html("bi"))
    per_chapter = {}
    for el in els:
        if el["tag"] == "a" and {"xref"} <= classes(el) and classes(el) & {"xref-fig", "xref-table"}:
            ch = ancestor(el, "chapter")["attrs"]["id"]
            per_chapter.setdefault(ch, set()).add(el["lang"])
            kind = "fig" if "xref-fig" in classes(el) else "tab"
            assert el["attrs"]["href"].startswith(f"#{kind}-")
            assert text(el) == ""  # the number is CSS's (target-counter), not the printed report's
    for ch in list(CHAPTERS)[:6]:
        assert per_chapter.get(f"ch-{ch}") == {"zh", "en"}, ch


@pytest.mark.e2e
def test_figures_are_images_by_relative_url(pdf_bundles):
    html = pdf_bundles.html("bi")
    body = html.split("<body", 1)[1]
    assert "<svg" not in body
    srcs = re.findall(r'<img src="([^"]+)"', body)
    n_figures = sum(len(read_bundle(pdf_bundles.fast / str(YEAR) / "chapters" / ch).figures) for ch in CHAPTERS)
    assert len(srcs) == len(set(srcs)) == n_figures
    for src in srcs:
        assert not src.startswith("/") and src.endswith(".svg")
        assert (pdf_bundles.fast / str(YEAR) / src).is_file(), src
    assert str(pdf_bundles.root) not in html  # no absolute paths: the HTML does not depend on where it is built


@pytest.mark.e2e
def test_html_is_deterministic(pdf_bundles):
    assert asm.edition_html(pdf_bundles.edition, "zh", pdf_bundles.fast) == pdf_bundles.html("zh")


@pytest.mark.e2e
def test_provenance_notice(pdf_bundles):
    bundles = asm.load_bundles(YEAR, pdf_bundles.fast)
    view = asm.provenance_view(bundles, "bi")
    assert view["reconstruction"] is True
    by_source = {r["source"]: r for r in view["sources"]}
    assert by_source[f"{YEAR}/indicators.csv"]["expected"] == 3570  # the widest scope of the source
    for r in view["sources"]:
        assert r["published"] + r["derived"] + r["imputed"] + r["missing"] == r["expected"]
    html = pdf_bundles.html("bi")
    assert 'id="front-provenance"' in html and 'href="#front-provenance"' in html
    notice = html.split('id="front-provenance"', 1)[1].split("</section>", 1)[0]
    for r in view["sources"]:
        assert f">{r['imputed']}<" in notice
    # the appendices (methods, audit, benchmark) come after the six chapters, in that order
    ids = re.findall(r'<section class="chapter[^"]*" id="([^"]+)"', pdf_bundles.html("bi", profiles=False))
    assert ids[-3:] == ["ch-07_methods", "ch-08_audit", "ch-09_gii"]
    for ch in ("07_methods", "08_audit", "09_gii"):
        assert f'<section class="chapter appendix" id="ch-{ch}">' in html


@pytest.mark.e2e
def test_missing_bundle_is_a_clear_error(pdf_bundles, tmp_path):
    chapters = tmp_path / str(YEAR) / "chapters"
    chapters.mkdir(parents=True)
    for ch in CHAPTERS:
        if ch != "04_ecosystem":
            (chapters / ch).symlink_to(pdf_bundles.fast / str(YEAR) / "chapters" / ch, target_is_directory=True)
    with pytest.raises(asm.MissingBundleError, match=r"chapter 04_ecosystem: no bundle at .*04_ecosystem") as e:
        asm.edition_html(pdf_bundles.edition, "bi", tmp_path)
    assert e.value.chapter == "04_ecosystem" and e.value.directory == chapters / "04_ecosystem"
    # a subset of chapters is fine
    html = asm.edition_html(pdf_bundles.edition, "en", tmp_path, chapters=["01_overview", "07_methods"])
    assert "ch-01_overview" in html and "ch-02_science" not in html


def _strings_without(strings: dict, key: str, lang: str | None) -> dict:
    """A copy of the UI strings ``strings`` without ``key`` (``lang`` None) or without its text in ``lang``."""
    out = {k: dict(v) for k, v in strings.items()}
    assert key in out
    if lang is None:
        del out[key]
    else:
        out[key][lang] = ""
    return out


@pytest.mark.parametrize("key,lang,edition", [("pdf.toc", "en", "en"), ("pdf.caption.fig", "zh", "bi"),
                                              ("pdf.footer.reconstruction", None, "zh")])
@pytest.mark.e2e
def test_missing_translation_fails_naming_the_key(pdf_bundles, key, lang, edition):
    # the UI strings are the edition's (data/meta/strings.csv when it was opened), active while it is used
    ed = pdf_bundles.edition
    ui_strings.activate(_strings_without(ed.strings, key, lang))   # put back after the test (conftest)
    with pytest.raises(KeyError, match=re.escape(key)):
        asm.edition_html(ed, edition, pdf_bundles.fast)


@pytest.mark.e2e
def test_layout_errors(pdf_bundles, tmp_path):
    layout = tmp_path / "layout.yaml"
    layout.write_text("01_overview:\n  sections:\n    leaders: [table99]\n", encoding="utf-8")
    tdir = tmp_path / "templates"
    shutil.copytree(asm.REPORT_TEMPLATES, tdir)
    (tdir / "layout.yaml").write_text(layout.read_text(), encoding="utf-8")
    ed = pdf_bundles.edition
    with pytest.raises(asm.AssemblyError, match="places 'table99'"):
        asm.edition_html(ed, "en", pdf_bundles.fast, templates_dir=tdir)
    (tdir / "layout.yaml").write_text("01_overview:\n  sections:\n    nowhere: [table02]\n", encoding="utf-8")
    with pytest.raises(asm.AssemblyError, match="nowhere"):
        asm.edition_html(ed, "en", pdf_bundles.fast, templates_dir=tdir)
    (tdir / "layout.yaml").write_text("01_overveiw:\n  sections: {}\n", encoding="utf-8")
    with pytest.raises(asm.AssemblyError, match="unknown chapter.*01_overveiw"):
        asm.edition_html(ed, "en", pdf_bundles.fast, templates_dir=tdir)
    # with an empty layout nothing is lost: every item goes to the end of its chapter
    (tdir / "layout.yaml").write_text("{}\n", encoding="utf-8")
    html = asm.edition_html(ed, "en", pdf_bundles.fast, templates_dir=tdir)
    assert html.count('class="figure"') == len(re.findall(r'<img src=', pdf_bundles.html("en")))


def test_every_report_string_has_both_languages():
    from gihi.report import i18n
    keys = [k for k in i18n.load_strings() if k.startswith(("pdf.", "xref."))]
    assert len(keys) > 20
    for k in keys:
        assert i18n.t(k, "zh") and i18n.t(k, "en")
    used = set(re.findall(r"""t{1,2}\(\s*['"]([a-z_.]+)['"]""", "".join(
        p.read_text(encoding="utf-8") for p in asm.REPORT_TEMPLATES.glob("*.j2"))))
    used = (used - {"pdf.edition."}) | {"pdf.edition.bi", "pdf.edition.zh", "pdf.edition.en"}
    assert used <= set(i18n.load_strings()), sorted(used - set(i18n.load_strings()))
    assert not CJK.search((asm.REPORT_TEMPLATES / "report.css").read_text(encoding="utf-8"))
