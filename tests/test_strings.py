"""gihi.model.strings: reading the UI strings files (``meta/strings.csv``, ``meta/strings.d/*.csv``),
the edition's strings and the process's active catalogue."""
from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

import factory as F
from gihi.core.paths import DATA_DIR
from gihi.model import strings as S


def write(root: Path, text: str, extra: dict[str, str] | None = None) -> Path:
    (root / "meta").mkdir(parents=True)
    (root / "meta" / "strings.csv").write_text(text, encoding="utf-8")
    for name, body in (extra or {}).items():
        (root / "meta" / "strings.d").mkdir(exist_ok=True)
        (root / "meta" / "strings.d" / name).write_text(body, encoding="utf-8")
    return root


def test_string_files_main_first_then_strings_d_in_name_order(tmp_path):
    d = write(tmp_path, "key,zh,en\n", {"b.csv": "key,zh,en\n", "a.csv": "key,zh,en\n", "notes.txt": "x"})
    assert S.string_files(d) == [d / "meta" / "strings.csv", d / "meta" / "strings.d" / "a.csv",
                                 d / "meta" / "strings.d" / "b.csv"]
    assert S.string_files()[0] == DATA_DIR / "meta" / S.STRINGS_FILE


def test_read_strings_strips_and_merges_files(tmp_path):
    d = write(tmp_path, "key,zh,en\n a.one ,一 , one\nempty,空,\n", {"x.csv": "key,zh,en\nb.two,二,two\n"})
    assert S.read_strings(d) == {"a.one": {"zh": "一", "en": "one"}, "empty": {"zh": "空", "en": ""},
                                 "b.two": {"zh": "二", "en": "two"}}


@pytest.mark.parametrize("main, extra, message", [
    ("key,zh\nx,y\n", {}, "strings.csv: missing column(s) en; expected key,zh,en"),
    ("key,zh,en\nx,一,one\nx,二,two\n", {}, "strings.csv, row 2: key 'x' again (first in strings.csv)"),
    ("key,zh,en\n ,一,one\n", {}, "strings.csv, row 1: empty key"),
    ("key,zh,en\na.one,一,one\n", {"bench.csv": "key,zh,en\na.one,一,uno\n"},
     "bench.csv, row 1: key 'a.one' again (first in strings.csv)"),
])
def test_malformed_files_are_rejected(tmp_path, main, extra, message):
    with pytest.raises(S.StringsError) as e:
        S.read_strings(write(tmp_path, main, extra))
    assert str(e.value) == message


def test_missing_file(tmp_path):
    with pytest.raises(S.StringsError, match="strings.csv: no such file"):
        S.read_strings(tmp_path)


def test_the_repository_strings_equal_the_files():
    expected = {}
    for p in [DATA_DIR / "meta" / "strings.csv", *sorted((DATA_DIR / "meta" / "strings.d").glob("*.csv"))]:
        with p.open(encoding="utf-8-sig", newline="") as f:
            for row in csv.DictReader(f):
                expected[row["key"].strip()] = {"zh": row["zh"].strip(), "en": row["en"].strip()}
    assert S.read_strings() == expected and len(expected) > 100


def test_logical_names_and_from_frames():
    tables = {"meta/strings.d/b.csv": None, "meta/tree.csv": None, "meta/strings.csv": None, "meta/strings.d/a.csv": None}
    assert S.logical_names(tables) == ["meta/strings.csv", "meta/strings.d/a.csv", "meta/strings.d/b.csv"]
    f1 = pd.DataFrame({"key": [" k1 "], "zh": ["一 "], "en": [" one"]})
    f2 = pd.DataFrame({"key": ["k2"], "zh": ["二"], "en": ["two"], "extra": ["ignored"]})
    assert S.from_frames([f1, f2]) == {"k1": {"zh": "一", "en": "one"}, "k2": {"zh": "二", "en": "two"}}


def test_an_edition_carries_its_strings_and_activates_them(tmp_path):
    ed = F.make_edition(tmp_path / "a", strings=False)
    assert ed.strings == {"test.hello": {"zh": "你好", "en": "Hello"}}
    assert S.active() is ed.strings
    S.activate({"k": {"zh": "甲", "en": "a"}})
    assert S.active() == {"k": {"zh": "甲", "en": "a"}}
    full = F.make_edition(tmp_path / "b")        # the factory copies the repository's strings
    assert full.strings == S.read_strings() and S.active() is full.strings


def test_without_an_edition_the_repository_strings_are_active(monkeypatch):
    monkeypatch.setattr(S, "_ACTIVE", None)
    assert S.active() == S.read_strings()
