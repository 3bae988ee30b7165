"""Loaders of the focus-chapter data: the real 2023 files load, and bad input raises a ValueError
that names the file, the row and the column."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from gihi.model import focus_data as fd
from gihi.core.errors import DataError

DATA = Path(__file__).resolve().parents[1] / "data"


# --- the real files ----------------------------------------------------------------------------

def test_real_files_load():
    papers = fd.load_disciplines(DATA, 2023)
    assert list(papers.columns) == ["id", "discipline", "year", "papers", "hcp", "provenance"]
    assert len(papers) == 119 * 22 * 10 and papers["papers"].dtype == "int64"
    pat = fd.load_ai_patents(DATA, 2023)
    assert list(pat.columns) == ["id", "year", "valid", "pct", "triadic", "hq", "provenance"]
    assert len(pat) == 119 * 20
    assert set(fd.load_ipc(DATA, 2023)["ipc"]) == set(fd.load_ipc_groups(DATA)["code"])
    assert len(fd.load_ipc_universe(DATA, 2023)) == 30 and len(fd.load_ipc_by_year(DATA, 2023)) == 30 * 20
    assert fd.load_ai_universe(DATA, 2023)["hq_patents"] == 118764
    assert len(fd.load_applicants(DATA, 2023)) == 28


def test_provenance_values():
    assert set(fd.load_disciplines(DATA, 2023)["provenance"]) == {"imputed"}
    assert set(fd.load_ai_patents(DATA, 2023)["provenance"]) == {"imputed"}
    assert set(fd.load_ipc_universe(DATA, 2023)["provenance"]) == {"published"}
    assert set(fd.load_applicants(DATA, 2023)["provenance"]) == {"published"}


def test_data_files_compact():
    files = list((DATA / "2023" / "disciplines").glob("*.csv")) + list((DATA / "2023" / "ai_patents").glob("*.csv"))
    assert sum(f.stat().st_size for f in files) < 5_000_000
    for f in files:
        raw = f.read_bytes()
        assert b"\r" not in raw and b".0," not in raw, f.name


def test_meta_tables():
    meta = fd.load_discipline_meta(DATA)
    assert list(meta.columns) == ["code", "name_zh", "name_en", "domain"]
    groups = fd.load_ipc_groups(DATA)
    assert list(groups.columns) == ["code", "label_zh", "label_en", "field_group", "field_group_zh"]
    assert groups.groupby("field_group")["field_group_zh"].nunique().eq(1).all()
    assert dict(zip(groups.drop_duplicates("field_group")["field_group"], groups.drop_duplicates("field_group")["field_group_zh"])) == {
        "algorithms_compute": "人工智能算法算力", "computer_vision": "计算机视觉技术",
        "intelligent_control": "智能控制技术", "applications": "人工智能技术应用"}


# --- bad input -----------------------------------------------------------------------------------

@pytest.fixture()
def data_dir(tmp_path: Path) -> Path:
    (tmp_path / "meta").mkdir()
    for name in ("cities.csv", "disciplines.csv", "ipc_groups.csv"):
        shutil.copy(DATA / "meta" / name, tmp_path / "meta" / name)
    (tmp_path / "2023" / "disciplines").mkdir(parents=True)
    (tmp_path / "2023" / "ai_patents").mkdir(parents=True)
    return tmp_path


def write(data_dir: Path, rel: str, text: str) -> None:
    (data_dir / "2023" / rel).write_text(text, encoding="utf-8")


PAPERS_HEAD = "id,discipline,year,papers,hcp,provenance\n"


def raises(fn, *parts: str) -> fd.FocusDataError:
    with pytest.raises(ValueError) as info:
        fn()
    err = info.value
    assert isinstance(err, fd.FocusDataError) and isinstance(err, DataError)
    for p in parts:
        assert p in str(err), (p, str(err))
    return err


def test_valid_small_papers_file(data_dir):
    write(data_dir, "disciplines/papers.csv", PAPERS_HEAD + "beijing,30,2012,10,1,imputed\nboston,52,2013,5,0,published\n")
    p = fd.load_disciplines(data_dir, 2023)
    assert p["papers"].tolist() == [10, 5] and p["discipline"].tolist() == ["30", "52"]


def test_missing_file(data_dir):
    raises(lambda: fd.load_disciplines(data_dir, 2023), "2023/disciplines/papers.csv", "no file")


def test_missing_column(data_dir):
    write(data_dir, "disciplines/papers.csv", "id,discipline,year,papers,provenance\nbeijing,30,2012,10,imputed\n")
    raises(lambda: fd.load_disciplines(data_dir, 2023), "2023/disciplines/papers.csv", "column hcp", "no such column")


def test_negative_count(data_dir):
    write(data_dir, "disciplines/papers.csv", PAPERS_HEAD + "beijing,30,2012,10,1,imputed\nbeijing,31,2012,-3,0,imputed\n")
    raises(lambda: fd.load_disciplines(data_dir, 2023), "2023/disciplines/papers.csv, row 2, column papers", "'-3'",
           "non-negative integer")


def test_non_integer_and_empty_count(data_dir):
    write(data_dir, "disciplines/papers.csv", PAPERS_HEAD + "beijing,30,2012,1.5,1,imputed\nbeijing,31,2012,4,,imputed\n")
    err = raises(lambda: fd.load_disciplines(data_dir, 2023), "row 1, column papers", "row 2, column hcp")
    assert len(err.problems) == 2


def test_unknown_city_and_discipline(data_dir):
    write(data_dir, "disciplines/papers.csv", PAPERS_HEAD + "atlantis,30,2012,10,1,imputed\nbeijing,45,2012,10,1,imputed\n")
    err = raises(lambda: fd.load_disciplines(data_dir, 2023), "row 1, column id", "'atlantis'",
                 "row 2, column discipline", "'45'")
    assert [p.row for p in err.problems] == [1, 2]


def test_hcp_above_papers(data_dir):
    write(data_dir, "disciplines/papers.csv", PAPERS_HEAD + "beijing,30,2012,10,11,imputed\n")
    raises(lambda: fd.load_disciplines(data_dir, 2023), "row 1, column hcp", "at most papers")


def test_duplicate_key_and_bad_provenance(data_dir):
    write(data_dir, "disciplines/papers.csv", PAPERS_HEAD + "beijing,30,2012,10,1,imputed\nbeijing,30,2012,9,1,guessed\n")
    raises(lambda: fd.load_disciplines(data_dir, 2023), "row 2, column provenance", "'guessed'",
           "row 2, column id,discipline,year", "again")


def test_patents_bad_values(data_dir):
    write(data_dir, "ai_patents/patents_by_year.csv",
          "id,year,valid,pct,triadic,hq,provenance\ntokyo,2022,10,-1,0,3,imputed\nnowhere,2022,1,0,0,0,imputed\n")
    raises(lambda: fd.load_ai_patents(data_dir, 2023), "2023/ai_patents/patents_by_year.csv, row 1, column pct",
           "row 2, column id")


def test_ipc_unknown_code(data_dir):
    write(data_dir, "ai_patents/ipc.csv", "id,ipc,hq_patents,provenance\ntokyo,G06N-0003,5,imputed\ntokyo,G99X-0001,5,imputed\n")
    raises(lambda: fd.load_ipc(data_dir, 2023), "2023/ai_patents/ipc.csv, row 2, column ipc", "'G99X-0001'")
    write(data_dir, "ai_patents/ipc_universe.csv", "ipc,hq_patents,provenance\nG06N-0003,x,published\n")
    raises(lambda: fd.load_ipc_universe(data_dir, 2023), "ipc_universe.csv, row 1, column hq_patents")


def test_applicants_missing_column_and_negative(data_dir):
    write(data_dir, "ai_patents/applicants.csv", "id,applicant_zh,valid_patents,provenance\ntokyo,索尼,1746,published\n")
    raises(lambda: fd.load_applicants(data_dir, 2023), "applicants.csv", "column applicant_en")
    write(data_dir, "ai_patents/applicants.csv",
          "id,applicant_zh,applicant_en,valid_patents,provenance\ntokyo,索尼,Sony,-5,published\n")
    raises(lambda: fd.load_applicants(data_dir, 2023), "applicants.csv, row 1, column valid_patents")


def test_universe_and_trends(data_dir):
    write(data_dir, "ai_patents/universe.csv", "measure,value,provenance,note\nhq_patents,118764,published,x\n")
    assert fd.load_ai_universe(data_dir, 2023).to_dict() == {"hq_patents": 118764}
    write(data_dir, "ai_patents/ipc_by_year.csv", "ipc,year,hq_patents,provenance\nG06N-0003,20x2,5,imputed\n")
    raises(lambda: fd.load_ipc_by_year(data_dir, 2023), "row 1, column year")


def test_meta_domain_checked(data_dir):
    meta = pd.read_csv(data_dir / "meta" / "disciplines.csv", dtype=str)
    meta.loc[3, "domain"] = "ARTS"
    meta.to_csv(data_dir / "meta" / "disciplines.csv", index=False)
    raises(lambda: fd.load_discipline_meta(data_dir), "meta/disciplines.csv, row 4, column domain", "'ARTS'")
