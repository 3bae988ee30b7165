"""Malformed inputs (issue 6): one corruption per case, exact error lines, exit 2, output untouched.

Each case copies the real data (once per session, then per case only what it needs), corrupts
one thing and runs ``gihi.pipeline.cli.main([... "--data-only"])`` against an output directory filled with
known files. The expected lines are written out from the documented format (docs/validation.md)
with row numbers and byte offsets found by the test itself.
"""
from __future__ import annotations

import csv
import hashlib
import io
import shutil
from pathlib import Path

import pandas as pd
import pytest

from gihi import open_edition
from gihi.pipeline import cli
from gihi.report.chapters import CHAPTERS
from gihi.model.validate import validate_inputs

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
META_FILES = ("continents", "countries", "cities", "city_members", "city_aliases", "tree", "indicators",
              "disciplines", "ipc_groups", "strings")
FOCUS_DIRS = ("disciplines", "ai_patents")
ENC = "expected UTF-8 text (with or without a byte-order mark)"
PLAIN = "expected a number with '.' as the decimal point and no thousands separator"
PREFILL = {
    "2023/data/index_scores.csv": b"id,composite\nold,100.0\n",
    "2023/data/excluded.csv": b"id,group,reason\n",
    "2023/manifest.json": b'{"year": 2023}\n',
    "2023/notebooks/02_science.ipynb": b"{}\n",
    "keep.txt": "\u4fdd\u7559 keep\n".encode("utf-8"),
}


# --------------------------------------------------------------------------- helpers

def read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = [r for r in csv.reader(f) if r]
    return rows[0], rows[1:]


def write_rows(path: Path, header: list[str], rows: list[list[str]]) -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([header, *rows])
    path.write_text(buf.getvalue(), encoding="utf-8")


def set_cell(path: Path, where: dict[str, str], column: str, value: str) -> int:
    """Set ``column`` of the first row matching ``where``; returns its 1-based data row."""
    header, rows = read_rows(path)
    for i, r in enumerate(rows, start=1):
        if all(r[header.index(k)] == v for k, v in where.items()):
            r[header.index(column)] = value
            write_rows(path, header, rows)
            return i
    raise AssertionError(f"no row {where} in {path}")


