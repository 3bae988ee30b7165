"""House style: fonts found (or a clear error), glyph coverage, rcParams scoped by use_style."""
import matplotlib as mpl
import pandas as pd
import pytest

from gihi.report import style
from gihi.core.paths import DATA_DIR


def test_fonts_found():
    files = style.font_files()
    assert set(files) == {style.LATIN_FONT, style.CJK_FONT}
    path, index = files[style.CJK_FONT]
    assert path.endswith((".ttc", ".otf", ".ttf"))
    # the Simplified-Chinese face of the collection, not the JP one
    from fontTools.ttLib import TTFont
    font = TTFont(path, fontNumber=index, lazy=True) if path.endswith(".ttc") else TTFont(path, lazy=True)
    assert "SC" in font["name"].getDebugName(1)


def test_missing_font_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(style, "LATIN_FONT", "No Such Font Sans")
    style.font_files.cache_clear()
    try:
        with pytest.raises(style.FontMissingError, match="No Such Font Sans"):
            style.rc_params()
    finally:
        monkeypatch.undo()
        style.font_files.cache_clear()
    assert style.font_files()


def test_check_glyphs_covers_chinese_latin_and_punctuation():
    text = "科学中心 Science Centre（每百万人）、旧金山-圣何塞 San Francisco–San Jose · 1,234.5 % ≥ −3 ° Montréal Göteborg"
    assert style.check_glyphs(text) == text
    assert style.missing_glyphs(text) == []


def test_check_glyphs_rejects_uncovered():
    with pytest.raises(style.MissingGlyphError, match="U\\+E000"):
        style.check_glyphs("abc\ue000")
    assert style.missing_glyphs("x\ue000y\ue000") == ["\ue000"]


def test_every_metadata_name_is_covered():
    """All names that charts can draw from the metadata (cities, tree, indicators, disciplines, IPC):
    the shared data/meta and every edition's own data/<year>/meta."""
    texts = []
    for file, cols in [("cities.csv", ["name_zh", "name_en"]), ("tree.csv", ["name_zh", "name_en"]),
                       ("indicators.csv", ["name_zh", "name_en", "unit_zh", "unit_en"]),
                       ("disciplines.csv", ["name_zh", "name_en"]), ("continents.csv", ["name_zh", "name_en"]),
                       ("ipc_groups.csv", ["label_zh", "label_en", "field_group_zh"])]:
        found = [p for p in (DATA_DIR / "meta" / file, *sorted(DATA_DIR.glob(f"[0-9][0-9][0-9][0-9]/meta/{file}")))
                 if p.is_file()]
        assert found, file
        df = pd.concat([pd.read_csv(p, dtype=str, keep_default_na=False) for p in found])
        for c in cols:
            texts.extend(df[c])
    missing = {ch for t in texts for ch in style.missing_glyphs(t)}
    assert not missing, sorted(missing)


def test_use_style_is_scoped_and_deterministic():
    before = dict(mpl.rcParams)
    with style.use_style():
        assert mpl.rcParams["svg.fonttype"] == "path"
        assert mpl.rcParams["svg.hashsalt"] == style.SVG_HASHSALT
        assert mpl.rcParams["font.family"][:2] == [style.LATIN_FONT, style.CJK_FONT]
        assert mpl.rcParams["axes.prop_cycle"].by_key()["color"][0] == style.OKABE_ITO["blue"]
    assert mpl.rcParams["svg.hashsalt"] == before["svg.hashsalt"]
    assert mpl.rcParams["font.family"] == before["font.family"]
    assert style.SVG_METADATA["Date"] is None and style.PNG_METADATA["Software"] is None


def test_palette_is_okabe_ito():
    assert set(style.CYCLE) == set(style.OKABE_ITO.values())
    assert set(style.PILLAR_COLOURS.values()) - {style.PILLAR_COLOURS["composite"]} <= set(style.OKABE_ITO.values())
    assert set(style.CONTINENT_COLOURS.values()) <= set(style.OKABE_ITO.values())
