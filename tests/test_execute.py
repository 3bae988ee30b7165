"""gihi.pipeline.execute: the papermill pipeline (parameters, errors with chapter and cell, stderr,
scrubbing, HTML, byte-identical reruns) on small notebooks, and the kernel used. The tests that
execute a notebook in a kernel are marked ``e2e``."""
from __future__ import annotations

import ast
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

import gihi.pipeline.execute as ex

ROOT = Path(__file__).resolve().parents[1]


def _notebook(path: Path, *cells: str) -> None:
    nb = new_notebook(cells=[
        new_markdown_cell("# demo"),
        new_code_cell("year = 2000\nlang = 'bi'", metadata={"tags": ["parameters"]}),
        *[new_code_cell(c) for c in cells],
    ], metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    nbformat.write(nb, path)


@pytest.fixture()
def demo(tmp_path, monkeypatch):
    nbdir = tmp_path / "notebooks"
    nbdir.mkdir()
    monkeypatch.setattr(ex, "NOTEBOOKS_DIR", nbdir)
    monkeypatch.setattr(ex, "CHAPTERS", {"demo": "demo", "broken": "broken", "noisy": "noisy"})
    _notebook(nbdir / "demo.ipynb",
              "import sys, os, gihi\nprint(year, lang, sys.executable == os.environ.get('GIHI_TEST_PYTHON'), "
              "os.getcwd() == os.environ.get('GIHI_TEST_ROOT'), edition_store)",
              "from IPython.display import HTML\nHTML('<b>ok</b>')")
    _notebook(nbdir / "broken.ipynb", "x = 1", "1 / 0", "y = 2")
    _notebook(nbdir / "noisy.ipynb", "import sys\nprint('debug', file=sys.stderr)")
    monkeypatch.setenv("GIHI_TEST_PYTHON", sys.executable)
    monkeypatch.setenv("GIHI_TEST_ROOT", str(ROOT))
    return tmp_path


def test_kernel_is_this_interpreter():
    assert ex.kernel_name() == "python3"
    assert ex._python_kernel_ok("python3")
    assert not ex._python_kernel_ok("no-such-kernel-xyz")


@pytest.mark.e2e
def test_execute_parameterizes_writes_notebook_and_html_deterministically(demo):
    out = demo / "out"
    path = ex.execute_chapter("demo", 2023, None, out, lang="en")
    assert path == out / "2023" / "notebooks" / "demo.ipynb"
    nb = nbformat.read(path, as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and "year = 2023" in injected[0].source and 'lang = "en"' in injected[0].source
    assert "edition_store = None" in injected[0].source   # no saved edition given: the notebook opens it
    printed = nb.cells[3].outputs[0]
    # the kernel runs this interpreter, in the repository root
    assert printed.name == "stdout" and printed.text == "2023 en True True None\n"
    assert set(nb.metadata) <= {"kernelspec", "language_info", "title"}
    assert all("execution" not in c.metadata and "papermill" not in c.metadata for c in nb.cells)
    html = (path.with_suffix(".html")).read_text(encoding="utf-8")
    assert "<b>ok</b>" in html and "In&nbsp;[" not in html
    first = path.read_bytes(), path.with_suffix(".html").read_bytes()
    ex.execute_chapter("demo", 2023, None, out, lang="en")
    assert (path.read_bytes(), path.with_suffix(".html").read_bytes()) == first


@pytest.mark.e2e
def test_edition_store_is_passed_to_the_notebook(demo, tmp_path):
    store = tmp_path / "out" / "2023" / "edition"
    path = ex.execute_chapter("demo", 2023, None, tmp_path / "out", lang="bi", html=False, edition_store=store)
    nb = nbformat.read(path, as_version=4)
    injected = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert f'edition_store = "{store}"' in injected.source
    assert nb.cells[3].outputs[0].text == f"2023 bi True True {store}\n"


@pytest.mark.e2e
def test_cell_error_names_chapter_cell_and_error(demo):
    with pytest.raises(ex.ChapterExecutionError) as e:
        ex.execute_chapter("broken", 2023, None, demo / "out")
    err = e.value
    assert (err.chapter, err.cell_index, err.ename) == ("broken", 4, "ZeroDivisionError")
    assert str(err) == "chapter broken, cell 4: ZeroDivisionError: division by zero"
    failed = demo / "out" / "2023" / "notebooks" / "broken.failed.ipynb"
    assert failed.exists() and not failed.with_name("broken.ipynb").exists()


@pytest.mark.e2e
def test_stderr_output_fails_in_strict_mode(demo):
    with pytest.raises(ex.ChapterExecutionError, match=r"chapter noisy, cell 3: stderr: debug"):
        ex.execute_chapter("noisy", 2023, None, demo / "out")
    assert ex.execute_chapter("noisy", 2023, None, demo / "out", strict=False, html=False).exists()


def test_unknown_chapter():
    with pytest.raises(KeyError, match="unknown chapter"):
        ex.notebook_path("99_nothing")


def test_notebook_problems_and_scrub_without_a_kernel():
    nb = new_notebook(cells=[new_code_cell("x", metadata={"execution": {"iopub.status.busy": "t"}, "papermill": {"duration": 1}})],
                      metadata={"papermill": {"start_time": "now", "input_path": "/abs"}, "kernelspec": {"name": "python3", "display_name": "Python 3"},
                                "language_info": {"name": "python", "version": "3.11.7"}})
    nb.cells[0].outputs = [new_output("stream", name="stderr", text="UserWarning: x\n"),
                           new_output("error", ename="ValueError", evalue="bad", traceback=["tb"])]
    problems = ex.notebook_problems(nb, "c")
    assert [(p.cell_index, p.ename) for p in problems] == [(0, "stderr"), (0, "ValueError")]
    assert [p.ename for p in ex.notebook_problems(nb, "c", strict=False)] == ["ValueError"]
    ex.scrub(nb)
    assert set(nb.metadata) == {"kernelspec", "language_info"} and nb.metadata.language_info == {"name": "python"}
    assert nb.cells[0].metadata == {} and "id" not in nb.cells[0]


def test_chapter_notebooks_have_a_tagged_parameters_cell():
    for name in ex.CHAPTERS:
        nb = nbformat.read(ex.notebook_path(name), as_version=4)
        tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(tagged) == 1, name
        # the parameters papermill overrides (gihi.pipeline.execute), with their defaults: the latest
        # year, the repository's data/ and output/, both languages, no saved edition
        values = {t.id: ast.literal_eval(a.value) for a in ast.parse(tagged[0].source).body
                  for t in a.targets if isinstance(a, ast.Assign)}
        assert values == {"year": None, "data_dir": None, "output_dir": None, "lang": "bi", "edition_store": None}, name
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), f"{name}: stored outputs"
