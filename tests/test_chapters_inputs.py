"""A chapter reads no data file: it is built from an :class:`~gihi.model.edition.Edition` that was
opened (validated, every input read once) before, or loaded from the copy the build's data stage
saved. Building a chapter from such an edition opens no file under the data directory (checked
with an audit hook, in a fresh process).

``gihi.report.chapters.DATA_INPUTS`` is still what the build hashes into each chapter's cache key
(:func:`gihi.pipeline.build.chapter_key`): its declarations must exist, and must cover the files the
edition's inputs were actually read from."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gihi.model.validate import check_inputs
from gihi.report.chapters import CHAPTERS, DATA_INPUTS, data_inputs

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
YEAR = 2023

#: argv: mode ("opened": open_edition from the data directory; "saved": computed, saved and
#: loaded as a chapter kernel loads it), data directory, scratch directory, chapters (comma-separated).
#: Prints, per chapter, the files under the data directory opened while building it.
PROBE = """
import json, sys
from pathlib import Path
mode, data, scratch = sys.argv[1], Path(sys.argv[2]).resolve(), Path(sys.argv[3])
from gihi import load_edition, open_edition
from gihi.report.recipe import build
CHAPTERS = sys.argv[4].split(",")
ed = open_edition(2023, data)
if mode == "saved":
    from gihi.pipeline.data_stage import compute_all
    compute_all(ed).save(scratch / "edition")
    ed = load_edition(scratch / "edition")
current = None
seen = {ch: set() for ch in CHAPTERS}
def hook(event, args):
    if current is not None and event == "open" and isinstance(args[0], (str, bytes)):
        p = Path(args[0] if isinstance(args[0], str) else args[0].decode()).resolve()
        if p.is_relative_to(data):
            seen[current].add(p.relative_to(data).as_posix())
sys.addaudithook(hook)
for ch in CHAPTERS:
    current = ch
    b = build(ch, ed, scratch / "out", figures=False)
    current = None
    assert b.chapter == ch and (scratch / "out" / "2023" / "chapters" / ch / "bundle.json").is_file()
print(json.dumps({ch: sorted(v) for ch, v in seen.items()}))
"""


def _probe(mode: str, scratch: Path, chapters=tuple(CHAPTERS), probe: str = PROBE, data: Path = DATA) -> dict[str, list[str]]:
    r = subprocess.run([sys.executable, "-c", probe, mode, str(data), str(scratch), ",".join(chapters)],
                       capture_output=True, text=True, cwd=ROOT, timeout=600, env={"PYTHONPATH": str(ROOT), "PATH": ""})
    assert r.returncode == 0, r.stderr[-3000:]
    return json.loads(r.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def opened(tmp_path_factory):
    return _probe("opened", tmp_path_factory.mktemp("opened"))


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    return _probe("saved", tmp_path_factory.mktemp("saved"))


@pytest.mark.parametrize("chapter", list(CHAPTERS))
@pytest.mark.e2e   # builds every chapter
def test_chapter_built_from_an_opened_edition_opens_no_data_file(opened, chapter):
    assert opened[chapter] == [], f"{chapter} opens data files: {opened[chapter]}"


@pytest.mark.parametrize("chapter", list(CHAPTERS))
@pytest.mark.e2e   # builds every chapter
def test_chapter_built_from_the_saved_edition_opens_no_data_file(saved, chapter):
    assert saved[chapter] == [], f"{chapter} opens data files: {saved[chapter]}"


@pytest.mark.e2e   # builds a chapter
def test_the_probe_sees_files_opened_under_the_data_directory(tmp_path):
    """The hook does see data files: opening the edition inside the watched build is reported."""
    probe = PROBE.replace("b = build(ch, ed,", "b = build(ch, open_edition(2023, data) if ch == '07_methods' else ed,")
    assert probe != PROBE
    seen = _probe("opened", tmp_path, ("07_methods",), probe)
    assert {"2023/indicators.csv", "2023/meta/tree.csv", "meta/strings.csv"} <= set(seen["07_methods"])


# with an earlier year's data in the data directory (the previous edition, whose ranks the builder
# computes), a chapter kernel still opens no data file: what it needs of that edition (its year,
# ranks, names, drivers, what changed in the method: gihi.analysis.changes) is in the saved
# edition. (An edition opened in a notebook computes these on first use, opening the previous
# edition then, once.)
@pytest.mark.e2e   # builds two chapters
def test_no_data_file_opened_with_a_previous_edition_in_the_data_directory(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    shutil.copytree(DATA / str(YEAR), data / str(YEAR - 1))   # 2022: the previous edition, with data
    seen = _probe("saved", tmp_path / "scratch", ("01_overview", "07_methods"), data=data)
    assert seen == {"01_overview": [], "07_methods": []}


# --------------------------------------------------------------------------- DATA_INPUTS (cache keys)

def declared(chapter: str, path: str) -> bool:
    return any(path == p or path.startswith(p + "/") for p in data_inputs(chapter, YEAR))


def test_declarations_cover_every_chapter_and_exist():
    assert set(DATA_INPUTS) == set(CHAPTERS)
    for ch in CHAPTERS:
        for p in data_inputs(ch, YEAR):
            assert (DATA / p).exists(), p


def test_declared_helper_is_strict():
    assert declared("05_disciplines", "2023/disciplines/papers.csv")
    assert not declared("02_science", "2023/disciplines/papers.csv")
    assert not declared("02_science", "2023/indicators.csv.bak")


@pytest.fixture(scope="module")
def locations():
    """Logical input name → the file it was read from (relative to the data directory)."""
    return check_inputs(DATA, YEAR).locations


# a change of data/2023/meta/tree.csv (weights), indicators.csv or cities.csv must reach every
# chapter's key, and so re-run it (it once re-ran the data step only)
@pytest.mark.parametrize("chapter", list(CHAPTERS))
def test_a_declared_input_covers_the_file_it_is_read_from(locations, chapter):
    """An input declared by its logical name (``meta/tree.csv``, under ``meta``) is hashed where it is
    read from: ``2023/meta/tree.csv`` replaces ``meta/tree.csv`` for the 2023 edition."""
    assert locations["meta/tree.csv"] == "2023/meta/tree.csv"
    missed = sorted(loc for name, loc in locations.items() if declared(chapter, name) and not declared(chapter, loc))
    assert missed == []
