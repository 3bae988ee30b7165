"""gihi.model.validate: the pieces (encodings, CSV structure, numbers, tree sums, the missing-value policy).

Expected values are worked out by hand here (byte offsets, 2/3 of 30 indicators = 20, ...);
tests/test_malformed_inputs.py runs the whole command on corrupted copies of data/.
"""
from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from gihi.model import validate as V
from gihi.core.errors import DataError, Problem

ROOT = Path(__file__).resolve().parents[1]
META = "2023/meta"          # the 2023 edition's own metadata (tree, indicators, cities, ...)


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    """The real 2023 inputs without the focus data: data/meta (shared), data/2023/meta (the
    edition's own metadata), data/gii (edition.yaml names the GII edition), 2023/indicators.csv."""
    d = tmp_path_factory.mktemp("base") / "data"
    shutil.copytree(ROOT / "data" / "meta", d / "meta")
    shutil.copytree(ROOT / "data" / "2023" / "meta", d / "2023" / "meta")
    shutil.copytree(ROOT / "data" / "gii", d / "gii")
    shutil.copy2(ROOT / "data" / "2023" / "indicators.csv", d / "2023")
    return d


@pytest.fixture
def data(base, tmp_path) -> Path:
    return Path(shutil.copytree(base, tmp_path / "data"))


