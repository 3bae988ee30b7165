"""Notebook display of bundles (gihi.report.chapters.view)."""
from __future__ import annotations

import pandas as pd
import pytest

from gihi.report.bundle import Bundle, Column, Figure, Section, Table
from gihi.report.chapters.view import ChapterView, fmt_cell


def _bundle(tmp_path) -> Bundle:
    svg = tmp_path / "f.svg"
    svg.write_text('<?xml version="1.0"?>\n<!DOCTYPE svg>\n<svg id="x"></svg>', encoding="utf-8")
    frame = pd.DataFrame({"rank": [1], "name_zh": ["北京"], "name_en": ["Beijing <b>"], "score": [99.5], "w": [1.0], "w2": [2.0]})
    cols = [Column("rank", "排名", "Rank", "rank"), Column("name_zh", "城市", "City", "text", "zh"),
            Column("name_en", "城市", "City", "text", "en"), Column("score", "得分", "Score", "score"),
            Column("w", "权重", "Weight", "pct"), Column("w2", "权重", "Weight", "pct")]
    return Bundle("99_demo", 2023, {"zh": "示例", "en": "Demo"},
                  sections=[Section("s", {"zh": "节", "en": "Section"}, {"zh": "<p>中文</p>", "en": "<p>English</p>"})],
                  tables=[Table.from_frame("t", {"zh": "表", "en": "Table"}, frame, cols)],
                  figures=[Figure("f", {"zh": "图", "en": "Figure"}, svg, svg)],
                  provenance={"reconstruction": True, "note": {"zh": "重建", "en": "Rebuilt"},
                              "scopes": [{"id": "x", "label": {"zh": "甲", "en": "X"}, "source": "s", "expected": 3,
                                          "published": 1, "derived": 1, "imputed": 1, "missing": 0}]})


def test_fmt_cell():
    assert fmt_cell(None, "score") == "–" and fmt_cell(float("nan"), "int") == "–"
    assert fmt_cell(88.6521, "score") == "88.65" and fmt_cell(12, "rank") == "12"
    assert fmt_cell(3, "change") == "↑3" and fmt_cell(-2, "change") == "↓2" and fmt_cell(0, "change") == "–"
    assert fmt_cell(24.85, "pct") == "24.85%" and fmt_cell("<x>", "text") == "&lt;x&gt;"


def test_languages(tmp_path):
    b = _bundle(tmp_path)
    en, zh, bi = ChapterView(b, "en"), ChapterView(b, "zh"), ChapterView(b, "bi")
    assert "English" in en.section("s").html and "中文" not in en.section("s").html
    assert "中文" in bi.section("s").html and "English" in bi.section("s").html
    assert "北京" not in en.table("t").html and "Beijing &lt;b&gt;" in en.table("t").html
    assert "北京" in zh.table("t").html and "Beijing" not in zh.table("t").html
    assert "北京" in bi.table("t").html and "Beijing" in bi.table("t").html
    with pytest.raises(ValueError):
        ChapterView(b, "fr")


def test_table_html_is_deterministic_and_handles_duplicate_headers(tmp_path):
    b = _bundle(tmp_path)
    h1 = ChapterView(b, "bi").table("t").html
    h2 = ChapterView(b, "bi").table("t").html
    assert h1 == h2 and 'id="T_99_demo-t"' in h1
    assert h1.count("权重<br>Weight") == 2 and "99.50" in h1 and "1.00%" in h1
    assert repr(ChapterView(b, "bi").table("t")) == "[table t]"


def test_figure_note_and_provenance(tmp_path):
    b = _bundle(tmp_path)
    v = ChapterView(b, "bi")
    fig = v.figure("f").html
    assert fig.startswith('<figure class="gihi-figure"') and "<?xml" not in fig and "<svg" in fig
    assert v.figure_if("nope") is None and v.figure_if("f") is not None
    assert "note.mini_absent" not in v.table_or_note("nope", "note.mini_absent").html
    prov = v.provenance().html
    assert "<td>甲<br>X</td>" in prov and "重建" in prov


def test_unnumbered_cross_references_are_named_by_caption(tmp_path):
    from gihi.report.narrative import xref
    b = _bundle(tmp_path)
    b.tables[0].caption = {"zh": "排名与得分", "en": "Ranks & scores"}
    b.sections[0].narrative = {"zh": f"<p>见{xref('t', 'zh', 'table')}与{xref('table02', 'zh')}。</p>",
                               "en": f"<p>See the {xref('t', 'en', 'table')} and {xref('table02', 'en')}.</p>"}
    bi = ChapterView(b, "bi").section("s").html
    assert '见<a class="xref xref-table" href="#t">表“排名与得分”</a>与<a class="xref xref-table" href="#table02">表2</a>' in bi
    assert 'See the <a class="xref xref-table" href="#t">table “Ranks &amp; scores”</a> and' in bi
