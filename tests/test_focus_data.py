"""Focus-chapter data: the real 2023 files as the edition types them, and bad input.

Bad input is checked where an edition meets it — :func:`gihi.model.validate.check_inputs`, run by
``open_edition`` — on a synthetic edition (tests/factory.py, ``focus=True``) with one file
replaced: every problem names that file, the row and the column. The path loaders of
:mod:`gihi.model.focus_data` (kept for scripts and reconstruction/) must refuse the same input,
with a :class:`~gihi.model.focus_data.FocusDataError` (a ValueError and a DataError) naming the same
places.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

import factory as F
from gihi import open_edition
from gihi.core.errors import DataError
from gihi.model import focus_data as fd
from gihi.model.validate import check_inputs

DATA = Path(__file__).resolve().parents[1] / "data"
YEAR = F.YEAR


# --- the real files ----------------------------------------------------------------------------

def test_real_files_load(real_edition):
    papers = real_edition.disciplines.papers
    assert list(papers.columns) == ["id", "discipline", "year", "papers", "hcp", "provenance"]
    assert len(papers) == 119 * 22 * 10 and papers["papers"].dtype == "int64"
    a = real_edition.ai_patents
    assert list(a.patents.columns) == ["id", "year", "valid", "pct", "triadic", "hq", "provenance"]
    assert len(a.patents) == 119 * 20
    assert set(a.ipc["ipc"]) == set(a.ipc_groups["code"])
    assert len(a.ipc_universe) == 30 and len(a.ipc_by_year) == 30 * 20
    assert a.universe["hq_patents"] == 118764
    assert len(a.applicants) == 28


def test_provenance_values(real_edition):
    a = real_edition.ai_patents
    assert set(real_edition.disciplines.papers["provenance"]) == {"imputed"}
    assert set(a.patents["provenance"]) == {"imputed"}
    assert set(a.ipc_universe["provenance"]) == {"published"}
    assert set(a.applicants["provenance"]) == {"published"}


def test_data_files_compact():
    files = list((DATA / "2023" / "disciplines").glob("*.csv")) + list((DATA / "2023" / "ai_patents").glob("*.csv"))
    assert sum(f.stat().st_size for f in files) < 5_000_000
    for f in files:
        raw = f.read_bytes()
        assert b"\r" not in raw and b".0," not in raw, f.name


def test_meta_tables(real_edition):
    meta = real_edition.disciplines.meta
    assert list(meta.columns) == ["code", "name_zh", "name_en", "domain"]
    groups = real_edition.ai_patents.ipc_groups
    assert list(groups.columns) == ["code", "label_zh", "label_en", "field_group", "field_group_zh"]
    assert groups.groupby("field_group")["field_group_zh"].nunique().eq(1).all()
    assert dict(zip(groups.drop_duplicates("field_group")["field_group"], groups.drop_duplicates("field_group")["field_group_zh"])) == {
        "algorithms_compute": "人工智能算法算力", "computer_vision": "计算机视觉技术",
        "intelligent_control": "智能控制技术", "applications": "人工智能技术应用"}


def test_the_path_loaders_read_what_the_edition_has(real_edition):
    a, dd = real_edition.ai_patents, real_edition.disciplines
    pairs = [(fd.load_disciplines(DATA, 2023), dd.papers), (fd.load_discipline_meta(DATA), dd.meta),
             (fd.load_ai_patents(DATA, 2023), a.patents), (fd.load_ipc(DATA, 2023), a.ipc),
             (fd.load_ipc_universe(DATA, 2023), a.ipc_universe), (fd.load_ipc_by_year(DATA, 2023), a.ipc_by_year),
             (fd.load_applicants(DATA, 2023), a.applicants), (fd.load_ipc_groups(DATA), a.ipc_groups)]
    for loaded, typed in pairs:
        pd.testing.assert_frame_equal(loaded.reset_index(drop=True), typed)
    pd.testing.assert_series_equal(fd.load_ai_universe(DATA, 2023), a.universe)
    assert len(fd.load_focus_cities(DATA, 2023)) == 119


# --- bad input -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    """A valid synthetic edition with focus data (cities city-01…, disciplines 31, 40, 44, 47,
    IPC groups G06N-0003, G06K-0009, G05B-0013, publication years YEAR-5 … YEAR-1)."""
    root = F.make_data(tmp_path_factory.mktemp("focus") / "data", YEAR, focus=True, strings=False)
    assert check_inputs(root, YEAR).problems == []
    return root


@pytest.fixture()
def data_dir(base, tmp_path) -> Path:
    return Path(shutil.copytree(base, tmp_path / "data"))


def write(data_dir: Path, rel: str, text: str) -> None:
    (data_dir / str(YEAR) / rel).write_text(text, encoding="utf-8")


PAPERS_HEAD = "id,discipline,year,papers,hcp,provenance\n"
Y1, Y2 = YEAR - 4, YEAR - 3          # publication years inside the edition's period


def refused(data_dir: Path, rel: str, loader, *parts: str) -> list:
    """Validation's problems — all in ``rel`` and containing every part (open_edition raises
    them: tests/test_edition.py) — and the loader's error, naming the same places."""
    problems = check_inputs(data_dir, YEAR).problems
    assert problems, "no problem found"
    assert {p.file for p in problems} == {rel}, [str(p) for p in problems]
    text = "\n".join(str(p) for p in problems)
    for p in parts:
        assert p in text, (p, text)
    with pytest.raises(ValueError) as info:
        loader()
    err = info.value
    assert isinstance(err, fd.FocusDataError) and isinstance(err, DataError)
    for p in parts:
        assert p in str(err), (p, str(err))
    return problems


