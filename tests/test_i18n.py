"""Bilingual UI strings (data/meta/strings.csv via gihi.report.i18n)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from gihi.report import i18n
from gihi.report.chapters import CHAPTERS

ROOT = Path(__file__).resolve().parents[1]


def _write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "meta").mkdir(parents=True)
    (tmp_path / "meta" / "strings.csv").write_text(text, encoding="utf-8")
    return tmp_path


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
    d = _write(tmp_path, "key,zh,en\ngreeting,你好,\nfarewell,再见,Goodbye\n")
    assert i18n.missing_translations(d) == [("greeting", "en")]
    with pytest.raises(KeyError, match="'greeting' has no en translation"):
        i18n.t("greeting", "en", d)
    assert i18n.t("greeting", "zh", d) == "你好"
    with pytest.raises(KeyError, match="greeting"):
        i18n.both("greeting", d)


def test_unknown_language_is_rejected():
    with pytest.raises(ValueError, match="fr"):
        i18n.t("col.rank", "fr")


def test_malformed_files_are_rejected(tmp_path):
    with pytest.raises(i18n.StringsError, match="column"):
        i18n.load_strings(_write(tmp_path / "a", "key,zh\nx,y\n"))
    with pytest.raises(i18n.StringsError, match="again"):
        i18n.load_strings(_write(tmp_path / "b", "key,zh,en\nx,一,one\nx,二,two\n"))


def test_zh_strings_use_full_width_punctuation_and_en_has_no_chinese():
    for key, v in i18n.load_strings().items():
        zh = re.sub(r"\{[a-z_]+\}", "", v["zh"])
        assert not re.search(r"[,;:()!?]", zh), f"{key}: ASCII punctuation in zh {v['zh']!r}"
        assert not re.search(r"[\u4e00-\u9fff][ \t]+[\u4e00-\u9fff0-9]|[0-9][ \t]+[\u4e00-\u9fff]", zh), f"{key}: space in zh"
        assert not re.search(r"[\u4e00-\u9fff（），。：；、]", v["en"]), f"{key}: Chinese in en {v['en']!r}"


def _literal_keys() -> set[str]:
    """UI-string keys written literally in the chapter code and the notebooks."""
    keys = set()
    files = list((ROOT / "gihi" / "chapters").glob("*.py")) + list((ROOT / "notebooks").glob("*.ipynb"))
    pat = re.compile(r"""(?:both|t|note_key=|note=|table_or_note\(\\?"[a-z0-9_]+\\?",)\s*\(?\\?["']((?:note|prov|col|table|figure|section|chapter|fieldgroup)\.[A-Za-z0-9_.]+)\\?["']""")
    for f in files:
        keys |= set(pat.findall(f.read_text(encoding="utf-8")))
        keys |= set(re.findall(r"""["']((?:note|prov)\.[a-z_.]+)\\?["']""", f.read_text(encoding="utf-8")))
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
    assert i18n.t("b.two", "en", d) == "two" and i18n.t("a.one", "zh", d) == "一"
    (d / "meta" / "strings.d" / "bench.csv").write_text("key,zh,en\na.one,一,uno\n", encoding="utf-8")
    with pytest.raises(i18n.StringsError, match=r"bench.csv, row 1: key 'a.one' again \(first in strings.csv\)"):
        i18n.load_strings(d)
