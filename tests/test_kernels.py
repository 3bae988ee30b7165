"""gihi.pipeline.kernels: a warm kernel runs notebook after notebook as a fresh kernel would (namespace
cleared, execution count from 1), keeps its process, and is replaced after a failure."""
from __future__ import annotations

import nbformat
import pytest
from papermill.execute import prepare_notebook_metadata

from gihi.pipeline.execute import kernel_name
from gihi.pipeline.kernels import WarmKernel, execute

pytestmark = pytest.mark.e2e   # every test starts Jupyter kernels


def _nb(*cells: str):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": kernel_name(), "display_name": "Python 3", "language": "python"}
    nb.metadata["papermill"] = {}
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    return prepare_notebook_metadata(nb, "in.ipynb", "out.ipynb")


def _run(tmp_path, nb, warm=None):
    return execute(nb, kernel_name(), cwd=tmp_path, warm=warm, input_path="in.ipynb", output_path=None,
                   progress_bar=False, log_output=False, start_timeout=120, execution_timeout=120)


def _texts(nb) -> list[str]:
    return ["".join(o.get("text", "") for o in c.outputs if o.output_type == "stream") for c in nb.cells]


DEFINES = ("import os, math\nx = 41\nprint(os.getpid())", "x + 1")
PROBE = ("import os\nprint(os.getpid())", "print(sorted(n for n in ('x', 'math', 'DEFINES') if n in dir()))", "2 * 21")


@pytest.fixture
def warm():
    k = WarmKernel(kernel_name(), start_timeout=120)
    yield k
    k.shutdown()


def test_a_warm_kernel_is_reset_between_notebooks(tmp_path, warm):
    first = _run(tmp_path, _nb(*DEFINES), warm)
    second = _run(tmp_path, _nb(*PROBE), warm)
    assert first.cells[1].outputs[0]["data"]["text/plain"] == "42"
    pid = _texts(first)[0]
    assert _texts(second)[0] == pid                       # the same process ...
    assert _texts(second)[1] == "[]\n"                    # ... with none of the first notebook's names
    assert [c.execution_count for c in second.cells] == [1, 2, 3]   # numbered as in a fresh kernel
    fresh = _run(tmp_path, _nb(*PROBE))
    assert _texts(fresh)[0] != pid
    assert [c.outputs for c in fresh.cells][1:] == [c.outputs for c in second.cells][1:]
    assert warm.notebooks == 2


def test_a_failed_notebook_replaces_the_kernel(tmp_path, warm):
    pid = _texts(_run(tmp_path, _nb(*DEFINES), warm))[0]
    failed = _run(tmp_path, _nb("raise ValueError('boom')"), warm)
    assert failed.cells[0].outputs[-1]["ename"] == "ValueError"   # recorded (execute_chapter raises on it)
    assert warm.km is None                                # shut down
    after = _run(tmp_path, _nb(*PROBE), warm)
    assert _texts(after)[0] != pid and [c.execution_count for c in after.cells] == [1, 2, 3]


def test_a_name_the_notebook_did_not_define_fails_in_a_warm_kernel_too(tmp_path, warm):
    _run(tmp_path, _nb(*DEFINES), warm)
    assert _run(tmp_path, _nb("x"), warm).cells[0].outputs[-1]["ename"] == "NameError"
