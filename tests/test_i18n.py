"""Bilingual UI strings (data/meta/strings.csv via gihi.report.i18n)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from gihi.model import strings as ui_strings
from gihi.report import i18n
from gihi.report.chapters import CHAPTERS

ROOT = Path(__file__).resolve().parents[1]


def _write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "meta").mkdir(parents=True)
    (tmp_path / "meta" / "strings.csv").write_text(text, encoding="utf-8")
    return tmp_path


def _activate(data_dir: Path) -> dict:
    """Make the strings of ``data_dir`` the active catalogue (as opening an edition does); the
    autouse fixture ``ui_strings`` (conftest.py) puts the previous one back after the test."""
    strings = ui_strings.read_strings(data_dir)
    ui_strings.activate(strings)
    return strings


def test_every_string_has_both_languages():
    assert i18n.missing_translations() == []
    assert len(i18n.load_strings()) > 100


def test_t_returns_language_and_fills_fields():
    assert i18n.t("col.rank", "zh") == "排名"
    assert i18n.t("col.rank", "en") == "Rank"
    assert i18n.t("col.rank_year", "en", year=2022) == "Rank 2022"
    assert i18n.t("col.rank_year", "zh", year=2022) == "2022年排名"
    assert i18n.both("col.rank") == {"zh": "排名", "en": "Rank"}


def test_unknown_key_raises_keyerror_naming_it():
    with pytest.raises(KeyError, match="no.such.key"):
        i18n.t("no.such.key", "en")


def test_missing_translation_raises_keyerror_naming_key(tmp_path):
    strings = _activate(_write(tmp_path, "key,zh,en\ngreeting,你好,\nfarewell,再见,Goodbye\n"))
    assert i18n.missing_translations(strings) == [("greeting", "en")]
    assert i18n.missing_translations() == [("greeting", "en")]       # the active catalogue
    with pytest.raises(KeyError, match="'greeting' has no en translation"):
        i18n.t("greeting", "en")
    assert i18n.t("greeting", "zh") == "你好"
    with pytest.raises(KeyError, match="greeting"):
        i18n.both("greeting")
    assert i18n.has("farewell") and not i18n.has("col.rank")


def test_unknown_language_is_rejected():
    with pytest.raises(ValueError, match="fr"):
        i18n.t("col.rank", "fr")


def test_malformed_files_are_rejected(tmp_path):
    with pytest.raises(i18n.StringsError, match="column"):
        ui_strings.read_strings(_write(tmp_path / "a", "key,zh\nx,y\n"))
    with pytest.raises(i18n.StringsError, match="again"):
        ui_strings.read_strings(_write(tmp_path / "b", "key,zh,en\nx,一,one\nx,二,two\n"))


def test_zh_strings_use_full_width_punctuation_and_en_has_no_chinese():
    for key, v in i18n.load_strings().items():
        zh = re.sub(r"\{[a-z_]+\}", "", v["zh"])
        assert not re.search(r"[,;:()!?]", zh), f"{key}: ASCII punctuation in zh {v['zh']!r}"
        assert not re.search(r"[\u4e00-\u9fff][ \t]+[\u4e00-\u9fff0-9]|[0-9][ \t]+[\u4e00-\u9fff]", zh), f"{key}: space in zh"
        assert not re.search(r"[\u4e00-\u9fff（），。：；、]", v["en"]), f"{key}: Chinese in en {v['en']!r}"


def _literal_keys() -> set[str]:
    """UI-string keys written literally in the chapter code, the notebooks and the report layout."""
    keys = set()
    files = list((ROOT / "gihi" / "report" / "chapters").glob("*.py")) + list((ROOT / "notebooks").glob("*.ipynb"))
    assert len(files) >= 10
    pat = re.compile(r"""(?:both|t|note_key=|note=|table_or_note\(\\?"[a-z0-9_]+\\?",)\s*\(?\\?["']((?:note|prov|col|table|figure|section|chapter|fieldgroup)\.[A-Za-z0-9_.]+)\\?["']""")
    for f in files:
        keys |= set(pat.findall(f.read_text(encoding="utf-8")))
        keys |= set(re.findall(r"""["']((?:note|prov)\.[a-z_.]+)\\?["']""", f.read_text(encoding="utf-8")))
    # the report layout names the notes shown in place of an absent item (absent: note.…)
    layout = (ROOT / "templates" / "report" / "layout.yaml").read_text(encoding="utf-8")
    keys |= set(re.findall(r"absent:\s*((?:note|prov)\.[A-Za-z0-9_.]+)", layout))
    return keys


def test_keys_used_by_code_and_notebooks_exist():
    keys = _literal_keys()
    assert "note.mini_absent" in keys and "prov.note.reconstruction" in keys
    strings = i18n.load_strings()
    assert sorted(k for k in keys if k not in strings) == []


def test_every_chapter_has_a_title():
    for ch in CHAPTERS:
        assert i18n.both(f"chapter.{ch}")["en"]


def test_strings_d_files_add_keys_and_duplicates_name_both_files(tmp_path):
    d = _write(tmp_path, "key,zh,en\na.one,一,one\n")
    (d / "meta" / "strings.d").mkdir()
    (d / "meta" / "strings.d" / "audit.csv").write_text("key,zh,en\nb.two,二,two\n", encoding="utf-8")
    _activate(d)
    assert i18n.t("b.two", "en") == "two" and i18n.t("a.one", "zh") == "一"
    (d / "meta" / "strings.d" / "bench.csv").write_text("key,zh,en\na.one,一,uno\n", encoding="utf-8")
    with pytest.raises(i18n.StringsError, match=r"bench.csv, row 1: key 'a.one' again \(first in strings.csv\)"):
        ui_strings.read_strings(d)


def test_the_active_catalogue_is_the_editions(tmp_path):
    """Opening an edition makes its strings the ones i18n reads (tests/factory.py: one key)."""
    from factory import make_edition
    make_edition(tmp_path, strings=False)
    assert i18n.load_strings() == {"test.hello": {"zh": "你好", "en": "Hello"}}
    assert i18n.t("test.hello", "en") == "Hello" and i18n.both("test.hello") == {"zh": "你好", "en": "Hello"}
    with pytest.raises(KeyError, match="col.rank"):
        i18n.t("col.rank", "en")
