"""Session fixture shared by test_once and test_report_build: one full build of 2023 as editors run
it (``report_build.py --year 2023 --jobs 2``, a subprocess, into a fresh output directory), with
``GIHI_TRACE`` set so that the loading layer and the results record what they parse and compute.

test_once reads its trace; test_report_build compares it, file by file, with its own cold build
(two clean builds give the same outputs). One build serves both, once per test run: under
``pytest -n 2`` the first worker to take the lock builds, the other waits (``_once``). Tests only
read it.
"""
from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from _pdf_fixtures import _once, _shared_root
from gihi.core import trace
from gihi.core.paths import ROOT

YEAR = 2023


@dataclass(frozen=True)
class TracedBuild:
    root: Path
    returncode: int
    stderr: str

    @property
    def output(self) -> Path:
        return self.root / "output"

    @property
    def trace(self) -> Path:
        return self.root / "trace.tsv"

    def events(self) -> list:
        return trace.read(self.trace)


def _make(root: Path) -> dict:
    env = {**os.environ, trace.ENV: str(root / "trace.tsv")}
    r = subprocess.run([sys.executable, str(ROOT / "report_build.py"), "--year", str(YEAR), "--output-dir",
                        str(root / "output"), "--jobs", "2"], cwd=ROOT, env=env, capture_output=True, text=True,
                       timeout=1200)
    return {"returncode": r.returncode, "stderr": r.stderr[-3000:]}


@pytest.fixture(scope="session")
def traced_build(tmp_path_factory) -> TracedBuild:
    root = _shared_root(tmp_path_factory) / "gihi-traced-build"
    root.mkdir(exist_ok=True)
    got = _once(root, "build", _make, ("output",))
    return TracedBuild(root, got["returncode"], got["stderr"])


def default_sigint() -> None:
    """For ``subprocess.Popen(preexec_fn=...)``: Ctrl-C's default action in the child. A suite
    started in the background (``nohup``, ``&`` in a script) hands SIGINT down ignored, and
    Python then installs no KeyboardInterrupt handler, so a test's Ctrl-C would never reach the
    build it interrupts."""
    import signal
    signal.signal(signal.SIGINT, signal.SIG_DFL)