def test_valid_small_papers_file(data_dir):
    write(data_dir, "disciplines/papers.csv", PAPERS_HEAD + f"city-01,31,{Y1},10,1,imputed\ncity-02,40,{Y2},5,0,published\n")
    assert check_inputs(data_dir, YEAR).problems == []
    p = fd.load_disciplines(data_dir, YEAR)
    assert p["papers"].tolist() == [10, 5] and p["discipline"].tolist() == ["31", "40"]
    papers = open_edition(YEAR, data_dir).disciplines.papers
    assert papers["papers"].tolist() == [10, 5] and papers["year"].tolist() == [Y1, Y2]


def test_missing_file(data_dir):
    (data_dir / str(YEAR) / "disciplines" / "papers.csv").unlink()
    with pytest.raises(fd.FocusDataError, match=f"{YEAR}/disciplines/papers.csv: found no file"):
        fd.load_disciplines(data_dir, YEAR)
    assert check_inputs(data_dir, YEAR).problems == []   # an empty directory: no discipline data at all
    assert open_edition(YEAR, data_dir).disciplines is None
    (data_dir / str(YEAR) / "disciplines" / "notes.md").write_text("x", encoding="utf-8")
    assert [str(p) for p in check_inputs(data_dir, YEAR).problems] == [
        f"{YEAR}/disciplines/papers.csv: found no file; expected a CSV with columns id,discipline,year,papers,hcp,provenance"]
    (data_dir / str(YEAR) / "ai_patents" / "ipc.csv").unlink()
    assert [str(p) for p in check_inputs(data_dir, YEAR).problems][1:] == [
        f"{YEAR}/ai_patents/ipc.csv: found no file; expected a CSV with columns id,ipc,hq_patents,provenance"]


def test_missing_column(data_dir):
    write(data_dir, "disciplines/papers.csv", f"id,discipline,year,papers,provenance\ncity-01,31,{Y1},10,imputed\n")
    refused(data_dir, f"{YEAR}/disciplines/papers.csv", lambda: fd.load_disciplines(data_dir, YEAR),
            f"{YEAR}/disciplines/papers.csv", "column hcp", "no such column")


def test_negative_count(data_dir):
    write(data_dir, "disciplines/papers.csv", PAPERS_HEAD + f"city-01,31,{Y1},10,1,imputed\ncity-01,40,{Y1},-3,0,imputed\n")
    refused(data_dir, f"{YEAR}/disciplines/papers.csv", lambda: fd.load_disciplines(data_dir, YEAR),
            f"{YEAR}/disciplines/papers.csv, row 2, column papers", "'-3'", "non-negative integer")


def test_non_integer_and_empty_count(data_dir):
    write(data_dir, "disciplines/papers.csv", PAPERS_HEAD + f"city-01,31,{Y1},1.5,1,imputed\ncity-01,40,{Y1},4,,imputed\n")
    problems = refused(data_dir, f"{YEAR}/disciplines/papers.csv", lambda: fd.load_disciplines(data_dir, YEAR),
                       "row 1, column papers", "row 2, column hcp")
    assert len(problems) == 2
    with pytest.raises(fd.FocusDataError) as e:
        fd.load_disciplines(data_dir, YEAR)
    assert len(e.value.problems) == 2


def test_unknown_city_and_discipline(data_dir):
    write(data_dir, "disciplines/papers.csv", PAPERS_HEAD + f"atlantis,31,{Y1},10,1,imputed\ncity-01,45,{Y1},10,1,imputed\n")
    problems = refused(data_dir, f"{YEAR}/disciplines/papers.csv", lambda: fd.load_disciplines(data_dir, YEAR),
                       "row 1, column id", "'atlantis'", "row 2, column discipline", "'45'")
    assert [p.row for p in problems] == [1, 2]
    with pytest.raises(DataError) as e:                  # the edition is refused, for the same problems
        open_edition(YEAR, data_dir)
    assert e.value.problems == problems