def replace_line(path: Path, old: str, new: str) -> int:
    """Replace one whole line; returns its 1-based data row (header = row 0)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    i = lines.index(old)
    lines[i] = new
    path.write_text("\n".join(lines), encoding="utf-8")
    return i


LOCK = ".2023.lock"   # the build lock (gihi.pipeline.safety.build_lock): left in place, it is not an output


def snapshot(root: Path) -> dict[str, str]:
    """Every file and directory under ``root`` with its hash, the build lock aside."""
    return {p.relative_to(root).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir")
            for p in sorted(root.rglob("*")) if p.relative_to(root).as_posix() != LOCK}


# --------------------------------------------------------------------------- cases

CASES: dict[str, tuple[bool, object]] = {}


def case(focus: bool = False):
    def add(fn):
        CASES[fn.__name__] = (focus, fn)
        return fn
    return add


@case()
def missing_file(d):
    (d / "2023" / "indicators.csv").unlink()
    return ["error: 2023/indicators.csv: found no file; expected a CSV with columns id,code,value,provenance,note"]


@case()
def missing_meta_file(d):
    (d / "meta" / "countries.csv").unlink()
    return ["error: meta/countries.csv: found no file; expected a CSV with columns iso3,name_zh,name_en,continent"]


@case(focus=True)
def missing_focus_file(d):
    (d / "2023" / "ai_patents" / "ipc.csv").unlink()
    return ["error: 2023/ai_patents/ipc.csv: found no file; expected a CSV with columns id,ipc,hq_patents,provenance"]


@case()
def missing_column(d):
    p = d / "2023" / "indicators.csv"
    header, rows = read_rows(p)
    j = header.index("provenance")
    write_rows(p, header[:j] + header[j + 1:], [r[:j] + r[j + 1:] for r in rows])
    return ["error: 2023/indicators.csv, column provenance: found no such column; "
            "expected columns id,code,value,provenance,note"]


@case(focus=True)
def missing_focus_column(d):
    p = d / "2023" / "ai_patents" / "applicants.csv"
    header, rows = read_rows(p)
    write_rows(p, header[:2] + header[3:], [r[:2] + r[3:] for r in rows])
    return ["error: 2023/ai_patents/applicants.csv, column applicant_en: found no such column; "
            "expected columns id,applicant_zh,applicant_en,valid_patents,provenance"]


@case()
def unknown_city_id(d):
    row = set_cell(d / "2023" / "indicators.csv", {"id": "montreal", "code": "I07"}, "id", "atlantis")
    return [f"error: 2023/indicators.csv, row {row}, column id: found 'atlantis'; expected a city id from meta/cities.csv"]


@case()
def unknown_city_in_history(d):
    row = set_cell(d / "history" / "ranks.csv", {"id": "new-york"}, "id", "gotham")
    return [f"error: history/ranks.csv, row {row}, column id: found 'gotham'; "
            "expected a city id of this or another edition's meta/cities.csv"]


@case()
def duplicate_row(d):
    p = d / "2023" / "indicators.csv"
    header, rows = read_rows(p)
    write_rows(p, header, rows + [rows[0]])
    return [f"error: 2023/indicators.csv, row {len(rows) + 1}, column id,code: found montreal × I01 again "
            "(first at row 1); expected one row per city × indicator"]


@case()
def duplicate_city(d):
    p = d / "2023" / "meta" / "cities.csv"
    header, rows = read_rows(p)
    last = rows[-1]
    write_rows(p, header, rows + [last])
    n, cid, seq, name = len(rows) + 1, last[0], last[1], last[2]
    return [f"error: 2023/meta/cities.csv, row {n}, column id: found {cid} again (first at row {n - 1}); expected one row per id",
            f"error: 2023/meta/cities.csv, row {n}, column seq: found {seq} again (first at row {n - 1}); expected one row per seq",
            f"error: 2023/meta/cities.csv, row {n}, column name_zh: found {name} again (first at row {n - 1}); "
            "expected one row per name_zh"]


@case()
def negative_count(d):
    row = set_cell(d / "2023" / "indicators.csv", {"id": "montreal", "code": "I02"}, "value", "-1")
    return [f"error: 2023/indicators.csv, row {row}, column value: found '-1'; expected a non-negative number (I02 is a count)"]


@case(focus=True)
def negative_count_focus(d):
    row = set_cell(d / "2023" / "disciplines" / "papers.csv", {"id": "beijing", "discipline": "46", "year": "2020"},
                   "papers", "-3")
    return [f"error: 2023/disciplines/papers.csv, row {row}, column papers: found '-3'; expected a non-negative integer"]


def _as_share(d):
    """I15 declared a share (valid on its own: unit 'percent'/'%', every value within 0–100, its
    plausible range -50…50 narrowed to 0…50 as a share's must be)."""
    set_cell(d / "2023" / "meta" / "indicators.csv", {"code": "I15"}, "kind", "share")
    set_cell(d / "2023" / "meta" / "indicators.csv", {"code": "I15"}, "plausible_min", "0")


@case()
def share_over_100(d):
    _as_share(d)
    row = set_cell(d / "2023" / "indicators.csv", {"id": "tokyo", "code": "I15"}, "value", "100.5")
    return [f"error: 2023/indicators.csv, row {row}, column value: found '100.5'; "
            "expected a number from 0 to 100 (I15 is a share in percent)"]


@case()
def share_negative(d):
    _as_share(d)
    row = set_cell(d / "2023" / "indicators.csv", {"id": "tokyo", "code": "I15"}, "value", "-0.5")
    return [f"error: 2023/indicators.csv, row {row}, column value: found '-0.5'; "
            "expected a number from 0 to 100 (I15 is a share in percent)"]


@case()
def rate_below_minus_100(d):
    row = set_cell(d / "2023" / "indicators.csv", {"id": "paris", "code": "I15"}, "value", "-150")
    return [f"error: 2023/indicators.csv, row {row}, column value: found '-150'; "
            "expected a number of at least -100 (I15 is a rate of change in percent)"]


@case()
def non_numeric_value(d):
    row = set_cell(d / "2023" / "indicators.csv", {"id": "london", "code": "I09"}, "value", "n/a")
    return [f"error: 2023/indicators.csv, row {row}, column value: found 'n/a'; "
            "expected a number, or an empty cell for a missing value"]


@case()
def non_numeric_latitude(d):
    row = set_cell(d / "2023" / "meta" / "cities.csv", {"id": "toronto"}, "lat", "43.65N")
    return [f"error: 2023/meta/cities.csv, row {row}, column lat: found '43.65N'; expected a latitude"]


@case()
def infinite_value(d):
    row = set_cell(d / "2023" / "indicators.csv", {"id": "london", "code": "I13"}, "value", "inf")
    return [f"error: 2023/indicators.csv, row {row}, column value: found 'inf'; "
            "expected a number, or an empty cell for a missing value"]


@case()
def decimal_comma(d):
    row = set_cell(d / "2023" / "indicators.csv", {"id": "montreal", "code": "I01"}, "value", "16324,95")
    return [f"error: 2023/indicators.csv, row {row}, column value: found '16324,95' (decimal comma); {PLAIN}"]


@case(focus=True)
def thousands_separator(d):
    row = set_cell(d / "2023" / "ai_patents" / "ipc_universe.csv", {"ipc": "G06N-0003"}, "hq_patents", "29,514")
    return [f"error: 2023/ai_patents/ipc_universe.csv, row {row}, column hq_patents: found '29,514' "
            f"(thousands separator or decimal comma); {PLAIN}"]


@case()
def unquoted_decimal_comma(d):
    p = d / "2023" / "indicators.csv"
    row = replace_line(p, "montreal,I15,1.919247,imputed,", "montreal,I15,1,919247,imputed,")
    return [f"error: 2023/indicators.csv, row {row}: found 6 fields; expected 5 fields, as in the header "
            "(quote a field that contains a comma; decimal commas are not accepted)"]


@case()
def latin1_file(d):
    """The file as a spreadsheet saves it in Latin-1: one note with 'é' (0xe9 in Latin-1)."""
    p = d / "2023" / "indicators.csv"
    set_cell(p, {"id": "paris", "code": "I05"}, "note", "révisé")
    text = p.read_text(encoding="utf-8")
    p.write_bytes(text.encode("latin-1"))
    offset = len(text[:text.index("é")].encode("latin-1"))  # every earlier character is ASCII: one byte each
    return [f"error: 2023/indicators.csv: found a byte that is not UTF-8 (0xe9) at byte offset {offset}; {ENC}"]


@case()
def gbk_file(d):
    p = d / "meta" / "continents.csv"
    text = p.read_text(encoding="utf-8")
    p.write_bytes(text.encode("gbk"))
    first = text.index("亚")  # every character before it is ASCII: one byte each
    assert text[:first].isascii()
    return [f"error: meta/continents.csv: found a byte that is not UTF-8 (0x{'亚'.encode('gbk')[0]:02x}) "
            f"at byte offset {first}; {ENC}"]


@case()
def utf16_file(d):
    p = d / "2023" / "meta" / "cities.csv"
    p.write_bytes(p.read_text(encoding="utf-8").encode("utf-16"))
    return [f"error: 2023/meta/cities.csv: found a UTF-16 byte-order mark at byte offset 0; {ENC}"]


@case()
def unknown_indicator_code(d):
    row = set_cell(d / "2023" / "indicators.csv", {"id": "montreal", "code": "I03"}, "code", "I31")
    return [f"error: 2023/indicators.csv, row {row}, column code: found 'I31'; "
            "expected an indicator code from meta/indicators.csv"]


@case(focus=True)
def unknown_discipline_code(d):
    # 45 Indigenous Studies is the ANZSRC division the report leaves out (FOCUS_DATA.md)
    row = set_cell(d / "2023" / "disciplines" / "papers.csv", {"id": "tokyo", "discipline": "30", "year": "2015"},
                   "discipline", "45")
    return [f"error: 2023/disciplines/papers.csv, row {row}, column discipline: found '45'; "
            "expected a discipline code from meta/disciplines.csv"]


@case(focus=True)
def unknown_ipc_code(d):
    p = d / "2023" / "ai_patents" / "ipc.csv"
    _, rows = read_rows(p)
    row = set_cell(p, {"id": rows[0][0], "ipc": rows[0][1]}, "ipc", "G06Q-9999")
    return [f"error: 2023/ai_patents/ipc.csv, row {row}, column ipc: found 'G06Q-9999'; "
            "expected an IPC code from meta/ipc_groups.csv"]


@case()
def tree_weights_not_summing(d):
    set_cell(d / "2023" / "meta" / "tree.csv", {"code": "A"}, "weight", "0.35")  # 0.35 + 0.30 + 0.40 = 1.05
    return ["error: 2023/meta/tree.csv, column weight: found weights under GIHI summing to 1.05; "
            "expected weights that sum to 1 within each parent (report Table 1)"]


@case()
def subpillar_weights_not_summing(d):
    set_cell(d / "2023" / "meta" / "tree.csv", {"code": "A3"}, "weight", "0.20")  # 0.30 + 0.30 + 0.20 + 0.30 = 1.10
    return ["error: 2023/meta/tree.csv, column weight: found weights under A summing to 1.1; "
            "expected weights that sum to 1 within each parent (report Table 1)"]


@case()
def tree_weight_percent_sign(d):
    row = set_cell(d / "2023" / "meta" / "tree.csv", {"code": "C"}, "weight", "40%")
    return [f"error: 2023/meta/tree.csv, row {row}, column weight: found '40%'; expected a positive number"]


@case()
def unknown_indicator_kind(d):
    row = set_cell(d / "2023" / "meta" / "indicators.csv", {"code": "I29"}, "kind", "years")
    return [f"error: 2023/meta/indicators.csv, row {row}, column kind: found 'years'; "
            "expected one of count, per_million, amount, share, rate, score"]


@case()
def unit_disagrees_with_kind(d):
    row = set_cell(d / "2023" / "meta" / "indicators.csv", {"code": "I09"}, "kind", "rate")
    return [f"error: 2023/meta/indicators.csv, row {row}, column unit_en: found unit 'patents per million inhabitants' / "
            "'件/百万人' for kind rate; expected a unit containing 'percent' / '%'"]


@case()
def city_without_rows(d):
    p = d / "2023" / "indicators.csv"
    header, rows = read_rows(p)
    write_rows(p, header, [r for r in rows if r[0] != "tokyo"])
    return ["error: 2023/indicators.csv, column id: found no row for city 'tokyo'; expected rows for every city of "
            "meta/cities.csv; an empty value marks a missing one (data/README.md, Missing values)"]


@case()
def group_below_policy(d):
    _, cities = read_rows(d / "2023" / "meta" / "cities.csv")
    mini = [c[0] for c in cities if c[5] == "mini"]
    p = d / "2023" / "indicators.csv"
    header, rows = read_rows(p)
    for r in rows:
        if r[0] in mini[1:]:           # all but one mini-hub lose every value
            r[2], r[3] = "", "missing"
    write_rows(p, header, rows)
    # then, indicator by indicator, the values missing in that group (the first 4 cities named)
    gaps = mini[1:]
    return [f"error: 2023/indicators.csv: found 1 of the {len(mini)} mini cities with enough data to be scored; "
            "expected at least 2 per group (missing-value policy, gihi/model/method/screen.py)"] + [
        f"error: 2023/indicators.csv, indicator I{k:02d}: found {len(gaps)} of {len(mini)} values missing "
        f"({', '.join(gaps[:4])} and {len(gaps) - 4} more); expected a value for each city (or enough of them "
        "for the screen: data/README.md, Missing values)" for k in range(1, 31)]


@case()
def provenance_without_value(d):
    p = d / "2023" / "indicators.csv"
    header, rows = read_rows(p)
    prov = next(r[3] for r in rows if r[:2] == ["seoul", "I20"])
    row = set_cell(p, {"id": "seoul", "code": "I20"}, "value", "")
    return [f"error: 2023/indicators.csv, row {row}, column provenance: found {prov!r} for an empty value; "
            "expected missing for an empty value"]


@case()
def history_rank_not_integer(d):
    row = set_cell(d / "history" / "ranks.csv", {"year": "2022", "level": "composite", "id": "beijing"}, "rank", "3.5")
    return [f"error: history/ranks.csv, row {row}, column rank: found '3.5'; expected a positive integer"]


@case()
def history_year_not_4_digits(d):
    row = set_cell(d / "history" / "ranks.csv", {"year": "2021"}, "year", "21")
    return [f"error: history/ranks.csv, row {row}, column year: found '21'; expected a 4-digit year"]


@case()
def empty_translation(d):
    (d / "meta" / "strings.d").mkdir(exist_ok=True)
    (d / "meta" / "strings.d" / "zz_case.csv").write_text("key,zh,en\ncase.title,标题,\n", encoding="utf-8")
    return ["error: meta/strings.d/zz_case.csv, row 1, column en: found an empty text (key 'case.title'); "
            "expected the English text"]


@case()
def empty_translation_main_file(d):
    row = set_cell(d / "meta" / "strings.csv", {"key": "chapter.02_science"}, "zh", " ")
    return [f"error: meta/strings.csv, row {row}, column zh: found an empty text (key 'chapter.02_science'); "
            "expected the Chinese text"]


@case()
def string_key_twice(d):
    _, rows = read_rows(d / "meta" / "strings.csv")
    key = rows[0][0]
    (d / "meta" / "strings.d").mkdir(exist_ok=True)
    (d / "meta" / "strings.d" / "zz_case.csv").write_text(f"key,zh,en\n{key},标题,Title\n", encoding="utf-8")
    return [f"error: meta/strings.d/zz_case.csv, row 1, column key: found '{key}' again (first in meta/strings.csv, "
            "row 1); expected each key once, over all string files"]


@case()
def bad_yaml(d):
    (d / "meta" / "profiles.yaml").write_text("cities: [tokyo, paris\nlimit: 3\n", encoding="utf-8")
    return ["error: meta/profiles.yaml: found YAML that does not load at line 2, column 6 (expected ',' or ']', "
            "but got ':'); expected YAML that yaml.safe_load reads (plain data, no Python tags)"]


@case()
def yaml_python_tag(d):
    marker = d / "pwned"
    (d / "meta" / "audit.yaml").write_text(f'run: !!python/object/apply:os.system ["touch {marker}"]\n',
                                           encoding="utf-8")
    return ["error: meta/audit.yaml: found YAML that does not load at line 1, column 6 (could not determine a "
            "constructor for the tag 'tag:yaml.org,2002:python/object/apply:os.system'); expected YAML that "
            "yaml.safe_load reads (plain data, no Python tags)"]


@case()
def gii_csv_broken_quote(d):
    (d / "gii").mkdir(exist_ok=True)
    (d / "gii" / "scores.csv").write_text('economy,score\n"Korea, Rep.,56.9\n', encoding="utf-8")
    return ['error: gii/scores.csv: found malformed CSV at line 2 (unexpected end of data); '
            'expected comma-separated fields, quoted with " where needed']


@case(focus=True)
def hcp_above_papers(d):
    p = d / "2023" / "disciplines" / "papers.csv"
    header, rows = read_rows(p)
    r = next(r for r in rows if r[0] == "boston" and r[1] == "31" and r[2] == "2018")
    row = set_cell(p, {"id": "boston", "discipline": "31", "year": "2018"}, "hcp", str(int(r[3]) + 1))
    return [f"error: 2023/disciplines/papers.csv, row {row}, column hcp: found '{int(r[3]) + 1}'; "
            f"expected at most papers ({r[3]})"]


@case()
def several_problems_in_one_file(d):
    p = d / "2023" / "indicators.csv"
    header, rows = read_rows(p)
    at = {(r[0], r[1]): i for i, r in enumerate(rows, start=1)}
    edits = {("montreal", "I02"): ("atlantis", None), ("montreal", "I04"): (None, "-2"),
             ("toronto", "I01"): (None, "1,5"), ("toronto", "I10"): (None, "x")}
    for (cid, code), (new_id, new_value) in edits.items():
        r = rows[at[cid, code] - 1]
        if new_id:
            r[0] = new_id
            r[2] = "y"
        if new_value is not None:
            r[2] = new_value
    rows.append(list(rows[at["toronto", "I01"] - 1]))  # a duplicate, the last row
    write_rows(p, header, rows)
    f = "error: 2023/indicators.csv"
    return [f"{f}, row {at['montreal', 'I02']}, column id: found 'atlantis'; expected a city id from meta/cities.csv",
            f"{f}, row {at['montreal', 'I02']}, column value: found 'y'; "
            "expected a number, or an empty cell for a missing value",
            f"{f}, row {at['montreal', 'I04']}, column value: found '-2'; expected a non-negative number (I04 is a count)",
            f"{f}, row {at['toronto', 'I01']}, column value: found '1,5' (decimal comma); {PLAIN}",
            f"{f}, row {at['toronto', 'I10']}, column value: found 'x'; "
            "expected a number, or an empty cell for a missing value",
            f"{f}, row {len(rows)}, column value: found '1,5' (decimal comma); {PLAIN}",
            f"{f}, row {len(rows)}, column id,code: found toronto × I01 again (first at row {at['toronto', 'I01']}); "
            "expected one row per city × indicator"]


@case()
def problems_in_several_files(d):
    set_cell(d / "2023" / "meta" / "tree.csv", {"code": "A"}, "weight", "0.35")
    r1 = set_cell(d / "history" / "ranks.csv", {"year": "2022", "level": "A", "id": "tokyo"}, "rank", "first")
    r2 = set_cell(d / "2023" / "indicators.csv", {"id": "tokyo", "code": "I03"}, "value", "-1")
    return ["error: 2023/meta/tree.csv, column weight: found weights under GIHI summing to 1.05; "
            "expected weights that sum to 1 within each parent (report Table 1)",
            f"error: history/ranks.csv, row {r1}, column rank: found 'first'; expected a positive integer",
            f"error: 2023/indicators.csv, row {r2}, column value: found '-1'; expected a non-negative number (I03 is a count)"]


@case()
def year_path_traversal(d):
    return ["--year", "../2023"], ["error: --year must be a 4-digit year (got '../2023')"]


@case()
def year_not_digits(d):
    return ["--year", "20x3"], ["error: --year must be a 4-digit year (got '20x3')"]


@case()
def year_non_ascii_digits(d):
    return ["--year", "٢٠٢٣"], ["error: --year must be a 4-digit year (got '٢٠٢٣')"]


@case()
def chapter_path_traversal(d):
    listed = ", ".join(CHAPTERS)  # the registry, which other parts extend
    return ["--chapters", "../../etc"], [f"error: --chapters: unknown chapter '../../etc'; chapters: {listed}"]


# --------------------------------------------------------------------------- the run

@pytest.fixture(scope="session")
def pristine(tmp_path_factory) -> Path:
    """The inputs the build reads, copied once."""
    d = tmp_path_factory.mktemp("pristine") / "data"
    shutil.copytree(DATA / "meta", d / "meta")
    shutil.copytree(DATA / "2023" / "meta", d / "2023" / "meta")     # the edition's own metadata
    shutil.copytree(DATA / "gii", d / "gii")
    shutil.copytree(DATA / "history", d / "history")
    shutil.copy2(DATA / "2023" / "indicators.csv", d / "2023")
    for sub in FOCUS_DIRS:
        shutil.copytree(DATA / "2023" / sub, d / "2023" / sub)
    return d


def _copy(pristine: Path, dest: Path, focus: bool) -> Path:
    skip = () if focus else FOCUS_DIRS
    shutil.copytree(pristine, dest, ignore=lambda src, names: [n for n in names if n in skip])
    return dest


def _prefilled(out: Path) -> dict[str, str]:
    for rel, data in PREFILL.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(data)
    return snapshot(out)


@pytest.fixture
def no_compute(monkeypatch):
    """Fail loudly if the data stage gets past validation: building the edition's tables from the
    validated inputs, computing the index or any result, writing a data output."""
    from gihi.model import edition
    from gihi.pipeline import data_stage

    def boom(*a, **k):
        raise AssertionError("the index was computed although the inputs are invalid")
    for module, name in ((edition, "tables_from_inputs"), (edition, "compute_index"), (data_stage, "compute_all"),
                         (data_stage, "write_data_outputs"), (data_stage, "write_downloads")):
        monkeypatch.setattr(module, name, boom)


#: cases that fail because of a bug in gihi/ (strict: the marker must go when the bug is fixed)
KNOWN_BUGS: dict[str, str] = {}   # case name -> the gihi bug it shows (an xfail, strict)


@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[n]))
                                  if n in KNOWN_BUGS else n for n in CASES])
