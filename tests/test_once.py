"""One full build computes every expensive result once and parses every input file once, in
whatever process it happens (data stage, chapter kernels, render workers, the profiles process).

The build is run with ``GIHI_TRACE`` set (:mod:`gihi.core.trace`): the loading layer records each
input file it parses and :meth:`gihi.model.edition.Edition.result` each result it computes.
"""
from __future__ import annotations

from collections import Counter

import pytest

from _builds import traced_build  # noqa: F401  (session fixture: one traced full build)
from gihi.core import trace
from gihi.core.paths import DATA_DIR
from gihi.model.validate import check_inputs

pytestmark = pytest.mark.e2e

#: the results the report uses, each computed by the data stage and read from the saved edition after
EXPENSIVE = ("index", "patterns", "flows", "audit/simulated_ranks", "audit/uncertainty", "audit/sensitivity",
             "audit/consistency", "gii/benchmark", "disciplines", "ai_patents", "changes/history", "changes/ranks")


@pytest.fixture(scope="module")
def build(traced_build):
    """``(trace events, output directory)`` of one full build (shared with test_report_build)."""
    assert traced_build.returncode == 0, traced_build.stderr
    return traced_build.events(), traced_build.output


@pytest.fixture(scope="module")
def events(build):
    return build[0]


def test_each_expensive_result_computed_once(events):
    computed = Counter(name for kind, name, _ in events if kind == trace.COMPUTE)
    assert {k: computed.get(f"2023:{k}", 0) for k in EXPENSIVE} == {k: 1 for k in EXPENSIVE}
    assert max(computed.values()) == 1, computed


def test_each_input_file_parsed_once(events):
    parsed = Counter(name for kind, name, _ in events if kind == trace.PARSE)
    twice = {k: v for k, v in parsed.items() if v > 1}
    assert twice == {}
    # ... and what is parsed is the edition's inputs, as validation names them
    expected = set(check_inputs(DATA_DIR, 2023).locations.values())
    assert set(parsed) == expected


def test_results_computed_in_the_data_stage_only(events):
    """Everything is computed in one process (the build's data stage); the kernels, renders and
    the profiles process only read."""
    pids = {pid for kind, _, pid in events if kind == trace.COMPUTE}
    assert len(pids) == 1


def test_numbers_are_the_pdfs(build):
    """The numbers in the bundles (captions, cross-references) are the order in which the PDF lays
    the figures and tables out, which its CSS counters number (gihi.report.numbering)."""
    import re

    from gihi.model.edition import load_edition
    from gihi.publish.assemble import edition_html
    from gihi.report.bundle import read_bundle
    from gihi.report.chapters import CHAPTERS
    from gihi.report.numbering import numbers

    out = build[1]
    ed = load_edition(out / "2023" / "edition")
    html = edition_html(ed, "bi", out)
    order = {"fig": [], "table": []}
    for kind, chapter, item in re.findall(r'<(figure|div) class="(?:figure|table-block)[^"]*" id="(?:fig|tab)-([^"]+?)-([a-z0-9_]+)"', html):
        order["fig" if kind == "figure" else "table"].append(item)
    n = numbers(ed)
    assert order["fig"] == sorted(n["fig"], key=n["fig"].get)
    assert order["table"] == sorted(n["table"], key=n["table"].get)
    for chapter in CHAPTERS:
        b = read_bundle(out / "2023" / "chapters" / chapter)
        for f in b.figures:
            assert f.caption["zh"].startswith(f"图{n['fig'][f.id]}\u3000"), (chapter, f.id, f.caption["zh"])
            assert f.caption["en"].startswith(f"Figure {n['fig'][f.id]}. "), (chapter, f.id, f.caption["en"])
        for t in b.tables:
            assert t.caption["zh"].startswith(f"表{n['table'][t.id]}\u3000"), (chapter, t.id, t.caption["zh"])
