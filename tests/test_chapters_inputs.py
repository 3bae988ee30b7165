"""Each chapter reads no data beyond what ``gihi.report.chapters.DATA_INPUTS`` declares (the build
re-executes a chapter only when those change, so an undeclared input would leave it stale)."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from gihi.report.chapters import CHAPTERS, DATA_INPUTS, data_inputs

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import json, sys, tempfile
from pathlib import Path
data = Path(sys.argv[2]).resolve()
seen = set()
def hook(event, args):
    if event == "open" and isinstance(args[0], str):
        p = Path(args[0]).resolve()
        if p.is_relative_to(data):
            seen.add(p.relative_to(data).as_posix())
sys.addaudithook(hook)
from gihi.report.chapters import build
with tempfile.TemporaryDirectory() as out:
    build(sys.argv[1], 2023, data, out, figures=False)
print(json.dumps(sorted(seen)))
"""


def declared(chapter: str, path: str) -> bool:
    return any(path == p or path.startswith(p + "/") for p in data_inputs(chapter, 2023))


@pytest.mark.parametrize("chapter", list(CHAPTERS))
def test_chapter_reads_only_declared_data(chapter):
    r = subprocess.run([sys.executable, "-c", PROBE, chapter, str(ROOT / "data")], capture_output=True, text=True,
                       cwd=ROOT, timeout=300, env={"PYTHONPATH": str(ROOT), "PATH": ""})
    assert r.returncode == 0, r.stderr
    read = json.loads(r.stdout.strip().splitlines()[-1])
    assert read, "the probe saw no data being read"
    undeclared = [p for p in read if not declared(chapter, p)]
    assert undeclared == [], f"{chapter} reads undeclared inputs: {undeclared}"


def test_declarations_cover_every_chapter_and_exist():
    assert set(DATA_INPUTS) == set(CHAPTERS)
    for ch in CHAPTERS:
        for p in data_inputs(ch, 2023):
            assert (ROOT / "data" / p).exists(), p


def test_declared_helper_is_strict():
    assert declared("05_disciplines", "2023/disciplines/papers.csv")
    assert not declared("02_science", "2023/disciplines/papers.csv")
    assert not declared("02_science", "2023/indicators.csv.bak")
