"""Data downloads (gihi.publish.downloads): the workbook and its CSV copies.

Expected values come from the input CSVs read here with pandas and from the report's published
tables (data/2023/published/), never from the code under test.
"""
from __future__ import annotations

import csv
import re
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest

from gihi import open_edition
from gihi.publish import downloads
from gihi.report import i18n
from gihi.publish.downloads import write_downloads
from gihi.core.errors import DataError
from gihi.core.paths import DATA_DIR

YEAR = 2023
META = DATA_DIR / "meta"
OWN = DATA_DIR / str(YEAR) / "meta"          # the 2023 edition's own metadata (tree, indicators, cities)
PUB = DATA_DIR / str(YEAR) / "published"
SLUGS = ["readme", "scores", "indicators", "tree", "discipline_cities", "discipline_scores", "ai_patents",
         "ipc_hotfields"]
CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")


@pytest.fixture(scope="module")
def out(tmp_path_factory, real_edition):
    base = tmp_path_factory.mktemp("dl")
    first = write_downloads(real_edition, base / "a")
    again = write_downloads(real_edition, base / "a")                  # over an existing output
    return {"paths": first, "again": again, "dir": base / "a"}


@pytest.fixture(scope="module")
def book(out):
    return openpyxl.load_workbook(out["paths"][0])


def frame(ws) -> pd.DataFrame:
    values = list(ws.values)
    return pd.DataFrame(values[1:], columns=values[0])


def column(df: pd.DataFrame, *parts: str) -> str:
    """The one header containing every part."""
    hits = [c for c in df.columns if all(p in c for p in parts)]
    assert len(hits) == 1, (parts, hits)
    return hits[0]


def sheet(book, slug: str):
    zh, en = i18n.t(f"dl.sheet.{slug}", "zh"), i18n.t(f"dl.sheet.{slug}", "en")
    return book[f"{zh} {en}"]