def test_hcp_above_papers(data_dir):
    write(data_dir, "disciplines/papers.csv", PAPERS_HEAD + f"city-01,31,{Y1},10,11,imputed\n")
    refused(data_dir, f"{YEAR}/disciplines/papers.csv", lambda: fd.load_disciplines(data_dir, YEAR),
            "row 1, column hcp", "at most papers")


def test_duplicate_key_and_bad_provenance(data_dir):
    write(data_dir, "disciplines/papers.csv", PAPERS_HEAD + f"city-01,31,{Y1},10,1,imputed\ncity-01,31,{Y1},9,1,guessed\n")
    refused(data_dir, f"{YEAR}/disciplines/papers.csv", lambda: fd.load_disciplines(data_dir, YEAR),
            "row 2, column provenance", "'guessed'", "row 2, column id,discipline,year", "again")


def test_patents_bad_values(data_dir):
    write(data_dir, "ai_patents/patents_by_year.csv",
          f"id,year,valid,pct,triadic,hq,provenance\ncity-03,{Y2},10,-1,0,3,imputed\nnowhere,{Y2},1,0,0,0,imputed\n")
    refused(data_dir, f"{YEAR}/ai_patents/patents_by_year.csv", lambda: fd.load_ai_patents(data_dir, YEAR),
            f"{YEAR}/ai_patents/patents_by_year.csv, row 1, column pct", "row 2, column id")


def test_ipc_unknown_code(data_dir):
    write(data_dir, "ai_patents/ipc.csv", "id,ipc,hq_patents,provenance\ncity-03,G06N-0003,5,imputed\ncity-03,G99X-0001,5,imputed\n")
    refused(data_dir, f"{YEAR}/ai_patents/ipc.csv", lambda: fd.load_ipc(data_dir, YEAR),
            f"{YEAR}/ai_patents/ipc.csv, row 2, column ipc", "'G99X-0001'")


def test_ipc_universe_not_a_count(data_dir):
    write(data_dir, "ai_patents/ipc_universe.csv", "ipc,hq_patents,provenance\nG06N-0003,x,published\n")
    refused(data_dir, f"{YEAR}/ai_patents/ipc_universe.csv", lambda: fd.load_ipc_universe(data_dir, YEAR),
            "ipc_universe.csv, row 1, column hq_patents")


def test_applicants_missing_column_and_negative(data_dir):
    write(data_dir, "ai_patents/applicants.csv", "id,applicant_zh,valid_patents,provenance\ncity-03,索尼,1746,published\n")
    refused(data_dir, f"{YEAR}/ai_patents/applicants.csv", lambda: fd.load_applicants(data_dir, YEAR),
            "applicants.csv", "column applicant_en")
    write(data_dir, "ai_patents/applicants.csv",
          "id,applicant_zh,applicant_en,valid_patents,provenance\ncity-03,索尼,Sony,-5,published\n")
    refused(data_dir, f"{YEAR}/ai_patents/applicants.csv", lambda: fd.load_applicants(data_dir, YEAR),
            "applicants.csv, row 1, column valid_patents")


def test_universe_and_trends(data_dir):
    write(data_dir, "ai_patents/universe.csv", "measure,value,provenance,note\nhq_patents,118764,published,x\n")
    assert fd.load_ai_universe(data_dir, YEAR).to_dict() == {"hq_patents": 118764}
    # validation also wants the total of all AI patents (Appendix 9)
    assert [str(p) for p in check_inputs(data_dir, YEAR).problems] == [
        f"{YEAR}/ai_patents/universe.csv, column measure: found no row for ai_patents; "
        "expected rows for ai_patents, hq_patents (Appendix 9)"]
    write(data_dir, "ai_patents/universe.csv",
          "measure,value,provenance,note\nai_patents,500000,published,x\nhq_patents,118764,published,x\n")
    assert open_edition(YEAR, data_dir).ai_patents.universe.to_dict() == {"ai_patents": 500000, "hq_patents": 118764}
    write(data_dir, "ai_patents/ipc_by_year.csv", "ipc,year,hq_patents,provenance\nG06N-0003,20x2,5,imputed\n")
    refused(data_dir, f"{YEAR}/ai_patents/ipc_by_year.csv", lambda: fd.load_ipc_by_year(data_dir, YEAR),
            "row 1, column year")


def test_meta_domain_checked(data_dir):
    p = data_dir / "meta" / "disciplines.csv"
    meta = pd.read_csv(p, dtype=str)
    meta.loc[3, "domain"] = "ARTS"
    meta.to_csv(p, index=False)
    refused(data_dir, "meta/disciplines.csv", lambda: fd.load_discipline_meta(data_dir),
            "meta/disciplines.csv, row 4, column domain", "'ARTS'")
