"""Notebook outputs of a chapter's items (gihi.report.chapters.view): narrative, styled tables,
figures and summaries, each a :class:`Display` with the forms notebook viewers show natively.

(The notebooks no longer display a whole bundle: ``ChapterView`` is gone with the chapters'
``build()``; a notebook shows each item as its recipe makes it, :mod:`gihi.report.recipe`.)"""
from __future__ import annotations

import pandas as pd
import pytest

from gihi.report.bundle import Bundle, Column, Figure, Section, Table
from gihi.report.chapters.view import (Display, figure_display, fmt_cell, fmt_rank_cell, frame_display,
                                       narrative_display, table_display, tied_values)


def _bundle(tmp_path) -> Bundle:
    svg = tmp_path / "f.svg"
    svg.write_text('<?xml version="1.0"?>\n<!DOCTYPE svg>\n<svg id="x"></svg>', encoding="utf-8")
    png = tmp_path / "f.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\nfake")
    frame = pd.DataFrame({"rank": [1], "name_zh": ["北京"], "name_en": ["Beijing <b>"], "score": [99.5], "w": [1.0], "w2": [2.0]})
    cols = [Column("rank", "排名", "Rank", "rank"), Column("name_zh", "城市", "City", "text", "zh"),
            Column("name_en", "城市", "City", "text", "en"), Column("score", "得分", "Score", "score"),
            Column("w", "权重", "Weight", "pct"), Column("w2", "权重", "Weight", "pct")]
    return Bundle("99_demo", 2023, {"zh": "示例", "en": "Demo"},
                  sections=[Section("s", {"zh": "节", "en": "Section"}, {"zh": "<p>中文</p>", "en": "<p>English</p>"})],
                  tables=[Table.from_frame("t", {"zh": "表", "en": "Table"}, frame, cols)],
                  figures=[Figure("f", {"zh": "图", "en": "Figure"}, svg.name, png.name, note={"zh": "注", "en": "Note"})],
                  provenance={"reconstruction": True, "note": {"zh": "重建", "en": "Rebuilt"},
                              "scopes": [{"id": "x", "label": {"zh": "甲", "en": "X"}, "source": "s", "expected": 3,
                                          "published": 1, "derived": 1, "imputed": 1, "missing": 0}]})


def test_fmt_cell():
    assert fmt_cell(None, "score") == "–" and fmt_cell(float("nan"), "int") == "–" and fmt_cell(pd.NA, "rank") == "–"
    assert fmt_cell(88.6521, "score") == "88.65" and fmt_cell(12, "rank") == "12"
    # a change of zero prints 0; "–" is kept for "no comparison" (a missing previous rank)
    assert fmt_cell(3, "change") == "↑3" and fmt_cell(-2, "change") == "↓2" and fmt_cell(0, "change") == "0"
    assert fmt_cell(24.85, "pct") == "24.85%" and fmt_cell("<x>", "text") == "&lt;x&gt;"
    assert fmt_cell(26638, "int") == "26,638" and fmt_cell(8847, "int") == "8,847"   # counts: every thousand
    assert fmt_cell(999, "int") == "999" and fmt_cell(12345, "rank") == "12345"      # ranks: never
    assert fmt_cell(-0.001, "score") == "0.00" and fmt_cell(-0.001, "pct") == "0.00%"   # never -0.00


def test_tied_ranks_are_marked():
    assert tied_values([1, 2, 2, None, 4, 4]) == {2, 4}
    assert [fmt_rank_cell(v, "rank", {2}) for v in (1, 2)] == ["1", "=2"]


def test_languages(tmp_path):
    b = _bundle(tmp_path)
    t = b.table("t")
    en, zh, bi = (table_display(t, lang, b.chapter).bundle["text/html"] for lang in ("en", "zh", "bi"))
    assert "北京" not in en and "Beijing &lt;b&gt;" in en
    assert "北京" in zh and "Beijing" not in zh
    assert "北京" in bi and "Beijing" in bi
    s = b.section("s")
    assert "English" in narrative_display(s.title, s.narrative, "en").bundle["text/markdown"]
    assert "中文" not in narrative_display(s.title, s.narrative, "en").bundle["text/markdown"]
    md = narrative_display(s.title, s.narrative, "bi").bundle["text/markdown"]
    assert md.startswith("### 节 · Section") and md.index("中文") < md.index("English")
    with pytest.raises(ValueError):
        table_display(t, "fr", b.chapter)


def test_table_html_is_deterministic_and_handles_duplicate_headers(tmp_path):
    b = _bundle(tmp_path)
    h1 = table_display(b.table("t"), "bi", b.chapter).bundle["text/html"]
    h2 = table_display(b.table("t"), "bi", b.chapter).bundle["text/html"]
    assert h1 == h2 and 'id="T_99_demo-t"' in h1
    assert h1.count("权重<br>Weight") == 2 and "99.50" in h1 and "1.00%" in h1
    text = repr(table_display(b.table("t"), "bi", b.chapter))
    assert text.startswith("表 / Table\n") and "权重 / Weight" in text


def test_figure_and_summary_displays(tmp_path):
    b = _bundle(tmp_path)
    d = figure_display(b.figure("f"), tmp_path, "bi")
    assert isinstance(d, Display) and set(d._repr_mimebundle_()) == {"image/png", "image/svg+xml", "text/plain"}
    assert "<svg" in d.bundle["image/svg+xml"] and repr(d) == "<图 / Figure — 注 / Note>"
    summary = frame_display(pd.DataFrame({"n": [3]}, index=["cities"]), "GIHI 2023 <data>")
    assert "GIHI 2023 &lt;data&gt;" in summary.bundle["text/html"] and repr(summary).startswith("GIHI 2023 <data>\n")
