"""The chapter bundle: write / read round trip, determinism, validation with located errors."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pandas as pd
import pytest

from gihi.report.bundle import (SCHEMA, Bundle, BundleError, Column, Figure, Section, Table, bundle_dir, read_bundle,
                         schema_errors, validate_bundle, write_bundle)

BI = {"zh": "标题", "en": "Title"}
PROV = {"reconstruction": True, "note": {"zh": "重建数据。", "en": "Reconstructed data."},
        "scopes": [{"id": "indicators", "label": {"zh": "指标", "en": "Indicators"}, "source": "2023/indicators.csv",
                    "expected": 10, "published": 2, "derived": 3, "imputed": 4, "missing": 1}]}


def make_bundle(tmp_path: Path) -> Bundle:
    src = tmp_path / "src"
    src.mkdir(exist_ok=True)
    (src / "f.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8")
    (src / "f.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    frame = pd.DataFrame({"rank": [1, 2], "name_zh": ["北京", "上海"], "name_en": ["Beijing", "Shanghai"],
                          "score": [100.0, 88.123456789], "change": pd.array([3, None], dtype="Int64")})
    cols = [Column("rank", "排名", "Rank", "rank"), Column("name_zh", "城市", "City", "text", "zh"),
            Column("name_en", "城市", "City", "text", "en"), Column("score", "得分", "Score", "score"),
            Column("change", "变化", "Change", "change")]
    return Bundle(chapter="99_demo", year=2023, title=BI,
                  sections=[Section("lead", BI, {"zh": "<p>北京</p>", "en": "<p>Beijing</p>"})],
                  tables=[Table.from_frame("table02", {"zh": "表2", "en": "Table 2"}, frame, cols)],
                  figures=[Figure("fig02", {"zh": "图2", "en": "Figure 2"}, src / "f.svg", src / "f.png")],
                  provenance=copy.deepcopy(PROV))


def test_write_read_round_trip(tmp_path):
    b = make_bundle(tmp_path)
    out = bundle_dir(tmp_path / "output", 2023, "99_demo")
    path = write_bundle(b, out)
    assert path == out / "bundle.json"
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == [
        "bundle.json", "figures/fig02.png", "figures/fig02.svg", "tables/table02.csv"]
    assert (out / "tables" / "table02.csv").read_text(encoding="utf-8") == (
        "rank,name_zh,name_en,score,change\n1,北京,Beijing,100.0,3\n2,上海,Shanghai,88.1235,\n")
    r = read_bundle(out)
    assert r.chapter == "99_demo" and r.title == BI and r.directory == out
    f = r.table("table02").frame()
    assert f.drop(columns="change").to_dict("list") == {
        "rank": [1, 2], "name_zh": ["北京", "上海"], "name_en": ["Beijing", "Shanghai"], "score": [100.0, 88.1235]}
    assert str(f["change"].dtype) == "Int64" and f["change"].iloc[0] == 3 and f["change"].isna().iloc[1]
    assert r.path(r.figure("fig02").svg).read_text(encoding="utf-8").startswith("<svg")
    assert r.section("lead").narrative["en"] == "<p>Beijing</p>"
    assert r.provenance == PROV
    with pytest.raises(KeyError, match="no table 'nope'"):
        r.table("nope")


def test_writing_twice_is_byte_identical(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    write_bundle(make_bundle(tmp_path), a)
    write_bundle(make_bundle(tmp_path), b)
    for f in ("bundle.json", "tables/table02.csv", "figures/fig02.svg"):
        assert (a / f).read_bytes() == (b / f).read_bytes()


def test_write_replaces_the_directory_and_leaves_it_on_error(tmp_path):
    out = tmp_path / "out"
    write_bundle(make_bundle(tmp_path), out)
    (out / "stale.txt").write_text("x")
    write_bundle(make_bundle(tmp_path), out)
    assert not (out / "stale.txt").exists()
    bad = make_bundle(tmp_path)
    bad.title = {"zh": "标题", "en": ""}
    with pytest.raises(BundleError):
        write_bundle(bad, out)
    assert read_bundle(out).title == BI  # previous bundle intact


def _dict(tmp_path) -> dict:
    return make_bundle(tmp_path).to_dict()


def _problems(d) -> list[str]:
    with pytest.raises(BundleError) as e:
        validate_bundle(d)
    return e.value.problems


def test_missing_translation_names_the_key(tmp_path):
    d = _dict(tmp_path)
    del d["tables"][0]["columns"][3]["en"]
    d["figures"][0]["caption"]["zh"] = ""
    del d["sections"][0]["narrative"]["en"]
    problems = _problems(d)
    assert "tables[table02].columns[score]: missing en translation" in problems
    assert "figures[fig02].caption: missing zh translation (empty text)" in problems
    assert "sections[lead].narrative: missing en translation" in problems


def test_structural_problems_are_located(tmp_path):
    d = _dict(tmp_path)
    d["tables"][0]["rows"][1] = {"rank": 2, "nom": "x"}
    d["tables"].append(copy.deepcopy(d["tables"][0]))
    d["provenance"]["scopes"][0]["missing"] = 5
    d["year"] = "2023"
    d["extra"] = 1
    problems = _problems(d)
    assert any(p.startswith("tables[table02].rows[1]: unknown key(s) ['nom']; missing key(s)") for p in problems)
    assert "tables[table02]: duplicated id" in problems
    assert any(p.startswith("provenance.scopes[indicators]: published + derived + imputed + missing = 14") for p in problems)
    assert any(p.startswith("year: '2023' is not of type") for p in problems)
    assert any("additional property 'extra'" in p for p in problems)


def test_files_are_checked_in_a_directory(tmp_path):
    out = tmp_path / "out"
    write_bundle(make_bundle(tmp_path), out)
    (out / "figures" / "fig02.png").unlink()
    (out / "tables" / "table02.csv").write_text("rank,name\n1,x\n", encoding="utf-8")
    with pytest.raises(BundleError) as e:
        validate_bundle(out)
    msg = str(e.value)
    assert "figures[fig02].png: file figures/fig02.png not found" in msg
    assert "tables[table02].source: CSV header ['rank', 'name'] differs" in msg
    assert "CSV has 1 rows, bundle.json 2" in msg
    with pytest.raises(BundleError, match="no such file"):
        validate_bundle(tmp_path / "nowhere")


def test_schema_is_valid_and_builtin_validator_agrees_with_jsonschema(tmp_path):
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    good = _dict(tmp_path)
    v = jsonschema.Draft202012Validator(SCHEMA)
    assert list(v.iter_errors(good)) == [] and schema_errors(good, SCHEMA) == []
    breakages = [
        lambda d: d["title"].pop("en"),
        lambda d: d.__setitem__("schema_version", "0.9"),
        lambda d: d["tables"][0]["columns"][0].__setitem__("format", "currency"),
        lambda d: d["figures"][0].__setitem__("svg", "figures/fig02.pdf"),
        lambda d: d["provenance"]["scopes"][0].__setitem__("imputed", -1),
        lambda d: d["tables"][0]["rows"][0].__setitem__("rank", [1]),
        lambda d: d["sections"][0].__setitem__("id", "Bad Id"),
        lambda d: d["provenance"].__setitem__("scopes", []),
        lambda d: d.__setitem__("year", 1999),
    ]
    for breakage in breakages:
        d = copy.deepcopy(good)
        breakage(d)
        theirs = sorted((tuple(e.absolute_path), e.validator) for e in v.iter_errors(d))
        ours = sorted((p, k) for p, k, _, _ in schema_errors(d, SCHEMA))
        assert theirs and theirs == ours


def test_chapter_bundle_without_figures_validates(real_edition, tmp_path):
    from gihi.report.recipe import build
    b = build("07_methods", real_edition, tmp_path, figures=False)
    d = validate_bundle(bundle_dir(tmp_path, 2023, "07_methods"))
    assert d["provenance"]["reconstruction"] is True
    assert {t["id"] for t in d["tables"]} >= {"table01", "appendix2", "provenance_overall", "provenance_indicators"}
    assert json.loads((b.directory / "bundle.json").read_text(encoding="utf-8"))["chapter"] == "07_methods"
