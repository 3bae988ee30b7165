"""The chapter notebooks are the chapters' recipes (issue 16).

Structure (every notebook, no execution): the parameters cell first; a Markdown cell before every
step that makes a table or a figure; every table and figure the chapter module lists is made in the
notebook; no cell over 15 lines; no call that makes the whole chapter at once; the bundle written
last.

Execution (one chapter through papermill, as the build runs it, with the HTML copy): Table 5 is
shown as a styled table with its caption, Figures 5–10 as PNG and SVG figure outputs, the narrative
as Markdown in both languages; the HTML copy has a table of contents and folded code and none of
the bundle's internals. The other chapters run in-process in the PDF fixtures (``recipe.build``
executes this same notebook code) and through papermill in the build tests.
"""
from __future__ import annotations

import ast
import re
from urllib.parse import quote

import nbformat
import pytest

from gihi.pipeline.execute import execute_chapter, notebook_toc
from gihi.report.bundle import bundle_dir, read_bundle
from gihi.report.chapters import CHAPTERS, chapter_module
from gihi.report.recipe import NOTEBOOKS

PARAMETERS = ["year", "data_dir", "output_dir", "lang", "edition_store"]
MAX_LINES = 15
#: calls that would make a whole chapter out of sight
WHOLE_CHAPTER = re.compile(r"\b(build|execute_chapter|execute_notebook|run_chapter)\s*\(")
STEP = re.compile(r"\bbook\.(table|figure)\(\s*\"([a-z0-9_]+)\"")


def notebook(chapter: str):
    return nbformat.read(NOTEBOOKS / f"{chapter}.ipynb", as_version=4)


def steps(nb) -> list[tuple[int, str, str]]:
    """``(cell index, kind, id)`` of every ``book.table``/``book.figure`` call."""
    return [(i, kind, id_) for i, c in enumerate(nb.cells) if c.cell_type == "code"
            for kind, id_ in STEP.findall(c.source)]


@pytest.mark.parametrize("chapter", list(CHAPTERS))
def test_parameters_cell_comes_first(chapter):
    first = notebook(chapter).cells[0]
    assert first.cell_type == "code" and "parameters" in first.metadata.get("tags", [])
    assigned = [t.id for n in ast.parse(first.source).body if isinstance(n, ast.Assign) for t in n.targets]
    assert assigned == PARAMETERS


@pytest.mark.parametrize("chapter", list(CHAPTERS))
def test_a_markdown_cell_introduces_every_table_and_figure(chapter):
    nb = notebook(chapter)
    found = steps(nb)
    assert found, "the notebook makes no table or figure"
    for i, kind, id_ in found:
        before = nb.cells[i - 1]
        assert before.cell_type == "markdown" and before.source.strip(), f"{kind} {id_}: no Markdown cell before it"
        assert re.search(r"^#{2,4} \S", before.source, re.M), f"{kind} {id_}: its Markdown cell has no heading"


@pytest.mark.parametrize("chapter", list(CHAPTERS))
def test_every_table_and_figure_of_the_chapter_is_made_in_the_open(chapter):
    mod = chapter_module(chapter)
    made = {(kind, id_) for _, kind, id_ in steps(notebook(chapter))}
    expected = {("table", t) for t in mod.TABLES} | {("figure", f) for f in mod.FIGURES}
    assert expected - made == set(), "listed by the chapter module but not made in the notebook"
    assert made - expected == set(), "made in the notebook but not listed by the chapter module"


@pytest.mark.parametrize("chapter", list(CHAPTERS))
def test_cells_are_short_and_compose_calls(chapter):
    nb = notebook(chapter)
    for i, c in enumerate(nb.cells):
        if c.cell_type != "code":
            continue
        lines = c.source.strip().splitlines()
        assert len(lines) <= MAX_LINES, f"cell {i}: {len(lines)} lines (at most {MAX_LINES})"
        assert not WHOLE_CHAPTER.search(c.source), f"cell {i} makes the whole chapter at once: {c.source[:80]}"
        tree = ast.parse(c.source)   # composing calls: no functions, classes or loops defined here
        assert not [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.For, ast.While))], \
            f"cell {i} holds logic; it belongs in gihi, with a test"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "Recipe.start(" in code[1].source, "the edition is opened right after the parameters"
    assert code[-1].source.strip().splitlines()[-1].startswith("book.write("), "the bundle is written last"


def test_the_table_of_contents_lists_the_notebooks_headings():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# 科学中心 · Science centre\n\ntext"),
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_markdown_cell("## The `ranking`\n\n#### too deep\n\n```\n# not a heading\n```")])
    assert notebook_toc(nb) == [(1, quote("科学中心-·-Science-centre"), "科学中心 · Science centre"),
                                (2, "The-ranking", "The ranking")]


# --------------------------------------------------------------------------- one chapter executed

@pytest.fixture(scope="module")
def science(tmp_path_factory):
    out = tmp_path_factory.mktemp("nb")
    path = execute_chapter("02_science", 2023, None, out, lang="bi", html=True)
    return out, nbformat.read(path, as_version=4), path.with_suffix(".html").read_text(encoding="utf-8")


def outputs_after(nb, pattern: str) -> list[dict]:
    cells = [c for c in nb.cells if c.cell_type == "code" and re.search(pattern, c.source)]
    assert len(cells) == 1, pattern
    return cells[0].outputs


@pytest.mark.e2e
@pytest.mark.slow
def test_science_notebook_shows_its_tables_and_figures_natively(science):
    out, nb, _ = science
    for i, c in enumerate(nb.cells):
        for o in c.get("outputs", []):
            assert o.output_type != "error" and o.get("name") != "stderr", f"cell {i}: {o}"
    table = outputs_after(nb, r'book\.table\("table05"')
    assert len(table) == 1 and table[0].output_type == "execute_result"
    shown = table[0].data["text/html"]
    assert "<table" in shown and "Table 5. Science Centre" in shown and "表5" in shown
    assert "New York" in shown and "纽约" in shown
    assert "[table" not in table[0].data["text/plain"]
    for n in range(5, 11):
        fig = outputs_after(nb, rf'book\.figure\("fig{n:02d}"')
        assert len(fig) == 1 and {"image/png", "image/svg+xml"} <= set(fig[0].data), f"fig{n:02d}"
        assert fig[0].data["image/svg+xml"].lstrip().startswith(("<?xml", "<svg"))
    narrative = outputs_after(nb, r'book\.section\("overview"')[0].data["text/markdown"]
    assert "New York" in narrative and "纽约" in narrative
    bundle = read_bundle(bundle_dir(out, 2023, "02_science"))
    assert {t.id for t in bundle.tables} >= {"table05", "table06"}
    assert {f.id for f in bundle.figures} == {f"fig{n:02d}" for n in range(5, 11)}


@pytest.mark.e2e
@pytest.mark.slow
def test_science_html_copy_reads_comfortably(science):
    _, nb, page = science
    assert re.search(r'<nav [^>]*class="gihi-toc"', page)
    for level, anchor, text in notebook_toc(nb):
        assert f'href="#{anchor}"' in page and f'id="{anchor}"' in page, text
    n_code = sum(c.cell_type == "code" for c in nb.cells)
    assert page.count('<details class="gihi-code">') == n_code
    assert "[table " not in page and "[figure " not in page
    assert "Table 5. Science Centre" in page and "表5" in page
