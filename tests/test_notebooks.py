"""Every chapter notebook executes through papermill on the 2023 data: no errors, no stderr or
warning streams, a valid bundle whose narrative is the generated one, and an HTML copy."""
from __future__ import annotations

import nbformat
import pytest

from gihi.report import narrative as nv
from gihi.report.bundle import bundle_dir, read_bundle
from gihi.report.chapters import CHAPTERS, common, section_contexts
from gihi.pipeline.execute import execute_chapter

YEAR = 2023
# The suite must stay within ~3 minutes on 2 cores, and bilingual figures (Chinese text drawn as
# paths) are the slowest part of a chapter. Two chapters run exactly as reviewers see them
# (lang="bi", with the HTML copy); the others in English without HTML export, which exercises the
# same notebook, bundle and pipeline code. tests/test_execute.py covers HTML export and reruns.
FULL = {"01_overview", "07_methods"}


@pytest.mark.slow
@pytest.mark.parametrize("chapter", list(CHAPTERS))
def test_chapter_notebook_executes_cleanly(chapter, tmp_path):
    full = chapter in FULL
    path = execute_chapter(chapter, YEAR, None, tmp_path, lang="bi" if full else "en", html=full)
    assert path == tmp_path / str(YEAR) / "notebooks" / f"{chapter}.ipynb"
    if full:
        assert path.with_suffix(".html").stat().st_size > 10_000

    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count is not None for c in code), "every code cell ran"
    for i, c in enumerate(code):
        for o in c.outputs:
            assert o.output_type != "error", f"cell {i}: {o.get('ename')}"
            assert not (o.output_type == "stream" and o.name == "stderr"), f"cell {i}: stderr {o.text[:200]}"
            text = str(o.get("text", "")) + str(o.get("data", {}).get("text/plain", ""))
            assert "Warning" not in text and "Traceback" not in text, f"cell {i}: {text[:200]}"
    assert any("text/html" in o.get("data", {}) for c in code for o in c.outputs)

    b = read_bundle(bundle_dir(tmp_path, YEAR, chapter))  # validates
    assert b.chapter == chapter and b.year == YEAR and b.provenance["scopes"]
    assert b.provenance["reconstruction"] is True
    assert b.tables and b.figures
    shown = "".join(str(o.get("data", {}).get("text/html", "")) for c in code for o in c.outputs)
    for f in b.figures:
        assert f'id="{chapter}-{f.id}"' in shown, f"figure {f.id} not displayed"
    for s in b.sections:
        assert f'id="{chapter}-{s.id}"' in shown, f"section {s.id} not displayed"

    # the bundle's narrative is the generated one, and every number in it is a computed value
    contexts = section_contexts(chapter, YEAR)
    assert [s.id for s in b.sections] == list(contexts)
    for s in b.sections:
        folder = common.SHARED if s.id == "data_note" else chapter
        for lang in nv.LANGS:
            assert s.narrative[lang] == nv.render_section(folder, s.id, lang, contexts[s.id])
            assert nv.unmatched_numbers(s.narrative[lang], contexts[s.id]) == []