def test_malformed_input(name, pristine, tmp_path, capsys, no_compute):
    focus, corrupt = CASES[name]
    d = _copy(pristine, tmp_path / "data", focus)
    out = tmp_path / "out"
    before = _prefilled(out)
    got = corrupt(d)
    args = ["--year", "2023", "--data-dir", str(d), "--output-dir", str(out), "--data-only"]
    if isinstance(got, tuple):          # a command-line case: (replacement arguments, lines)
        extra, expected = got
        if extra[0] == "--year":
            args[1] = extra[1]
        else:
            args += extra
    else:
        expected = got
    capsys.readouterr()
    code = cli.main(args)
    err = capsys.readouterr()
    assert err.err.splitlines() == expected
    assert code == 2
    assert err.out == ""
    assert snapshot(out) == before
    assert not (d / "pwned").exists()


def test_at_least_30_cases():
    assert len(CASES) >= 30


def test_full_build_stops_before_anything(pristine, tmp_path, capsys, no_compute):
    """Without --data-only the build also validates first: exit 2, the outputs untouched (the build's
    own staging directory ``.build/``, kept for inspection by gihi.pipeline.build, aside). The focus
    data are there: a full build first checks that every chapter has its data (cli.preflight)."""
    d = _copy(pristine, tmp_path / "data", True)
    out = tmp_path / "out"
    before = _prefilled(out)
    expected = negative_count(d)
    assert cli.main(["--year", "2023", "--data-dir", str(d), "--output-dir", str(out)]) == 2
    assert capsys.readouterr().err.splitlines() == expected
    after = {k: v for k, v in snapshot(out).items() if k.split("/")[0] != ".build"}
    assert after == before
    assert not any(p.is_file() for p in (out / ".build").rglob("*"))


