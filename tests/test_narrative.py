"""Narrative generation: formatting helpers, templates → sanitised HTML, number checks, zh/en
style, editorial content — and every number of every generated section equals a computed value."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from gihi.report import narrative as nv
from gihi.report.chapters import CHAPTERS, common, section_contexts
from gihi.report.numbering import numbers

CJK = r"\u4e00-\u9fff"


# ----------------------------------------------------------------- formatting helpers

def test_formatters():
    assert nv.fmt_score(88.6521) == "88.65"
    assert nv.fmt_int(26638, "en") == "26,638" and nv.fmt_int(26638, "zh") == "26,638"
    assert nv.fmt_int(4222, "zh") == "4222" and nv.fmt_int(4222, "en") == "4,222"
    assert nv.fmt_num(1178373.97, 2, "zh") == "1,178,373.97" and nv.fmt_num(9835.0, 2, "zh") == "9835.00"
    assert nv.fmt_pct(75.9) == "75.9%" and nv.fmt_pct(1.0, digits=0) == "1%"
    assert nv.fmt_num(46091.2412, 2, "en") == "46,091.24" and nv.fmt_num(46091.2412, 2, "zh") == "46,091.24"
    assert nv.fmt_places(13, "en") == "13 places" and nv.fmt_places(-1, "en") == "1 place" and nv.fmt_places(13, "zh") == "13位"
    assert nv.fmt_rank(3, "zh") == "第3" and nv.fmt_times(2.6, "zh") == "2.6倍" and nv.fmt_times(2.6, "en") == "2.6 times"
    with pytest.raises(ValueError):
        nv.fmt_int(2.5)
    with pytest.raises(ValueError):
        nv.fmt_score(float("nan"))


@pytest.mark.parametrize("n,expected", [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"),
                                        (13, "13th"), (21, "21st"), (22, "22nd"), (23, "23rd"), (101, "101st"),
                                        (111, "111th"), (112, "112th")])
def test_english_ordinals(n, expected):
    assert nv.fmt_rank(n, "en") == expected


def test_join_list():
    assert nv.join_list(["A"], "en") == "A"
    assert nv.join_list(["A", "B"], "en") == "A and B"
    assert nv.join_list(["A", "B", "C"], "en") == "A, B and C"
    assert nv.join_list(["北京", "上海"], "zh") == "北京、上海"


def test_join_items_keeps_names_that_hold_lists_apart():
    names = ["highly cited papers", "citations of papers in patents, policy documents and clinical trials", "GDP growth"]
    assert nv.join_items(names, "en") == ("highly cited papers; citations of papers in patents, policy documents and "
                                          "clinical trials; and GDP growth")
    assert nv.join_items(names[:2], "en") == "highly cited papers and citations of papers in patents, policy documents and clinical trials"
    assert nv.join_items(["A", "B", "C"], "en") == "A, B and C"   # plain names: the usual list
    assert nv.join_items(["高被引论文数量", "论文被专利、政策、临床试验引用的总频次"], "zh") == "“高被引论文数量”“论文被专利、政策、临床试验引用的总频次”"


def test_tidy_zh_removes_spaces_but_keeps_markdown_prefixes():
    text = "北京 以 83.18 分 位列 <span class=\"name\">第3</span> 名\n- 列表 项\n1. 第一 项\n\n## 标题 一"
    assert nv.tidy_zh(text) == "北京以83.18分位列<span class=\"name\">第3</span>名\n- 列表项\n1. 第一项\n\n## 标题一"


# ----------------------------------------------------------------- rendering and checks

@pytest.fixture()
def tdir(tmp_path: Path) -> Path:
    d = tmp_path / "templates"
    (d / "demo").mkdir(parents=True)
    (d / "demo" / "s.en.md.j2").write_text(
        "{{ city|name }} ranks {{ rank|rank }} with {{ score|score }} points, up {{ change|places }}.\n", encoding="utf-8")
    (d / "demo" / "s.zh.md.j2").write_text(
        "{{ city|name }} 以 {{ score|score }} 分位居 {{ rank|rank }}，上升 {{ change|places }}。\n", encoding="utf-8")
    (d / "demo" / "typed.en.md.j2").write_text("{{ city|name }} is in the top 20.\n", encoding="utf-8")
    (d / "demo" / "undef.en.md.j2").write_text("{{ nothing }}\n", encoding="utf-8")
    return d


CTX = {"city": {"zh": "北京", "en": "Beijing"}, "rank": 3, "score": 83.1849, "change": 1}


def test_render_section_both_languages(tdir):
    en = nv.render_section("demo", "s", "en", CTX, templates_dir=tdir)
    zh = nv.render_section("demo", "s", "zh", CTX, templates_dir=tdir)
    assert en == '<p><span class="name">Beijing</span> ranks 3rd with 83.18 points, up 1 place.</p>'
    assert zh == '<p><span class="name">北京</span>以83.18分位居第3，上升1位。</p>'
    assert nv.narrative_numbers(en) == ["3", "83.18", "1"]
    assert nv.unmatched_numbers(en, CTX) == [] and nv.unmatched_numbers(zh, CTX) == []


def test_typed_in_number_is_caught(tdir):
    html = nv.render_section("demo", "typed", "en", CTX, templates_dir=tdir)
    assert nv.unmatched_numbers(html, CTX) == ["20"]


def test_number_matching_rules():
    assert nv.number_matches("88.65", [88.6521])
    assert not nv.number_matches("88.66", [88.6521])
    assert nv.number_matches("26,638", [26638])
    assert nv.number_matches("5", [-5])            # "fell 5 places"
    assert not nv.number_matches("89", [88.6521])  # floats are never silently rounded to integers
    assert nv.context_numbers({"a": [1, {"b": 2.5}], "c": True, "d": None, "e": float("nan")}) == [1.0, 2.5]


def test_names_codes_and_editorial_are_not_data():
    html = ('<p><span class="name">Top-200 institutions</span> <span class="code">G06N-0003</span> 7</p>'
            '<div class="editorial"><p>since 1999</p></div>')
    assert nv.narrative_numbers(html) == ["7"]


def test_undefined_context_value_is_an_error(tdir):
    with pytest.raises(nv.NarrativeError, match="undef.en.md.j2"):
        nv.render_section("demo", "undef", "en", {}, templates_dir=tdir)
    with pytest.raises(nv.NarrativeError, match="no narrative template"):
        nv.render_section("demo", "absent", "en", {}, templates_dir=tdir)


def test_values_are_escaped_and_html_sanitised(tdir):
    ctx = dict(CTX, city={"zh": "<script>x</script>", "en": "<img src=x onerror=alert(1)>"})
    html = nv.render_section("demo", "s", "en", ctx, templates_dir=tdir)
    assert "<img" not in html and "&lt;img" in html
    assert "<script" not in nv.markdown_to_html("hi <script>alert(1)</script> <b onclick='x'>b</b>")


# ----------------------------------------------------------------- editorial content

def _editorial(tmp_path, lang, text):
    d = tmp_path / "content" / "2023" / "demo"
    d.mkdir(parents=True, exist_ok=True)
    (d / f"s.{lang}.md").write_text(text, encoding="utf-8")
    return tmp_path / "content"


def test_editorial_append_and_replace(tdir, tmp_path):
    content = _editorial(tmp_path, "en", "---\nmode: append\nauthor: Ed\n---\nAn editor's *note*.\n")
    _editorial(tmp_path, "zh", "---\nmode: replace\n---\n编辑 说明。\n")
    narrative, editorial = nv.section_narrative("demo", "s", CTX, 2023, templates_dir=tdir, content_dir=content)
    assert editorial == {"zh": "replace", "en": "append"}
    assert narrative["en"].startswith("<p><span") and '<div class="editorial"><p>An editor\'s <em>note</em>.</p></div>' in narrative["en"]
    assert narrative["zh"] == '<div class="editorial"><p>编辑说明。</p></div>'


def test_editorial_errors_name_the_file(tdir, tmp_path):
    content = _editorial(tmp_path, "en", "---\nmode: overwrite\n---\ntext\n")
    with pytest.raises(nv.NarrativeError, match=r"s\.en\.md: mode must be one of append, replace"):
        nv.load_editorial(content, 2023, "demo", "s", "en")
    _editorial(tmp_path, "en", "---\nmode: append\ncolour: red\n---\ntext\n")
    with pytest.raises(nv.NarrativeError, match="unknown front-matter key"):
        nv.load_editorial(content, 2023, "demo", "s", "en")
    _editorial(tmp_path, "en", "---\nmode: [\n---\ntext\n")
    with pytest.raises(nv.NarrativeError, match="invalid YAML"):
        nv.load_editorial(content, 2023, "demo", "s", "en")
    assert nv.load_editorial(content, 2023, "demo", "other", "en") is None


def test_front_matter_is_optional():
    assert nv.parse_front_matter("just text") == ({}, "just text")
    assert nv.parse_front_matter("---\nmode: replace\n---\nbody\n") == ({"mode": "replace"}, "body\n")


# ----------------------------------------------------------------- every chapter, every section

@pytest.fixture(scope="module")
def edition_numbers(real_edition):
    """Figure and table numbers of the 2023 edition (its order), as the chapters render with."""
    return numbers(real_edition)


@pytest.fixture(scope="module")
def all_contexts(real_edition):
    out = {ch: section_contexts(ch, real_edition) for ch in CHAPTERS}
    assert all("data_note" in v for ch, v in out.items() if ch != "07_methods")
    return out


@pytest.fixture(scope="module")
def rendered(all_contexts, edition_numbers):
    """``(chapter, section, lang, context, html)`` of every section, numbered as in the edition."""
    out = []
    for ch, sections in all_contexts.items():
        for sid, ctx in sections.items():
            folder = common.SHARED if sid == "data_note" else ch
            for lang in nv.LANGS:
                out.append((ch, sid, lang, ctx, nv.render_section(folder, sid, lang, ctx, numbers=edition_numbers)))
    return out


def test_every_number_in_the_narrative_is_a_computed_value(rendered):
    bad, n = [], 0
    for ch, sid, lang, ctx, html in rendered:
        n += len(nv.narrative_numbers(html))
        um = nv.unmatched_numbers(html, ctx)
        if um:
            bad.append(f"{ch}/{sid}.{lang}: {um}")
    assert bad == []
    assert n > 300  # the narrative is data-driven, not empty


def test_chinese_style(rendered):
    for ch, sid, lang, ctx, html in rendered:
        if lang != "zh":
            continue
        for para in re.findall(r"<(p|li)>(.*?)</\1>", html, re.S):
            text = re.sub(r"<[^>]+>", "", para[1])
            where = f"{ch}/{sid}: {text[:60]}"
            assert not re.search(rf"[{CJK}（），。：；、][ \t\n]|[ \t\n][{CJK}（），。：；、]", text), f"space near Chinese in {where}"
            prose = nv.narrative_text(f"<p>{para[1]}</p>")
            # (a comma between digits groups the digits of a large number: 46,091.24)
            assert not re.search(r"(?<![0-9]),|,(?![0-9])|[;:()!?]", prose), f"ASCII punctuation in {where}"
            assert not re.search(r"(?<![0-9])\.|\.(?![0-9])", prose), f"ASCII full stop in {where}"


def test_english_has_no_chinese_and_reads_as_sentences(rendered):
    for ch, sid, lang, ctx, html in rendered:
        if lang != "en":
            continue
        text = re.sub(r"<[^>]+>", "", html)
        assert not re.search(rf"[{CJK}（），。：；、]", text), f"{ch}/{sid}: Chinese in en"
        assert not re.search(r"\b(1th|2th|3th|11st|12nd|13rd)\b", text), f"{ch}/{sid}: bad ordinal"
        assert " ," not in text and "  " not in text, f"{ch}/{sid}: stray spacing"


# ----------------------------------------------------------------- cross-references

def test_ref_writes_an_xref_link_labelled_with_the_editions_number(tdir):
    (tdir / "demo" / "r.zh.md.j2").write_text("见{{ ref('table02') }}与{{ ref('fig26a') }}。\n", encoding="utf-8")
    (tdir / "demo" / "r.en.md.j2").write_text("See {{ ref('fig05') }} and {{ ref('champions', 'table') }}.\n", encoding="utf-8")
    # numbers come from the edition's order (gihi.report.numbering), not from the ids
    order = {"table": {"table02": 1, "champions": 7}, "fig": {"fig05": 4, "fig26a": 30}}
    zh = nv.render_section("demo", "r", "zh", {}, templates_dir=tdir, numbers=order)
    en = nv.render_section("demo", "r", "en", {}, templates_dir=tdir, numbers=order)
    assert zh == ('<p>见<a class="xref xref-table" href="#table02">表1</a>与'
                  '<a class="xref xref-fig" href="#fig26a">图30</a>。</p>')
    assert en == ('<p>See <a class="xref xref-fig" href="#fig05">Figure 4</a> and '
                  '<a class="xref xref-table" href="#champions">Table 7</a>.</p>')
    # a template rendered on its own (no numbers): the bare word; the PDF numbers the link
    zh = nv.render_section("demo", "r", "zh", {}, templates_dir=tdir)
    en = nv.render_section("demo", "r", "en", {}, templates_dir=tdir)
    assert zh == ('<p>见<a class="xref xref-table" href="#table02">表</a>与'
                  '<a class="xref xref-fig" href="#fig26a">图</a>。</p>')
    assert en == ('<p>See <a class="xref xref-fig" href="#fig05">figure</a> and '
                  '<a class="xref xref-table" href="#champions">table</a>.</p>')
    assert nv.xref("champions", "en", numbers=order) == nv.xref("champions", "en", "table", numbers=order)
    with pytest.raises(nv.NarrativeError, match="cannot tell a figure from a table"):
        nv.xref("champions", "en")
    with pytest.raises(nv.NarrativeError, match="not a figure or table id"):
        nv.xref('x" onclick="y', "en")
    with pytest.raises(nv.NarrativeError, match="no table 'table99'"):
        nv.xref("table99", "en", "table", numbers=order)   # would point at nothing


def test_sanitiser_keeps_xref_links_only_with_safe_attributes():
    html = nv.markdown_to_html('see <a class="xref xref-fig" href="#fig05" onclick="x()">Figure 5</a>')
    assert html == '<p>see <a class="xref xref-fig" href="#fig05">Figure 5</a></p>'
    assert "javascript" not in nv.markdown_to_html('<a class="xref" href="javascript:alert(1)">x</a>')


def test_cross_reference_numbers_are_not_data():
    # "表2" / "Figure 5" are labels, not numbers of the narrative: unmatched_numbers ignores them
    html = '<p>见<a class="xref xref-table" href="#table02">表2</a>，共7个城市。</p>'
    assert nv.narrative_numbers(html) == ["7"]
    assert nv.unmatched_numbers(html, {"n": 7}) == []
    en = '<p>(see <a class="xref xref-fig" href="#fig05">Figure 5</a>) 3 cities</p>'
    assert nv.narrative_numbers(en) == ["3"]


def test_every_chapter_1_to_6_cross_references_its_tables_or_figures(rendered):
    refs = {}
    for ch, sid, lang, ctx, html in rendered:
        for target in re.findall(r'<a class="xref xref-(?:fig|table)" href="#([a-z0-9_]+)">', html):
            refs.setdefault(ch, {}).setdefault(lang, set()).add(target)
    for ch in list(CHAPTERS)[:6]:
        assert refs.get(ch, {}).get("zh") and refs[ch]["zh"] == refs[ch].get("en"), ch


def test_in_sentence_lowers_a_term_but_not_an_acronym_or_a_name():
    assert nv.in_sentence("Unicorn companies") == "unicorn companies"
    assert nv.in_sentence("Active researchers (per million population)") == "active researchers (per million population)"
    assert nv.in_sentence("PCT patent applications") == "PCT patent applications"
    assert nv.in_sentence("TOP500 supercomputers") == "TOP500 supercomputers"
    assert nv.in_sentence("GDP growth rate") == "GDP growth rate"
    assert nv.in_sentence("Nobel laureates") == "Nobel laureates"
    assert nv.in_sentence("独角兽企业数量") == "独角兽企业数量"


def test_english_indicator_leaders_read_as_a_sentence_grouped_by_city():
    """The English leaders are prose like the Chinese ones: one sentence, each city once, its
    indicators in running text with their values; the estimated ones named in lower case."""
    ctx = {"leaders": [], "estimated": [{"label": {"en": "Highly cited papers", "zh": "高被引论文数量"}}],
           "sound": [1, 2, 3]}
    lab = lambda en: {"en": en, "zh": en}   # noqa: E731
    unit = {"en": "companies", "zh": "家"}
    ind = lambda en, v, p="published": {"label": lab(en), "unit": unit, "value": v, "is_count": True, "provenance": p}  # noqa: E731
    ctx["sound_groups"] = [{"city": lab("San Francisco–San Jose"), "indicators": [ind("Innovation-leading companies", 217),
                                                                                 ind("Unicorn companies", 310)]},
                           {"city": lab("Tokyo"), "indicators": [ind("PCT patent applications", 18742, "derived")]}]
    text = re.sub(r"<[^>]+>", "", nv.render_markdown("_pillar", "indicators", "en", ctx))
    first = text.strip().split("\n")[0]
    assert first == ("Among the indicators whose highest value the report states or its results imply, San Francisco–San Jose "
                     "leads in innovation-leading companies, with 217 companies, and in unicorn companies, with 310 companies; "
                     "and Tokyo leads in PCT patent applications, with 18,742 companies (derived from the published results).")
    assert "(highly cited papers)" in text and "- " not in text


def test_an_amount_in_dollars_reads_currency_first():
    lab = {"en": "Venture capital (VC) investment", "zh": "创业投资金额（VC）"}
    ctx = {"leaders": [], "estimated": [], "sound": [1], "sound_groups": [{"city": {"en": "London", "zh": "伦敦"}, "indicators": [
        {"label": lab, "unit": {"en": "USD million", "zh": "百万美元"}, "value": 17902.2151, "is_count": False,
         "provenance": "published"}]}]}
    text = re.sub(r"<[^>]+>", "", nv.render_markdown("_pillar", "indicators", "en", ctx))
    assert "London leads in venture capital (VC) investment, with USD 17,902.22 million." in text
