"""save_figure: byte-identical SVG and PNG on repeated saves, text as paths, no dates."""
import re

import numpy as np
import pandas as pd

from gihi.report import style
from gihi.report.charts import FIGURES
from gihi.report.charts._common import new_figure
from gihi.report.figures import save_figure

DATE = re.compile(rb"(19|20)\d\d-[01]\d-[0-3]\d|\d\d:\d\d:\d\d")


def _figure():
    with style.use_style():
        fig = new_figure(4, 3)
        ax = fig.subplots()
        x = np.arange(6)
        ax.bar(x, x ** 2, label="科学中心 Science Centre")
        ax.plot(x, x * 3, marker="o")
        ax.set_title("国际科技创新中心（2023）")
        ax.set_xlabel("Year − 2020")
        ax.legend()
    return fig


def _chart():
    cities = pd.DataFrame({
        "id": ["a", "b", "c", "d"], "name_zh": ["北京", "纽约", "伦敦", "东京"],
        "name_en": ["Beijing", "New York", "London", "Tokyo"],
        "continent": ["asia", "north_america", "europe", "asia"], "group": "main"})
    flows = pd.DataFrame({"id": list("abcd"), "group": "main", "agglomeration": [10.0, 80, 40, 55],
                          "radiation": [20.0, 70, 60, 30]})
    scores = pd.DataFrame({"id": list("abcd"), "group": "main", "composite": [90.0, 100, 80, 70]})
    return FIGURES["fig03_flows"](flows, scores, cities, lang="bi")


def test_save_figure_paths_and_close(tmp_path):
    fig = _figure()
    out = save_figure(fig, tmp_path / "sub" / "fig")
    assert out == {"svg": tmp_path / "sub" / "fig.svg", "png": tmp_path / "sub" / "fig.png"}
    assert all(p.stat().st_size > 0 for p in out.values())
    out2 = save_figure(_figure(), tmp_path / "other.svg", png=False)
    assert set(out2) == {"svg"} and out2["svg"].name == "other.svg"


def test_byte_identical_on_two_saves(tmp_path):
    a = save_figure(_figure(), tmp_path / "a")
    b = save_figure(_figure(), tmp_path / "b")
    assert a["svg"].read_bytes() == b["svg"].read_bytes()
    assert a["png"].read_bytes() == b["png"].read_bytes()


def test_same_figure_saved_twice_is_identical(tmp_path):
    fig = _figure()
    a = save_figure(fig, tmp_path / "a", close=False)
    b = save_figure(fig, tmp_path / "b")
    assert a["svg"].read_bytes() == b["svg"].read_bytes()
    assert a["png"].read_bytes() == b["png"].read_bytes()


def test_chart_rebuilt_is_identical(tmp_path):
    """A chart with placed labels (bilingual), built twice from the same data: same bytes, no <text>."""
    a = save_figure(_chart(), tmp_path / "a")
    b = save_figure(_chart(), tmp_path / "b")
    assert a["svg"].read_bytes() == b["svg"].read_bytes()
    assert a["png"].read_bytes() == b["png"].read_bytes()
    assert b"<text" not in a["svg"].read_bytes()


def test_svg_text_as_paths_and_no_dates(tmp_path):
    out = save_figure(_figure(), tmp_path / "c")
    svg = out["svg"].read_bytes()
    assert b"<text" not in svg
    assert b"<dc:date" not in svg and b"<dc:creator" not in svg
    assert b"Matplotlib v" not in svg
    assert not DATE.search(svg)
    png = out["png"].read_bytes()
    assert b"Software" not in png and b"matplotlib" not in png.lower()
    assert not DATE.search(png[:4096])


def test_source_date_epoch_ignored(tmp_path, monkeypatch):
    a = save_figure(_figure(), tmp_path / "a")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    b = save_figure(_figure(), tmp_path / "b")
    assert a["svg"].read_bytes() == b["svg"].read_bytes()


def test_print_svg_names_the_house_fonts_unquoted(tmp_path):
    # WeasyPrint ignores a quoted family list in an SVG style attribute (and then sets Chinese in
    # Noto Sans CJK JP): the print SVG must name the families unquoted
    import matplotlib.pyplot as plt
    from gihi.report.figures import save_print_svg, unquote_font_families
    assert unquote_font_families("a{font-family: 'Noto Sans', 'Noto Sans CJK SC'; fill: #222}") == \
        "a{font-family: Noto Sans, Noto Sans CJK SC; fill: #222}"
    with style.use_style():
        fig, ax = plt.subplots()
        ax.set_title("北京 Beijing")
    text = save_print_svg(fig, tmp_path / "f.svg").read_text(encoding="utf-8")
    assert "<text" in text and "北京 Beijing" in text
    assert "font-family: Noto Sans, Noto Sans CJK SC" in text and "'Noto" not in text