def test_real_data_is_valid():
    assert [str(p) for p in validate_inputs(DATA, 2023)] == []


BOM_FILES = ("2023/meta/cities.csv", "2023/meta/tree.csv", "meta/strings.csv", "2023/indicators.csv",
             "2023/ai_patents/universe.csv")


def _with_bom(pristine, tmp_path) -> Path:
    d = _copy(pristine, tmp_path / "data", True)
    for rel in BOM_FILES:
        p = d / rel
        p.write_bytes(b"\xef\xbb\xbf" + p.read_bytes())
    return d


def test_bom_files_read_as_without(pristine, tmp_path, real_edition):
    """A UTF-8 byte-order mark (Excel's "CSV UTF-8") is accepted and read away: the edition's
    tables are those of the files without it."""
    ed = open_edition(2023, _with_bom(pristine, tmp_path))
    pd.testing.assert_frame_equal(ed.cities, real_edition.cities)
    pd.testing.assert_frame_equal(ed.wide, real_edition.wide)
    pd.testing.assert_frame_equal(ed.tables.tree_table, real_edition.tables.tree_table)
    assert ed.strings == real_edition.strings


@pytest.mark.e2e   # a data-stage build
def test_bom_files_accepted(pristine, tmp_path, capsys):
    d = _with_bom(pristine, tmp_path)
    assert validate_inputs(d, 2023) == []
    out = tmp_path / "out"
    assert cli.main(["--year", "2023", "--data-dir", str(d), "--output-dir", str(out), "--data-only"]) == 0
    assert "error" not in capsys.readouterr().err
    assert (out / "2023" / "data" / "index_scores.csv").is_file()