def frame(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def write(path: Path, df: pd.DataFrame) -> None:
    buf = io.StringIO()
    df.to_csv(buf, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    path.write_text(buf.getvalue(), encoding="utf-8")


def lines(data: Path) -> list[str]:
    return [str(p) for p in V.validate_inputs(data, 2023)]


# --------------------------------------------------------------------------- year

@pytest.mark.parametrize("year", ["2023", 2023, "1999"])
def test_year_accepted(year):
    assert V.year_problem(year) is None


@pytest.mark.parametrize("year", ["../2023", "20x3", "٢٠٢٣", "２０２３", " 2023", "02023", "+2023", "", 99999, 23, True,
                                  "2023/../../etc", None])
def test_year_rejected(year):
    assert V.year_problem(year) == f"--year must be a 4-digit year (got {year!r})"


def test_validate_inputs_rejects_a_bad_year_before_touching_files(tmp_path):
    assert V.validate_inputs(tmp_path / "nowhere", "../2023") == [
        Problem("year", None, None, "'../2023'", "a 4-digit year (the name of a directory of the data directory)")]


def test_missing_directories(tmp_path):
    assert lines(tmp_path) == ["meta/: found no directory; expected the metadata directory",
                               "2023/: found no directory; expected the 2023 data directory"]


# --------------------------------------------------------------------------- bytes and text

def _text(tmp_path, data: bytes):
    p = tmp_path / "f.csv"
    p.write_bytes(data)
    out: list[Problem] = []
    return V.read_text(p, "f.csv", out), [str(x) for x in out]


@pytest.mark.parametrize("data, offset, byte", [
    (b"ab\xe9c", 2, "e9"),                             # Latin-1 e-acute after two ASCII bytes
    (b"\xef\xbb\xbfab\xe9", 5, "e9"),                  # offsets count the BOM's three bytes
    ("中文".encode("utf-8")[:5], 3, "e6"),              # a cut multi-byte sequence: starts at byte 3
    ("id\n北京".encode("gbk"), 3, "b1"),               # GBK 北 = B1 B1
])
def test_not_utf8_names_the_byte_offset(tmp_path, data, offset, byte):
    text, problems = _text(tmp_path, data)
    assert text is None
    assert problems == [f"f.csv: found a byte that is not UTF-8 (0x{byte}) at byte offset {offset}; "
                        "expected UTF-8 text (with or without a byte-order mark)"]


def test_utf8_with_and_without_bom(tmp_path):
    assert _text(tmp_path, "a,b\n中,1\n".encode("utf-8")) == ("a,b\n中,1\n", [])
    assert _text(tmp_path, b"\xef\xbb\xbf" + "a,b\n中,1\n".encode("utf-8")) == ("a,b\n中,1\n", [])


@pytest.mark.parametrize("encoding, name", [("utf-16", "UTF-16"), ("utf-32", "UTF-32"), ("utf-16-be", None)])
def test_utf16_and_utf32(tmp_path, encoding, name):
    data = ("\ufeff" if name is None else "").encode(encoding) + "a,b\n".encode(encoding)
    text, problems = _text(tmp_path, data)
    assert text is None
    assert problems == [f"f.csv: found a {name or 'UTF-16'} byte-order mark at byte offset 0; "
                        "expected UTF-8 text (with or without a byte-order mark)"]


# --------------------------------------------------------------------------- CSV structure

def _csv(tmp_path, text: str, columns=("a", "b")):
    p = tmp_path / "f.csv"
    p.write_text(text, encoding="utf-8", newline="")
    out: list[Problem] = []
    return V.read_csv(p, "f.csv", out, columns), [str(x) for x in out]


def test_rows_are_numbered_without_header_and_blank_lines(tmp_path):
    f, problems = _csv(tmp_path, '\na,b\r\n1,"x, y"\r\n\r\n2,3\r\n')
    assert problems == []
    assert list(f.index) == [1, 2] and f.loc[1, "b"] == "x, y" and f.loc[2, "a"] == "2"


def test_wrong_field_count_and_repeated_or_missing_columns(tmp_path):
    f, problems = _csv(tmp_path, "a,a,c\n1,2,3\n4,5\n6,7,8,9\n")
    assert problems == [
        "f.csv, row 2: found 2 fields; expected 3 fields, as in the header (quote a field that contains a comma; "
        "decimal commas are not accepted)",
        "f.csv, row 3: found 4 fields; expected 3 fields, as in the header (quote a field that contains a comma; "
        "decimal commas are not accepted)",
        "f.csv, column a: found the column twice; expected each column once",
        "f.csv, column b: found no such column; expected columns a,b",
    ]
    assert list(f.index) == [1] and f.loc[1, "a"] == "1"


def test_rows_before_a_malformed_line_are_reported_too(tmp_path):
    f, problems = _csv(tmp_path, 'a,b\n1\n2,3\n4,"5"x\n6,7\n')
    assert f is None and problems == [
        "f.csv, row 1: found 1 fields; expected 2 fields, as in the header (quote a field that contains a comma; "
        "decimal commas are not accepted)",
        "f.csv: found malformed CSV at line 4 (',' expected after '\"'); expected comma-separated fields, "
        'quoted with " where needed']


def _csv_module(text: str) -> list[list[str]]:
    return list(filter(None, csv.reader(io.StringIO(text, newline=""), strict=True)))


@pytest.mark.parametrize("text", ["a,b\r\n1,2\r\n", "a,b\n\n1,2\n\n", "a,b\n 1 , 2 \n", "a,b\n1,\n", ",\n,\n", "a\n1\n"])
def test_plain_texts_split_as_the_csv_module_reads_them(text):
    assert V._plain_records(text) == _csv_module(text)


@pytest.mark.parametrize("text", ["a,b\n1\n", "a,b\n1,2,3\n", "a,b\r1,2\r", 'a,b\n"1",2\n', "a,b\n  \n", "a,b\n1\x002\n", ""])
def test_other_texts_go_to_the_csv_module(text):
    assert V._plain_records(text) is None


def test_the_repositorys_plain_files_split_as_the_csv_module_reads_them():
    plain = 0
    for path in sorted((ROOT / "data").rglob("*.csv")):
        text = path.read_text(encoding="utf-8-sig")
        records = V._plain_records(text)
        if records is not None:
            plain += 1
            assert records == _csv_module(text), path
    assert plain >= 10   # the large record-level files among them


def test_a_header_alone_is_an_empty_table(tmp_path):
    f, problems = _csv(tmp_path, "a,b\n")
    assert problems == [] and f.empty and list(f.columns) == ["a", "b"] and f.index.dtype == "int64"


@pytest.mark.parametrize("text, found", [
    ("", "an empty file"),
    ("\n\n", "an empty file"),
    ('a,b\n1,"2"x\n', "malformed CSV at line 2 (',' expected after '\"')"),
])
def test_unreadable_csv(tmp_path, text, found):
    f, problems = _csv(tmp_path, text)
    assert f is None and len(problems) == 1 and problems[0].startswith(f"f.csv: found {found}; expected ")


# --------------------------------------------------------------------------- numbers

@pytest.mark.parametrize("text, value", [("1.5", 1.5), ("-3", -3.0), ("2e3", 2000.0), (" 7 ", 7.0), (".5", 0.5),
                                         ("1.", 1.0), ("+4", 4.0), ("1E-2", 0.01)])
def test_plain_numbers(text, value):
    assert V._parse(pd.Series([text], dtype=object)).iloc[0] == value


@pytest.mark.parametrize("text", ["n/a", "inf", "-inf", "nan", "1_000", "١٢", "１２", "1,5", "1.2.3", "", "1e999",
                                  "0x10", "5%"])
def test_not_plain_numbers(text):
    assert pd.isna(V._parse(pd.Series([text], dtype=object)).iloc[0])


def test_a_columns_rules_share_one_computation_per_function():
    """The memo of one column: the number parse runs once over its distinct texts, however many
    rules ask for it; another column (even with equal texts) is computed afresh."""
    calls = []

    def parse(t):
        calls.append(t)
        return V._number(t)

    s, t = pd.Series(["1", "2", "1", "x"], dtype=object), pd.Series(["1", "2", "1", "x"], dtype=object)
    a, b = V._each(s, parse, float), V._each(s, parse, float)
    assert calls == ["1", "2", "x"] and a.equals(b) and list(a.isna()) == [False, False, False, True]
    V._each(t, parse, float)
    assert calls == ["1", "2", "x"] * 2


def test_yaml_errors_read_as_pyyaml_reports_them():
    assert V.load_yaml("a: 1\nb: [2, 3]\n") == {"a": 1, "b": [2, 3]}
    for bad in ("a: [1\n", "a: !!python/name:os.system\n"):
        with pytest.raises(yaml.YAMLError) as fast:
            V.load_yaml(bad)
        with pytest.raises(yaml.YAMLError) as slow:
            yaml.safe_load(bad)
        assert str(fast.value) == str(slow.value)


def test_comma_rules_tell_decimal_comma_from_grouping():
    s = pd.Series(["1,5", "1,500", "12,345.6", "0,25", "a,b", "1.5", ""], dtype=object)
    decimal, grouping = V.comma_rules()
    assert list(~decimal.ok(s)) == [True, False, False, True, False, False, False]
    assert list(~grouping.ok(s)) == [False, True, True, False, False, False, False]
    assert decimal.note == " (decimal comma)"


def test_counts_are_ascii_digits():
    whole = V.count()[-1]
    s = pd.Series(["0", "12", "-1", "1.0", "²", "٣", "", " 3"], dtype=object)
    assert list(whole.ok(s)) == [True, True, False, False, False, False, False, False]


# --------------------------------------------------------------------------- whole files

def test_real_meta_and_indicators_are_valid(data):
    assert lines(data) == []


def test_tree_sums_use_a_tolerance(data):
    p = data / META / "tree.csv"
    t = frame(p)
    # 0.1 + 0.25 + 0.3 + 0.35 is 0.9999999999999999 in floating point: accepted
    assert 0.1 + 0.25 + 0.3 + 0.35 != 1
    t.loc[t["parent"] == "A", "weight"] = ["0.1", "0.25", "0.3", "0.35"]
    write(p, t)
    assert lines(data) == []
    t.loc[t["code"] == "C4", "weight"] = "0.250002"   # C: 0.25 * 3 + 0.250002 = 1.000002, off by 2e-6
    write(p, t)
    assert lines(data) == [f"{META}/tree.csv, column weight: found weights under C summing to 1.000002; "
                           "expected weights that sum to 1 within each parent (report Table 1)"]


def test_tree_structure(data):
    p = data / META / "tree.csv"
    t = frame(p)
    t.loc[t["code"] == "B2", "parent"] = "Z"        # row 10: a sub-pillar under no pillar
    t.loc[t["code"] == "C", "weight"] = "-0.4"       # row 4: negative weight
    write(p, t)
    sums = "expected weights that sum to 1 within each parent (report Table 1)"
    assert lines(data) == [                          # file-level problems first, then by row
        f"{META}/tree.csv, column weight: found weights under GIHI summing to 0.2; {sums}",   # 0.3 + 0.3 - 0.4
        f"{META}/tree.csv, column weight: found weights under B summing to 0.75; {sums}",     # B1, B3, B4: 3 × 0.25
        f"{META}/tree.csv, row 4, column weight: found '-0.4'; expected a positive number",
        f"{META}/tree.csv, row 10, column parent: found 'Z'; expected a pillar code",
    ]


def _blank_city(rows: pd.DataFrame, cid: str, keep: int = 0) -> None:
    """Empty every value of ``cid`` except its first ``keep`` indicators."""
    idx = rows.index[rows["id"] == cid][keep:]
    rows.loc[idx, "value"] = ""
    rows.loc[idx, "provenance"] = "missing"


def test_policy_city_without_data_is_a_warning_not_an_error(data):
    p = data / "2023" / "indicators.csv"
    rows = frame(p)
    _blank_city(rows, "tokyo")                          # every value empty: the screen excludes it
    rows = rows[~((rows["id"] == "paris") & (rows["code"] == "I05"))]   # one absent row = one missing value
    write(p, rows)
    assert lines(data) == []


# one indicator of every sub-pillar stays: A1..B4 have 2 indicators, C1 4, C2 3, C3 4, C4 3 (Table 1)
TEN = ["I02", "I04", "I06", "I08", "I10", "I12", "I14", "I16", "I18", "I19"]


def test_policy_two_scored_cities_per_group(data):
    """A city is scored with 20 of 30 values (2/3, data/README.md), not 19; a group needs 2 scored cities."""
    cities = frame(data / META / "cities.csv")
    mini = list(cities.loc[cities["group"] == "mini", "id"])
    p = data / "2023" / "indicators.csv"
    rows = frame(p)
    for cid in mini[2:]:
        _blank_city(rows, cid)
    gone = (rows["id"] == mini[1]) & rows["code"].isin(TEN)
    rows.loc[gone, "value"], rows.loc[gone, "provenance"] = "", "missing"
    write(p, rows)
    assert lines(data) == []                            # 20 of 30 values: scored, so two scored mini-hubs
    gone = (rows["id"] == mini[1]) & (rows["code"] == "I21")
    rows.loc[gone, "value"], rows.loc[gone, "provenance"] = "", "missing"
    write(p, rows)                                      # 19 of 30: excluded, one scored mini-hub left
    expected = [f"2023/indicators.csv: found 1 of the {len(mini)} mini cities with enough data to be scored; "
                "expected at least 2 per group (missing-value policy, gihi/model/method/screen.py)"]
    # then what is missing in that group, indicator by indicator (the first 4 cities named, cities.csv order)
    for code in [f"I{k:02d}" for k in range(1, 31)]:
        gaps = mini[1:] if code in TEN + ["I21"] else mini[2:]
        expected.append(f"2023/indicators.csv, indicator {code}: found {len(gaps)} of {len(mini)} values missing "
                        f"({', '.join(gaps[:4])} and {len(gaps) - 4} more); expected a value for each city (or enough "
                        "of them for the screen: data/README.md, Missing values)")
    assert lines(data) == expected
    # the screen is the edition's (meta/method.yaml): with its own copy asking for 60 %, 19 of 30 is enough
    shared = (data / "meta" / "method.yaml").read_text(encoding="utf-8")
    assert "min_coverage: 0.6666666666666666" in shared
    (data / META / "method.yaml").write_text(shared.replace("min_coverage: 0.6666666666666666", "min_coverage: 0.6"),
                                                      encoding="utf-8")
    assert lines(data) == []


def test_policy_needs_a_row_for_every_city(data):
    p = data / "2023" / "indicators.csv"
    rows = frame(p)
    write(p, rows[~rows["id"].isin(["paris", "tokyo"])])
    order = [c for c in frame(data / META / "cities.csv")["id"] if c in ("paris", "tokyo")]  # cities.csv order
    assert lines(data) == [
        f"2023/indicators.csv, column id: found no row for city {c!r}; expected rows for every city of "
        "meta/cities.csv; an empty value marks a missing one (data/README.md, Missing values)" for c in order]


def test_no_cascade_when_a_reference_file_is_unreadable(data):
    p = data / META / "cities.csv"
    p.write_bytes(p.read_bytes().replace("蒙特利尔".encode(), "蒙特利尔".encode("gbk")))
    got = lines(data)
    assert len(got) == 1 and got[0].startswith(f"{META}/cities.csv: found a byte that is not UTF-8")


def test_focus_directories(data):
    (data / "2023" / "disciplines").mkdir()
    assert lines(data) == []                            # empty: as if absent (git keeps no empty directory)
    (data / "2023" / "ai_patents").mkdir()
    shutil.copy2(ROOT / "data" / "2023" / "ai_patents" / "universe.csv", data / "2023" / "ai_patents")
    got = lines(data)
    assert got == [f"2023/ai_patents/{name}: found no file; expected a CSV with columns {cols}" for name, cols in [
        ("patents_by_year.csv", "id,year,valid,pct,triadic,hq,provenance"),
        ("ipc.csv", "id,ipc,hq_patents,provenance"),
        ("ipc_universe.csv", "ipc,hq_patents,provenance"),
        ("ipc_by_year.csv", "ipc,year,hq_patents,provenance"),
        ("applicants.csv", "id,applicant_zh,applicant_en,valid_patents,provenance"),
    ]]


def test_focus_years_not_after_the_report_year(data):
    src = ROOT / "data" / "2023" / "ai_patents"
    shutil.copytree(src, data / "2023" / "ai_patents")
    p = data / "2023" / "ai_patents" / "ipc_by_year.csv"
    t = frame(p)
    t.loc[0, "year"] = "2024"
    write(p, t)
    where = "2023/ai_patents/ipc_by_year.csv, row 1, column year: found '2024'; expected"
    assert lines(data) == [f"{where} a year not after the report year (2023)",
                           f"{where} a year from 2003 to 2022 (the period of ai_patents in {META}/edition.yaml)"]


def test_focus_years_inside_the_editions_period(data):
    """edition.yaml's ai_patents.years (2003–2022 for 2023): a year before it is refused too."""
    shutil.copytree(ROOT / "data" / "2023" / "ai_patents", data / "2023" / "ai_patents")
    p = data / "2023" / "ai_patents" / "patents_by_year.csv"
    t = frame(p)
    t.loc[4, "year"] = "2002"
    write(p, t)
    assert lines(data) == ["2023/ai_patents/patents_by_year.csv, row 5, column year: found '2002'; expected "
                           f"a year from 2003 to 2022 (the period of ai_patents in {META}/edition.yaml)"]


def test_universe_needs_both_measures(data):
    shutil.copytree(ROOT / "data" / "2023" / "ai_patents", data / "2023" / "ai_patents")
    p = data / "2023" / "ai_patents" / "universe.csv"
    t = frame(p)
    write(p, t[t["measure"] != "hq_patents"])
    assert lines(data) == ["2023/ai_patents/universe.csv, column measure: found no row for hq_patents; "
                           "expected rows for ai_patents, hq_patents (Appendix 9)"]


def test_parse_only_files(data):
    (data / "meta" / "ok.yaml").write_text("a: [1, 2]\nb: {c: d}\n", encoding="utf-8")
    (data / "meta" / "notes.md").write_bytes(b"\xff not checked")
    (data / "gii" / "2025").mkdir(parents=True, exist_ok=True)
    (data / "gii" / "2025" / "x.json").write_text('{"a": 1,}', encoding="utf-8")
    (data / "gii" / "ok.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    assert lines(data) == ["gii/2025/x.json: found JSON that does not load at line 1, column 9 "
                           "(Expecting property name enclosed in double quotes); expected valid JSON"]


def test_strings_files(data):
    sd = data / "meta" / "strings.d"
    assert sd.is_dir()                                  # the repository's own strings.d files are valid
    (sd / "zz_test.csv").write_text("key,zh,en\nx.one,一,One\n,二,Two\nx.one,一,One\n", encoding="utf-8")
    assert lines(data) == [
        "meta/strings.d/zz_test.csv, row 2, column key: found ''; expected a key",
        "meta/strings.d/zz_test.csv, row 3, column key: found 'x.one' again (first in meta/strings.d/zz_test.csv, row 1); "
        "expected each key once, over all string files",
    ]


def test_require_valid_raises_every_problem(data):
    p = data / "2023" / "indicators.csv"
    rows = frame(p)
    rows.loc[0, "value"] = "x"
    rows.loc[1, "id"] = "atlantis"
    write(p, rows)
    with pytest.raises(DataError) as e:
        V.require_valid(data, 2023)
    assert [(q.row, q.column) for q in e.value.problems] == [(1, "value"), (2, "id")]


def test_run_data_stage_validates_before_loading(data, tmp_path, monkeypatch):
    from gihi.model import edition
    from gihi.pipeline import data_stage
    calls = []
    real_check = edition.check_inputs

    def validate(d, y):
        calls.append("validate")
        return real_check(d, y)

    def tables(inputs, year):
        calls.append("load")
        raise RuntimeError("stop here")

    monkeypatch.setattr(edition, "check_inputs", validate)
    monkeypatch.setattr(edition, "tables_from_inputs", tables)
    with pytest.raises(RuntimeError, match="stop here"):
        data_stage.run_data_stage(data, 2023, tmp_path / "out")
    assert calls == ["validate", "load"]
    assert not (tmp_path / "out").exists()


def test_invalid_inputs_stop_the_data_stage_before_the_tables_are_built(data, tmp_path, monkeypatch):
    from gihi.model import edition
    from gihi.pipeline import data_stage

    def tables(inputs, year):
        raise AssertionError("tables built from invalid inputs")

    monkeypatch.setattr(edition, "tables_from_inputs", tables)
    p = data / "2023" / "indicators.csv"
    rows = frame(p)
    rows.loc[0, "value"] = "x"
    write(p, rows)
    with pytest.raises(DataError) as e:
        data_stage.run_data_stage(data, 2023, tmp_path / "out")
    assert [(q.file, q.row, q.column) for q in e.value.problems] == [("2023/indicators.csv", 1, "value")]
    assert not (tmp_path / "out").exists()


def test_check_inputs_returns_what_it_parsed(data):
    inputs = V.check_inputs(data, 2023)
    assert inputs.problems == []
    assert inputs.locations["meta/cities.csv"] == f"{META}/cities.csv"          # the per-year file replaced it
    assert inputs.locations["meta/countries.csv"] == "meta/countries.csv"
    assert inputs.locations["meta/edition.yaml"] == f"{META}/edition.yaml"
    cities = inputs.tables["meta/cities.csv"]
    assert list(cities.index[:2]) == [1, 2] and cities.loc[1, "id"] == "montreal"     # 1-based data rows, text
    assert inputs.objects["meta/edition.yaml"]["gii_edition"] == 2025
    assert set(inputs.tables) >= {"meta/tree.csv", "meta/indicators.csv", "2023/indicators.csv", "meta/gii_mapping.csv",
                                  "gii/2025/clusters.csv", "meta/strings.csv"}
