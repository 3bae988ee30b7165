"""gihi.report.recipe: a chapter notebook's code, run in-process, writes the chapter's bundle; a
researcher's edit to one cell changes what follows it; the notebook opens the latest year by default."""
from __future__ import annotations

import shutil

import nbformat
import pytest

from gihi.report.bundle import bundle_dir, read_bundle
from gihi.report.recipe import NOTEBOOKS, Recipe, build, latest_year, session

CHAPTER = "02_science"


def table(out, year, id_):
    b = read_bundle(bundle_dir(out, year, CHAPTER))
    return next(t for t in b.tables if t.id == id_).frame()


@pytest.fixture(scope="module")
def plain(real_edition, tmp_path_factory):
    out = tmp_path_factory.mktemp("plain")
    return out, build(CHAPTER, real_edition, out, figures=False)


def test_build_runs_the_notebook_and_returns_its_bundle(plain, real_edition):
    out, b = plain
    assert b.chapter == CHAPTER and b.year == real_edition.year
    assert {t.id for t in b.tables} == {"table05", "table06"} and b.figures == []
    ranking = table(out, real_edition.year, "table05")
    top = real_edition.scores[real_edition.scores["group"] == "main"].sort_values("A_rank").head(len(ranking))
    assert list(ranking["name_en"]) == list(top["name_en"])


def test_an_edited_cell_changes_what_follows(plain, real_edition, tmp_path):
    """The README's example: another weight for a sub-pillar, set in a cell after the edition opens."""
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    nb = nbformat.read(NOTEBOOKS / f"{CHAPTER}.ipynb", as_version=4)
    opening = next(i for i, c in enumerate(nb.cells) if "Recipe.start(" in c.source)
    edit = nbformat.v4.new_code_cell('ed = ed.with_weights({"A1": 0.6})')
    edit.pop("id", None)   # the notebooks are nbformat 4.4 (no cell ids)
    nb.cells.insert(opening + 1, edit)
    nbformat.write(nb, notebooks / f"{CHAPTER}.ipynb")
    out = tmp_path / "out"
    build(CHAPTER, real_edition, out, figures=False, notebooks=notebooks)

    before, after = table(plain[0], real_edition.year, "table05"), table(out, real_edition.year, "table05")
    assert not before.equals(after)
    changed = real_edition.with_weights({"A1": 0.6}).scores
    expected = changed[changed["group"] == "main"].sort_values("A_rank").head(len(after))
    assert list(after["name_en"]) == list(expected["name_en"])
    gap = (after["A"].astype(float).to_numpy() - expected["A"].astype(float).to_numpy())
    assert abs(gap).max() < 1e-3   # the bundle's CSV keeps the printed precision


def test_build_names_a_notebook_that_writes_no_bundle(real_edition, tmp_path):
    nb = nbformat.read(NOTEBOOKS / f"{CHAPTER}.ipynb", as_version=4)
    nb.cells = [c for c in nb.cells if "book.write(" not in c.source]
    (tmp_path / "nb").mkdir()
    nbformat.write(nb, tmp_path / "nb" / f"{CHAPTER}.ipynb")
    with pytest.raises(RuntimeError, match=r"02_science\.ipynb wrote no bundle"):
        build(CHAPTER, real_edition, tmp_path / "out", figures=False, notebooks=tmp_path / "nb")
    assert not (tmp_path / "out").exists()


def test_start_uses_the_sessions_edition_and_the_latest_year(real_edition, tmp_path):
    with session(real_edition):
        ed, book = Recipe.start(CHAPTER, None, output_dir=tmp_path)
    assert ed is real_edition and book.chapter == CHAPTER
    (tmp_path / "data" / "2023").mkdir(parents=True)
    (tmp_path / "data" / "2031").mkdir()
    (tmp_path / "data" / "notes").mkdir()
    assert latest_year(tmp_path / "data") == 2031
    with pytest.raises(FileNotFoundError, match="no year directory"):
        latest_year(tmp_path / "empty")


def test_summary_and_write_show_bilingual_tables(real_edition, tmp_path):
    with session(real_edition, figures=False):
        _, book = Recipe.start(CHAPTER, real_edition.year, output_dir=tmp_path)
    text = repr(book.summary())
    assert "Cities (main list)" in text and "城市（主榜单）" in text and "Indicator values: imputed" in text
    assert "Indicators" in text and "三级指标" in text