def read_csv(path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


# --------------------------------------------------------------------------- files and bytes

def test_files_written(out):
    d = out["dir"]
    paths = out["paths"]
    assert paths[0] == d / f"GIHI-{YEAR}-data.xlsx"
    assert paths[1:] == [d / "downloads" / f"{s}.csv" for s in SLUGS]
    assert sorted(p.name for p in d.iterdir()) == ["GIHI-2023-data.xlsx", "downloads"]  # no temp files left
    assert sorted(p.name for p in (d / "downloads").iterdir()) == sorted(f"{s}.csv" for s in SLUGS)
    for p in paths[1:]:
        assert p.read_bytes().startswith(b"\xef\xbb\xbf")   # BOM for Excel


def test_reruns_are_byte_identical(out):
    for a, b in zip(out["paths"], out["again"]):
        assert a.read_bytes() == b.read_bytes(), a.name


@pytest.mark.e2e   # a second edition opened and computed whole: a data stage
def test_another_edition_of_the_same_files_writes_the_same_bytes(out, tmp_path):
    other = write_downloads(open_edition(YEAR), tmp_path)
    for a, c in zip(out["paths"], other):
        assert a.read_bytes() == c.read_bytes(), a.name


def test_zip_is_normalised(out):
    with zipfile.ZipFile(out["paths"][0]) as z:
        infos = z.infolist()
        core = z.read("docProps/core.xml").decode()
    names = [i.filename for i in infos]
    assert names == sorted(names) and names[0] == "[Content_Types].xml"
    assert {i.date_time for i in infos} == {(YEAR, 1, 1, 0, 0, 0)}
    assert {i.compress_type for i in infos} == {zipfile.ZIP_DEFLATED}
    assert "<dcterms:created" in core and core.count(f"{YEAR}-01-01T00:00:00Z") == 2


def test_invalid_input_gives_no_edition(tmp_path):
    """Downloads are written from an edition; invalid data never make one (nothing to write with)."""
    data = tmp_path / "data"
    (data / str(YEAR)).mkdir(parents=True)
    (data / "meta").symlink_to(META, target_is_directory=True)
    (data / str(YEAR) / "meta").symlink_to(OWN, target_is_directory=True)
    (data / "gii").symlink_to(DATA_DIR / "gii", target_is_directory=True)     # edition.yaml names a GII edition
    src = (DATA_DIR / str(YEAR) / "indicators.csv").read_text(encoding="utf-8").splitlines()
    first = src[1].split(",")
    first[2] = "not-a-number"
    src[1] = ",".join(first)
    (data / str(YEAR) / "indicators.csv").write_text("\n".join(src) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as e:
        open_edition(YEAR, data)
    assert [(p.file, p.row, p.column) for p in e.value.problems] == [(f"{YEAR}/indicators.csv", 1, "value")]


def test_failure_half_way_leaves_outputs_untouched(tmp_path, real_edition, monkeypatch):
    out = tmp_path / "out"
    (out / "downloads").mkdir(parents=True)
    (out / f"GIHI-{YEAR}-data.xlsx").write_bytes(b"old")
    (out / "downloads" / "scores.csv").write_bytes(b"old")
    real, calls = downloads.csv_bytes, []

    def fail_at_the_third(sheet):
        calls.append(sheet.slug)
        if len(calls) == 3:
            raise RuntimeError("failed half-way")
        return real(sheet)

    monkeypatch.setattr(downloads, "csv_bytes", fail_at_the_third)
    with pytest.raises(RuntimeError, match="half-way"):
        write_downloads(real_edition, out)
    assert len(calls) == 3
    assert (out / f"GIHI-{YEAR}-data.xlsx").read_bytes() == b"old"
    assert [p.name for p in (out / "downloads").iterdir()] == ["scores.csv"]
    assert (out / "downloads" / "scores.csv").read_bytes() == b"old"
    assert sorted(p.name for p in out.iterdir()) == ["GIHI-2023-data.xlsx", "downloads"]   # no temporary left


def test_a_synthetic_edition_has_the_same_sheets(synthetic, tmp_path):
    """The workbook of another edition (tests/factory.py): the same sheets, its own year and rows."""
    import factory as F
    paths = write_downloads(synthetic, tmp_path)
    assert paths[0] == tmp_path / f"GIHI-{F.YEAR}-data.xlsx" and [p.name for p in paths[1:]] == [f"{s}.csv" for s in SLUGS]
    book = openpyxl.load_workbook(paths[0])
    scores = frame(sheet(book, "scores"))
    assert len(scores) == 13 and scores[column(scores, "Group")].tolist() == ["main"] * 10 + ["mini"] * 3
    assert len(frame(sheet(book, "indicators"))) == 13 * len(F.CODES)
    tree = frame(sheet(book, "tree"))
    assert tree.iloc[:, 0].value_counts().to_dict() == {"indicator": 9, "subpillar": 6, "pillar": 3}
    with zipfile.ZipFile(paths[0]) as z:
        assert {i.date_time for i in z.infolist()} == {(F.YEAR, 1, 1, 0, 0, 0)}


# --------------------------------------------------------------------------- layout

def test_sheets_headers_bilingual(book):
    assert len(book.sheetnames) == len(SLUGS)
    for ws in book.worksheets:
        assert CJK.search(ws.title) and LATIN.search(ws.title) and len(ws.title) <= 31
        header = [c.value for c in ws[1]]
        assert header and all(isinstance(h, str) and " / " in h and CJK.search(h) and LATIN.search(h)
                              for h in header), (ws.title, header)
        assert len(set(header)) == len(header)


def test_freeze_panes_and_widths(book):
    for ws in book.worksheets:
        assert ws.freeze_panes is not None, ws.title
        assert openpyxl.utils.cell.coordinate_from_string(ws.freeze_panes)[1] == 2, ws.title  # header row frozen
        for j in range(1, ws.max_column + 1):
            width = ws.column_dimensions[openpyxl.utils.get_column_letter(j)].width
            assert 6 <= width <= 80, (ws.title, j, width)


def _formats(ws, header_parts) -> set[str]:
    header = [c.value for c in ws[1]]
    j = [k for k, h in enumerate(header) if all(p in h for p in header_parts)]
    assert len(j) == 1, header_parts
    return {row[j[0]].number_format for row in ws.iter_rows(min_row=2)}


def test_number_formats(book):
    scores = sheet(book, "scores")
    assert _formats(scores, ["综合得分", "Composite score"]) == {"0.00"}
    assert _formats(scores, ["综合排名", "Composite rank"]) == {"0"}
    assert _formats(scores, ["A1 ", "score"]) == {"0.00"}
    assert _formats(scores, ["C4 ", "rank"]) == {"0"}
    tree = sheet(book, "tree")
    assert _formats(tree, ["Weight in the index"]) == {"0.0000"}
    assert _formats(sheet(book, "discipline_cities"), ["发文总量 / Papers"]) == {"#,##0"}
    assert _formats(sheet(book, "ai_patents"), ["有效发明专利 / Valid patents"]) == {"#,##0"}
    assert _formats(sheet(book, "ipc_hotfields"), ["(%)"]) == {"0.00"}
    # raw values: whole-number format for the count indicators (meta kind = count), decimals otherwise
    ws = sheet(book, "indicators")
    kinds = pd.read_csv(OWN / "indicators.csv").set_index("code")["kind"]
    header = [c.value for c in ws[1]]
    jc, jv = header.index("三级指标代码 / Indicator"), header.index("数值 / Value")
    seen = {}
    for row in ws.iter_rows(min_row=2):
        seen.setdefault(row[jc].value, set()).add(row[jv].number_format)
    for code, fmts in seen.items():
        assert fmts == ({"#,##0"} if kinds[code] == "count" else {"#,##0.00##"}), code


# --------------------------------------------------------------------------- content

def _ids_by_name() -> dict[str, str]:
    cities = pd.read_csv(OWN / "cities.csv")
    aliases = pd.read_csv(META / "city_aliases.csv")
    return {**dict(zip(cities["name_zh"], cities["id"])), **dict(zip(aliases["alias"], aliases["city_id"]))}


@pytest.mark.parametrize("table", ["composite", "mini", "science", "highland", "ecosystem"])
def test_scores_equal_published(book, table):
    df = frame(sheet(book, "scores")).set_index(column(frame(sheet(book, "scores")), "Id"))
    pub = pd.read_csv(PUB / f"{table}.csv")
    pub.index = pub["name_zh"].map(_ids_by_name())
    assert pub.index.notna().all()
    group = "mini" if table == "mini" else "main"
    assert (df.loc[pub.index, column(df, "Group")] == group).all()
    levels = [c for c in pub.columns if re.fullmatch(r"composite|[ABC]\d?", c)]
    checked = 0
    for level in levels:
        score = column(df, "综合得分") if level == "composite" else column(df, f"{level} ", "score")
        got = df.loc[pub.index, score].astype(float)
        ok = pub[level].notna()
        assert (got[ok] - pub.loc[ok, level]).abs().max() <= 0.01, level
        checked += int(ok.sum())
        rank_col = f"{level}_rank" if f"{level}_rank" in pub.columns else ("rank" if level in "ABC" else None)
        if rank_col and level in ("composite", "A", "B", "C"):
            rank = column(df, "综合排名") if level == "composite" else column(df, f"{level} ", "rank")
            r = pub[rank_col].notna()
            assert (df.loc[pub.index[r], rank].astype(int).to_numpy() == pub.loc[r, rank_col].astype(int).to_numpy()).all()
    assert checked >= len(pub)


def test_scores_order_and_names(book):
    df = frame(sheet(book, "scores"))
    cities = pd.read_csv(OWN / "cities.csv").set_index("id")
    ids = df[column(df, "Id")]
    assert len(df) == len(cities) and set(ids) == set(cities.index)
    assert (df[column(df, "Name (Chinese)")].to_numpy() == cities.loc[ids, "name_zh"].to_numpy()).all()
    assert (df[column(df, "Name (English)")].to_numpy() == cities.loc[ids, "name_en"].to_numpy()).all()
    groups = df[column(df, "Group")].tolist()
    assert groups == ["main"] * groups.count("main") + ["mini"] * groups.count("mini")
    for g in ("main", "mini"):
        sub = df[df[column(df, "Group")] == g]
        r = sub[column(df, "综合排名")].astype(int)
        assert r.iloc[0] == 1 and r.is_monotonic_increasing
        assert sub[column(df, "综合得分")].max() == 100 and sub[column(df, "综合得分")].min() == 60


def test_raw_values_and_provenance(book):
    df = frame(sheet(book, "indicators"))
    df.columns = ["id", "name_zh", "name_en", "code", "ind_zh", "ind_en", "value", "unit_zh", "unit_en", "provenance"]
    src = pd.read_csv(DATA_DIR / str(YEAR) / "indicators.csv")
    meta = pd.read_csv(OWN / "indicators.csv").set_index("code")
    assert len(df) == len(src) == 119 * 30
    m = src.merge(df, on=["id", "code"], how="outer", suffixes=("_src", ""), indicator=True)
    assert (m["_merge"] == "both").all()
    a, b = m["value_src"].to_numpy(float), m["value"].astype(float).to_numpy()
    assert np.array_equal(a, b, equal_nan=True)
    assert (m["provenance_src"] == m["provenance"]).all()
    assert (m["unit_zh"].to_numpy() == meta.loc[m["code"], "unit_zh"].to_numpy()).all()
    assert (m["unit_en"].to_numpy() == meta.loc[m["code"], "unit_en"].to_numpy()).all()
    assert (m["ind_en"].to_numpy() == meta.loc[m["code"], "name_en"].to_numpy()).all()
    assert set(df["provenance"]) <= {"published", "derived", "imputed", "missing"}


def test_tree_weights(book):
    df = frame(sheet(book, "tree"))
    df.columns = ["level", "code", "parent", "name_zh", "name_en", "w_parent", "w_comp", *df.columns[7:]]
    tree = pd.read_csv(OWN / "tree.csv")
    ind = pd.read_csv(OWN / "indicators.csv")
    pw = tree[tree["level"] == "pillar"].set_index("code")["weight"]
    pw = pw / pw.sum()
    subs = tree[tree["level"] == "subpillar"].set_index("code")
    sw = subs["weight"] / subs.groupby("parent")["weight"].transform("sum")
    iw = ind.set_index("code")["weight"] / ind.groupby("subpillar")["weight"].transform("sum").to_numpy()
    expect = {p: (pw[p], pw[p]) for p in pw.index}
    expect |= {s: (sw[s], sw[s] * pw[subs.at[s, "parent"]]) for s in sw.index}
    for r in ind.itertuples():
        expect[r.code] = (iw[r.code], iw[r.code] * expect[r.subpillar][1])
    assert set(df["code"]) == set(expect)
    for r in df.itertuples():
        assert abs(r.w_parent - expect[r.code][0]) < 1e-6 and abs(r.w_comp - expect[r.code][1]) < 1e-6, r.code
    assert abs(df.loc[df["level"] == "indicator", "w_comp"].sum() - 1) < 1e-5
    assert df["level"].value_counts().to_dict() == {"indicator": 30, "subpillar": 12, "pillar": 3}


def test_focus_tables(book):
    y = DATA_DIR / str(YEAR)
    pat = pd.read_csv(y / "ai_patents" / "patents_by_year.csv").groupby("id")["valid"].sum()
    ai = frame(sheet(book, "ai_patents"))
    got = ai.set_index(column(ai, "Id"))["有效发明专利 / Valid patents"]
    assert (got.reindex(pat.index).fillna(0).astype(int) == pat).all() and got.drop(pat.index).eq(0).all()
    assert got.is_monotonic_decreasing

    uni = pd.read_csv(y / "ai_patents" / "ipc_universe.csv").sort_values("hq_patents", ascending=False).head(30)
    hot = frame(sheet(book, "ipc_hotfields"))
    assert hot[column(hot, "IPC group")].tolist() == uni["ipc"].tolist()
    assert hot[column(hot, "High-quality")].tolist() == uni["hq_patents"].tolist()

    hcp = pd.read_csv(y / "disciplines" / "papers.csv").groupby(["id", "discipline"])["hcp"].sum()
    ds = frame(sheet(book, "discipline_scores"))
    key = list(zip(ds[column(ds, "Id")], ds[column(ds, "FoR code")].astype(int)))
    assert len(ds) == 119 * 22
    assert (ds[column(ds, "Highly cited")].to_numpy() == hcp.reindex(key, fill_value=0).to_numpy()).all()
    top = ds.groupby(column(ds, "FoR code"))[column(ds, "Discipline-hub score")].agg(["min", "max"])
    assert (top["max"] == 100).all() and (top["min"] == 60).all()

    dc = frame(sheet(book, "discipline_cities"))
    assert dc[column(dc, "Superstar")].map(type).eq(bool).all()


def test_csv_equals_sheets(out, book):
    for slug, path in zip(SLUGS, out["paths"][1:]):
        ws = sheet(book, slug)
        text = read_csv(path)
        cells = list(ws.values)
        assert len(text) == len(cells), slug
        for t_row, x_row in zip(text, cells):
            assert len(t_row) == len(x_row), slug
            for t, x in zip(t_row, x_row):
                if x is None:
                    assert t == "", (slug, t)
                elif isinstance(x, bool):
                    assert t == ("TRUE" if x else "FALSE")
                elif isinstance(x, (int, float)):
                    assert float(t) == x, (slug, t, x)
                else:
                    assert t == x, slug


def test_readme_notice(book):
    ws = sheet(book, "readme")
    text = "\n".join(str(v) for row in ws.values for v in row if v is not None)
    src = pd.read_csv(DATA_DIR / str(YEAR) / "indicators.csv")
    assert src["provenance"].isin(["derived", "imputed"]).any()      # so the data are a reconstruction
    assert "本期数据为重建数据" in text and "are a reconstruction" in text
    assert "国际科技创新中心指数2023" in text and "Global Innovation Hubs Index 2023" in text
    n = src["provenance"].value_counts()
    assert f"报告公布{n['published']}项，推算{n['derived']}项，估计{n['imputed']}项" in text
    assert "Derwent Innovation" in text and "Dimensions" in text
    # every column of every data sheet is explained in the legend
    legend = [row for row in ws.values if row[0] and row[0].startswith("列说明")]
    for other in book.worksheets[1:]:
        headers = [c.value for c in other[1]]
        zh = {row[2].split("：")[0] for row in legend if row[1] == other.title}
        assert zh == {h.split(" / ")[0] for h in headers}, other.title


def test_strings_file():
    path = META / "strings.d" / "downloads.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert rows and all(r["key"].startswith("dl.") and r["zh"] and r["en"] for r in rows)
    for r in rows:
        assert not re.search(r"[\u4e00-\u9fff][,;:!?]|[,;:!?][\u4e00-\u9fff]", r["zh"]), r["key"]  # full-width
        assert not re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", r["zh"]), r["key"]
        assert not CJK.search(r["en"]), r["key"]
